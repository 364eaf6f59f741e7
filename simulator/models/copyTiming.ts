import type { CopyModel } from "../types";
import type { CopyPlan, SnapshotRec } from "./records";

/** Simulator defaults (not published by Alibaba; see README "Time and copies"): 30 s start latency, 2 GiB/min for a full copy, 10 % of the disk for an incremental one. */
export const DEFAULT_COPY_MODEL: CopyModel = {
  startLatencyMs: 30_000,
  fullGiBPerMinute: 2,
  incrementalFraction: 0.1,
};

/** Live status of a snapshot at virtual time `now`. @internal */
export interface LiveStatus {
  status: "progressing" | "accomplished" | "failed";
  percent: number;
  remainSeconds: number;
}

/** Plans a copy of `sizeGiB` starting at `now`. @internal */
export function planCopy(
  model: CopyModel,
  now: number,
  sizeGiB: number,
  incremental: boolean,
  source: { snapshotId: string; regionId: string },
): CopyPlan {
  const gib = incremental ? sizeGiB * model.incrementalFraction : sizeGiB;
  return {
    sourceSnapshotId: source.snapshotId,
    sourceRegionId: source.regionId,
    startAt: now,
    latencyMs: model.startLatencyMs,
    transferMs: Math.ceil((gib / model.fullGiBPerMinute) * 60_000),
    incremental,
  };
}

/**
 * Status of a snapshot at `now`: progress is 0 during the start latency, then linear in transferred GiB;
 * a planned failure stops it at failAtPercent. Computed at read time, never by timers.
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
  const fraction =
    elapsed <= c.latencyMs ? 0 : c.transferMs === 0 ? 1 : Math.min(1, (elapsed - c.latencyMs) / c.transferMs);
  const percent = Math.floor(fraction * 100);
  if (c.failAtPercent !== undefined && percent >= c.failAtPercent && c.failAtPercent < 100) {
    return { status: "failed", percent: c.failAtPercent, remainSeconds: 0 };
  }
  if (fraction >= 1) return { status: "accomplished", percent: 100, remainSeconds: 0 };
  return { status: "progressing", percent, remainSeconds: Math.max(0, Math.ceil((total - elapsed) / 1000)) };
}
