import { fnv1a, mulberry32 } from "../faults";
import type { CopyModel, CopyNoise } from "../types";
import type { CopyPlan, SnapshotRec } from "./records";

/** Simulator defaults (not published by Alibaba; see README "Time and copies"): 30 s start latency, 2 GiB/min for a full copy, 10 % of the disk for an incremental one. */
export const DEFAULT_COPY_MODEL: CopyModel = {
  startLatencyMs: 30_000,
  fullGiBPerMinute: 2,
  incrementalFraction: 0.1,
};

/**
 * Untidy hints, as the benchmark's "noisy" scenario uses them (see {@link CopyNoise}): RemainTime off by up to
 * ±50 %, redrawn every minute, absent in 10 % of the minutes and 0 in 5 %; progress in 12 uneven pieces, a fifth
 * of them pauses.
 */
export const NOISY_HINTS: Omit<CopyNoise, "seed"> = {
  remainError: 0.5,
  windowMs: 60_000,
  missingRate: 0.1,
  zeroRate: 0.05,
  segments: 12,
  pauseRate: 0.2,
};

/** Live status of a snapshot at virtual time `now`. @internal */
export interface LiveStatus {
  status: "progressing" | "accomplished" | "failed";
  percent: number;
  /** Seconds left as DescribeSnapshots reports them; undefined: the answer has no RemainTime. */
  remainSeconds: number | undefined;
}

/**
 * Plans a copy of `sizeGiB` starting at `now`. Its noise (if the model has any) is seeded by the source and the
 * destination, not the time, so a plan can be rebuilt later from those alone.
 * @internal
 */
export function planCopy(
  model: CopyModel,
  now: number,
  sizeGiB: number,
  incremental: boolean,
  source: { snapshotId: string; regionId: string },
  destinationRegionId = "",
): CopyPlan {
  const gib = incremental ? sizeGiB * model.incrementalFraction : sizeGiB;
  return {
    sourceSnapshotId: source.snapshotId,
    sourceRegionId: source.regionId,
    startAt: now,
    latencyMs: model.startLatencyMs,
    transferMs: Math.ceil((gib / model.fullGiBPerMinute) * 60_000),
    incremental,
    ...(model.noise
      ? {
          noise: {
            ...model.noise,
            copySeed: fnv1a(`${source.snapshotId}>${destinationRegionId}`, model.noise.seed),
          },
        }
      : {}),
  };
}

/** The k-th [0,1) draw of stream `stream` of a copy: a pure function, so status needs no stored dice. */
function draw(copySeed: number, stream: number, k: number): number {
  return mulberry32(fnv1a(`${stream}:${k}`, copySeed))();
}

/**
 * Share of the data moved after fraction `x` (0..1) of the transfer time: linear without noise; with it, the
 * transfer's equal-time pieces move uneven shares and some move nothing (pauses). Non-decreasing, 0 at 0, 1 at 1.
 */
function moved(x: number, noise: CopyPlan["noise"]): number {
  if (!noise || noise.segments < 2) return x;
  const weights = Array.from({ length: noise.segments }, (_, i): number =>
    draw(noise.copySeed, 1, i) < noise.pauseRate ? 0 : 0.25 + 1.5 * draw(noise.copySeed, 2, i),
  );
  if (!weights.some((w) => w > 0)) weights[weights.length - 1] = 1;
  const total = weights.reduce((a, b) => a + b, 0);
  const at = Math.min(x, 1) * noise.segments;
  const i = Math.min(Math.floor(at), noise.segments - 1);
  let before = 0;
  for (let j = 0; j < i; j++) before += weights[j];
  return (before + weights[i] * (at - i)) / total;
}

/** What DescribeSnapshots says is left, in seconds, when `trueMs` really is: exact, or noisy (see CopyNoise). */
function reportedRemain(trueMs: number, elapsedMs: number, noise: CopyPlan["noise"]): number | undefined {
  const exact = Math.max(0, Math.ceil(trueMs / 1000));
  if (!noise) return exact;
  const window = Math.floor(elapsedMs / noise.windowMs);
  const roll = draw(noise.copySeed, 3, window);
  if (roll < noise.missingRate) return undefined;
  if (roll < noise.missingRate + noise.zeroRate) return 0;
  const e = (2 * draw(noise.copySeed, 4, window) - 1) * noise.remainError;
  return Math.max(0, Math.round((trueMs / 1000) * (1 + e)));
}

/**
 * Status of a snapshot at `now`: progress is 0 during the start latency, then follows the transferred data
 * (linear, or uneven under the model's noise); a planned failure stops it at failAtPercent. Computed at read
 * time, never by timers. The copy ends at start + latency + transfer whatever the noise.
 * @internal
 */
export function liveStatus(s: SnapshotRec, now: number): LiveStatus {
  if (!s.copy) {
    return s.stuck
      ? { status: "progressing", percent: 0, remainSeconds: 0 }
      : { status: "accomplished", percent: 100, remainSeconds: 0 };
  }
  const c = s.copy;
  const elapsed = now - c.startAt;
  const total = c.latencyMs + c.transferMs;
  const x =
    elapsed <= c.latencyMs ? 0 : c.transferMs === 0 ? 1 : Math.min(1, (elapsed - c.latencyMs) / c.transferMs);
  const fraction = x >= 1 ? 1 : moved(x, c.noise);
  const percent = Math.min(99, Math.floor(fraction * 100));
  if (c.failAtPercent !== undefined && percent >= c.failAtPercent && c.failAtPercent < 100) {
    return { status: "failed", percent: c.failAtPercent, remainSeconds: 0 };
  }
  if (x >= 1) return { status: "accomplished", percent: 100, remainSeconds: 0 };
  return { status: "progressing", percent, remainSeconds: reportedRemain(total - elapsed, elapsed, c.noise) };
}
