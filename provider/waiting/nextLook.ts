/**
 * When to look at a progressing copy again, from DescribeSnapshots' RemainTime — without trusting it blindly.
 * Pure: no clock, no I/O.
 *
 * Alibaba's API reference says what RemainTime is (seconds left) but nothing about how good it is. So the waiter
 * trusts it only as far as it has proven itself: each reading predicts an end (now + RemainTime); when the last
 * {@link AGREEING_READINGS} predictions agree (within {@link agreeWithinMs}), the next look is at that end. Until
 * they do, the look is at {@link HEDGE} of RemainTime: a RemainTime that overstates by up to 50 % is not overshot
 * (two thirds of 1.5 × the truth is the truth), and each look shrinks what is left, so the last look before the
 * end is close to it. Such a look may land a little after that earliest end ({@link lateMs}: 2 s, or 5 % of a
 * wait shorter than 40 s): a finish seen 2 s late is still seen within seconds, and near the end, where what is
 * left is a few seconds, the allowance saves the looks that would otherwise creep up on it (bench/waiting.ts, noisy
 * hints). Readings that agree bound their own error, so trusting them costs little on exact hints.
 * A missing or 0 RemainTime says nothing (see {@link nextLook} for what stands in for it).
 * Measured on exact and noisy hints by bench/waiting.ts.
 * @internal
 */

/** Look again at this share of RemainTime while readings do not agree (see the file comment). */
export const HEDGE = 2 / 3;
/** How many consecutive predictions must agree before the next look goes to their end. */
export const AGREEING_READINGS = 3;
/** Never look again sooner than this (ms): the floor of the waiter's hints. */
export const MIN_LOOK_MS = 1000;
/** A look at the earliest end RemainTime allows may come this long after it (ms): see the file comment. */
export const LATE_MS = 2000;
/** ... but no more than this share of the wait: 2 s is nothing after 20 minutes, and 10 % of a 20 s wait. */
export const LATE_SHARE = 0.05;

/**
 * How late a look at an earliest end may land, for a wait that began `since` and may end `leftMs` after `now`:
 * {@link LATE_MS}, or {@link LATE_SHARE} of the wait's length when that is less (waits under 40 s). Copies of
 * minutes to hours (bench/waiting.ts) always get the full LATE_MS; a 20 s copy (bench/engine-parallel.ts) is seen
 * within 1 s of its end instead of 2 s.
 */
export function lateMs(since: number, now: number, leftMs: number): number {
  return Math.min(LATE_MS, LATE_SHARE * (now - since + leftMs));
}

/** What the waiter keeps of its readings: a few numbers, whatever the length of the wait. */
export interface Readings {
  /** When the first look of this wait was (epoch ms): the wait's length so far scales {@link lateMs}. */
  since?: number;
  /** Predicted ends (epoch ms) of the latest RemainTime readings, oldest first; at most {@link AGREEING_READINGS}. */
  ends: readonly number[];
  /**
   * The earliest the copy may end by the latest RemainTime reading: reading time + {@link HEDGE} × RemainTime
   * (a RemainTime up to 1.5 × the truth). From then on the copy may end at any moment.
   */
  earliest?: number;
  /**
   * When Progress (0..100) last changed, and its rate then (% per ms): an estimate when RemainTime says nothing.
   * Progress moves in whole percents, so the rate is taken between changes, not between looks.
   */
  change?: { at: number; progress: number; ratePerMs?: number };
}

/** Predictions agree when their spread is within 2 s, or 2 % of what is left, whichever is more. */
export function agreeWithinMs(remainMs: number): number {
  return Math.max(2000, 0.02 * remainMs);
}

/** What the next look should be: in `lookInMs`, at the end the readings agree on (`atEnd`) or before it. */
export interface NextLook {
  readings: Readings;
  /** undefined: nothing known ahead; back off. */
  lookInMs?: number;
  /** The look is at the predicted end (readings agree): ask for a tick of its own then. */
  atEnd: boolean;
}

/**
 * The next look after a reading of `remainSeconds` (undefined or 0: no estimate) and `progress` at `now`. Without
 * an estimate, the latest prediction still ahead stands; failing that, Progress's rate since the previous look
 * (uneven, so hedged the same way); failing that, nothing is known ahead (`lookInMs` undefined).
 */
export function nextLook(
  r: Readings,
  now: number,
  remainSeconds: number | undefined,
  progress: number,
): NextLook {
  const c = r.change;
  const change =
    c && progress === c.progress
      ? c
      : {
          at: now,
          progress,
          ratePerMs: c && progress > c.progress ? (progress - c.progress) / (now - c.at) : undefined,
        };
  const since = r.since ?? now;
  const hedged = (ms: number) => Math.max(MIN_LOOK_MS, HEDGE * ms + lateMs(since, now, ms));
  if (remainSeconds !== undefined && remainSeconds > 0) {
    const remainMs = remainSeconds * 1000;
    const ends = [...r.ends, now + remainMs].slice(-AGREEING_READINGS);
    const agree =
      ends.length === AGREEING_READINGS && Math.max(...ends) - Math.min(...ends) <= agreeWithinMs(remainMs);
    const earliest = agree ? now + remainMs : now + HEDGE * remainMs;
    return {
      readings: { since, ends, earliest, change },
      lookInMs: agree ? remainMs : hedged(remainMs),
      atEnd: agree,
    };
  }
  // No estimate in this answer: the latest reading's earliest end stands while it is ahead.
  const readings = { since, ends: r.ends, earliest: r.earliest, change };
  const ahead = (r.earliest ?? -Infinity) - now;
  if (ahead > MIN_LOOK_MS) return { readings, lookInMs: ahead + lateMs(since, now, ahead), atEnd: false };
  // At the rate of the last change, the rest takes (100 − progress) / rate from that change.
  const byRate = change.ratePerMs ? change.at + (100 - change.progress) / change.ratePerMs - now : 0;
  if (byRate > MIN_LOOK_MS) return { readings, lookInMs: hedged(byRate), atEnd: false };
  return { readings, atEnd: false };
}
