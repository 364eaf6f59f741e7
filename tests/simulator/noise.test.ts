import * as $Ecs from "@alicloud/ecs20140526";
import { NOISY_HINTS } from "../../simulator/models/copyTiming";
import { defaultSeed } from "../../simulator";
import { ecsClient } from "../helpers/sdk";
import { useSimulator } from "./fixture";

// The copy model's noise (CopyModel.noise): RemainTime is an estimate, progress uneven; the end stays exact.
const t = useSimulator({ copyModel: { noise: { ...NOISY_HINTS, seed: 3 } } });
const ecs = () => ecsClient(t.sim);
const MIN = 60_000;
// s-sim0040 is a 2000 GiB disk: 30 s start latency, then 1000 minutes at 2 GiB/min.
const TOTAL_S = 30 + 1000 * 60;

async function copy(): Promise<string> {
  const r = await ecs().copySnapshot(
    new $Ecs.CopySnapshotRequest({
      regionId: "cn-hangzhou",
      destinationRegionId: "eu-central-1",
      snapshotId: "s-sim0040",
      destinationSnapshotName: "noisy",
      destinationSnapshotDescription: "simulator noise test",
    }),
  );
  return r.body?.snapshotId as string;
}

async function look(id: string) {
  const r = await ecs().describeSnapshots(
    new $Ecs.DescribeSnapshotsRequest({ regionId: "eu-central-1", snapshotIds: JSON.stringify([id]) }),
  );
  return r.body?.snapshots?.snapshot?.[0];
}

/** One look a minute for the first `minutes` minutes: [true seconds left, RemainTime, progress %]. */
async function sample(minutes: number): Promise<[number, number | undefined, number][]> {
  const id = await copy();
  const out: [number, number | undefined, number][] = [];
  for (let m = 0; m < minutes; m++) {
    const s = await look(id);
    out.push([TOTAL_S - m * 60, s?.remainTime, Number.parseInt(s?.progress ?? "", 10)]);
    t.clock.advance(MIN);
  }
  return out;
}

describe("a copy under the copy model's noise", () => {
  it("GIVEN noisy hints WHEN the copy runs THEN it still ends exactly when the linear model says", async () => {
    const id = await copy();
    t.clock.advance(TOTAL_S * 1000 - 1);
    expect(await look(id)).toMatchObject({ status: "progressing", available: false });
    t.clock.advance(1);
    expect(await look(id)).toMatchObject({ status: "accomplished", progress: "100%", available: true });
  });

  it("GIVEN noisy hints WHEN RemainTime is read every minute THEN it is off by at most ±50 %, sometimes absent or 0, and sometimes goes up", async () => {
    const xs = await sample(300);
    const reported = xs.filter(([, r]) => r !== undefined && r > 0);
    for (const [left, r] of reported) {
      expect(r).toBeGreaterThanOrEqual(Math.floor(left * 0.5));
      expect(r).toBeLessThanOrEqual(Math.ceil(left * 1.5));
    }
    expect(reported.some(([left, r]) => Math.abs(r! - left) > 0.2 * left)).toBe(true);
    expect(xs.some(([, r]) => r === undefined)).toBe(true);
    expect(xs.some(([, r]) => r === 0)).toBe(true);
    const ups = xs.filter(([, r], i) => i > 0 && r !== undefined && (xs[i - 1][1] ?? Infinity) < r);
    expect(ups.length).toBeGreaterThan(0);
  });

  it("GIVEN noisy hints WHEN progress is read every minute THEN it never goes back, pauses for a while, and moves unevenly", async () => {
    const progress = (await sample(1000)).map(([, , p]) => p);
    const steps = progress.slice(1).map((p, i) => p - progress[i]);
    expect(steps.every((d) => d >= 0)).toBe(true);
    // A pause: progress above 0 that does not move for 30 minutes (one of the 12 pieces is 83 minutes long).
    const paused = progress.some((p, i) => i >= 30 && p > 0 && p === progress[i - 30]);
    expect(paused).toBe(true);
    // Uneven: over 50 minutes, the fastest stretch moves at least twice as far as the slowest moving one.
    const spans = progress
      .slice(50)
      .map((p, i) => p - progress[i])
      .filter((d) => d > 0);
    expect(Math.max(...spans)).toBeGreaterThanOrEqual(2 * Math.min(...spans));
  });

  it("GIVEN the same noise seed WHEN the same copy is made again THEN it shows the same figures (reproducible)", async () => {
    const first = await sample(20);
    t.sim.admin.reset(defaultSeed()); // a fresh world; the copy starts later but its noise is seeded by source and destination
    expect(await sample(20)).toEqual(first);
  });
});
