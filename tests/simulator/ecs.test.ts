import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient, expectApiError } from "../helpers/sdk";
import { useSimulator } from "./fixture";

const t = useSimulator();
const ecs = () => ecsClient(t.sim);

const copyReq = (over: Partial<$Ecs.CopySnapshotRequest> = {}): $Ecs.CopySnapshotRequest =>
  new $Ecs.CopySnapshotRequest({
    regionId: "cn-hangzhou",
    destinationRegionId: "eu-central-1",
    snapshotId: "s-sim0001",
    destinationSnapshotName: "sim-copy",
    destinationSnapshotDescription: "simulator test copy",
    ...over,
  });
const copy = async (over: Partial<$Ecs.CopySnapshotRequest> = {}): Promise<string> =>
  (await ecs().copySnapshot(copyReq(over))).body?.snapshotId as string;
const tag = (key: string, value: string): $Ecs.CopySnapshotRequestTag =>
  new $Ecs.CopySnapshotRequestTag({ key, value });
const describe1 = async (region: string, id: string) =>
  (
    await ecs().describeSnapshots(
      new $Ecs.DescribeSnapshotsRequest({ regionId: region, snapshotIds: JSON.stringify([id]) }),
    )
  ).body?.snapshots?.snapshot?.[0];

describe("CopySnapshot", () => {
  it("creates the copy in the destination region with every parameter of the CopySnapshot parameter table", async () => {
    const id = await copy({
      destinationSnapshotName: "db-backup-eu",
      destinationSnapshotDescription: "nightly copy",
      retentionDays: 30,
      encrypted: true,
      KMSKeyId: "alias/backup",
      tag: [tag("team", "platform")],
      clientToken: "tok-1",
      resourceGroupId: "rg-sim",
    });
    expect(await describe1("cn-hangzhou", id)).toBeUndefined();
    const s = await describe1("eu-central-1", id);
    expect(s).toMatchObject({
      snapshotName: "db-backup-eu",
      description: "nightly copy",
      retentionDays: 30,
      encrypted: true,
      KMSKeyId: "key-hzz65f1cb66fa42qo0002",
      sourceSnapshotId: "s-sim0001",
      sourceRegionId: "cn-hangzhou",
      resourceGroupId: "rg-sim",
      status: "progressing",
      available: false,
      tags: { tag: [{ tagKey: "team", tagValue: "platform" }] },
    });
  });

  it("accepts the KMS key by ID and by ARN too, and records its ID", async () => {
    const byArn = await copy({
      encrypted: true,
      KMSKeyId: "acs:kms:eu-central-1:1234567890123456:key/key-hzz65f1cb66fa42qo0002",
    });
    const byId = await copy({
      snapshotId: "s-sim0002",
      encrypted: true,
      KMSKeyId: "key-hzz65f1cb66fa42qo0002",
    });
    expect((await describe1("eu-central-1", byArn))?.KMSKeyId).toBe("key-hzz65f1cb66fa42qo0002");
    expect((await describe1("eu-central-1", byId))?.KMSKeyId).toBe("key-hzz65f1cb66fa42qo0002");
  });

  it("allows an encrypted copy within the same region", async () => {
    const id = await copy({ destinationRegionId: "cn-hangzhou", encrypted: true });
    expect((await describe1("cn-hangzhou", id))?.encrypted).toBe(true);
  });

  // Rules table: GIVEN a request, THEN the API error Code and HTTP status.
  const rules: [string, Partial<$Ecs.CopySnapshotRequest>, string, number][] = [
    ["missing source snapshot", { snapshotId: "s-missing" }, "InvalidSnapshotId.NotFound", 403],
    ["source lives in another region", { regionId: "cn-shanghai" }, "InvalidSnapshotId.NotFound", 403],
    ["unknown source region", { regionId: "xx-nowhere-1" }, "InvalidRegionId.NotExists", 403],
    ["unknown destination region", { destinationRegionId: "xx-nowhere-1" }, "InvalidRegionId.NotExists", 403],
    [
      "same region without encryption",
      { destinationRegionId: "cn-hangzhou" },
      "InvalidOperation.NotSupportCopyInSameRegion",
      403,
    ],
    [
      "KMS key missing in destination region",
      { encrypted: true, KMSKeyId: "key-hzz65f1cb66fa42qo0001" },
      "InvalidParameter.KMSKeyId.NotFound",
      403,
    ],
    [
      "KMS alias missing in destination region",
      { encrypted: true, KMSKeyId: "alias/nope" },
      "InvalidParameter.KMSKeyId.NotFound",
      403,
    ],
    [
      "KMS key Disabled",
      { encrypted: true, KMSKeyId: "alias/disabled" },
      "InvalidParameter.KMSKeyId.CMKNotEnabled",
      403,
    ],
    ["KMS key without Encrypted", { KMSKeyId: "alias/backup" }, "InvalidEncrypted.NotMatchKmsKeyId", 403],
    ["name too short", { destinationSnapshotName: "a" }, "InvalidSnapshotName.Malformed", 403],
    [
      "name not starting with a letter",
      { destinationSnapshotName: "1abc" },
      "InvalidSnapshotName.Malformed",
      403,
    ],
    [
      "name starting with http://",
      { destinationSnapshotName: "http://x" },
      "InvalidSnapshotName.Malformed",
      403,
    ],
    [
      "name of 129 characters",
      { destinationSnapshotName: "a".repeat(129) },
      "InvalidSnapshotName.Malformed",
      403,
    ],
    [
      "description of 1 character",
      { destinationSnapshotDescription: "x" },
      "InvalidDescription.Malformed",
      403,
    ],
    [
      "description of 257 characters",
      { destinationSnapshotDescription: "x".repeat(257) },
      "InvalidDescription.Malformed",
      403,
    ],
    [
      "description starting with https://",
      { destinationSnapshotDescription: "https://example.com" },
      "InvalidDescription.Malformed",
      403,
    ],
    ["retention 0 days", { retentionDays: 0 }, "InvalidRetentionDays.Malformed", 403],
    ["retention 65537 days", { retentionDays: 65537 }, "InvalidRetentionDays.Malformed", 403],
    ["tag key with aliyun prefix", { tag: [tag("aliyunx", "v")] }, "InvalidTagKey.Malformed", 400],
    ["tag key with acs: prefix", { tag: [tag("acs:x", "v")] }, "InvalidTagKey.Malformed", 400],
    ["empty tag key", { tag: [tag("", "v")] }, "InvalidTagKey.Malformed", 400],
    ["tag key of 129 characters", { tag: [tag("k".repeat(129), "v")] }, "InvalidTagKey.Malformed", 400],
    ["tag value with a URL", { tag: [tag("k", "see https://x")] }, "InvalidTagValue.Malformed", 400],
    ["duplicate tag keys", { tag: [tag("k", "1"), tag("k", "2")] }, "Duplicate.TagKey", 400],
    ["21 tags", { tag: Array.from({ length: 21 }, (_, i) => tag(`k${i}`, "v")) }, "InvalidTagCount", 400],
    ["ClientToken of 65 characters", { clientToken: "t".repeat(65) }, "InvalidParameter", 400],
  ];
  it.each(rules)("rejects %s", async (_why, over, code, status) => {
    expect(await expectApiError(ecs().copySnapshot(copyReq(over)))).toMatchObject({ code, status });
    expect(t.sim.admin.snapshots("eu-central-1")).toHaveLength(0);
  });

  it("rejects copying a source that is not accomplished", async () => {
    t.sim.admin.seed({
      disks: [{ diskId: "d-busy", regionId: "cn-hangzhou", sizeGiB: 10 }],
      snapshots: [{ snapshotId: "s-busy", regionId: "cn-hangzhou", diskId: "d-busy", status: "progressing" }],
    });
    expect(await expectApiError(ecs().copySnapshot(copyReq({ snapshotId: "s-busy" })))).toMatchObject({
      code: "InvalidSnapshotId.NotReady",
      status: 403,
    });
  });

  it("allows one unfinished copy per disk per destination region", async () => {
    const first = await copy();
    expect(await expectApiError(ecs().copySnapshot(copyReq()))).toMatchObject({
      code: "InvalidOperation.UnfinishedCrossRegionCopy",
      status: 403,
    });
    // Another region, or another disk, is fine.
    await copy({ destinationRegionId: "cn-shanghai" });
    await copy({ snapshotId: "s-sim0002" });
    // A second snapshot of the same disk is blocked too: the rule is per disk.
    t.sim.admin.seed({
      snapshots: [{ snapshotId: "s-sim0001b", regionId: "cn-hangzhou", diskId: "d-sim0001" }],
    });
    expect(await expectApiError(ecs().copySnapshot(copyReq({ snapshotId: "s-sim0001b" })))).toMatchObject({
      code: "InvalidOperation.UnfinishedCrossRegionCopy",
    });
    expect(first).toMatch(/^s-gw8/);
  });

  describe("ClientToken idempotency", () => {
    it("returns the same copy for the same token and parameters", async () => {
      const a = await copy({ clientToken: "same", destinationSnapshotName: "n1" });
      const b = await copy({ clientToken: "same", destinationSnapshotName: "n1" });
      expect(b).toBe(a);
      expect(t.sim.admin.snapshots("eu-central-1")).toHaveLength(1);
    });
    it("rejects the same token with different parameters", async () => {
      await copy({ clientToken: "same", destinationSnapshotName: "n1" });
      expect(
        await expectApiError(
          ecs().copySnapshot(copyReq({ clientToken: "same", destinationSnapshotName: "n2" })),
        ),
      ).toMatchObject({
        code: "IdempotentParameterMismatch",
        status: 400,
      });
    });
    it("keeps answering with the first copy's ID after that copy is deleted", async () => {
      const a = await copy({ clientToken: "kept" });
      await ecs().deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: a }));
      expect(await copy({ clientToken: "kept" })).toBe(a);
      expect(await describe1("eu-central-1", a)).toBeUndefined();
    });
  });
});

describe("DescribeSnapshots", () => {
  const list = async (req: Partial<$Ecs.DescribeSnapshotsRequest>) =>
    (await ecs().describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: "cn-hangzhou", ...req })))
      .body;

  it("takes up to 100 IDs as a JSON array and skips missing ones", async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `s-sim${String(i + 1).padStart(4, "0")}`).concat(
      Array.from({ length: 60 }, (_, i) => `s-gone${i}`),
    );
    const body = await list({ snapshotIds: JSON.stringify(ids), maxResults: 100 });
    expect(body?.snapshots?.snapshot).toHaveLength(40);
    expect(body?.totalCount).toBe(40);
  });

  it.each([
    ["101 IDs", JSON.stringify(Array.from({ length: 101 }, (_, i) => `s-${i}`))],
    ["not JSON", "s-sim0001,s-sim0002"],
  ])("rejects SnapshotIds that are %s", async (_why, snapshotIds) => {
    expect(
      await expectApiError(
        ecs().describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: "cn-hangzhou", snapshotIds })),
      ),
    ).toMatchObject({
      code: "InvalidSnapshotIds.Malformed",
      status: 403,
    });
  });

  it("pages with MaxResults and NextToken", async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const body = await list({ maxResults: 15, nextToken });
      seen.push(...(body?.snapshots?.snapshot ?? []).map((s) => s.snapshotId as string));
      nextToken = body?.nextToken || undefined;
    } while (nextToken);
    expect(new Set(seen).size).toBe(40);
    expect(seen).toHaveLength(40);
  });

  it("pages with PageNumber and PageSize", async () => {
    const body = await list({ pageNumber: 4, pageSize: 12 });
    expect(body?.snapshots?.snapshot).toHaveLength(4);
    expect(body).toMatchObject({ pageNumber: 4, pageSize: 12, totalCount: 40 });
  });

  it.each([
    ["MaxResults 0", { maxResults: 0 }, "InvalidParameter.MaxResults"],
    ["MaxResults 101", { maxResults: 101 }, "InvalidParameter.MaxResults"],
    ["a forged NextToken", { nextToken: "bogus" }, "InvalidParameter"],
    ["an unknown region", { regionId: "xx-nowhere-1" }, "InvalidRegionId.NotFound"],
  ])("rejects %s", async (_why, req, code) => {
    expect(
      (
        await expectApiError(
          ecs().describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: "cn-hangzhou", ...req })),
        )
      ).code,
    ).toBe(code);
  });

  it("filters by Status, Encrypted, KMSKeyId, Tag and ResourceGroupId", async () => {
    const enc = await copy({
      encrypted: true,
      KMSKeyId: "alias/backup",
      tag: [tag("team", "a")],
      resourceGroupId: "rg-1",
    });
    await copy({ snapshotId: "s-sim0002", tag: [tag("team", "b")] });
    const eu = (req: Partial<$Ecs.DescribeSnapshotsRequest>) => list({ regionId: "eu-central-1", ...req });
    expect((await eu({ status: "progressing" }))?.totalCount).toBe(2);
    expect((await eu({ status: "accomplished" }))?.totalCount).toBe(0);
    expect((await eu({ encrypted: true }))?.snapshots?.snapshot?.map((s) => s.snapshotId)).toEqual([enc]);
    expect((await eu({ KMSKeyId: "key-hzz65f1cb66fa42qo0002" }))?.totalCount).toBe(1);
    expect(
      (await eu({ tag: [new $Ecs.DescribeSnapshotsRequestTag({ key: "team", value: "b" })] }))?.totalCount,
    ).toBe(1);
    expect((await eu({ resourceGroupId: "rg-1" }))?.snapshots?.snapshot?.map((s) => s.snapshotId)).toEqual([
      enc,
    ]);
  });
});

describe("DeleteSnapshot", () => {
  it("ignores a missing ID, as the API documents", async () => {
    await expect(
      ecs().deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-never-existed" })),
    ).resolves.toBeDefined();
  });

  it("refuses a snapshot that disks were created from unless Force is set", async () => {
    const disk = await ecs().createDisk(
      new $Ecs.CreateDiskRequest({
        regionId: "cn-hangzhou",
        zoneId: "cn-hangzhou-h",
        snapshotId: "s-sim0003",
      }),
    );
    expect(disk.body?.diskId).toMatch(/^d-/);
    expect((await describe1("cn-hangzhou", "s-sim0003"))?.usage).toBe("disk");
    expect(
      await expectApiError(ecs().deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-sim0003" }))),
    ).toMatchObject({ code: "SnapshotCreatedDisk", status: 403 });
    await ecs().deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-sim0003", force: true }));
    expect(await describe1("cn-hangzhou", "s-sim0003")).toBeUndefined();
  });
});

describe("ModifySnapshotAttribute", () => {
  const modify = (req: Partial<$Ecs.ModifySnapshotAttributeRequest>) =>
    ecs().modifySnapshotAttribute(
      new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: "s-sim0001", ...req }),
    );

  it("renames, re-describes and extends retention", async () => {
    await modify({ snapshotName: "renamed", description: "new words", retentionDays: 10 });
    await modify({ retentionDays: 20 });
    expect(await describe1("cn-hangzhou", "s-sim0001")).toMatchObject({
      snapshotName: "renamed",
      description: "new words",
      retentionDays: 20,
    });
  });

  it.each([
    ["shortening retention", { retentionDays: 5 }, "InvalidOperation.DecreaseRetentionDaysUnsupported", 400],
    ["retention out of range", { retentionDays: 70000 }, "InvalidRetentionDays.Malformed", 400],
    ["a bad name", { snapshotName: "_bad" }, "InvalidSnapshotName.Malformed", 400],
    ["a bad description", { description: "h" }, "InvalidDescription.Malformed", 404],
    ["nothing to change", {}, "NoAttributeToModify", 400],
    [
      "a missing snapshot",
      { snapshotId: "s-missing", snapshotName: "ok-name" },
      "InvalidSnapshotId.NotFound",
      404,
    ],
  ])("rejects %s", async (_why, req, code, status) => {
    await modify({ retentionDays: 10 });
    expect(await expectApiError(modify(req))).toMatchObject({ code, status });
  });
});

describe("tags and resource groups", () => {
  const region = "cn-hangzhou";
  const tagsOf = async (id: string) =>
    (await describe1(region, id))?.tags?.tag?.map((x) => [x.tagKey, x.tagValue]);

  it("TagResources adds or overwrites, UntagResources removes, ListTagResources lists", async () => {
    await ecs().tagResources(
      new $Ecs.TagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: ["s-sim0001", "s-sim0002"],
        tag: [
          new $Ecs.TagResourcesRequestTag({ key: "a", value: "1" }),
          new $Ecs.TagResourcesRequestTag({ key: "b", value: "2" }),
        ],
      }),
    );
    await ecs().tagResources(
      new $Ecs.TagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: ["s-sim0001"],
        tag: [new $Ecs.TagResourcesRequestTag({ key: "a", value: "9" })],
      }),
    );
    expect(await tagsOf("s-sim0001")).toEqual([
      ["a", "9"],
      ["b", "2"],
    ]);
    await ecs().untagResources(
      new $Ecs.UntagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: ["s-sim0001"],
        tagKey: ["b"],
      }),
    );
    expect(await tagsOf("s-sim0001")).toEqual([["a", "9"]]);
    const listed = await ecs().listTagResources(
      new $Ecs.ListTagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: ["s-sim0001", "s-sim0002"],
      }),
    );
    expect(
      listed.body?.tagResources?.tagResource?.map((r) => `${r.resourceId}:${r.tagKey}=${r.tagValue}`),
    ).toEqual(["s-sim0001:a=9", "s-sim0002:a=1", "s-sim0002:b=2"]);
    await ecs().untagResources(
      new $Ecs.UntagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: ["s-sim0002"],
        all: true,
      }),
    );
    expect(await tagsOf("s-sim0002")).toEqual([]);
  });

  it.each([
    ["a missing resource", { resourceId: ["s-missing"] }, "InvalidResourceId.NotFound", 404],
    ["a resource in another region", { regionId: "cn-shanghai" }, "InvalidResourceId.NotFound", 404],
    ["another resource type", { resourceType: "instance" }, "InvalidResourceType.NotFound", 404],
    [
      "a reserved tag key",
      { tag: [new $Ecs.TagResourcesRequestTag({ key: "acs:x", value: "1" })] },
      "InvalidTagKey.Malformed",
      400,
    ],
  ])("TagResources rejects %s", async (_why, over, code, status) => {
    const req = new $Ecs.TagResourcesRequest({
      regionId: region,
      resourceType: "snapshot",
      resourceId: ["s-sim0001"],
      tag: [new $Ecs.TagResourcesRequestTag({ key: "k", value: "v" })],
      ...over,
    });
    expect(await expectApiError(ecs().tagResources(req))).toMatchObject({ code, status });
  });

  it("TagResources rejects going past 20 tags on a snapshot", async () => {
    const twenty = Array.from(
      { length: 20 },
      (_, i) => new $Ecs.TagResourcesRequestTag({ key: `k${i}`, value: "v" }),
    );
    await ecs().tagResources(
      new $Ecs.TagResourcesRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: ["s-sim0001"],
        tag: twenty,
      }),
    );
    const one = new $Ecs.TagResourcesRequest({
      regionId: region,
      resourceType: "snapshot",
      resourceId: ["s-sim0001"],
      tag: [new $Ecs.TagResourcesRequestTag({ key: "extra", value: "v" })],
    });
    expect(await expectApiError(ecs().tagResources(one))).toMatchObject({
      code: "InvalidTagCount",
      status: 400,
    });
  });

  it("JoinResourceGroup moves a snapshot into a group", async () => {
    await ecs().joinResourceGroup(
      new $Ecs.JoinResourceGroupRequest({
        regionId: region,
        resourceType: "snapshot",
        resourceId: "s-sim0004",
        resourceGroupId: "rg-new",
      }),
    );
    expect((await describe1(region, "s-sim0004"))?.resourceGroupId).toBe("rg-new");
    expect(
      await expectApiError(
        ecs().joinResourceGroup(
          new $Ecs.JoinResourceGroupRequest({
            regionId: region,
            resourceType: "snapshot",
            resourceId: "s-x",
            resourceGroupId: "rg-new",
          }),
        ),
      ),
    ).toMatchObject({
      code: "InvalidResourceId.NotFound",
    });
  });
});

describe("DescribeRegions, CreateDisk, CreateSnapshot", () => {
  it("lists the seeded regions", async () => {
    const r = await ecs().describeRegions(new $Ecs.DescribeRegionsRequest({}));
    expect(r.body?.regions?.region?.map((x) => x.regionId)).toEqual(
      expect.arrayContaining([
        "cn-hangzhou",
        "cn-shanghai",
        "cn-beijing",
        "eu-central-1",
        "ap-southeast-1",
        "us-west-1",
      ]),
    );
  });

  it("creates a disk and a snapshot of it that can then be copied", async () => {
    const disk = (
      await ecs().createDisk(
        new $Ecs.CreateDiskRequest({
          regionId: "cn-beijing",
          zoneId: "cn-beijing-h",
          size: 64,
          diskName: "data",
        }),
      )
    ).body?.diskId as string;
    const snap = (
      await ecs().createSnapshot(
        new $Ecs.CreateSnapshotRequest({ diskId: disk, snapshotName: "first", retentionDays: 7 }),
      )
    ).body?.snapshotId as string;
    expect(await describe1("cn-beijing", snap)).toMatchObject({
      status: "accomplished",
      sourceDiskId: disk,
      sourceDiskSize: "64",
      retentionDays: 7,
    });
    const c = await copy({ regionId: "cn-beijing", snapshotId: snap });
    expect((await describe1("eu-central-1", c))?.sourceDiskId).toBe(disk);
  });

  it.each([
    [
      "CreateSnapshot of a missing disk",
      () => ecs().createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: "d-missing" })),
      "InvalidDiskId.NotFound",
      404,
    ],
    [
      "CreateDisk from a missing snapshot",
      () =>
        ecs().createDisk(new $Ecs.CreateDiskRequest({ regionId: "cn-hangzhou", snapshotId: "s-missing" })),
      "InvalidSnapshotId.NotFound",
      404,
    ],
    [
      "CreateDisk without size or snapshot",
      () => ecs().createDisk(new $Ecs.CreateDiskRequest({ regionId: "cn-hangzhou" })),
      "InvalidParameter",
      400,
    ],
  ])("rejects %s", async (_why, call, code, status) => {
    expect(await expectApiError(call())).toMatchObject({ code, status });
  });
});
