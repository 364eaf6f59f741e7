/**
 * One destination region's status loop: the watches and one-off looks of that region, the ticks that serve
 * them (planned by the pure ./tickPlan.ts), the calls, and what a failed call does to the waiters.
 * @internal
 */
import { DEFAULT_MAX_ELAPSED_MS, delayAfter, retryFacts } from "../cloud/retry";
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
import type { FailingChecks, StatusWatcherDeps, TickRecord } from "./watcherTypes";

interface Pending {
  kind: "take" | "sleep";
  resolve: () => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

const isRetryable = (err: unknown) => retryFacts(err).retryable;

/** One watched copy. */
export class WatchRec {
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
export interface Observer {
  id: string;
  dueAt: number;
  resolve: (s: ApiSnapshot | undefined) => void;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** First failed check for it (retries end `observerRetryMs` later). */
  failedSince?: number;
  /** Clock time after which a failed check is not looked at again: the caller's deadline. */
  deadline?: number;
}

export class RegionLoop {
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

  /**
   * After a failed check of a one-off look: keep it for a later tick, or say no (the caller rejects it). A
   * retryable failure keeps it until `observerRetryMs` after its first failure (or its deadline, if sooner). It
   * is looked at again by the retry tick when the quota paid for one; with the quota empty, by a tick the retry
   * policy's delay later — not paid from the quota, since the look is no extra call of its own (it shares the
   * region's ticks and budget), and not sooner, so a failing region is not asked in a spin.
   */
  private keepLooking(o: Observer, err: unknown, now: number): boolean {
    o.failedSince ??= now;
    if (!isRetryable(err)) return false;
    const random = this.deps.random ?? Math.random;
    const delay = delayAfter(
      err,
      this.failStreak,
      random,
      this.deps.retryBaseDelayMs,
      this.deps.retryMaxDelayMs,
    );
    const dueAt = this.retryAt ?? now + delay;
    const until = Math.min(
      o.failedSince + (this.deps.observerRetryMs ?? DEFAULT_MAX_ELAPSED_MS),
      o.deadline ?? Infinity,
    );
    if (dueAt >= until) return false;
    o.dueAt = dueAt;
    this.observers.push(o); // the loop re-plans after this tick
    return true;
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

    for (const o of batch) {
      if (o.signal?.aborted) continue; // already rejected by its abort
      const err = failures.get(o.id);
      if (err !== undefined && this.keepLooking(o, err, now)) continue;
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
