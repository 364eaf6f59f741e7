/**
 * Coalesced status checks, the public face: watch, observe, and the tick history. Each region's loop — its
 * calls, and what a failed call does to the waiters — is ./regionLoop.ts; WHEN a region ticks and WHAT a tick
 * covers is decided by the pure planner in ./tickPlan.ts (read its header first).
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
 * quota empty, no extra tick — the heartbeat goes on. A one-off look whose check failed retryably stays: the
 * retry tick looks at it again, or, with the quota empty, a tick the retry policy's delay later (unpaid: it adds
 * no call of its own beyond the region's budget); so a timeout of one shared call cannot fail the many looks it
 * served. It rejects with the last error once `observerRetryMs` has passed since its first failure (or its
 * deadline), and at once on a non-retryable failure.
 *
 * Memory: the tick history is a bounded ring (the last {@link DEFAULT_TICKS_KEPT} ticks) plus running totals,
 * unless `keepTicks` (tests, benchmarks) asks for all of it.
 * @internal
 */ import type { ApiSnapshot } from "../rules/snapshot";
import { RegionLoop, WatchRec, type Find, type Look, type Observer } from "./regionLoop";
import {
  DEFAULT_MAX_GAP_MS,
  DEFAULT_TICKS_KEPT,
  type CopyWatch,
  type StatusWatcherDeps,
  type TickRecord,
} from "./watcherTypes";

export {
  DEFAULT_TICKS_KEPT,
  type CopyWatch,
  type FailingChecks,
  type StatusWatcherDeps,
  type TickRecord,
} from "./watcherTypes";

/** Hands a one-off request to its loop; when its signal aborts, the loop drops it and it rejects. */
function enqueue<L extends Look>(look: L, add: (l: L) => void, remove: (l: L) => void): void {
  const { signal } = look;
  if (signal) {
    look.onAbort = () => {
      remove(look);
      look.reject(signal.reason);
    };
    signal.addEventListener("abort", look.onAbort, { once: true });
  }
  add(look);
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
  /** Status checks per clock instant, for instants within the last minute of ticks (older ones cannot grow). */
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
    e.calls += t.calls - t.lookups;
    e.regions.add(t.region);
    this.instants.set(t.at, e);
    if (e.calls > this.bestInstant.calls) this.bestInstant = { calls: e.calls, regions: e.regions.size };
    // A tick is recorded after its calls return, so a late record can only be for a recent instant.
    for (const at of this.instants.keys()) if (at < t.at - 60_000) this.instants.delete(at);
  }

  /**
   * The next observation of `snapshotId` in `region` taken at or after `notBefore` (default: now). A failed check
   * with a retryable error is looked at again by a later tick, for at most `observerRetryMs` from the first
   * failure and never after `deadline` (clock ms); then, or at once for a non-retryable error, it rejects with
   * the last error. `signal` ends it at any time with its reason.
   */
  observe(
    region: string,
    snapshotId: string,
    opts: { notBefore?: number; deadline?: number; signal?: AbortSignal } = {},
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
        deadline: opts.deadline,
      };
      enqueue(
        o,
        (x) => loop.addObserver(x),
        (x) => loop.removeObserver(x),
      );
    });
  }

  /**
   * The snapshots in `region` carrying the tag `key` = `value`, from a tick at or after now: look-ups that arrive
   * together share the tick's DescribeSnapshots calls (by value, or one listing by the key alone when that costs
   * fewer calls: ./tickPlan.ts planLookups), counted against the region's budget like every status check, and a
   * failed call is retried as for {@link StatusWatcher.observe}. Needs `describeTagged` in the deps.
   */
  findTagged(
    region: string,
    key: string,
    value: string,
    opts: { deadline?: number; signal?: AbortSignal } = {},
  ): Promise<ApiSnapshot[]> {
    const loop = this.loop(region);
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(opts.signal.reason);
      const f: Find = {
        key,
        value,
        dueAt: this.deps.clock.now(),
        resolve,
        reject,
        signal: opts.signal,
        deadline: opts.deadline,
      };
      enqueue(
        f,
        (x) => loop.addFind(x),
        (x) => loop.removeFind(x),
      );
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
      w.lookedAt = this.deps.clock.now();
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

  /** Copies being watched now, across regions. */
  watching(): number {
    let n = 0;
    for (const loop of this.loops.values()) n += loop.watches.size;
    return n;
  }

  /** Ticks made so far (all of them, retained or not). */
  tickCount(): number {
    return this.totalTicks;
  }

  /** Total DescribeSnapshots calls made by the watcher. */
  describeCalls(): number {
    return this.totalCalls;
  }

  /** The most status checks (DescribeSnapshots by ID; tagged look-ups aside) made at one clock instant, across all regions. */
  maxStatusCallsPerInstant(): { calls: number; regions: number } {
    return { ...this.bestInstant };
  }
}
