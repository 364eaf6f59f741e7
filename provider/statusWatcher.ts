/**
 * Coalesced status checks (design §4 "Many copies", issue 3 "Waiting").
 *
 * Every copy being waited on in this provider process registers here instead of polling on its own. Each
 * destination region has one loop; a loop tick makes ONE DescribeSnapshots call per 100 registered IDs
 * (SnapshotIds takes a JSON array of at most 100 — ECS API reference), and every waiter due at that tick
 * gets the same observation. API calls therefore grow with regions and time, not with the number of copies.
 *
 * Scheduling: waiters say when they want their next look (the generic waiter's backoff, or a RemainTime
 * hint). A region ticks at the earliest due time, but at most once per `tickMs`, and each tick serves every
 * waiter due before the next possible tick — so N copies cost at most one call per `tickMs` per region, and
 * requests arriving together (waking from idle, after `batchMs`) share the first call. A per-region call budget (a sliding minute) keeps polling
 * well inside the account's API quota (design §7: about 1000 calls a minute per account and region).
 * @internal
 */
import type { ApiSnapshot } from "./outbound";
import type { Clock } from "./retry";

/** What the watcher needs. @internal */
export interface StatusWatcherDeps {
  /** One DescribeSnapshots call (≤ 100 IDs) in `region`, retries included. */
  describe(region: string, ids: string[]): Promise<ApiSnapshot[]>;
  clock: Clock;
  /** Per-region DescribeSnapshots budget per sliding minute. @default 100 */
  callsPerMinute?: number;
  /** Shortest time between two ticks of one region; a tick serves every waiter due before the next. @default 10_000 */
  tickMs?: number;
  /** Waking from idle, how long to gather waiters before the first call. @default 200 */
  batchMs?: number;
}

/** One tick of one region's loop, for tests and benchmarks. @internal */
export interface TickRecord {
  region: string;
  /** Clock time of the tick. */
  at: number;
  /** Distinct snapshot IDs looked at. */
  ids: number;
  /** DescribeSnapshots calls made (one per 100 IDs). */
  calls: number;
}

interface Waiter {
  id: string;
  dueAt: number;
  resolve: (s: ApiSnapshot | undefined) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const MAX_IDS_PER_CALL = 100;
const MINUTE = 60_000;

class RegionLoop {
  private waiters: Waiter[] = [];
  private running = false;
  private wakeTarget = Infinity;
  private wake?: AbortController;
  private readonly callTimes: number[] = [];
  private lastTick = -Infinity;
  private batchUntil?: number;

  constructor(
    private readonly region: string,
    private readonly deps: StatusWatcherDeps,
    private readonly record: (t: TickRecord) => void,
  ) {}

  add(w: Waiter): void {
    this.waiters.push(w);
    if (!this.running) {
      this.running = true;
      void this.run();
    } else if (w.dueAt < this.wakeTarget) {
      this.wake?.abort();
    }
  }

  remove(w: Waiter): void {
    this.waiters = this.waiters.filter((x) => x !== w);
  }

  private spacing(): number {
    return this.deps.tickMs ?? 10_000;
  }

  /** Earliest time a call may start under the sliding-minute budget. */
  private budgetAllows(now: number, calls: number): number {
    const budget = this.deps.callsPerMinute ?? 100;
    while (this.callTimes.length && this.callTimes[0] <= now - MINUTE) this.callTimes.shift();
    const over = this.callTimes.length + calls - budget;
    return over <= 0 ? now : this.callTimes[Math.min(over, this.callTimes.length) - 1] + MINUTE;
  }

  private async run(): Promise<void> {
    const { clock } = this.deps;
    try {
      while (this.waiters.length) {
        const now = clock.now();
        const due = Math.min(...this.waiters.map((w) => w.dueAt));
        const spaced = this.lastTick + this.spacing();
        // At most one tick per `tickMs`; waking from idle, wait `batchMs` so requests arriving together
        // (a refresh of many copies, many creates) share the first call.
        const fromIdle = spaced <= now && due <= now && this.batchUntil === undefined;
        if (fromIdle) this.batchUntil = now + (this.deps.batchMs ?? 200);
        const target = Math.max(due, spaced, this.batchUntil ?? -Infinity, this.budgetAllows(now, 1));
        if (target > now) {
          this.wakeTarget = target;
          this.wake = new AbortController();
          try {
            await clock.sleep(target - now, this.wake.signal);
          } catch {
            // Woken early by an earlier waiter: re-plan.
          }
          this.wakeTarget = Infinity;
          continue;
        }
        await this.tick(now);
      }
    } finally {
      this.running = false;
      // A waiter may have registered between the last check and here.
      if (this.waiters.length) {
        this.running = true;
        void this.run();
      }
    }
  }

  private async tick(now: number): Promise<void> {
    this.lastTick = now;
    this.batchUntil = undefined;
    // Serve everyone due before the next possible tick: an early look is better than a late one.
    const horizon = now + this.spacing();
    const batch = this.waiters.filter((w) => w.dueAt <= horizon);
    this.waiters = this.waiters.filter((w) => w.dueAt > horizon);
    const ids = [...new Set(batch.map((w) => w.id))];
    const found = new Map<string, ApiSnapshot>();
    const failures = new Map<string, unknown>();
    let calls = 0;
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) {
      const chunk = ids.slice(i, i + MAX_IDS_PER_CALL);
      calls++;
      this.callTimes.push(now);
      try {
        for (const s of await this.deps.describe(this.region, chunk)) found.set(s.SnapshotId, s);
      } catch (err) {
        for (const id of chunk) failures.set(id, err);
      }
    }
    this.record({ region: this.region, at: now, ids: ids.length, calls });
    for (const w of batch) {
      if (w.signal && w.onAbort) w.signal.removeEventListener("abort", w.onAbort);
      if (failures.has(w.id)) w.reject(failures.get(w.id));
      else w.resolve(found.get(w.id));
    }
  }
}

/**
 * Shared status loop for all copies in the process. {@link StatusWatcher.observe} resolves with the
 * snapshot's entry from the next DescribeSnapshots call at or after `notBefore` (undefined when the API
 * does not return it).
 * @internal
 */
export class StatusWatcher {
  private readonly loops = new Map<string, RegionLoop>();
  private readonly ticks: TickRecord[] = [];

  constructor(private readonly deps: StatusWatcherDeps) {}

  /** The next observation of `snapshotId` in `region` taken at or after `notBefore` (default: now). */
  observe(
    region: string,
    snapshotId: string,
    opts: { notBefore?: number; signal?: AbortSignal } = {},
  ): Promise<ApiSnapshot | undefined> {
    let loop = this.loops.get(region);
    if (!loop) {
      loop = new RegionLoop(region, this.deps, (t) => this.ticks.push(t));
      this.loops.set(region, loop);
    }
    const target = loop;
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      const w: Waiter = {
        id: snapshotId,
        dueAt: opts.notBefore ?? this.deps.clock.now(),
        resolve,
        reject,
        signal: opts.signal,
      };
      if (opts.signal) {
        w.onAbort = () => {
          target.remove(w);
          reject(opts.signal!.reason);
        };
        opts.signal.addEventListener("abort", w.onAbort, { once: true });
      }
      target.add(w);
    });
  }

  /** Every tick so far (tests assert calls per tick; benchmarks print them). */
  tickLog(): readonly TickRecord[] {
    return this.ticks;
  }

  /** Total DescribeSnapshots calls made by the watcher. */
  describeCalls(): number {
    return this.ticks.reduce((n, t) => n + t.calls, 0);
  }

  /** The most DescribeSnapshots calls made at one clock instant, across all regions. */
  maxCallsPerInstant(): { calls: number; regions: number } {
    const byAt = new Map<number, { calls: number; regions: Set<string> }>();
    for (const t of this.ticks) {
      const e = byAt.get(t.at) ?? { calls: 0, regions: new Set<string>() };
      e.calls += t.calls;
      e.regions.add(t.region);
      byAt.set(t.at, e);
    }
    let best = { calls: 0, regions: 0 };
    for (const e of byAt.values())
      if (e.calls > best.calls) best = { calls: e.calls, regions: e.regions.size };
    return best;
  }
}
