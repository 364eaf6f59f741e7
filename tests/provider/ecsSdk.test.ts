/**
 * The seam's ECS calls go through `@alicloud/ecs20140526` (provider/cloud/outbound.ts). GIVEN its client and
 * models, THEN what the rest of the provider relies on holds: answers in the API's spelling and types, RegionId on
 * every request, the per-request read timeout, and every error normalised to one AlibabaApiError with the API's
 * Code, HTTP status, RequestId and the server's `x-acs-retry-after`.
 *
 * API errors come from the simulator (its codes and statuses are the ECS API reference's); the loosely typed
 * answer, the retry-after header and the silent server come from a small stub server, because they are what the
 * simulator does not do.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { startSimulator, type Simulator } from "../../simulator";
import { Outbound } from "../../provider/cloud/outbound";
import { AlibabaApiError } from "../../provider/cloud/apiError";
import { resolveConfig } from "../../provider/cloud/config";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../simulator";

/** The seam against `endpoint`, configured as a stack would configure it. */
function outbound(endpoint: string, readTimeoutMs = 30_000): Outbound {
  const stack: Record<string, string> = {
    "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID,
    "alicloud:secretKey": DEFAULT_ACCESS_KEY_SECRET,
    "snapshotCopy:ecsEndpoint": endpoint,
  };
  return new Outbound(
    resolveConfig((k) => stack[k], {}),
    {
      clock: { now: () => Date.now(), sleep: async () => {} },
      random: () => 0.5,
      readTimeoutMs,
    },
  );
}

describe("ECS answers and errors through the SDK, against the simulator", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());

  test("GIVEN a snapshot that does not exist WHEN it is modified THEN the error carries the API's Code, HTTP 404 and the RequestId", async () => {
    const err = await outbound(sim.endpoint)
      .modifySnapshotAttribute("eu-central-1", "s-doesnotexist", { name: "x" }, { retries: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlibabaApiError);
    expect(err).toMatchObject({
      code: "InvalidSnapshotId.NotFound",
      httpStatus: 404,
      action: "ModifySnapshotAttribute",
      region: "eu-central-1",
      retryable: false,
    });
    expect((err as AlibabaApiError).requestId).toMatch(/^[0-9A-F-]{36}$/);
  });

  test("GIVEN the API throttles WHEN DescribeSnapshots is called THEN the error is Throttling.User, HTTP 400, retryable", async () => {
    sim.admin.setFaults({ rules: [{ kind: "throttle", action: "DescribeSnapshots", rate: 1, times: 1 }] });
    const err = await outbound(sim.endpoint)
      .describeSnapshots("eu-central-1", ["s-sim0001"], { retries: false })
      .catch((e: unknown) => e);
    sim.admin.clearFaults();
    expect(err).toMatchObject({ code: "Throttling.User", httpStatus: 400, retryable: true });
  });

  test("GIVEN a copy in another region WHEN the seam copies, tags and reads it THEN it reads the API's field names and types", async () => {
    const o = outbound(sim.endpoint);
    const id = await o.copySnapshot({
      sourceRegionId: "cn-hangzhou",
      sourceSnapshotId: "s-sim0001",
      destinationRegionId: "eu-central-1",
      clientToken: "sc-ecssdk-read",
      name: "read-back",
      description: "read back through the SDK's models",
      retentionDays: 7,
      tags: { team: "platform" },
    });
    const [copy] = await o.describeSnapshots("eu-central-1", [id]);
    expect(copy).toMatchObject({
      SnapshotId: id,
      SnapshotName: "read-back",
      RetentionDays: 7,
      Available: expect.any(Boolean),
      Tags: { Tag: expect.arrayContaining([{ TagKey: "team", TagValue: "platform" }]) },
    });
    expect(await o.describeSnapshotsTaggedPage("eu-central-1", { key: "team", value: "platform" })).toEqual({
      snapshots: [copy],
      nextToken: undefined,
    });
    // The key alone (Tag.1.Key without a value) matches the tag whatever its value.
    const byKey = await o.describeSnapshotsTaggedPage("eu-central-1", { key: "team" });
    expect(byKey.snapshots.map((s) => s.SnapshotId)).toContain(id);
    expect(
      (await o.describeSnapshotsTaggedPage("eu-central-1", { key: "team", value: "other" })).snapshots,
    ).toEqual([]);
  });
});

interface Recorded {
  url: URL;
  action: string;
}

describe("ECS through the SDK, against a stub server", () => {
  let server: http.Server;
  let endpoint: string;
  const recorded: Recorded[] = [];
  /** What the stub answers next: status, headers and body; `silent` never answers. */
  let next: { status?: number; headers?: Record<string, string>; body?: object; silent?: boolean } = {};

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        recorded.push({
          url: new URL(req.url ?? "/", "http://stub"),
          action: String(req.headers["x-acs-action"]),
        });
        if (next.silent) return;
        res.writeHead(next.status ?? 200, { "content-type": "application/json", ...next.headers });
        res.end(JSON.stringify(next.body ?? { RequestId: "R-STUB" }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    recorded.length = 0;
    next = {};
  });

  test("GIVEN an answer that spells booleans and integers as strings THEN the snapshot reads as the model types it", async () => {
    next.body = {
      RequestId: "R-1",
      Snapshots: {
        Snapshot: [
          {
            SnapshotId: "s-1",
            Available: "false",
            Encrypted: "true",
            RetentionDays: "7",
            RemainTime: "120",
            Tags: { Tag: [{ TagKey: "team", TagValue: "platform" }] },
          },
        ],
      },
    };
    const [s] = await outbound(endpoint).describeSnapshots("eu-central-1", ["s-1"]);
    expect(s).toMatchObject({
      SnapshotId: "s-1",
      Available: false,
      Encrypted: true,
      RetentionDays: 7,
      RemainTime: 120,
      Tags: { Tag: [{ TagKey: "team", TagValue: "platform" }] },
    });
  });

  test("GIVEN an answer with fields the provider never reads WHEN snapshots are described THEN each keeps only the fields it reads, in the API's names", async () => {
    next.body = {
      RequestId: "R-5",
      Snapshots: {
        Snapshot: [
          {
            SnapshotId: "s-1",
            Status: "progressing",
            Progress: "42%",
            SourceDiskSize: "40",
            Category: "standard",
            SnapshotSN: "64472-116742336-61976429",
            LastModifiedTime: "2026-12-01T00:00:00Z",
            Tags: { Tag: [{ TagKey: "team", TagValue: "platform" }] },
          },
        ],
      },
    };
    const [s] = await outbound(endpoint).describeSnapshots("eu-central-1", ["s-1"]);
    expect(s).toEqual({
      SnapshotId: "s-1",
      Status: "progressing",
      Progress: "42%",
      SourceDiskSize: "40",
      Tags: { Tag: [{ TagKey: "team", TagValue: "platform" }] },
    });
    expect(s).not.toHaveProperty("Category");
    expect(s).not.toHaveProperty("SnapshotSN");
    expect(s).not.toHaveProperty("LastModifiedTime");
  });

  test("GIVEN one endpoint for every region WHEN each action is called THEN every request names its region in RegionId", async () => {
    const o = outbound(endpoint);
    next.body = { RequestId: "R-2", SnapshotId: "s-copy" };
    await o.copySnapshot({
      sourceRegionId: "cn-hangzhou",
      sourceSnapshotId: "s-1",
      destinationRegionId: "eu-central-1",
      clientToken: "t",
    });
    next.body = { RequestId: "R-3" };
    await o.deleteSnapshot("eu-central-1", "s-1", true);
    await o.modifySnapshotAttribute("eu-central-1", "s-1", { name: "n" });
    await o.tagResources("eu-central-1", "s-1", { a: "b" });
    await o.untagResources("eu-central-1", "s-1", ["a"]);
    await o.joinResourceGroup("eu-central-1", "s-1", "rg-1");
    await o.disksCreatedFrom("eu-central-1", "s-1");
    expect(recorded.map((r) => [r.action, r.url.searchParams.get("RegionId")])).toEqual([
      ["CopySnapshot", "cn-hangzhou"],
      ["DeleteSnapshot", "eu-central-1"],
      ["ModifySnapshotAttribute", "eu-central-1"],
      ["TagResources", "eu-central-1"],
      ["UntagResources", "eu-central-1"],
      ["JoinResourceGroup", "eu-central-1"],
      ["DescribeDisks", "eu-central-1"],
    ]);
  });

  test("GIVEN a throttling answer with x-acs-retry-after THEN the error keeps the server's wait as retryAfterMs", async () => {
    next = {
      status: 400,
      headers: { "x-acs-retry-after": "7000" },
      body: {
        Code: "Throttling.User",
        Message: "Request was denied due to user flow control.",
        RequestId: "R-4",
      },
    };
    const err = await outbound(endpoint)
      .describeSnapshots("eu-central-1", ["s-1"], { retries: false })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: "Throttling.User",
      httpStatus: 400,
      requestId: "R-4",
      retryAfterMs: 7000,
      retryable: true,
    });
  });

  test("GIVEN a server that never answers WHEN the read timeout passes THEN the call fails as a retryable timeout", async () => {
    next.silent = true;
    const started = Date.now();
    const err = await outbound(endpoint, 300)
      .describeSnapshots("eu-central-1", ["s-1"], { retries: false })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlibabaApiError);
    expect(err).toMatchObject({ retryable: true, timeout: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
