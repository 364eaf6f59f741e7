/**
 * SnapshotCopySet under Pulumi mocks: the children it declares (names, types, parents, inputs, the ready child
 * waiting for every copy), its outputs, and the input errors it raises before declaring anything.
 */
import * as pulumi from "@pulumi/pulumi";
import { SnapshotCopySet } from "../../provider/snapshotCopySet";
import { CopySetInputError } from "../../provider/rules/copySetLayout";

/** Every resource registered, with its inputs and the URN the mock engine gave it. */
const registered: (pulumi.runtime.MockResourceArgs & { urn?: string })[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        if (args.type === "pulumi-nodejs:dynamic/alicloud:SnapshotCopy") {
          const snapshotId = `s-copy-${args.name}`;
          const state = {
            ...args.inputs,
            snapshotId,
            status: "progressing",
            encrypted: !!args.inputs.encrypted,
          };
          return { id: snapshotId, state };
        }
        if (args.type === "pulumi-nodejs:dynamic/alicloud:SnapshotCopiesReady") {
          const copies = args.inputs.copies as { snapshotId: string }[];
          const state = {
            ...args.inputs,
            snapshotIds: copies.map((c) => c.snapshotId),
            readyCount: copies.length,
          };
          return { id: `ready-${args.name}`, state };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
  );
});

const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
const named = (name: string) => {
  const r = registered.find((x) => x.name === name);
  if (!r) throw new Error(`no resource named ${name} was registered`);
  return r;
};

describe("GIVEN a SnapshotCopySet of two snapshots to two regions, encrypted with each region's key", () => {
  let set: SnapshotCopySet;
  beforeAll(async () => {
    set = new SnapshotCopySet("nightly", {
      sourceSnapshotIds: { orders: pulumi.output("s-orders0001"), users: "s-users0001" },
      sourceRegionId: "cn-hangzhou",
      destinationRegionIds: ["eu-central-1", "cn-shanghai"],
      encrypted: true,
      kmsKeyIds: { "eu-central-1": "key-eu0001", "cn-shanghai": pulumi.output("alias/backup") },
      name: ({ key, regionId }) => `${key}-${regionId}`,
      retentionDays: 30,
      tags: { team: "platform" },
      pollMaxSeconds: 20,
    });
    await valueOf(set.copies);
  });

  it("THEN it is one component of the package's type token, fixed for good", async () => {
    expect(SnapshotCopySet.typeToken).toBe("pulumi-alicloud-snapshot-copy:index:SnapshotCopySet");
    expect(await valueOf(set.urn)).toBe(
      "urn:pulumi:dev::proj::pulumi-alicloud-snapshot-copy:index:SnapshotCopySet::nightly",
    );
  });

  it("THEN each (snapshot, region) is a SnapshotCopy child named <set>-<key>-<region>, started without waiting", () => {
    const copies = registered.filter((r) => r.type === "pulumi-nodejs:dynamic/alicloud:SnapshotCopy");
    expect(copies.map((c) => c.name).filter((n) => n.startsWith("nightly-"))).toEqual([
      "nightly-orders-eu-central-1",
      "nightly-orders-cn-shanghai",
      "nightly-users-eu-central-1",
      "nightly-users-cn-shanghai",
    ]);
    expect(named("nightly-orders-cn-shanghai").inputs).toMatchObject({
      sourceSnapshotId: "s-orders0001",
      sourceRegionId: "cn-hangzhou",
      destinationRegionId: "cn-shanghai",
      encrypted: true,
      kmsKeyId: "alias/backup",
      name: "orders-cn-shanghai",
      retentionDays: 30,
      tags: { team: "platform" },
      pollMaxSeconds: 20,
      waitForCompletion: false,
    });
    expect(named("nightly-users-eu-central-1").inputs.kmsKeyId).toBe("key-eu0001");
  });

  it("THEN each child's resourceKey is its URN under the component (the ownership tags name the parent chain)", async () => {
    const child = set.copyResources.orders["eu-central-1"];
    const urn = await valueOf(child.urn);
    expect(urn).toBe(
      "urn:pulumi:dev::proj::pulumi-alicloud-snapshot-copy:index:SnapshotCopySet$" +
        "pulumi-nodejs:dynamic/alicloud:SnapshotCopy::nightly-orders-eu-central-1",
    );
    expect(named("nightly-orders-eu-central-1").inputs.resourceKey).toBe(urn);
  });

  it("THEN one SnapshotCopiesReady child waits for every copy, naming each by its child resource", async () => {
    expect(set.ready).toBeDefined();
    expect(await valueOf(set.ready!.urn)).toMatch(
      /SnapshotCopySet\$pulumi-nodejs:dynamic\/alicloud:SnapshotCopiesReady::nightly-ready$/,
    );
    expect(named("nightly-ready").inputs).toMatchObject({
      copies: [
        {
          snapshotId: "s-copy-nightly-orders-eu-central-1",
          regionId: "eu-central-1",
          name: "nightly-orders-eu-central-1",
        },
        {
          snapshotId: "s-copy-nightly-orders-cn-shanghai",
          regionId: "cn-shanghai",
          name: "nightly-orders-cn-shanghai",
        },
        {
          snapshotId: "s-copy-nightly-users-eu-central-1",
          regionId: "eu-central-1",
          name: "nightly-users-eu-central-1",
        },
        {
          snapshotId: "s-copy-nightly-users-cn-shanghai",
          regionId: "cn-shanghai",
          name: "nightly-users-cn-shanghai",
        },
      ],
      pollMaxSeconds: 20,
    });
  });

  it("THEN copies maps key -> region -> the copy, accomplished once the ready child has waited", async () => {
    const copies = await valueOf(set.copies);
    expect(Object.keys(copies)).toEqual(["orders", "users"]);
    expect(copies.users["cn-shanghai"]).toEqual({
      snapshotId: "s-copy-nightly-users-cn-shanghai",
      sourceSnapshotId: "s-users0001",
      regionId: "cn-shanghai",
      status: "accomplished",
      encrypted: true,
      kmsKeyId: "alias/backup",
    });
    expect(await valueOf(set.copyCount)).toBe(4);
  });
});

describe("GIVEN a set given as a list of snapshot IDs", () => {
  it("THEN each ID is its own key, and shared values reach every copy", async () => {
    const set = new SnapshotCopySet("plain", {
      sourceSnapshotIds: ["s-aaa0001", "s-bbb0002"],
      destinationRegionIds: ["cn-shanghai"],
      description: "weekly",
    });
    await valueOf(set.copies);
    expect(named("plain-s-aaa0001-cn-shanghai").inputs).toMatchObject({
      sourceSnapshotId: "s-aaa0001",
      description: "weekly",
      waitForCompletion: false,
    });
    expect(named("plain-s-aaa0001-cn-shanghai").inputs.encrypted).toBeUndefined();
    expect(Object.keys(set.copyResources)).toEqual(["s-aaa0001", "s-bbb0002"]);
  });

  it("WHEN the list is empty THEN no copy and no ready child, and copies is {}", async () => {
    const set = new SnapshotCopySet("empty", {
      sourceSnapshotIds: [],
      destinationRegionIds: ["cn-shanghai"],
    });
    expect(set.ready).toBeUndefined();
    expect(await valueOf(set.copies)).toEqual({});
    expect(await valueOf(set.copyCount)).toBe(0);
  });
});

describe("GIVEN snapshots listed longest copy first, not in key order", () => {
  it("THEN the copies are declared in the order given, snapshot-major: the longest first", async () => {
    const set = new SnapshotCopySet("weekly", {
      sourceSnapshotIds: { zeta: "s-zeta0001", alpha: "s-alph0001", mid: "s-midd0001" },
      destinationRegionIds: ["eu-central-1", "cn-shanghai"],
    });
    await valueOf(set.copies);
    const copies = registered.filter(
      (r) => r.type === "pulumi-nodejs:dynamic/alicloud:SnapshotCopy" && r.name.startsWith("weekly-"),
    );
    expect(copies.map((c) => c.name)).toEqual([
      "weekly-zeta-eu-central-1",
      "weekly-zeta-cn-shanghai",
      "weekly-alpha-eu-central-1",
      "weekly-alpha-cn-shanghai",
      "weekly-mid-eu-central-1",
      "weekly-mid-cn-shanghai",
    ]);
  });
});

describe("GIVEN inputs a set cannot lay out", () => {
  const base = {
    sourceSnapshotIds: { db: "s-db0001" },
    destinationRegionIds: ["eu-central-1", "cn-shanghai"],
  };
  test.each<[string, Record<string, unknown>, RegExp]>([
    [
      "encrypted with kmsKeyIds missing a region",
      { encrypted: true, kmsKeyIds: { "eu-central-1": "key-eu0001" } },
      /kmsKeyIds has no key for cn-shanghai; a KMS key serves only its own region/,
    ],
    [
      "a key for a region it does not copy to",
      { encrypted: true, kmsKeyIds: { "eu-central-1": "k1", "cn-shanghai": "k2", "ap-south-1": "k3" } },
      /kmsKeyIds\["ap-south-1"\] names a region that is not in destinationRegionIds/,
    ],
    [
      "kmsKeyIds without encrypted",
      { kmsKeyIds: { "eu-central-1": "k1", "cn-shanghai": "k2" } },
      /kmsKeyIds needs encrypted: true/,
    ],
    ["no destination region", { destinationRegionIds: [] }, /destinationRegionIds must be a non-empty list/],
    [
      "a region twice",
      { destinationRegionIds: ["cn-shanghai", "cn-shanghai"] },
      /destinationRegionIds lists cn-shanghai twice/,
    ],
    [
      "a region that is an Output",
      { destinationRegionIds: [pulumi.output("cn-shanghai")] },
      /destinationRegionIds\[0\] must be a plain region ID/,
    ],
    [
      "a list holding an Output",
      { sourceSnapshotIds: [pulumi.output("s-db0001")] },
      /sourceSnapshotIds\[0\] must be a plain, non-empty string.*give a map/,
    ],
    [
      "the whole map as an Output",
      { sourceSnapshotIds: pulumi.output({ db: "s-db0001" }) },
      /sourceSnapshotIds must be a plain map/,
    ],
    [
      "an ID listed twice",
      { sourceSnapshotIds: ["s-db0001", "s-db0001"] },
      /sourceSnapshotIds\[1\]: "s-db0001" is listed twice/,
    ],
    [
      "a key with ::",
      { sourceSnapshotIds: { "a::b": "s-db0001" } },
      /sourceSnapshotIds\["a::b"\] \("a::b"\) must not contain "::"/,
    ],
    [
      "two keys whose children would share a name",
      { sourceSnapshotIds: { "x-cn": "s-1", x: "s-2" }, destinationRegionIds: ["shanghai", "cn-shanghai"] },
      /would both be the child resource "bad-x-cn-shanghai"/,
    ],
  ])(
    "WHEN given %s THEN construction fails naming the field, before anything registers",
    (_what, change, message) => {
      const before = registered.length;
      let err: unknown;
      try {
        new SnapshotCopySet("bad", { ...base, ...change } as never);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CopySetInputError);
      expect((err as Error).message).toMatch(/^SnapshotCopySet bad: /);
      expect((err as Error).message).toMatch(message);
      expect(registered.slice(before)).toEqual([]);
    },
  );

  it("WHEN several inputs are wrong THEN one error lists every problem", () => {
    expect(
      () =>
        new SnapshotCopySet("many", {
          sourceSnapshotIds: { "": "s-1" },
          destinationRegionIds: [],
          encrypted: true,
          kmsKeyIds: {},
        }),
    ).toThrow(
      /sourceSnapshotIds\[""\] must be a plain, non-empty string.*; destinationRegionIds must be a non-empty list/,
    );
  });
});
