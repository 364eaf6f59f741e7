/**
 * One destination region's status loop: the watches, one-off looks and tagged look-ups of that region, the ticks
 * that serve them (planned by the pure ./tickPlan.ts), the calls, and what a failed call does to the waiters.
 * @internal
 */
import { DEFAULT_MAX_ELAPSED_MS, delayAfter, retryFacts } from "../cloud/retry";
import type { ApiSnapshot } from "../rules/snapshot";
import {
  afterTick,
  chunk,
  dueOf,
  nextTickAt,
  planTick,
  TICK_DEFAULTS,
  type KeyAloneReading,
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

/** What a one-off look and a tagged look-up share: when it is due, how it ends, how long failures may last. */
export interface Look {
  dueAt: number;
  reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
  /** First failed check for it (retries end `observerRetryMs` later). */
  failedSince?: number;
  /** Clock time after which a failed check is not looked at again: the caller's deadline. */
  deadline?: number;
}

/** A one-off look. */
export interface Observer extends Look {
  id: string;
  resolve: (s: ApiSnapshot | undefined) => void;
}

/** A tagged look-up: the snapshots carrying the tag `key` = `value`. */
export interface Find extends Look {
  key: string;
  value: string;
  resolve: (s: ApiSnapshot[]) => void;
}

const hasTag = (s: ApiSnapshot, key: string, value: string) =>
  s.Tags?.Tag?.some((t) => t.TagKey === key && t.TagValue === value) ?? false;
/** The snapshot carries `key` with a non-empty value (all of ours do), which "only the empty value" cannot list. */
const hasKeyWithValue = (s: ApiSnapshot, key: string) =>
  s.Tags?.Tag?.some((t) => t.TagKey === key && (t.TagValue ?? "") !== "") ?? false;

export class RegionLoop {
  private observers: Observer[] = [];
  private finds: Find[] = [];
  /** Pages the last look-up by a tag key alone took (a lower bound when cut short), for ./tickPlan.ts. */
  private readonly keyPages = new Map<string, number>();
  /** Per tag key, what its listings by the key alone have shown here (./tickPlan.ts KeyAloneReading). */
  private readonly keyAlone = new Map<string, KeyAloneReading>();
  /** Tag keys a snapshot with a non-empty value was seen carrying here, in any answer (the listings' witness). */
  private readonly keySeen = new Set<string>();
  /** The tag keys look-ups have asked for here. */
  private readonly findKeys = new Set<string>();
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

  addFind(f: Find): void {
    this.findKeys.add(f.key);
    this.finds.push(f);
    this.poke(f.dueAt);
  }

  removeFind(f: Find): void {
    this.finds = this.finds.filter((x) => x !== f);
  }

  /** Notes the looked-up tag keys these snapshots carry with a value; a `waiting` key may be listed again. */
  private witness(snaps: Iterable<ApiSnapshot>): void {
    for (const s of snaps)
      for (const t of s.Tags?.Tag ?? []) {
        if (!t.TagKey || !t.TagValue || !this.findKeys.has(t.TagKey)) continue;
        this.keySeen.add(t.TagKey);
        if (this.keyAlone.get(t.TagKey) === "waiting") this.keyAlone.delete(t.TagKey);
      }
  }

  /** What a listing by `key` alone that returned `snaps` shows (./tickPlan.ts KeyAloneReading), recorded. */
  private readListing(key: string, snaps: readonly ApiSnapshot[]): KeyAloneReading {
    const reading: KeyAloneReading =
      snaps.some((s) => hasKeyWithValue(s, key)) || this.keyAlone.get(key) === "proven"
        ? "proven"
        : this.keySeen.has(key)
          ? "refuted"
          : "waiting";
    this.keyAlone.set(key, reading);
    return reading;
  }

  private busy(): boolean {
    return this.observers.length > 0 || this.watches.size > 0 || this.finds.length > 0;
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
      finds: this.finds,
      keyPages: this.keyPages,
      keyAlone: this.keyAlone,
    };
  }

  private async run(): Promise<void> {
    try {
      while (this.busy()) {
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
      if (this.busy()) {
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

  /**
   * After a failed tick (`errors`: one per failed call, in order): when to retry (paid from the quota), or
   * undefined when none is paid for. Every retryable failed call is reported to `onRetry`, paid or not — with the
   * quota empty the region's next ticks look again (a kept one-off look at this delay, a watch at its next tick),
   * so each failed answer is followed by a retry and says so, as the seam's own retries do.
   */
  private scheduleRetry(now: number, errors: readonly unknown[]): void {
    this.failStreak++;
    this.retryAt = undefined;
    const err = errors[errors.length - 1];
    const facts = retryFacts(err);
    if (!facts.retryable) return;
    const delayMs = this.retryDelay(err);
    const quota = this.deps.retryQuota?.(this.region);
    const paid = quota ? quota.take(facts.timeout) : 0;
    if (paid !== undefined) {
      this.paid = paid;
      this.retryAt = now + delayMs;
    }
    for (const e of errors) if (isRetryable(e)) this.deps.onRetry?.(this.region, e, this.failStreak, delayMs);
  }

  /** The retry policy's delay after this run of failed ticks (../cloud/retry.ts), with jitter. */
  private retryDelay(err: unknown): number {
    const random = this.deps.random ?? Math.random;
    return delayAfter(err, this.failStreak, random, this.deps.retryBaseDelayMs, this.deps.retryMaxDelayMs);
  }

  /**
   * After a failed call for a one-off look or a tagged look-up: keep it for a later tick, or say no (the caller rejects it). A
   * retryable failure keeps it until `observerRetryMs` after its first failure (or its deadline, if sooner). It
   * is looked at again by the retry tick when the quota paid for one; with the quota empty, by a tick the retry
   * policy's delay later — not paid from the quota, since the look is no extra call of its own (it shares the
   * region's ticks and budget), and not sooner, so a failing region is not asked in a spin.
   */
  private keepLooking(o: Look, err: unknown, now: number): boolean {
    o.failedSince ??= now;
    if (!isRetryable(err)) return false;
    const dueAt = this.retryAt ?? now + this.retryDelay(err);
    const until = Math.min(
      o.failedSince + (this.deps.observerRetryMs ?? DEFAULT_MAX_ELAPSED_MS),
      o.deadline ?? Infinity,
    );
    if (dueAt >= until) return false;
    o.dueAt = dueAt; // the caller queues it again; the loop re-plans after this tick
    return true;
  }

  private describeTagged(key: string, value: string | undefined, nextToken: string | undefined) {
    if (!this.deps.describeTagged) throw new Error("the status watcher was given no describeTagged");
    return this.deps.describeTagged(this.region, { key, value }, nextToken);
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
    const asked = plan.lookups.map((l) => ({ ...l, finds: l.finds.map((i) => this.finds[i]) }));
    const askedFinds = new Set(asked.flatMap((l) => l.finds));
    this.finds = this.finds.filter((f) => !askedFinds.has(f));

    const found = new Map<string, ApiSnapshot>();
    const failures = new Map<string, unknown>();
    const errors: unknown[] = [];
    // Tagged look-ups first: a snapshot a listing returns is as fresh an answer as a look by ID a moment later,
    // so the status checks below ask only for the IDs no listing returned. A create's look at its new copy (which
    // carries the resource tag from CopySnapshot) then rides on the listing made for the next create's look-up,
    // instead of costing a call of its own: a burst of creates spends about one call each, not two, of the
    // region's budget (bench/README.md, "the per-region call budget").
    const answers = new Map<Find, { snaps?: ApiSnapshot[]; err?: unknown }>();
    let lookupCalls = 0;
    for (const l of asked) {
      const snaps: ApiSnapshot[] = [];
      let token: string | undefined;
      let pages = 0;
      try {
        do {
          this.callTimes.push(now);
          lookupCalls++;
          pages++;
          const page = await this.describeTagged(l.key, l.value, token);
          snaps.push(...page.snapshots);
          token = page.nextToken;
        } while (token && pages < l.maxPages);
      } catch (err) {
        errors.push(err);
        for (const f of l.finds) answers.set(f, { err });
        continue;
      }
      for (const s of snaps) found.set(s.SnapshotId, s);
      if (l.value !== undefined) {
        this.witness(snaps);
        for (const f of l.finds) answers.set(f, { snaps });
      } else if (token) {
        // Cut short: asking by value is cheaper. The look-ups wait for the next tick, which asks by value.
        this.keyPages.set(l.key, pages + 1);
        this.readListing(l.key, snaps);
        for (const f of l.finds) if (!f.signal?.aborted) this.finds.push(f);
      } else {
        this.keyPages.set(l.key, pages);
        if (this.readListing(l.key, snaps) === "proven") {
          for (const f of l.finds) answers.set(f, { snaps: snaps.filter((s) => hasTag(s, f.key, f.value)) });
        } else {
          // An empty listing that proves nothing (./tickPlan.ts planLookups): asked again, by value.
          for (const f of l.finds) if (!f.signal?.aborted) this.finds.push(f);
        }
      }
    }
    let statusCalls = 0;
    const planned = plan.chunks.flat();
    // What the listings answered is not asked again, and what is left is chunked anew: 101 watched IDs, one of
    // them listed, make one call of 100, not 99 and 1.
    for (const ids of chunk(planned.filter((id) => !found.has(id)))) {
      this.callTimes.push(now);
      statusCalls++;
      try {
        const snaps = await this.deps.describe(this.region, ids);
        for (const s of snaps) found.set(s.SnapshotId, s);
        this.witness(snaps);
      } catch (err) {
        errors.push(err);
        for (const id of ids) failures.set(id, err);
      }
    }
    this.record({
      region: this.region,
      at: now,
      ids: planned.length,
      calls: statusCalls + lookupCalls,
      lookups: lookupCalls,
      failed: errors.length,
    });
    if (errors.length > 0) this.scheduleRetry(now, errors);
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
      if (err !== undefined && this.keepLooking(o, err, now)) {
        this.observers.push(o);
        continue;
      }
      if (o.signal && o.onAbort) o.signal.removeEventListener("abort", o.onAbort);
      if (err !== undefined) o.reject(err);
      else o.resolve(found.get(o.id));
    }
    for (const [f, outcome] of answers) {
      if (f.signal?.aborted) continue;
      if (outcome.err !== undefined && this.keepLooking(f, outcome.err, now)) {
        this.finds.push(f);
        continue;
      }
      if (f.signal && f.onAbort) f.signal.removeEventListener("abort", f.onAbort);
      if (outcome.err !== undefined) f.reject(outcome.err);
      else f.resolve(outcome.snaps ?? []);
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
