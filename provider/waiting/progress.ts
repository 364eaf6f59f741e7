/**
 * Progress lines for a long wait. A dynamic provider's stderr reaches `pulumi up` as diagnostics on the stack's
 * row, so every line names its resource ({@link copyLabel}).
 */
import type { Clock } from "../cloud/clock";
import type { CopyStateResult } from "../rules/copyState";
import type { CopyInputs } from "../rules/types";
import type { FailingChecks } from "./statusWatcher";

/** "SnapshotCopy <resource>: s-src -> region", the prefix of every line about one copy. */
export function copyLabel(ins: Pick<CopyInputs, "resourceKey" | "sourceSnapshotId" | "destinationRegionId">) {
  // A URN (urn:pulumi:<stack>::<project>::<type>::<name>) reads as <project>/<stack>/<name>.
  const urn = /^urn:pulumi:([^:]*)::([^:]*)::.*::([^:]*)$/.exec(ins.resourceKey ?? "");
  const who = urn ? `${urn[2]}/${urn[1]}/${urn[3]}` : (ins.resourceKey ?? ins.sourceSnapshotId);
  return `SnapshotCopy ${who}: ${ins.sourceSnapshotId} -> ${ins.destinationRegionId}`;
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
 * Progress lines for one copy: on the first observation, at every 10% step, and otherwise at most every
 * `intervalMs` while progress moves (plus a heartbeat every 10 intervals when it does not).
 */
export class ProgressReporter {
  private lastAt?: number;
  private lastProgress = -1;
  constructor(
    private readonly prefix: string,
    private readonly log: (line: string) => void,
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
    this.log(`${this.prefix} ${what}`);
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
    );
  }

  say(text: string): void {
    this.log(`${this.prefix} ${text}`);
  }
}
