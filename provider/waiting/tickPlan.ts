/**
 * When a region's next status check happens and which copies it covers — the planning half of the status
 * watcher (./statusWatcher.ts does the calls and the promises). Pure functions over plain data: no clock, no I/O.
 *
 * What a reader must know first:
 * - A region has ONE loop. A "tick" is one round of DescribeSnapshots calls in that region, one call per 100 IDs
 *   (SnapshotIds takes a JSON array of at most 100 — ECS API reference, DescribeSnapshots).
 * - Three kinds of interest: a *watch* (a copy someone is waiting for; its waiter either wants a look now — a
 *   "take" — or sleeps until `wantAt`), an *observer* (a one-off look due at `dueAt`) and a *find* (a tagged
 *   look-up due at `dueAt`: which snapshots carry a tag; queried as {@link planLookups} says, on the same ticks
 *   and within the same budget as the status checks).
 * - A tick happens at the latest of four times (see {@link nextTickAt}):
 *   1. when something is due ({@link dueAt}): a take, an observer, a find, a sleeping copy's expected finish +
 *      slack, the heartbeat, or the retry after a failed tick;
 *   2. `tickMs` after the previous tick (never two ticks closer than that);
 *   3. for the first tick after the loop starts, and for an unplanned request (a take, a one-off look, a find),
 *      `batchMs` after it became due (so requests that arrive together, e.g. a refresh of many copies or many
 *      creates, share the call); planned ticks (heartbeat, expected finish, retry) are not delayed by it;
 *   4. when the sliding-minute call budget has room for the calls the tick will make, at its pace once three
 *      quarters of it are spent ({@link budgetAllows}).
 * - The heartbeat ({@link heartbeatMs}): each watched copy earns one shared look per P = the longer of
 *   `lookPerCopyMs` and the watches' shortest `maxGapMs`, so k copies in c calls get a heartbeat every P·c/k — but
 *   never using more than half the call budget, and at least every `maxGapMs` of any watch. A heartbeat tick
 *   looks at every watched copy.
 * - Any other tick ({@link planTick}) looks at who asked (takes, sleepers whose time has come, due observers),
 *   plus as many other watched copies as fit in the same calls (those looked at least recently first), plus the
 *   due finds' queries within what is left of the minute's budget.
 * - A failed tick: `retryAt` (from the retry policy, ./statusWatcher.ts) brings the next tick forward, so a
 *   transient failure is retried soon instead of at the next heartbeat. What a failed tick does to a waiter is
 *   {@link afterTick}: a sleeper whose time has come is woken whether the check succeeded or failed (so its
 *   deadline and stall limit are tested), and a non-retryable failure wakes every sleeper at once.
 * @internal
 */

/** DescribeSnapshots takes at most 100 SnapshotIds per call (ECS API reference). */
export const MAX_IDS_PER_CALL = 100;
const MINUTE = 60_000;

/** The loop's knobs (defaults in {@link TICK_DEFAULTS}). @internal */
export interface TickTuning {
  /** Per-region DescribeSnapshots budget per sliding minute. */
  callsPerMinute: number;
  /** Shortest time between two ticks of one region. */
  tickMs: number;
  /** Waking from idle, how long to gather requests before the first call. */
  batchMs: number;
  /** A look asked for at t may come up to this late, to share a tick. */
  slackMs: number;
  /** Heartbeat: each watched copy earns one shared look per this period. */
  lookPerCopyMs: number;
}

/** @internal */
export const TICK_DEFAULTS: TickTuning = {
  callsPerMinute: 100,
  tickMs: 200,
  batchMs: 200,
  slackMs: 500,
  lookPerCopyMs: 120_000,
};

/** A watched copy, as the planner sees it. @internal */
export interface WatchView {
  id: string;
  /** What its waiter is doing: a take wants a look now; a sleep ends at `wantAt`; undefined: nothing pending. */
  pending?: "take" | "sleep";
  wantAt: number;
  /** When the copy is expected to finish (RemainTime), if known. */
  expectedAt?: number;
  /** When a tick last looked at it. */
  lookedAt: number;
  /** Longest time it may go without a look. */
  maxGapMs: number;
}

/** A one-off look. @internal */
export interface ObserverView {
  id: string;
  dueAt: number;
}

/**
 * A tagged look-up: which snapshots of the region carry the tag `key` = `value` (e.g. a create asking whether an
 * interrupted run of its declaration left a copy, ../rules/ownership.ts). @internal
 */
export interface FindView {
  key: string;
  value: string;
  dueAt: number;
}

/**
 * What a region's listings by a tag key alone have shown (see {@link planLookups}); no entry: nothing yet.
 * - `proven`: a listing returned a snapshot carrying the key with a non-empty value, so the key alone matches
 *   any value and an empty listing means none;
 * - `waiting`: a listing came back empty and no snapshot with the key was known: it proves nothing, and the
 *   next listing waits until the loop has seen such a snapshot (e.g. a create's new copy);
 * - `refuted`: a listing came back empty though such a snapshot was known: the key alone does not match it.
 */
export type KeyAloneReading = "proven" | "waiting" | "refuted";

/**
 * One query of a tick's look-ups: DescribeSnapshots with the tag `key` = `value`, or `key` alone (value
 * undefined: every snapshot carrying the key, the values compared by the loop), following NextToken for at most
 * `maxPages` pages. `finds`: indices into `v.finds` it answers. @internal
 */
export interface LookupCall {
  key: string;
  value?: string;
  maxPages: number;
  finds: number[];
}

/** One region's state, as the planner sees it. @internal */
export interface RegionView {
  now: number;
  /** Clock time of the last tick (-Infinity: none yet). */
  lastTick: number;
  lastHeartbeat: number;
  /** Waking from idle: the first tick waits until then. */
  batchUntil?: number;
  /** Start times of the calls made in the last minute (older ones are ignored). */
  callTimes: readonly number[];
  /** The loop has just started (nothing was watched or asked for): its first tick gathers `batchMs`. */
  fromIdle?: boolean;
  /** After a failed tick, when the retry is due; undefined when the last tick succeeded (or no retry is paid for). */
  retryAt?: number;
  watches: readonly WatchView[];
  observers: readonly ObserverView[];
  /** Tagged look-ups waiting for a tick. */
  finds?: readonly FindView[];
  /**
   * Per tag key, the pages the last look-up by that key alone took (a lower bound when it was cut short).
   * Unknown: 1 page is assumed.
   */
  keyPages?: ReadonlyMap<string, number>;
  /** Per tag key, what its listings have shown. */
  keyAlone?: ReadonlyMap<string, KeyAloneReading>;
}

/** Splits IDs into DescribeSnapshots calls of at most 100. @internal */
export function chunk<T>(ids: readonly T[], size = MAX_IDS_PER_CALL): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/** How many calls a tick over `ids` distinct IDs makes (at least one). @internal */
export function callsFor(ids: number): number {
  return Math.max(1, Math.ceil(ids / MAX_IDS_PER_CALL));
}

/** The share of a sliding minute's budget that may be spent at once; the rest is paced ({@link budgetAllows}). */
const BURST_SHARE = 0.75;

/**
 * Earliest time `calls` more calls fit in the sliding-minute budget — and, past {@link BURST_SHARE} of it, in its
 * pace: what is left of the budget is spread until the minute's oldest call leaves it, so the region is never a
 * minute without a look. Spent at once, a burst of creates (two calls each, an ownership look-up and a look at
 * the new copy) left the waits in that region without a tick until the burst's first call was a minute old: `up`
 * ended 35–45 s late in 2 of 23 engine-bench runs (bench/README.md). Paced, the waits keep a tick every few
 * seconds, and the requests that gather between paced ticks share their calls. @internal
 */
export function budgetAllows(
  callTimes: readonly number[],
  now: number,
  calls: number,
  budget: number,
): number {
  const recent = callTimes.filter((t) => t > now - MINUTE);
  const over = recent.length + calls - budget;
  if (over > 0) return recent[Math.min(over, recent.length) - 1] + MINUTE;
  if (recent.length === 0 || recent.length + calls <= budget * BURST_SHARE) return now;
  const last = recent[recent.length - 1];
  const room = budget - recent.length; // >= calls
  return Math.max(now, last + ((recent[0] + MINUTE - last) * calls) / room);
}

/** The heartbeat period for these watches (see the file comment). @internal */
export function heartbeatMs(watches: readonly WatchView[], t: TickTuning): number {
  const k = watches.length;
  if (k === 0) return Infinity;
  const calls = callsFor(k);
  let maxGap = Infinity;
  for (const w of watches) maxGap = Math.min(maxGap, w.maxGapMs);
  // A copy whose waiter allows longer gaps (pollMaxSeconds above lookPerCopyMs) earns its looks that much more
  // slowly: pollMaxSeconds is the knob that trades failure detection for calls (bench/README.md).
  const perCopy = (Math.max(t.lookPerCopyMs, maxGap) * calls) / k;
  const halfBudget = (calls * MINUTE) / (t.callsPerMinute / 2);
  return Math.max(t.tickMs, Math.min(Math.max(perCopy, halfBudget), maxGap));
}

/**
 * When the heartbeat is due: a period after the last heartbeat, or after the least recently looked-at copy's look
 * when every copy was looked at since (e.g. the first copy of a region, seen right after CopySnapshot: its first
 * heartbeat is a period after that look, not at once). @internal
 */
export function heartbeatDueAt(v: Pick<RegionView, "lastHeartbeat" | "watches">, t: TickTuning): number {
  if (v.watches.length === 0) return Infinity;
  let oldest = Infinity;
  for (const w of v.watches) oldest = Math.min(oldest, w.lookedAt);
  return Math.max(v.lastHeartbeat, oldest) + heartbeatMs(v.watches, t);
}

/**
 * When a watch needs a tick of its own: a take at once; a sleeping copy at its expected finish (+ slack, and
 * not before its waiter wakes); an ordinary sleep never — the heartbeat (or a retry tick) serves it.
 * @internal
 */
export function dueOf(w: WatchView, t: TickTuning): number {
  if (!w.pending) return Infinity;
  if (w.pending === "take") return w.wantAt;
  return w.expectedAt === undefined ? Infinity : Math.max(w.wantAt, w.expectedAt) + t.slackMs;
}

/** When the next tick is wanted, before spacing, batching and budget. Infinity: nothing to do. @internal */
export function dueAt(v: RegionView, t: TickTuning): number {
  let due = Infinity;
  for (const o of v.observers) due = Math.min(due, o.dueAt);
  for (const f of v.finds ?? []) due = Math.min(due, f.dueAt);
  for (const w of v.watches) due = Math.min(due, dueOf(w, t));
  due = Math.min(due, heartbeatDueAt(v, t));
  if (v.retryAt !== undefined && (v.watches.length > 0 || v.observers.length > 0 || v.finds?.length))
    due = Math.min(due, v.retryAt);
  return due;
}

/** What one tick looks at: indices into `v.watches` and `v.observers`, and the IDs in call-sized chunks. */
export interface TickPlan {
  /** The tick looks at every watched copy: the heartbeat's period starts again. */
  heartbeat: boolean;
  watches: number[];
  observers: number[];
  chunks: string[][];
  /** The tagged look-ups' queries (see {@link planLookups}). */
  lookups: LookupCall[];
  /** Calls the tick is expected to make: the chunks, and the look-ups' (a listing by key: its expected pages). */
  calls: number;
}

/**
 * The queries for the look-ups due by `horizon`, within `room` calls (at least one query is planned when any is
 * due, so a full budget delays the tick rather than starving the look-ups). Returns them with the calls expected.
 *
 * DescribeSnapshots ANDs its filters ("Configured parameters have logical AND relations": ECS API reference,
 * DescribeSnapshots), so one call cannot ask for several values of one tag key. k look-ups of one key with
 * distinct values therefore cost k calls by value — or one listing by the key alone, the values compared here:
 * every snapshot carrying the key, up to 100 a page (MaxResults ≤ 100, then NextToken: Alibaba's API metadata
 * for DescribeSnapshots). A Tag.N.Key without its Value matching any value is what ECS documents for tag
 * queries (API reference, DescribeTags: "if a tag key is specified, but no tag value … all tags related to the
 * tag-key are queried"); the DescribeSnapshots page lists Tag.N.Value as optional and says no more. The listing
 * is chosen only when its expected pages (those it took last time, see {@link RegionView.keyPages}) are fewer
 * than k, and it may take at most k - 1 pages: a listing that would cost as much as asking by value is cut
 * short, and the loop then remembers it as at least that long (so the next tick asks by value). Once the key
 * alone is proven, k pages are as good in a tick that serves one-off looks: the listing may answer those too.
 *
 * Because the DescribeSnapshots page does not say it, the loop trusts a listing's *absence* only once the key
 * alone has been seen to match a non-empty value in that region ({@link KeyAloneReading}). Until then an empty
 * listing might mean "only the empty value" (the other reading of an optional Tag.N.Value) and would hide a
 * killed run's copy, so its look-ups are asked again: by value (a query both readings agree on), one a tick
 * while the key is `waiting` — the first answered create starts a copy, the loop sees it, and the next listing
 * settles the reading for all the rest — and every one by value once the reading is `refuted`. A tick that
 * serves one-off looks (`servingOneOffLooks`: e.g. a create's look at the copy it just started) asks a waiting key nothing:
 * what it sees may be that copy, and the next tick lists. Only those: watched copies are looked at often enough
 * that skipping for them could keep a waiting key from being asked for long.
 * @internal
 */
export function planLookups(
  finds: readonly FindView[],
  keyPages: ReadonlyMap<string, number>,
  horizon: number,
  room: number,
  keyAlone: ReadonlyMap<string, KeyAloneReading> = new Map(),
  servingOneOffLooks = false,
): { lookups: LookupCall[]; calls: number } {
  const byKey = new Map<string, Map<string, number[]>>();
  finds.forEach((f, i) => {
    if (f.dueAt > horizon) return;
    const values = byKey.get(f.key) ?? new Map<string, number[]>();
    values.set(f.value, [...(values.get(f.value) ?? []), i]);
    byKey.set(f.key, values);
  });
  const lookups: LookupCall[] = [];
  let left = Math.max(1, room);
  let calls = 0;
  for (const [key, values] of byKey) {
    if (left <= 0) break;
    const k = values.size;
    const pages = keyPages.get(key) ?? 1;
    const reading = keyAlone.get(key);
    const listable = reading !== "waiting" && reading !== "refuted";
    // Listing pays when it takes fewer pages than the k values would take calls — or as many, once the key alone is
    // proven, in a tick that also serves one-off looks: the listing returns our copies too (each carries the key),
    // so it can answer those looks and spare their call (./regionLoop.ts tick). That is a create's look at its new
    // copy, made in the tick of the next create's look-up: a burst of creates then costs about one call each, not
    // two. (Not before the proof: an empty listing would have to be asked again by value.)
    const limit = servingOneOffLooks && reading === "proven" ? k : k - 1;
    if (listable && pages <= limit && pages <= left) {
      lookups.push({ key, maxPages: Math.min(limit, left), finds: [...values.values()].flat() });
      calls += pages;
      left -= pages;
      continue;
    }
    let quota = reading !== "waiting" ? Infinity : servingOneOffLooks ? 0 : 1;
    for (const [value, idx] of values) {
      if (left <= 0 || quota-- <= 0) break;
      lookups.push({ key, value, maxPages: Infinity, finds: idx });
      calls++;
      left--;
    }
  }
  return { lookups, calls };
}

/** What the tick at `v.now` looks at: everything at a heartbeat; else who asked, plus free riders. @internal */
export function planTick(v: RegionView, t: TickTuning): TickPlan {
  const { now } = v;
  // One-off looks due before the next possible tick are served now: an early look beats a late one.
  const horizon = now + t.tickMs;
  const observers = v.observers.flatMap((o, i) => (o.dueAt <= horizon ? [i] : []));
  const all = v.watches.map((_, i) => i);
  const heartbeat = now >= heartbeatDueAt(v, t);
  let watches: number[];
  if (heartbeat) watches = all;
  else {
    const asks = (w: WatchView) => w.pending === "take" || (w.pending === "sleep" && now >= w.wantAt);
    const asked = all.filter((i) => asks(v.watches[i]));
    const ids = new Set([...asked.map((i) => v.watches[i].id), ...observers.map((i) => v.observers[i].id)]);
    const room = callsFor(ids.size) * MAX_IDS_PER_CALL - ids.size;
    const riders = all
      .filter((i) => !asks(v.watches[i]))
      .sort((a, b) => v.watches[a].lookedAt - v.watches[b].lookedAt)
      .slice(0, room);
    watches = [...asked, ...riders];
  }
  // A tick that happens to look at every watched copy (up to 100 a call, free riders fill it) is as good as a
  // heartbeat: the next one is a full period later. With few copies this saves the heartbeat's calls.
  const covers = all.length > 0 && watches.length === all.length;
  const ids = [
    ...new Set([...watches.map((i) => v.watches[i].id), ...observers.map((i) => v.observers[i].id)]),
  ];
  const chunks = chunk(ids);
  const recent = v.callTimes.filter((c) => c > now - MINUTE).length;
  const { lookups, calls } = planLookups(
    v.finds ?? [],
    v.keyPages ?? new Map(),
    horizon,
    t.callsPerMinute - recent - chunks.length,
    v.keyAlone,
    observers.length > 0,
  );
  return {
    heartbeat: heartbeat || covers,
    watches,
    observers,
    chunks,
    lookups,
    calls: chunks.length + calls,
  };
}

/**
 * When the next tick may run: `at` <= now means "now". Sets `batchUntil` when the loop wakes from idle (the
 * caller keeps it until the tick runs). `at` is Infinity when nothing is due.
 * @internal
 */
export function nextTickAt(v: RegionView, t: TickTuning): { at: number; batchUntil?: number } {
  const { now } = v;
  const due = dueAt(v, t);
  if (due === Infinity) return { at: Infinity, batchUntil: v.batchUntil };
  const spaced = v.lastTick + t.tickMs;
  let batchUntil = v.batchUntil;
  // Only an unplanned request (a take, a one-off look) gathers company; a planned tick (heartbeat, expected
  // finish, retry) runs on time — else every heartbeat after a quiet spell would drift by batchMs.
  let asked = Infinity;
  for (const o of v.observers) asked = Math.min(asked, o.dueAt);
  for (const f of v.finds ?? []) asked = Math.min(asked, f.dueAt);
  for (const w of v.watches) if (w.pending === "take") asked = Math.min(asked, w.wantAt);
  if (spaced <= now && (asked <= now || v.fromIdle) && due <= now && batchUntil === undefined)
    batchUntil = now + t.batchMs;
  const calls = due <= now ? Math.max(1, planTick(v, t).calls) : 1;
  const at = Math.max(
    due,
    spaced,
    batchUntil ?? -Infinity,
    budgetAllows(v.callTimes, now, calls, t.callsPerMinute),
  );
  return { at, batchUntil };
}

/** How a tick went for one copy. @internal */
export type TickOutcome =
  | { ok: true; wakes: boolean } // `wakes`: the observation is one the waiter wants at once (finished, failed, gone)
  | { ok: false; retryable: boolean };

/**
 * What a tick does to a copy's waiter: "settle" ends its take or sleep now (the waiter then reads the outcome),
 * "keep" leaves it waiting.
 * - a take is settled by any outcome, success or failure;
 * - a sleep whose time has come (now >= wantAt) is settled by any outcome: a failing check must not keep a waiter
 *   from its deadline and stall tests;
 * - a sleep is settled early by a success that `wakes` it, or by a non-retryable failure (nothing will change by
 *   waiting: the wait should end at once with that error);
 * - otherwise a sleeper keeps sleeping: a transient failure is retried by the loop, not by waking everyone.
 * @internal
 */
export function afterTick(
  pending: "take" | "sleep" | undefined,
  wantAt: number,
  now: number,
  outcome: TickOutcome,
): "settle" | "keep" {
  if (!pending) return "keep";
  if (pending === "take" || now >= wantAt) return "settle";
  if (outcome.ok) return outcome.wakes ? "settle" : "keep";
  return outcome.retryable ? "keep" : "settle";
}
