/**
 * The benchmark's scenarios: N copies from cn-hangzhou to two destination regions, copy durations
 * spread from 2 minutes to 6 hours, some copies starting late, one failing halfway.
 *
 * Durations are log-uniform (many small disks, a few big ones) and stratified, so every N covers the whole
 * spread; a disk's size is chosen so that its full copy takes that long under the simulator's copy model
 * (start latency + size / GiB per minute). Everything derives from a fixed PRNG seed: runs are repeatable.
 */
import { DEFAULT_COPY_MODEL, NOISY_HINTS, planCopy, liveStatus } from "../../simulator/models/copyTiming";
import type { SnapshotRec } from "../../simulator/models/records";
import type { CopyModel, Faults, Seed } from "../../simulator/types";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../simulator/seed";
import { mulberry32 } from "../../simulator/faults";

export const SOURCE_REGION = "cn-hangzhou";
/**
 * Virtual time between the last create returning and the refresh (so their calls are counted apart). Here, not in
 * ./peers: the provider's bench process imports it, and ./peers loads the ECS SDK, which would sit in its RSS.
 */
export const REFRESH_GAP_MS = 10 * 60_000;
export const REGIONS = ["eu-central-1", "cn-shanghai"];
/** Fixed start so runs are comparable. */
export const START = Date.parse("2025-03-01T00:00:00Z");
/**
 * The simulator's default model, except a throughput that does not divide 5 s evenly: with 2 GiB/min every
 * copy would take a whole number of 30 s steps and a 5-second poll started with the copy would land exactly on
 * its end, which no real copy does.
 */
export const COPY_MODEL: CopyModel = { ...DEFAULT_COPY_MODEL, fullGiBPerMinute: 1.9 };

/**
 * How honest the copies' hints are. "exact": the simulator's linear progress and exact RemainTime (flatters any
 * strategy that trusts RemainTime). "noisy": RemainTime off by up to ±50 %, sometimes absent or 0, sometimes
 * going up; progress uneven with pauses (the simulator's NOISY_HINTS). Copies end at the same times in both.
 */
export const HINTS = ["exact", "noisy"] as const;
export type Hints = (typeof HINTS)[number];

/** The copy model of a scenario. */
export function copyModel(hints: Hints): CopyModel {
  return hints === "exact" ? COPY_MODEL : { ...COPY_MODEL, noise: { ...NOISY_HINTS, seed: 17 } };
}

const MIN_DURATION_S = 120;
const MAX_DURATION_S = 6 * 3600;
/** One copy in five starts late, by up to this much. */
const MAX_LATE_S = 30 * 60;

export interface CopySpec {
  index: number;
  /** Resource name; also the provider's resourceKey suffix. */
  name: string;
  diskId: string;
  sourceSnapshotId: string;
  sizeGiB: number;
  destinationRegionId: string;
  /** Virtual ms after the run starts that this copy's create begins. */
  startDelayMs: number;
  /** This copy fails halfway (Faults.failCopies, atPercent 50). */
  fails: boolean;
}

export interface Scenario {
  n: number;
  hints: Hints;
  copyModel: CopyModel;
  copies: CopySpec[];
  seed: Seed;
  faults: Partial<Faults>;
}

/** Deterministic [0,1) source: the simulator's seeded fault dice. */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

const pad = (i: number) => String(i).padStart(4, "0");

/** The scenario for N copies. N = 1 has no failing copy (its one copy is the one measured). */
export function scenario(n: number, hints: Hints = "exact"): Scenario {
  const random = seededRandom(5 * n + 1);
  // Stratified log-uniform durations, in shuffled order so regions and late starts get a mix.
  const ranks = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [ranks[i], ranks[j]] = [ranks[j], ranks[i]];
  }
  const lo = Math.log(MIN_DURATION_S);
  const hi = Math.log(MAX_DURATION_S);
  const copies: CopySpec[] = ranks.map((rank, i) => {
    const durationS = Math.exp(lo + ((rank + 0.5) / n) * (hi - lo));
    const transferS = durationS - COPY_MODEL.startLatencyMs / 1000;
    const sizeGiB = Math.max(1, Math.round((transferS / 60) * COPY_MODEL.fullGiBPerMinute));
    const late = n > 1 && i % 5 === 4;
    return {
      index: i,
      name: `copy-${pad(i)}`,
      diskId: `d-bench${pad(i)}`,
      sourceSnapshotId: `s-bench${pad(i)}`,
      sizeGiB,
      destinationRegionId: REGIONS[i % REGIONS.length],
      startDelayMs: late ? Math.round(60 + random() * (MAX_LATE_S - 60)) * 1000 : 0,
      fails: false,
    };
  });
  if (n > 1) {
    // The median-sized copy among those starting on time fails halfway.
    const onTime = copies.filter((c) => c.startDelayMs === 0).sort((a, b) => a.sizeGiB - b.sizeGiB);
    onTime[Math.floor(onTime.length / 2)].fails = true;
  }
  const seed: Seed = {
    accounts: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }],
    regions: [SOURCE_REGION, ...REGIONS],
    disks: copies.map((c) => ({ diskId: c.diskId, regionId: SOURCE_REGION, sizeGiB: c.sizeGiB })),
    snapshots: copies.map((c) => ({
      snapshotId: c.sourceSnapshotId,
      regionId: SOURCE_REGION,
      diskId: c.diskId,
    })),
  };
  const faults: Partial<Faults> = {
    failCopies: copies
      .filter((c) => c.fails)
      .map((c) => ({
        sourceSnapshotId: c.sourceSnapshotId,
        destinationRegionId: c.destinationRegionId,
        atPercent: 50,
        reason: "bench: copy fails halfway",
      })),
  };
  return { n, hints, copyModel: copyModel(hints), copies, seed, faults };
}

/**
 * When a copy became accomplished (or failed), computed with the simulator's own timing functions from its
 * plan. `rec` comes from the simulator's state dump; a copy deleted since (a provider cancels a failed copy)
 * is re-planned from the time CopySnapshot ran.
 */
export function settledAt(
  rec: Pick<SnapshotRec, "copy"> | undefined,
  fallback: { startedAt: number; spec: CopySpec; model: CopyModel },
): { state: "accomplished" | "failed"; at: number } {
  const copy =
    rec?.copy ??
    planCopy(
      fallback.model,
      fallback.startedAt,
      fallback.spec.sizeGiB,
      false,
      { snapshotId: fallback.spec.sourceSnapshotId, regionId: SOURCE_REGION },
      fallback.spec.destinationRegionId,
    );
  if (!rec?.copy && fallback.spec.fails) copy.failAtPercent = 50;
  const s = { copy } as SnapshotRec;
  const end = copy.startAt + copy.latencyMs + copy.transferMs;
  const final = liveStatus(s, end).status;
  if (final === "progressing") throw new Error("copy never settles");
  // Status is monotonic in time: binary-search the first millisecond it shows the final state.
  let lo = copy.startAt;
  let hi = end;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (liveStatus(s, mid).status === final) hi = mid;
    else lo = mid + 1;
  }
  return { state: final, at: lo };
}
