import * as $Ecs from "@alicloud/ecs20140526";
import { setTimeout as sleep } from "node:timers/promises";
import { apiError, ecsClient, expectApiError } from "../helpers/sdk";
import { useSimulator } from "./fixture";

const t = useSimulator();
const ecs = () => ecsClient(t.sim);
const describeIn = (regionId: string, ids?: string[]) =>
  ecs().describeSnapshots(
    new $Ecs.DescribeSnapshotsRequest({ regionId, snapshotIds: ids && JSON.stringify(ids) }),
  );
const copyReq = (snapshotId = "s-sim0001") =>
  new $Ecs.CopySnapshotRequest({
    regionId: "cn-hangzhou",
    destinationRegionId: "eu-central-1",
    snapshotId,
    destinationSnapshotName: "sim-copy",
    destinationSnapshotDescription: "simulator test copy",
  });

describe("per-call faults", () => {
  it.each([
    ["throttle", "Throttling.User", 400],
    ["unavailable", "ServiceUnavailable", 503],
    ["internal", "InternalError", 500],
    ["tokenExpired", "InvalidSecurityToken.Expired", 400],
  ] as const)("%s answers %s (%d) for the chosen action and region only", async (kind, code, status) => {
    t.sim.admin.setFaults({ rules: [{ kind, action: "DescribeSnapshots", region: "cn-hangzhou", rate: 1 }] });
    expect(await expectApiError(describeIn("cn-hangzhou"))).toMatchObject({ code, status });
    await expect(describeIn("eu-central-1")).resolves.toBeDefined();
    await expect(ecs().describeRegions(new $Ecs.DescribeRegionsRequest({}))).resolves.toBeDefined();
    expect(t.sim.admin.count({ action: "DescribeSnapshots", region: "cn-hangzhou", status })).toBe(1);
  });

  it("evaluates faults before the action: a throttled CopySnapshot creates nothing", async () => {
    t.sim.admin.setFaults({ rules: [{ kind: "throttle", action: "CopySnapshot", rate: 1 }] });
    expect((await expectApiError(ecs().copySnapshot(copyReq()))).code).toBe("Throttling.User");
    expect(t.sim.admin.snapshots("eu-central-1")).toHaveLength(0);
  });

  it("stops firing after `times`, and rate 0 never fires", async () => {
    t.sim.admin.setFaults({
      rules: [
        { kind: "unavailable", rate: 0 },
        { kind: "throttle", rate: 1, times: 2 },
      ],
    });
    await expectApiError(describeIn("cn-hangzhou"));
    await expectApiError(describeIn("cn-hangzhou"));
    await expect(describeIn("cn-hangzhou")).resolves.toBeDefined();
    expect(t.sim.admin.count({ status: 503 })).toBe(0);
  });

  it("adds real latency: the call is still in flight while the delay runs", async () => {
    t.sim.admin.setFaults({
      rules: [{ kind: "latency", action: "DescribeRegions", rate: 1, latencyMs: 400 }],
    });
    let done = false;
    const call = ecs()
      .describeRegions(new $Ecs.DescribeRegionsRequest({}))
      .then(() => (done = true));
    await sleep(100);
    expect(t.sim.inFlight()).toBe(1);
    expect(done).toBe(false);
    await call;
    expect(done).toBe(true);
  });

  it("resets the connection without an answer, counted with status 0", async () => {
    t.sim.admin.setFaults({ rules: [{ kind: "reset", action: "DescribeSnapshots", rate: 1, times: 1 }] });
    const err = await describeIn("cn-hangzhou").catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe("ECONNRESET"); // the V3 SDK surfaces "socket hang up"
    expect(apiError(err).status).toBe(0);
    expect(t.sim.admin.count({ action: "DescribeSnapshots", status: 0 })).toBe(1);
    await expect(describeIn("cn-hangzhou")).resolves.toBeDefined();
  });

  it("clearFaults removes every fault", async () => {
    t.sim.admin.setFaults({ rules: [{ kind: "throttle", rate: 1 }], invisibleForMs: 1000 });
    t.sim.admin.clearFaults();
    await expect(describeIn("cn-hangzhou")).resolves.toBeDefined();
  });
});

describe("seeded faults", () => {
  /** A storm of every error kind: about half the calls fail, so a pattern has many switches. */
  const STORM = [
    { kind: "throttle" as const, rate: 0.25 },
    { kind: "unavailable" as const, rate: 0.15 },
    { kind: "internal" as const, rate: 0.1 },
    { kind: "reset" as const, rate: 0.1 },
  ];
  /** What the real SDK client sees for each of `n` DescribeSnapshots calls: "ok" or the error Code. */
  const pattern = async (n: number, between?: () => Promise<unknown>): Promise<string[]> => {
    const seen: string[] = [];
    for (let i = 0; i < n; i++) {
      seen.push(
        await describeIn("cn-hangzhou").then(
          () => "ok",
          (e: unknown) => apiError(e).code,
        ),
      );
      await between?.().catch(() => undefined);
    }
    return seen;
  };

  it("GIVEN the same seed and the same calls THEN the same calls fail, with the same codes", async () => {
    t.sim.admin.setFaults({ rules: STORM, seed: 5 });
    const first = await pattern(40);
    t.sim.admin.setFaults({ seed: 5 }); // setting the seed again restarts the dice
    expect(await pattern(40)).toEqual(first);
    // The seed drives a real mix, not all-ok or all-failed (seed 5 meets every kind within 40 calls).
    expect(new Set(first)).toEqual(
      new Set(["ok", "Throttling.User", "ServiceUnavailable", "InternalError", "ECONNRESET"]),
    );
  });

  it("GIVEN another seed THEN another pattern", async () => {
    t.sim.admin.setFaults({ rules: STORM, seed: 7 });
    const seven = await pattern(40);
    t.sim.admin.setFaults({ seed: 8 });
    expect(await pattern(40)).not.toEqual(seven);
  });

  it("GIVEN calls of other actions in between THEN an action's pattern does not change (one dice stream per action and region)", async () => {
    t.sim.admin.setFaults({ rules: STORM, seed: 11 });
    const alone = await pattern(30);
    t.sim.admin.setFaults({ seed: 11 });
    const regions = () => ecs().describeRegions(new $Ecs.DescribeRegionsRequest({}));
    expect(await pattern(30, regions)).toEqual(alone);
    expect(t.sim.admin.count({ action: "DescribeRegions" })).toBe(30); // they really were dealt dice too
    expect(t.sim.admin.count({ action: "DescribeRegions", status: 200 })).toBeLessThan(30);
  });

  it("takes the seed over HTTP (PUT /__sim/faults) and reproduces the programmatic pattern", async () => {
    t.sim.admin.setFaults({ rules: STORM, seed: 3 });
    const programmatic = await pattern(30);
    t.sim.admin.clearFaults();
    const res = await fetch(`${t.sim.endpoint}/__sim/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ rules: STORM, seed: 3 }),
    });
    expect(await res.json()).toMatchObject({ seed: 3 });
    expect(await pattern(30)).toEqual(programmatic);
    // null goes back to Math.random: the answer no longer carries a seed.
    const unseeded = await fetch(`${t.sim.endpoint}/__sim/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ seed: null }),
    });
    expect(await unseeded.json()).not.toHaveProperty("seed");
  });

  it("rejects a seed that is not a number (HTTP 400)", async () => {
    const res = await fetch(`${t.sim.endpoint}/__sim/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ seed: "seven" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.stringMatching(/seed/) });
  });
});

describe("copy faults", () => {
  it("GIVEN failCopies for one source WHEN its copy reaches atPercent THEN it ends failed; other copies finish", async () => {
    t.sim.admin.setFaults({ failCopies: [{ sourceSnapshotId: "s-sim0001", atPercent: 30 }] });
    const bad = (await ecs().copySnapshot(copyReq("s-sim0001"))).body?.snapshotId as string;
    const good = (await ecs().copySnapshot(copyReq("s-sim0002"))).body?.snapshotId as string;
    t.clock.advance(30_000 + 4 * 60_000); // 20 GiB disk: 4 of 10 minutes of transfer = 40 %.
    const byId = async (id: string) =>
      (await describeIn("eu-central-1", [id])).body?.snapshots?.snapshot?.[0];
    expect(await byId(bad)).toMatchObject({
      status: "failed",
      progress: "30%",
      available: false,
      remainTime: 0,
    });
    t.clock.advance(24 * 60 * 60_000);
    expect(await byId(bad)).toMatchObject({ status: "failed" });
    expect(await byId(good)).toMatchObject({ status: "accomplished", available: true });
    // A failed copy does not block a new copy of the disk.
    await expect(ecs().copySnapshot(copyReq("s-sim0001"))).resolves.toBeDefined();
  });

  it("applies failCopies set while a copy is already running (default 50 %)", async () => {
    const id = (await ecs().copySnapshot(copyReq())).body?.snapshotId as string;
    t.sim.admin.setFaults({ failCopies: [{ destinationRegionId: "eu-central-1" }] });
    t.clock.advance(60 * 60_000);
    expect((await describeIn("eu-central-1", [id])).body?.snapshots?.snapshot?.[0]).toMatchObject({
      status: "failed",
      progress: "50%",
    });
  });

  it("hides a new copy from DescribeSnapshots for invisibleForMs (eventual consistency)", async () => {
    t.sim.admin.setFaults({ invisibleForMs: 5_000 });
    const id = (await ecs().copySnapshot(copyReq())).body?.snapshotId as string;
    expect((await describeIn("eu-central-1", [id])).body?.snapshots?.snapshot).toHaveLength(0);
    expect(t.sim.admin.snapshots("eu-central-1").map((s) => s.SnapshotId)).toEqual([id]);
    t.clock.advance(5_000);
    expect((await describeIn("eu-central-1", [id])).body?.snapshots?.snapshot).toHaveLength(1);
  });
});

describe("counters", () => {
  it("counts calls per action, region and status, and resets", async () => {
    t.sim.admin.resetCounters();
    await describeIn("cn-hangzhou");
    await describeIn("cn-hangzhou");
    await expectApiError(ecs().copySnapshot(copyReq("s-missing")));
    expect(t.sim.admin.counters()).toEqual(
      expect.arrayContaining([
        { action: "DescribeSnapshots", region: "cn-hangzhou", status: 200, count: 2 },
        { action: "CopySnapshot", region: "cn-hangzhou", status: 403, count: 1 },
      ]),
    );
    expect(t.sim.admin.count({ region: "cn-hangzhou" })).toBe(3);
    t.sim.admin.resetCounters();
    expect(t.sim.admin.count()).toBe(0);
  });
});
