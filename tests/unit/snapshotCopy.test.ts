import * as pulumi from "@pulumi/pulumi";
import { SnapshotCopy } from "../../provider/snapshotCopy";

const created: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        created.push(args);
        return { id: "s-copy1", state: { ...args.inputs, snapshotId: "s-copy1", status: "accomplished" } };
      },
      call: (args) => args.inputs,
    },
    "proj",
    "dev",
  );
});

const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("SnapshotCopy, the class a user reads", () => {
  it("GIVEN a SnapshotCopy THEN its type token reads as SnapshotCopy, fixed for good", async () => {
    const copy = new SnapshotCopy("db-backup-eu", {
      sourceSnapshotId: "s-bp67acfmxazb4p1234",
      sourceRegionId: "cn-hangzhou",
      destinationRegionId: "eu-central-1",
    });
    const urn = await valueOf(copy.urn);
    expect(SnapshotCopy.typeToken).toBe("pulumi-nodejs:dynamic/alicloud:SnapshotCopy");
    expect(urn).toBe("urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud:SnapshotCopy::db-backup-eu");
    expect(created.find((r) => r.name === "db-backup-eu")?.type).toBe(SnapshotCopy.typeToken);
  });

  it("passes the inputs, its URN as resourceKey and the serialized provider AND exposes the outputs", async () => {
    const copy = new SnapshotCopy("tagged", {
      sourceSnapshotId: "s-bp67acfmxazb4p1234",
      destinationRegionId: "eu-central-1",
      tags: { team: "platform" },
    });
    expect(await valueOf(copy.snapshotId)).toBe("s-copy1");
    expect(await valueOf(copy.status)).toBe("accomplished");
    expect(await valueOf(copy.tags)).toEqual({ team: "platform" });
    const inputs = created.find((r) => r.name === "tagged")!.inputs;
    expect(inputs).toMatchObject({
      sourceSnapshotId: "s-bp67acfmxazb4p1234",
      destinationRegionId: "eu-central-1",
      resourceKey: "urn:pulumi:dev::proj::pulumi-nodejs:dynamic/alicloud:SnapshotCopy::tagged",
    });
    expect(typeof inputs.__provider).toBe("string");
  });

  it("GIVEN a SnapshotCopy THEN every documented output exists as an Output", () => {
    const copy = new SnapshotCopy("outputs", {
      sourceSnapshotId: "s-bp67acfmxazb4p1234",
      destinationRegionId: "eu-central-1",
    });
    const outputs = [
      "snapshotId",
      "status",
      "progress",
      "available",
      "encrypted",
      "kmsKeyId",
      "sourceSnapshotId",
      "sourceRegionId",
      "destinationRegionId",
      "sourceDiskId",
      "sourceDiskSize",
      "name",
      "description",
      "retentionDays",
      "tags",
      "resourceGroupId",
      "creationTime",
      "arn",
    ] as const;
    const missing = outputs.filter((k) => !pulumi.Output.isInstance(copy[k]));
    expect(missing).toEqual([]);
  });

  it("GIVEN three copies under one component THEN all register, each keyed by its URN under the component", async () => {
    // A resourceKey that depended on the parent made each child wait for its siblings (the SDK expands a
    // dependency on a component to all its children): with two or more children, nothing registered.
    const parent = new pulumi.ComponentResource("test:index:Backups", "siblings");
    const copies = ["a", "b", "c"].map(
      (n) =>
        new SnapshotCopy(
          `sibling-${n}`,
          { sourceSnapshotId: "s-bp67acfmxazb4p1234", destinationRegionId: "eu-central-1" },
          { parent },
        ),
    );
    const urns = await Promise.all(copies.map((c) => valueOf(c.urn)));
    expect(urns[2]).toBe(
      "urn:pulumi:dev::proj::test:index:Backups$pulumi-nodejs:dynamic/alicloud:SnapshotCopy::sibling-c",
    );
    expect(created.filter((r) => r.name.startsWith("sibling-")).map((r) => r.inputs.resourceKey)).toEqual(
      urns,
    );
  });
});

describe("SnapshotCopy registration: what constructing one costs", () => {
  /** Counts the stack traces formatted with at least one frame while `fn` runs (V8 calls prepareStackTrace). */
  function tracesDuring(fn: () => void): number {
    let withFrames = 0;
    const previous = Error.prepareStackTrace;
    Error.prepareStackTrace = (err, frames) => {
      if (frames.length > 0) withFrames++;
      return previous ? previous(err, frames) : String(err);
    };
    try {
      fn();
    } finally {
      Error.prepareStackTrace = previous;
    }
    return withFrames;
  }
  const construct = (name: string) =>
    new SnapshotCopy(name, { sourceSnapshotId: "s-bp67acfmxazb4p1234", destinationRegionId: "eu-central-1" });
  const saved = process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  afterEach(() => {
    if (saved === undefined) delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    else process.env.PULUMI_DEBUG_PROMISE_LEAKS = saved;
  });

  it("GIVEN no promise-leak debugging WHEN a SnapshotCopy is constructed THEN the SDK formats only its source position's trace, not one per property promise, and the stack trace limit is restored", () => {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
    const limit = Error.stackTraceLimit;

    const traces = tracesDuring(() => construct("quiet"));

    expect(traces).toBeLessThanOrEqual(1);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(created.find((r) => r.name === "quiet")).toBeUndefined(); // registered later, asynchronously
  });

  it("GIVEN PULUMI_DEBUG_PROMISE_LEAKS WHEN a SnapshotCopy is constructed THEN every property promise keeps its stack trace for the SDK's leak report", () => {
    process.env.PULUMI_DEBUG_PROMISE_LEAKS = "1";

    const traces = tracesDuring(() => construct("debugged"));

    expect(traces).toBeGreaterThan(50);
  });
});
