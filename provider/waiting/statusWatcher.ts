/**
 * Coalesced status checks: the promises and calls half; WHEN a region ticks and WHAT a tick covers is decided by
 * the pure planner in ./tickPlan.ts (read its header first).
 *
 * Every copy being waited on in this provider process is looked at here instead of polling on its own. Each
 * destination region has one loop; a loop tick makes ONE DescribeSnapshots call per 100 IDs, and everyone
 * interested gets the same observation. API calls therefore grow with regions and time, not with the number of
 * copies (measured in bench/waiting.ts).
 *
 * Two ways in:
 * - {@link StatusWatcher.watch}: a copy being waited on. Its waiter sleeps on the watch (`watch.clock`): the sleep
 *   ends at the first tick at or after the time asked for — whether that tick's check succeeded or failed, so the
 *   waiter's deadline and stall limit hold while checks fail — or earlier, at a tick that sees the copy finished,
 *   failed or gone, or whose check failed with a non-retryable error. `take` then returns the observation, or
 *   throws the failed check's error.
 * - {@link StatusWatcher.observe}: a one-off look (read, visibility after CopySnapshot, delete).
 *
 * Failed checks (this loop owns the retries of status checks, so every attempt is a tick and counts against the
 * region's per-minute budget): a retryable failure (../cloud/retry.ts) brings the next tick forward by the retry
 * policy's delay (never less than the server's retry-after hint), paid from the region's retry quota; with the
 * quota empty, no extra tick — the heartbeat goes on, and one-off looks fail fast. A one-off look is retried like
 * any call for at most `observerRetryMs`; a non-retryable failure rejects it at once.
 *
 * Memory: the tick history is a bounded ring (the last {@link DEFAULT_TICKS_KEPT} ticks) plus running totals,
 * unless `keepTicks` (tests, benchmarks) asks for all of it.
 * @internal
 */
import type { Clock } from "../cloud/clock";
import { DEFAULT_MAX_ELAPSED_MS, delayAfter, retryFacts, type RetryQuota } from "../cloud/retry";
import type { ApiSnapshot } from "../rules/snapshot";
import {
  afterTick,
  dueOf,
  nextTickAt,
  planTick,
  TICK_DEFAULTS,
  type RegionView,
  type TickTuning,
  type WatchView,
} from "./tickPlan";

/** What the watcher needs. @internal */
export interface StatusWatcherDeps {
  /** ONE DescribeSnapshots attempt (≤ 100 IDs) in `region`, no retries: the watcher owns them. */
  describe(region: string, ids: string[]): Promise<ApiSnapshot[]>;
  clock: Clock;
  /** Jitter for retry delays. @default Math.random */
  random?: () => number;
  /** The region's retry quota (shared with the region's other calls); none = retries are not rationed. */
  retryQuota?: (region: string) => RetryQuota;
  /** Retry backoff bounds after a failed tick (ms). @default 500 / 20_000 (../cloud/retry.ts) */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** How long a one-off look keeps retrying failed checks before it rejects. @default 180_000 */
  observerRetryMs?: number;
  /** Hears each retry the loop pays for after a failed check (logging, like the seam's own retries). */
  onRetry?: (region: string, err: unknown, attempt: number, delayMs: number) => void;
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
  /** Keep every tick ever made (tests, benchmarks). @default false: only the last {@link DEFAULT_TICKS_KEPT} */
  keepTicks?: boolean;
}

/** How long a watch may go without a look when none is given. */
const DEFAULT_MAX_GAP_MS = 60_000;
/** Ticks kept for {@link StatusWatcher.tickLog} unless `keepTicks` is set. @internal */
export const DEFAULT_TICKS_KEPT = 256;

/** One tick of one region's loop, for tests and benchmarks. @internal */
export interface TickRecord {
  region: string;
  /** Clock time of the tick. */
  at: number;
  /** Distinct snapshot IDs looked at. */
  ids: number;
  /** DescribeSnapshots calls made (one per 100 IDs). */
  calls: number;
  /** Calls that failed. */
  failed: number;
}

/** A run of failing checks of one copy. @internal */
export interface FailingChecks {
  /** Clock time of the first failed check in the run. */
  since: number;
  /** Failed checks in the run. */
  count: number;
  /** The latest failure. */
  error: unknown;
}

/** A copy being waited on. @internal */
export interface CopyWatch {
  /**
   * The newest outcome not taken yet, or else the one from the next tick: the observation (undefined: not
   * returned by DescribeSnapshots), or the failed check's error, thrown.
   */
  take(signal?: AbortSignal): Promise<ApiSnapshot | undefined>;
  /** For the waiter: `sleep(ms)` ends at the first tick at or after now + ms, or at a tick that wakes it. */
  readonly clock: Clock;
  /**
   * The copy is expected to finish at `at` (e.g. now + RemainTime); undefined = no idea. A sleep that reaches
   * that moment gets a tick of its own (within `slackMs`) instead of waiting for the next heartbeat.
   */
  expect(at: number | undefined): void;
  /** The current run of failed checks, undefined when the last check succeeded. */
  failing(): FailingChecks | undefined;
  /** Stops looking at the copy. */
  close(): void;
}

interface Pending {
  kind: "take" | "sleep";
  resolve: () => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const isRetryable = (err: unknown) => retryFacts(err).retryable;

/** One watched copy. */
class WatchRec {
  latest?: ApiSnapshot;
  /** Set when the last tick that looked at the copy failed. */
  error?: unknown;
  failing?: FailingChecks;
  /** An outcome arrived that `take` has not returned yet. */
  fresh = false;
  /** When the copy wants its next look (Infinity: nothing pending). */
  wantAt = Infinity;
  pending?: Pending;
  expectedAt?: number;
  lookedAt = -Infinity;

  constructor(
    readonly id: string,
    readonly wakeOn: (s: ApiSnapshot | undefined) => boolean,
    readonly maxGapMs: number,
  ) {}

  /** Does the fresh outcome end a sleep at once? */
  wakesNow(): boolean {
    return this.error !== undefined ? !isRetryable(this.error) : this.wakeOn(this.latest);
  }

  view(): WatchView {
    return {
      id: this.id,
      pending: this.pending?.kind,
      wantAt: this.wantAt,
      expectedAt: this.expectedAt,
      lookedAt: this.lookedAt,
      maxGapMs: this.maxGapMs,
    };
  }

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
  /** First failed check for it (retries end `observerRetryMs` later). */
  failedSince?: number;
}

class RegionLoop {
  private observers: Observer[] = [];
  readonly watches = new Set<WatchRec>();
  private running = false;
  /** Started from idle and not ticked yet (the first tick gathers batchMs). */
  private fromIdle = false;
  private wakeTarget = Infinity;
  private wake?: AbortController;
  private callTimes: number[] = [];
  private lastTick = -Infinity;
  private lastHeartbeat = -Infinity;
  private batchUntil?: number;
  /** Consecutive failed ticks, the retry tick they bought, and what the last retry cost the quota. */
  private failStreak = 0;
  private retryAt?: number;
  private paid?: number;
  private readonly tuning: TickTuning;

  constructor(
    private readonly region: string,
    private readonly deps: StatusWatcherDeps,
    private readonly record: (t: TickRecord) => void,
  ) {
    this.tuning = {
      callsPerMinute: deps.callsPerMinute ?? TICK_DEFAULTS.callsPerMinute,
      tickMs: deps.tickMs ?? TICK_DEFAULTS.tickMs,
      batchMs: deps.batchMs ?? TICK_DEFAULTS.batchMs,
      slackMs: deps.slackMs ?? TICK_DEFAULTS.slackMs,
      lookPerCopyMs: deps.lookPerCopyMs ?? TICK_DEFAULTS.lookPerCopyMs,
    };
  }

  /** Something new to schedule: start the loop, or wake it to re-plan. */
  poke(dueAt: number): void {
    if (!this.running) {
      this.running = true;
      this.fromIdle = true;
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

  /** Waits on a watch: a take (look now unless an outcome is fresh) or a sleep until `wantAt`. */
  wait(w: WatchRec, kind: "take" | "sleep", wantAt: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (w.fresh && (kind === "take" || w.wakesNow())) return Promise.resolve();
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
      this.poke(dueOf(w.view(), this.tuning));
    });
  }

  private view(now: number): RegionView {
    this.callTimes = this.callTimes.filter((t) => t > now - 60_000);
    return {
      now,
      lastTick: this.lastTick,
      lastHeartbeat: this.lastHeartbeat,
      batchUntil: this.batchUntil,
      callTimes: this.callTimes,
      retryAt: this.retryAt,
      fromIdle: this.fromIdle,
      watches: [...this.watches].map((w) => w.view()),
      observers: this.observers,
    };
  }

  private async run(): Promise<void> {
    try {
      while (this.observers.length || this.watches.size) {
        const now = this.deps.clock.now();
        const next = nextTickAt(this.view(now), this.tuning);
        this.batchUntil = next.batchUntil;
        if (next.at > now) {
          await this.sleepUntil(next.at, now);
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
      await this.deps.clock.sleep(target === Infinity ? 2 ** 31 - 1 : target - now, this.wake.signal);
    } catch {
      // Woken early by something due sooner: re-plan.
    }
    this.wakeTarget = Infinity;
  }

  /** After a failed tick: when to retry (paid from the quota), or undefined when none is paid for. */
  private scheduleRetry(now: number, err: unknown): void {
    this.failStreak++;
    this.retryAt = undefined;
    const facts = retryFacts(err);
    if (!facts.retryable) return;
    const quota = this.deps.retryQuota?.(this.region);
    const paid = quota ? quota.take(facts.timeout) : 0;
    if (paid === undefined) return; // the quota is empty: no extra ticks; the heartbeat goes on
    this.paid = paid;
    const random = this.deps.random ?? Math.random;
    const delayMs = delayAfter(
      err,
      this.failStreak,
      random,
      this.deps.retryBaseDelayMs,
      this.deps.retryMaxDelayMs,
    );
    this.retryAt = now + delayMs;
    this.deps.onRetry?.(this.region, err, this.failStreak, delayMs);
  }

  private async tick(now: number): Promise<void> {
    const v = this.view(now);
    const plan = planTick(v, this.tuning);
    const all = [...this.watches];
    const watched = plan.watches.map((i) => all[i]);
    const batch = plan.observers.map((i) => this.observers[i]);
    this.lastTick = now;
    this.fromIdle = false;
    if (plan.heartbeat) this.lastHeartbeat = now;
    this.batchUntil = undefined;
    const served = new Set(batch);
    this.observers = this.observers.filter((o) => !served.has(o));

    const found = new Map<string, ApiSnapshot>();
    const failures = new Map<string, unknown>();
    let lastError: unknown;
    let failed = 0;
    for (const ids of plan.chunks) {
      this.callTimes.push(now);
      try {
        for (const s of await this.deps.describe(this.region, ids)) found.set(s.SnapshotId, s);
      } catch (err) {
        failed++;
        lastError = err;
        for (const id of ids) failures.set(id, err);
      }
    }
    this.record({
      region: this.region,
      at: now,
      ids: plan.chunks.flat().length,
      calls: plan.chunks.length,
      failed,
    });
    if (failed > 0) this.scheduleRetry(now, lastError);
    else {
      // smithy's model: a success refunds what its last retry cost, or 1 when it needed none.
      this.deps.retryQuota?.(this.region).refund(this.paid);
      this.failStreak = 0;
      this.retryAt = undefined;
      this.paid = undefined;
    }

    const retryWindow = this.deps.observerRetryMs ?? DEFAULT_MAX_ELAPSED_MS;
    for (const o of batch) {
      const err = failures.get(o.id);
      if (err !== undefined) {
        o.failedSince ??= now;
        if (isRetryable(err) && this.retryAt !== undefined && this.retryAt - o.failedSince < retryWindow) {
          o.dueAt = this.retryAt; // looked at again by the retry tick
          this.observers.push(o);
          continue;
        }
      }
      if (o.signal && o.onAbort) o.signal.removeEventListener("abort", o.onAbort);
      if (err !== undefined) o.reject(err);
      else o.resolve(found.get(o.id));
    }
    for (const w of watched) {
      if (!this.watches.has(w)) continue;
      w.lookedAt = now;
      w.fresh = true;
      const err = failures.get(w.id);
      if (err !== undefined) {
        w.error = err;
        w.failing = { since: w.failing?.since ?? now, count: (w.failing?.count ?? 0) + 1, error: err };
        const what = afterTick(w.pending?.kind, w.wantAt, now, { ok: false, retryable: isRetryable(err) });
        if (what === "settle") w.settle();
        continue;
      }
      w.error = undefined;
      w.failing = undefined;
      w.latest = found.get(w.id);
      if (afterTick(w.pending?.kind, w.wantAt, now, { ok: true, wakes: w.wakeOn(w.latest) }) === "settle")
        w.settle();
    }
  }
}

/**
 * Shared status loops for all copies in the process, one per destination region.
 * @internal
 */
export class StatusWatcher {
  private readonly loops = new Map<string, RegionLoop>();
  /** Retained ticks: all with `keepTicks`, else a ring of the last DEFAULT_TICKS_KEPT (oldest at `ringStart`). */
  private readonly ticks: TickRecord[] = [];
  private ringStart = 0;
  private totalCalls = 0;
  private totalTicks = 0;
  /** Calls per clock instant, for instants within the last minute of ticks (older ones cannot grow). */
  private readonly instants = new Map<number, { calls: number; regions: Set<string> }>();
  private bestInstant = { calls: 0, regions: 0 };

  constructor(private readonly deps: StatusWatcherDeps) {}

  private loop(region: string): RegionLoop {
    let loop = this.loops.get(region);
    if (!loop) {
      loop = new RegionLoop(region, this.deps, (t) => this.recordTick(t));
      this.loops.set(region, loop);
    }
    return loop;
  }

  private recordTick(t: TickRecord): void {
    this.totalTicks++;
    this.totalCalls += t.calls;
    if (this.deps.keepTicks || this.ticks.length < DEFAULT_TICKS_KEPT) this.ticks.push(t);
    else {
      this.ticks[this.ringStart] = t;
      this.ringStart = (this.ringStart + 1) % DEFAULT_TICKS_KEPT;
    }
    const e = this.instants.get(t.at) ?? { calls: 0, regions: new Set<string>() };
    e.calls += t.calls;
    e.regions.add(t.region);
    this.instants.set(t.at, e);
    if (e.calls > this.bestInstant.calls) this.bestInstant = { calls: e.calls, regions: e.regions.size };
    // A tick is recorded after its calls return, so a late record can only be for a recent instant.
    for (const at of this.instants.keys()) if (at < t.at - 60_000) this.instants.delete(at);
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
   * Watches a copy until `close()`: ticks of its region look at it, at least every `maxGapMs`. `wakeOn` says
   * which observations end a waiter's sleep at once (finished, failed, gone). `initial` is an observation just
   * made elsewhere (e.g. right after CopySnapshot), handed to the first `take`.
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
        if (w.error !== undefined) throw w.error;
        return w.latest;
      },
      clock: {
        now: () => clock.now(),
        sleep: (ms, signal) => loop.wait(w, "sleep", clock.now() + ms, signal),
      },
      expect: (at) => {
        w.expectedAt = at;
      },
      failing: () => w.failing,
      close: () => {
        loop.watches.delete(w);
        w.settle(new Error("watch closed"));
        loop.poke(-Infinity); // re-plan: a slower heartbeat, or nothing left to do
      },
    };
  }

  /** The retained ticks, oldest first: every tick with `keepTicks`, else the last {@link DEFAULT_TICKS_KEPT}. */
  tickLog(): readonly TickRecord[] {
    return [...this.ticks.slice(this.ringStart), ...this.ticks.slice(0, this.ringStart)];
  }

  /** Ticks made so far (all of them, retained or not). */
  tickCount(): number {
    return this.totalTicks;
  }

  /** Total DescribeSnapshots calls made by the watcher. */
  describeCalls(): number {
    return this.totalCalls;
  }

  /** The most DescribeSnapshots calls made at one clock instant, across all regions. */
  maxCallsPerInstant(): { calls: number; regions: number } {
    return { ...this.bestInstant };
  }
}
