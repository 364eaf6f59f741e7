import fc from "fast-check";
import {
  backoffDelay,
  backoffDelays,
  formatDuration,
  waitUntil,
  WaiterAbortedError,
  WaiterFailureError,
  WaiterStalledError,
  WaiterTimeoutError,
  type Check,
} from "../../provider/waiting/waiter";
import { systemClock, type Clock } from "../../provider/cloud/clock";

/** A clock that only moves when the waiter sleeps; records each sleep. */
function fakeClock(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => t,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw new Error("aborted");
      sleeps.push(ms);
      t += ms;
    },
  };
  return { clock, sleeps, elapsed: () => t - start };
}

/** A check that says "retry" `n` times, then "done", recording when it ran. */
function retriesThenDone(n: number, clock: Clock, times: number[]): Check<string> {
  let calls = 0;
  return async () => {
    times.push(clock.now());
    return ++calls > n ? { state: "done", value: "ok" } : { state: "retry", value: `try ${calls}` };
  };
}

const min = 5_000;
const max = 60_000;
const half = () => 0.5;

describe("backoffDelay mirrors smithy's exponentialBackoffWithJitter", () => {
  it("GIVEN random 0.5, min 5 s, max 60 s THEN delays grow from min, jittered, then sit at max", () => {
    // attempt n: uniform in [min, min * 2^(n-1)] -> 5 + 0.5 * (cap - 5); past log2(12) + 1 ≈ 4.58: exactly max.
    expect(backoffDelays(7, min, max, half)).toEqual([5_000, 7_500, 12_500, 22_500, 60_000, 60_000, 60_000]);
  });

  it("GIVEN random 0 THEN every delay before the ceiling is min; GIVEN random ~1 THEN it is the cap", () => {
    expect(backoffDelays(4, min, max, () => 0)).toEqual([5_000, 5_000, 5_000, 5_000]);
    expect(backoffDelays(4, min, max, () => 1)).toEqual([5_000, 10_000, 20_000, 40_000]);
  });

  it("GIVEN min equal to max THEN every delay is that value", () => {
    expect(backoffDelays(5, 10_000, 10_000, Math.random)).toEqual(Array(5).fill(10_000));
  });

  it("property: every delay is within [min, max]", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (lo, extra, attempt, r) => {
          const d = backoffDelay(attempt, lo, lo + extra, () => r);
          return d >= lo && d <= lo + extra;
        },
      ),
    );
  });
});

describe("waitUntil", () => {
  it("GIVEN a check that is done at once THEN it runs once, with no sleep", async () => {
    const { clock, sleeps } = fakeClock();
    const times: number[] = [];
    await expect(
      waitUntil(retriesThenDone(0, clock, times), { minDelayMs: min, maxDelayMs: max, clock }),
    ).resolves.toBe("ok");
    expect(times).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("GIVEN a fixed random THEN the first check runs at once and the next follow the backoff sequence", async () => {
    const { clock, sleeps } = fakeClock(0);
    const times: number[] = [];
    await waitUntil(retriesThenDone(6, clock, times), {
      minDelayMs: min,
      maxDelayMs: max,
      clock,
      random: half,
    });
    expect(sleeps).toEqual([5_000, 7_500, 12_500, 22_500, 60_000, 60_000]);
    expect(times).toEqual([0, 5_000, 12_500, 25_000, 47_500, 107_500, 167_500]);
  });

  it("GIVEN a check that reports failed THEN the wait ends at once with the reason", async () => {
    const { clock, sleeps } = fakeClock();
    let calls = 0;
    const check: Check<number> = async () =>
      ++calls < 3 ? { state: "retry", value: calls } : { state: "failed", reason: "copy failed", value: 42 };
    const err = await waitUntil(check, { minDelayMs: min, maxDelayMs: max, clock, random: half }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(WaiterFailureError);
    expect(err).toMatchObject({ name: "WaiterFailureError", reason: "copy failed", lastValue: 42 });
    expect(calls).toBe(3);
    expect(sleeps).toHaveLength(2);
  });

  it("GIVEN a 30 s timeout THEN a last check runs 500 ms before the deadline, then WaiterTimeoutError", async () => {
    const { clock } = fakeClock(0);
    const times: number[] = [];
    const err = await waitUntil(retriesThenDone(Infinity, clock, times), {
      minDelayMs: min,
      maxDelayMs: max,
      timeoutMs: 30_000,
      clock,
      random: half,
    }).catch((e) => e);
    // 0, 5, 12.5, 25 s; the next delay (22.5 s) would cross 30 s, so it is cut to reach 29.5 s.
    expect(times).toEqual([0, 5_000, 12_500, 25_000, 29_500]);
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(err).toMatchObject({ name: "WaiterTimeoutError", elapsedMs: 29_500, lastValue: "try 5" });
    expect(err.message).toMatch(/timeout of 30s was reached/);
  });

  it("GIVEN a wait that is the last 28 s of an operation's 30 s timeout THEN the timeout error names the 30 s the user set", async () => {
    const { clock } = fakeClock(0);
    const err = await waitUntil(retriesThenDone(Infinity, clock, []), {
      minDelayMs: min,
      maxDelayMs: max,
      timeoutMs: 28_000,
      statedTimeoutMs: 30_000,
      clock,
      random: half,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(err.elapsedMs).toBeLessThanOrEqual(28_000);
    expect(err.message).toMatch(/timeout of 30s was reached/);
  });

  it("GIVEN a copy that advances slowly for 16 hours AND no fixed timeout THEN the wait does not give up", async () => {
    const { clock, elapsed } = fakeClock(0);
    // 1% every 10 minutes: a large disk across regions.
    const check: Check<number> = async () => {
      const p = Math.floor(clock.now() / 600_000);
      return p >= 100 ? { state: "done", value: 100 } : { state: "retry", value: p };
    };
    const value = await waitUntil(check, {
      minDelayMs: min,
      maxDelayMs: max,
      clock,
      random: half,
      stallTimeoutMs: 360 * 60_000,
      progressOf: (p) => p,
    });
    expect(value).toBe(100);
    expect(elapsed()).toBeGreaterThan(16 * 3600_000);
  });

  it("GIVEN progress stuck for the stall timeout THEN WaiterStalledError, a kind of timeout, with the progress", async () => {
    const { clock, elapsed } = fakeClock(0);
    const check: Check<number> = async () => ({ state: "retry", value: clock.now() < 3_600_000 ? 10 : 45 });
    const err = await waitUntil(check, {
      minDelayMs: min,
      maxDelayMs: max,
      clock,
      random: half,
      stallTimeoutMs: 6 * 3_600_000,
      progressOf: (p) => p,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(WaiterStalledError);
    expect(err).toBeInstanceOf(WaiterTimeoutError);
    expect(err).toMatchObject({ name: "WaiterStalledError", progress: 45 });
    // Progress last moved (10 -> 45) at the first check at or after 1 h; the wait ends 6 h later, minus 500 ms.
    expect(err.stalledForMs).toBe(6 * 3_600_000 - 500);
    expect(elapsed()).toBeLessThan(7 * 3_600_000 + max);
    expect(err.message).toMatch(/progress has not advanced at 45% progress for 6h 0m/);
  });

  it("GIVEN a hint from the check THEN it replaces the backoff, clamped to [min, max]", async () => {
    const { clock, sleeps } = fakeClock();
    const hints = [1, 20_000, 10_000_000];
    let i = 0;
    const check: Check<string> = async () =>
      i < hints.length ? { state: "retry", nextCheckHintMs: hints[i++] } : { state: "done", value: "ok" };
    await waitUntil(check, { minDelayMs: min, maxDelayMs: max, clock, random: half });
    expect(sleeps).toEqual([5_000, 20_000, 60_000]);
  });

  it("tells onRetry the attempt, elapsed time, value, progress and next delay", async () => {
    const { clock } = fakeClock(0);
    const seen: unknown[] = [];
    await waitUntil(retriesThenDone(2, clock, []), {
      minDelayMs: min,
      maxDelayMs: max,
      clock,
      random: half,
      progressOf: (v) => v.length,
      onRetry: (info) => seen.push(info),
    });
    expect(seen).toEqual([
      { attempt: 1, elapsedMs: 0, value: "try 1", nextDelayMs: 5_000, progress: 5 },
      { attempt: 2, elapsedMs: 5_000, value: "try 2", nextDelayMs: 7_500, progress: 5 },
    ]);
  });

  it("GIVEN an aborted signal THEN no check runs", async () => {
    const { clock } = fakeClock();
    const ac = new AbortController();
    ac.abort();
    const times: number[] = [];
    const err = await waitUntil(retriesThenDone(1, clock, times), {
      minDelayMs: min,
      maxDelayMs: max,
      clock,
      signal: ac.signal,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(WaiterAbortedError);
    expect(times).toEqual([]);
  });

  it("GIVEN the signal aborts while the waiter sleeps THEN WaiterAbortedError with the last value", async () => {
    const { clock } = fakeClock();
    const ac = new AbortController();
    const check: Check<string> = async () => {
      ac.abort();
      return { state: "retry", value: "halfway" };
    };
    const err = await waitUntil(check, { minDelayMs: min, maxDelayMs: max, clock, signal: ac.signal }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(WaiterAbortedError);
    expect(err).toMatchObject({ name: "WaiterAbortedError", lastValue: "halfway" });
  });

  it("GIVEN the system clock WHEN the signal aborts THEN its sleep ends early", async () => {
    const ac = new AbortController();
    const sleeping = systemClock.sleep(60_000, ac.signal);
    ac.abort();
    await expect(sleeping).rejects.toMatchObject({ name: "AbortError" });
  });

  it("GIVEN a check that throws THEN the error ends the wait unchanged", async () => {
    const { clock } = fakeClock();
    const boom = new Error("Forbidden.RAM");
    await expect(
      waitUntil(() => Promise.reject(boom), { minDelayMs: min, maxDelayMs: max, clock }),
    ).rejects.toBe(boom);
  });

  it.each([
    [{ minDelayMs: 0, maxDelayMs: 1 }, /minDelayMs must be > 0/],
    [{ minDelayMs: 10, maxDelayMs: 5 }, /maxDelayMs must be >= minDelayMs/],
    [{ minDelayMs: 1, maxDelayMs: 5, timeoutMs: -1 }, /timeoutMs must be > 0/],
    [{ minDelayMs: 1, maxDelayMs: 5, stallTimeoutMs: 0 }, /stallTimeoutMs must be > 0/],
  ])("rejects invalid options %j", async (opts, says) => {
    const { clock } = fakeClock();
    await expect(waitUntil(retriesThenDone(0, clock, []), { ...opts, clock })).rejects.toThrow(says);
  });

  it("property: delays stay within [min, max] (the last may be shorter), and no check runs after the deadline", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: 30_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.integer({ min: 1_001, max: 3_600_000 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })),
        async (lo, extra, timeoutMs, randoms) => {
          const hi = lo + extra;
          const { clock, sleeps } = fakeClock(0);
          const times: number[] = [];
          const it = randoms[Symbol.iterator]();
          const err = await waitUntil(retriesThenDone(Infinity, clock, times), {
            minDelayMs: lo,
            maxDelayMs: hi,
            timeoutMs,
            clock,
            random: () => it.next().value as number,
          }).catch((e) => e);
          expect(err).toBeInstanceOf(WaiterTimeoutError);
          expect(sleeps.every((d) => d <= hi)).toBe(true);
          expect(sleeps.slice(0, -1).every((d) => d >= lo)).toBe(true);
          expect(Math.max(...times)).toBeLessThanOrEqual(timeoutMs);
          // The last check runs just before the deadline (smithy's 500 ms margin).
          expect(times[times.length - 1]).toBe(timeoutMs - 500);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("formatDuration", () => {
  it.each([
    [45_000, "45s"],
    [12 * 60_000 + 5_000, "12m 5s"],
    [6 * 3_600_000, "6h 0m"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
