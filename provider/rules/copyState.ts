/**
 * Where a copy stands, from one DescribeSnapshots entry. Pure: starting the copy and polling are elsewhere;
 * this only reads a snapshot record, so every status the API can report is a table test.
 */

/**
 * The DescribeSnapshots `Snapshot` fields this module reads. The API's JSON, which the provider passes (the SDK
 * model's `toMap()`, ../cloud/outbound.ts), spells them in PascalCase; the SDK model itself (`@alicloud/ecs20140526`
 * DescribeSnapshotsResponseBodySnapshotsSnapshot, which the table tests use) in camelCase. Both are
 * accepted, so a caller can pass either.
 */
export interface SnapshotLike {
  status?: string;
  /** A string such as "45%" (ECS API reference, DescribeSnapshots). */
  progress?: string | number;
  /** Seconds left, reported for copies in progress. */
  remainTime?: number | string;
  /** The copy can be used (to create disks, roll back...). */
  available?: boolean;
  Status?: string;
  Progress?: string | number;
  RemainTime?: number | string;
  Available?: boolean;
}

/** The state a waiter acts on. */
export type CopyState = "missing" | "progressing" | "available" | "failed";

/** Result of {@link checkCopyState}. */
export interface CopyStateResult {
  state: CopyState;
  /** Why the copy is not available yet, or why it failed; absent when available. */
  reason?: string;
  /** 0..100. */
  progress: number;
  /** Seconds left, when the API reports it. */
  remainSeconds?: number;
}

/** Parses DescribeSnapshots `Progress` ("45%", "45", 45) to a number in 0..100; anything else is 0. */
export function parseProgress(raw: unknown): number {
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number.parseFloat(raw) : NaN;
  if (!Number.isFinite(n)) return 0;
  return Math.min(100, Math.max(0, n));
}

function parseSeconds(raw: unknown): number | undefined {
  const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Classifies one snapshot record. Only `accomplished` AND `Available` counts as available (docs/design.md
 * §14: Available says the copy can be used). A `failed` copy ends the wait at once (docs/design.md §6). An
 * unrecognised Status keeps the wait going: the stall timeout still bounds it.
 */
export function checkCopyState(snapshot: SnapshotLike | undefined): CopyStateResult {
  if (!snapshot) {
    return { state: "missing", progress: 0, reason: "DescribeSnapshots does not return the copy" };
  }
  const status = snapshot.status ?? snapshot.Status;
  const progress = parseProgress(snapshot.progress ?? snapshot.Progress);
  const remainSeconds = parseSeconds(snapshot.remainTime ?? snapshot.RemainTime);
  const available = (snapshot.available ?? snapshot.Available) === true;
  const withRemain = remainSeconds === undefined ? {} : { remainSeconds };

  switch (status) {
    case "failed":
      return {
        state: "failed",
        progress,
        reason: `the copy failed (Status "failed" at ${progress}% progress)`,
      };
    case "accomplished":
      if (available) return { state: "available", progress: 100 };
      return {
        state: "progressing",
        progress: 100,
        reason: "the copy is accomplished but not yet Available",
        ...withRemain,
      };
    case "progressing":
      return { state: "progressing", progress, reason: `copying: ${progress}% done`, ...withRemain };
    default:
      return {
        state: "progressing",
        progress,
        reason: `unrecognised Status ${JSON.stringify(status)}; still waiting`,
        ...withRemain,
      };
  }
}
