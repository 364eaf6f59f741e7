/**
 * Coalesced status checks (docs/design.md §6).
 *
 * Every copy being waited on in this provider process is looked at here instead of polling on its own. Each
 * destination region has one loop; a loop tick makes ONE DescribeSnapshots call per 100 IDs (SnapshotIds takes
 * a JSON array of at most 100 — ECS API reference), and everyone interested gets the same observation. API
 * calls therefore grow with regions and time, not with the number of copies.
 *
 * Two ways in:
 * - {@link StatusWatcher.watch}: a copy being waited on. EVERY tick of its region looks at it (it rides along
 *   in a call that is made anyway). Its waiter sleeps on the watch (`watch.clock`): the sleep ends at the first
 *   tick at or after the time asked for — the moment RemainTime says the copy finishes, or the waiter's backoff —
 *   or earlier, at any tick that sees the copy finished or failed. So a failure is noticed at the next tick of
 *   the region, whichever copy's tick that is.
 * - {@link StatusWatcher.observe}: a one-off look (read, visibility after CopySnapshot, delete).
 *
 * When a region ticks (bench/waiting.ts measured these choices; figures in bench/README.md):
 * - a heartbeat while copies are watched, looking at every one of them: each copy "pays" for one call per
 *   `lookPerCopyMs` — what a per-copy AWS-style waiter spends at its 2-minute cap — so k copies in c calls
 *   (c = ceil(k / 100)) get a heartbeat every `lookPerCopyMs · c / k`, but never one using more than half the
 *   call budget, and at least every `maxGapMs` of any watch. The looks are shared: the more copies in flight,
 *   the sooner any failure is seen, at no more than a per-copy waiter's cost. A waiter's ordinary sleep ends at
 *   the first heartbeat after it;
 * - the moment a copy is expected to finish (`expect`, from RemainTime) gets a tick by then + `slackMs` (so
 *   nearby expectations share a tick), never before. Such a tick (like one for a one-off look) looks only at
 *   the copies that asked, plus as many others as fit in the same calls (those looked at least recently);
 * - one-off looks are served at the first tick within `tickMs` of their due time (an early look is fine there);
 * - never two ticks of a region within `tickMs`, waking from idle after `batchMs` (so requests arriving
 *   together, e.g. a refresh of many copies, share the first call), and never more DescribeSnapshots calls
 *   per sliding minute than the budget (docs/design.md §14: about 1000 calls a minute per account and region).
 * @internal
 */
import type { Clock } from "../cloud/clock";
import type { ApiSnapshot } from "../rules/snapshot";

/** What the watcher needs. @internal */
export interface StatusWatcherDeps {
  /** One DescribeSnapshots call (≤ 100 IDs) in `region`, retries included. */
  describe(region: string, ids: string[]): Promise<ApiSnapshot[]>;
  clock: Clock;
  /** Per-region DescribeSnapshots budget per sliding minute. @default 100 */
  callsPerMinute?: number;
  /** Shortest time between two ticks of one region. @default 200 */
  tickMs?: number;
  /** Waking from idle, how long to gather requests before the first call. @default 200 */
  batchMs?: number;
  /** A look asked for at t may come up to this late, to share a tick. @default 500 */
  slackMs?: number;
  /** Heartbeat: each watched copy earns one shared look per this period. @default 120_000 */
  lookPerCopyMs?: number;
}

/** How long a watch may go without a look when none is given. */
const DEFAULT_MAX_GAP_MS = 60_000;

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

/** A copy being waited on. @internal */
export interface CopyWatch {
  /** The newest observation not taken yet, or else the one from the next tick (undefined: not returned). */
  take(signal?: AbortSignal): Promise<ApiSnapshot | undefined>;
  /** For the waiter: `sleep(ms)` ends at the first tick at or after now + ms, or at a tick where `wakeOn` holds. */
  readonly clock: Clock;
  /**
   * The copy is expected to finish at `at` (e.g. now + RemainTime); undefined = no idea. A sleep that reaches
   * that moment gets a tick of its own (within `slackMs`) instead of waiting for the next heartbeat.
   */
  expect(at: number | undefined): void;
  /** Stops looking at the copy. */
  close(): void;
}

interface Pending {
  /** take: look now; sleep: until wantAt. */
  kind: "take" | "sleep";
  resolve: () => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** One watched copy. */
class WatchRec {
  latest?: ApiSnapshot;
  /** An observation arrived that `take` has not returned yet. */
  fresh = false;
  /** When the copy wants its next look (Infinity: nothing pending). */
  wantAt = Infinity;
  pending?: Pending;
  /** When the copy is expected to finish. */
  expectedAt?: number;
  /** When a tick last looked at it. */
  lookedAt = -Infinity;

  constructor(
    readonly id: string,
    readonly wakeOn: (s: ApiSnapshot | undefined) => boolean,
    readonly maxGapMs: number,
  ) {}

  settle(err?: unknown): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.wantAt = Infinity;
    if (p.signal && p.onAbort) p.signal.removeEventListener("abort", p.onAbort);
    if (err === undefined) p.resolve();
    else p.reject(err);
  }
}

/** A one-off look. */
interface Observer {
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
  private observers: Observer[] = [];
  readonly watches = new Set<WatchRec>();
  private running = false;
  private wakeTarget = Infinity;
  private wake?: AbortController;
  private readonly callTimes: number[] = [];
  private lastTick = -Infinity;
  private lastHeartbeat = -Infinity;
  private batchUntil?: number;

  constructor(
    private readonly region: string,
    private readonly deps: StatusWatcherDeps,
    private readonly record: (t: TickRecord) => void,
  ) {}

  private get tickMs(): number {
    return this.deps.tickMs ?? 200;
  }

  /** Something new to schedule: start the loop, or wake it to re-plan. */
  poke(dueAt: number): void {
    if (!this.running) {
      this.running = true;
      void this.run();
    } else if (dueAt < this.wakeTarget) {
      this.wake?.abort();
    }
  }

  addObserver(o: Observer): void {
    this.observers.push(o);
    this.poke(o.dueAt);
  }

  removeObserver(o: Observer): void {
    this.observers = this.observers.filter((x) => x !== o);
  }

  /** Waits on a watch: a take (look now unless something fresh is there) or a sleep until `wantAt`. */
  wait(w: WatchRec, kind: "take" | "sleep", wantAt: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (w.fresh && (kind === "take" || w.wakeOn(w.latest))) return Promise.resolve();
    w.settle(new Error("superseded")); // one waiter per copy: a new wait replaces an abandoned one
    return new Promise<void>((resolve, reject) => {
      const p: Pending = { kind, resolve, reject, signal };
      if (signal) {
        p.onAbort = () => {
          if (w.pending === p) {
            w.pending = undefined;
            w.wantAt = Infinity;
          }
          reject(signal.reason);
        };
        signal.addEventListener("abort", p.onAbort, { once: true });
      }
      w.pending = p;
      w.wantAt = wantAt;
      this.poke(this.dueOf(w));
    });
  }

  private slackMs(): number {
    return this.deps.slackMs ?? 500;
  }

  /** Earliest time a call may start under the sliding-minute budget. */
  private budgetAllows(now: number, calls: number): number {
    const budget = this.deps.callsPerMinute ?? 100;
    while (this.callTimes.length && this.callTimes[0] <= now - MINUTE) this.callTimes.shift();
    const over = this.callTimes.length + calls - budget;
    if (over <= 0) return now;
    return this.callTimes[Math.min(over, this.callTimes.length) - 1] + MINUTE;
  }

  /** When the next tick is wanted, before spacing and budget. */
  private dueAt(): number {
    let due = Infinity;
    for (const o of this.observers) due = Math.min(due, o.dueAt);
    for (const w of this.watches) due = Math.min(due, this.dueOf(w));
    if (this.watches.size > 0) due = Math.min(due, this.lastHeartbeat + this.heartbeatMs());
    return due;
  }

  /**
   * When a watch needs a tick of its own: a take at once; a sleeping copy at its expected finish (+ slack, and
   * not before its waiter wakes); an ordinary sleep never — the heartbeat serves it.
   */
  private dueOf(w: WatchRec): number {
    if (!w.pending) return Infinity;
    if (w.pending.kind === "take") return w.wantAt;
    return w.expectedAt === undefined ? Infinity : Math.max(w.wantAt, w.expectedAt) + this.slackMs();
  }

  /** The heartbeat period for the copies watched now (see the file comment). */
  private heartbeatMs(): number {
    const k = this.watches.size;
    const calls = Math.ceil(k / MAX_IDS_PER_CALL);
    let maxGap = Infinity;
    for (const w of this.watches) maxGap = Math.min(maxGap, w.maxGapMs);
    const perCopy = ((this.deps.lookPerCopyMs ?? 120_000) * calls) / k;
    const halfBudget = (calls * MINUTE) / ((this.deps.callsPerMinute ?? 100) / 2);
    return Math.max(this.tickMs, Math.min(Math.max(perCopy, halfBudget), maxGap));
  }

  /** What the tick at `now` looks at: everything at a heartbeat; else who asked, plus free riders. */
  private plan(now: number): { heartbeat: boolean; watched: WatchRec[]; observers: Observer[] } {
    // One-off looks due before the next possible tick are served now: an early look beats a late one.
    const horizon = now + this.tickMs;
    const observers = this.observers.filter((o) => o.dueAt <= horizon);
    const all = [...this.watches];
    const heartbeat = all.length > 0 && now >= this.lastHeartbeat + this.heartbeatMs();
    if (heartbeat) return { heartbeat, watched: all, observers };
    const asked = all.filter((w) => w.pending && (w.pending.kind === "take" || now >= w.wantAt));
    const ids = new Set([...asked.map((w) => w.id), ...observers.map((o) => o.id)]);
    const room = Math.max(1, Math.ceil(ids.size / MAX_IDS_PER_CALL)) * MAX_IDS_PER_CALL - ids.size;
    const askedSet = new Set(asked);
    const riders = all
      .filter((w) => !askedSet.has(w))
      .sort((a, b) => a.lookedAt - b.lookedAt)
      .slice(0, room);
    return { heartbeat, watched: [...asked, ...riders], observers };
  }

  private async run(): Promise<void> {
    const { clock } = this.deps;
    try {
      while (this.observers.length || this.watches.size) {
        const now = clock.now();
        const due = this.dueAt();
        const spaced = this.lastTick + this.tickMs;
        // Waking from idle, wait `batchMs` so requests arriving together share the first call.
        if (spaced <= now && due <= now && this.batchUntil === undefined)
          this.batchUntil = now + (this.deps.batchMs ?? 200);
        const p = due <= now ? this.plan(now) : undefined;
        const ids = p ? new Set([...p.watched.map((w) => w.id), ...p.observers.map((o) => o.id)]).size : 1;
        const calls = Math.max(1, Math.ceil(ids / MAX_IDS_PER_CALL));
        const target = Math.max(due, spaced, this.batchUntil ?? -Infinity, this.budgetAllows(now, calls));
        if (target > now) {
          await this.sleepUntil(target, now);
          continue;
        }
        await this.tick(now);
      }
    } finally {
      this.running = false;
      // Work may have arrived between the last check and here.
      if (this.observers.length || this.watches.size) {
        this.running = true;
        void this.run();
      }
    }
  }

  private async sleepUntil(target: number, now: number): Promise<void> {
    this.wakeTarget = target;
    this.wake = new AbortController();
    try {
      await this.deps.clock.sleep(target - now, this.wake.signal);
    } catch {
      // Woken early by something due sooner: re-plan.
    }
    this.wakeTarget = Infinity;
  }

  private async tick(now: number): Promise<void> {
    const { heartbeat, watched, observers: batch } = this.plan(now);
    this.lastTick = now;
    if (heartbeat) this.lastHeartbeat = now;
    this.batchUntil = undefined;
    const served = new Set(batch);
    this.observers = this.observers.filter((o) => !served.has(o));
    const ids = [...new Set([...watched.map((w) => w.id), ...batch.map((o) => o.id)])];
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
    for (const o of batch) {
      if (o.signal && o.onAbort) o.signal.removeEventListener("abort", o.onAbort);
      if (failures.has(o.id)) o.reject(failures.get(o.id));
      else o.resolve(found.get(o.id));
    }
    for (const w of watched) {
      if (!this.watches.has(w)) continue;
      w.lookedAt = now;
      if (failures.has(w.id)) {
        // A failed look only matters to a waiter that is checking now; a sleeping one looks again later.
        if (w.pending?.kind === "take") w.settle(failures.get(w.id));
        continue;
      }
      w.latest = found.get(w.id);
      w.fresh = true;
      const p = w.pending;
      if (p && (p.kind === "take" || now >= w.wantAt || w.wakeOn(w.latest))) w.settle();
    }
  }
}

/**
 * Shared status loops for all copies in the process, one per destination region.
 * @internal
 */
export class StatusWatcher {
  private readonly loops = new Map<string, RegionLoop>();
  private readonly ticks: TickRecord[] = [];

  constructor(private readonly deps: StatusWatcherDeps) {}

  private loop(region: string): RegionLoop {
    let loop = this.loops.get(region);
    if (!loop) {
      loop = new RegionLoop(region, this.deps, (t) => this.ticks.push(t));
      this.loops.set(region, loop);
    }
    return loop;
  }

  /** The next observation of `snapshotId` in `region` taken at or after `notBefore` (default: now). */
  observe(
    region: string,
    snapshotId: string,
    opts: { notBefore?: number; signal?: AbortSignal } = {},
  ): Promise<ApiSnapshot | undefined> {
    const loop = this.loop(region);
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      const o: Observer = {
        id: snapshotId,
        dueAt: opts.notBefore ?? this.deps.clock.now(),
        resolve,
        reject,
        signal: opts.signal,
      };
      if (opts.signal) {
        o.onAbort = () => {
          loop.removeObserver(o);
          reject(opts.signal!.reason);
        };
        opts.signal.addEventListener("abort", o.onAbort, { once: true });
      }
      loop.addObserver(o);
    });
  }

  /**
   * Watches a copy until `close()`: every tick of its region looks at it, at least every `maxGapMs`. `wakeOn`
   * says which observations end a waiter's sleep at once (finished, failed, gone). `initial` is an observation
   * just made elsewhere (e.g. right after CopySnapshot), handed to the first `take`.
   */
  watch(
    region: string,
    snapshotId: string,
    opts: { wakeOn: (s: ApiSnapshot | undefined) => boolean; initial?: ApiSnapshot; maxGapMs?: number },
  ): CopyWatch {
    const loop = this.loop(region);
    const w = new WatchRec(snapshotId, opts.wakeOn, opts.maxGapMs ?? DEFAULT_MAX_GAP_MS);
    if (opts.initial) {
      w.latest = opts.initial;
      w.fresh = true;
    }
    loop.watches.add(w);
    loop.poke(-Infinity); // the heartbeat period depends on how many copies are watched
    const { clock } = this.deps;
    return {
      take: async (signal) => {
        await loop.wait(w, "take", clock.now(), signal);
        w.fresh = false;
        return w.latest;
      },
      clock: {
        now: () => clock.now(),
        sleep: (ms, signal) => loop.wait(w, "sleep", clock.now() + ms, signal),
      },
      expect: (at) => {
        w.expectedAt = at;
      },
      close: () => {
        loop.watches.delete(w);
        w.settle(new Error("watch closed"));
        loop.poke(-Infinity); // re-plan: a slower heartbeat, or nothing left to do
      },
    };
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
