/**
 * Progress lines for a long wait, said through a {@link ResourceLog}: the provider process sends them to the
 * engine for the resource's own row (../lifecycle/engineLog.ts), or, without an engine, to stderr, which
 * `pulumi up` shows on the stack's row; there each line names its resource ({@link copyLabel}).
 */
import type { Clock } from "../cloud/clock";
import type { CopyStateResult } from "../rules/copyState";
import type { CopyInputs } from "../rules/types";
import type { FailingChecks } from "./statusWatcher";

/**
 * Where one resource's lines go. `ephemeral`: live status that the next line replaces (progress, time left,
 * failing checks); otherwise a message kept in the log (what was started, the outcome). The text does not name
 * the resource: the log knows which resource it is for.
 */
export type ResourceLog = (text: string, ephemeral: boolean) => void;

/** The inputs that name a copy in its lines. */
export type Named = Pick<CopyInputs, "resourceKey" | "sourceSnapshotId" | "destinationRegionId">;

/** "SnapshotCopy <project>/<stack>/<name>", how a line with no row of its own names its resource. */
export function copyName(ins: Named): string {
  // A URN (urn:pulumi:<stack>::<project>::<type>::<name>) reads as <project>/<stack>/<name>.
  const urn = /^urn:pulumi:([^:]*)::([^:]*)::.*::([^:]*)$/.exec(ins.resourceKey ?? "");
  return `SnapshotCopy ${urn ? `${urn[2]}/${urn[1]}/${urn[3]}` : (ins.resourceKey ?? ins.sourceSnapshotId)}`;
}

/** "s-src -> region", what every line about one copy starts with. */
export function copyRoute(ins: Named): string {
  return `${ins.sourceSnapshotId} -> ${ins.destinationRegionId}`;
}

/** "SnapshotCopy <resource>: s-src -> region", the prefix of error messages about one copy. */
export function copyLabel(ins: Named): string {
  return `${copyName(ins)}: ${copyRoute(ins)}`;
}

/** " (about 12 min left)", " (about 2 h 5 min left)", " (less than a minute left)". */
function remaining(seconds: number | undefined): string {
  if (seconds === undefined) return "";
  if (seconds < 60) return " (less than a minute left)";
  const min = Math.round(seconds / 60);
  if (min < 60) return ` (about ${min} min left)`;
  return ` (about ${Math.floor(min / 60)} h ${min % 60} min left)`;
}

/**
 * Progress lines for one copy (`prefix`: {@link copyRoute}): on the first observation, at every 10% step, and
 * otherwise at most every `intervalMs` while progress moves (plus a heartbeat every 10 intervals when it does not).
 */
export class ProgressReporter {
  private lastAt?: number;
  private lastProgress = -1;
  constructor(
    private readonly prefix: string,
    private readonly log: ResourceLog,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** A reporter that says nothing (waits whose caller reports on its own). */
  static quiet(clock: Clock): ProgressReporter {
    return new ProgressReporter("", () => undefined, clock, Infinity);
  }

  report(st: CopyStateResult): void {
    const now = this.clock.now();
    const p = Math.floor(st.progress);
    const first = this.lastAt === undefined;
    const step = Math.floor(p / 10) > Math.floor(this.lastProgress / 10);
    const since = first ? Infinity : now - this.lastAt!;
    const moved = p !== this.lastProgress;
    if (!(first || step || (moved && since >= this.intervalMs) || since >= 10 * this.intervalMs)) return;
    this.lastAt = now;
    this.lastProgress = p;
    const what =
      st.state === "missing" ? "waiting for the copy to appear" : `${p}%${remaining(st.remainSeconds)}`;
    this.log(`${this.prefix} ${what}`, true);
  }

  private failingAt?: number;

  /**
   * A run of failing status checks: what fails, since when, and when the next look is. Said on the first
   * failure of a run, then at most every `intervalMs` (the checks may fail every few seconds).
   */
  failing(f: FailingChecks, nextInMs: number): void {
    const now = this.clock.now();
    const newRun = this.failingAt === undefined || this.failingAt < f.since;
    if (!newRun && now - this.failingAt! < this.intervalMs) return;
    this.failingAt = now;
    const why = f.error instanceof Error ? f.error.message : String(f.error);
    const since = new Date(f.since).toISOString();
    const next = Math.max(1, Math.round(nextInMs / 1000));
    this.log(
      `${this.prefix} status checks failing since ${since} (${f.count} failed): ${why}; next look in about ${next}s`,
      true,
    );
  }

  /** Live status that the next line replaces ("waiting for DescribeSnapshots to show it"). */
  status(text: string): void {
    this.log(`${this.prefix} ${text}`, true);
  }

  /** A message kept in the log: what was started, resumed, or how the wait ended. */
  say(text: string): void {
    this.log(`${this.prefix} ${text}`, false);
  }
}
