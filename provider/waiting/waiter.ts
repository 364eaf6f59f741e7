/**
 * The one generic waiter. Modelled on smithy's `@smithy/util-waiter` (runPolling and
 * exponentialBackoffWithJitter in @smithy/core/dist-cjs/submodules/client, v3.41): the first check runs at
 * once; between checks the delay is exponential from `min`, capped at `max`, with full jitter between `min`
 * and the cap; once the exponent passes the cap the delay is exactly `max`; a delay that would cross the
 * deadline is shortened so that a last check runs just before it (smithy: 500 ms before); an AbortSignal ends
 * the wait; each ending has a named error.
 *
 * Differences from smithy, and why:
 * - No fixed deadline by default. A cross-region copy of a large disk can take hours, so the wait may instead
 *   give up when the value's progress has not advanced for `stallTimeoutMs`.
 * - The checker may pass `nextCheckHintMs` (e.g. from DescribeSnapshots RemainTime); it replaces the backoff
 *   delay, clamped to [min, max].
 * - A "failed" result ends the wait at once with {@link WaiterFailureError} (a failed copy is reported at
 *   once, not at the timeout).
 * - Time comes from an injected clock, so tests drive hours of waiting in milliseconds.
 */
import type { Clock } from "../cloud/clock";

/** One check's verdict. */
export type CheckResult<T> =
  | { state: "done"; value: T }
  | { state: "retry"; value?: T; nextCheckHintMs?: number }
  | { state: "failed"; reason: string; value?: T };

/** Looks at the world once. Errors it throws end the wait unchanged (retry transient API errors inside it). */
export type Check<T> = () => Promise<CheckResult<T>>;

/** What {@link WaiterOptions.onRetry} is told after each "retry" verdict. */
export interface RetryInfo<T> {
  /** 1 after the first check. */
  attempt: number;
  elapsedMs: number;
  value?: T;
  /** How long the waiter sleeps before the next check. */
  nextDelayMs: number;
  /** `progressOf(value)`, when both are present. */
  progress?: number;
}

export interface WaiterOptions<T = unknown> {
  /** Shortest delay between checks; > 0. */
  minDelayMs: number;
  /** Longest delay between checks; >= minDelayMs. */
  maxDelayMs: number;
  /** Fixed deadline from the start; undefined = none. */
  timeoutMs?: number;
  /**
   * The timeout the timeout error names, when the wait is the tail of a longer operation whose limit the user set
   * (a create's timeoutMinutes, part of which its start steps spent). @default timeoutMs
   */
  statedTimeoutMs?: number;
  clock: Clock;
  /** Jitter source in [0, 1); defaults to Math.random. */
  random?: () => number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo<T>) => void;
  /** Give up when `progressOf(value)` has not increased for this long; needs `progressOf`. */
  stallTimeoutMs?: number;
  progressOf?: (v: T) => number;
  /** How long before a deadline the last check runs. @default 500 (smithy's figure) */
  lastCheckMarginMs?: number;
}

/** Formats a duration for messages: "45s", "12m 5s", "6h 0m". */
export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

const atProgress = (p: number | undefined) => (p === undefined ? "" : ` at ${p}% progress`);

/** The fixed deadline passed. */
export class WaiterTimeoutError extends Error {
  override name = "WaiterTimeoutError";
  constructor(
    message: string,
    public readonly elapsedMs: number,
    public readonly lastValue?: unknown,
    public readonly progress?: number,
  ) {
    super(message);
  }
  /** @internal */
  static after(
    elapsedMs: number,
    timeoutMs: number,
    lastValue: unknown,
    progress?: number,
  ): WaiterTimeoutError {
    const msg = `gave up waiting after ${formatDuration(elapsedMs)}: the timeout of ${formatDuration(timeoutMs)} was reached${atProgress(progress)}`;
    return new WaiterTimeoutError(msg, elapsedMs, lastValue, progress);
  }
}

/**
 * Progress did not advance for `stallTimeoutMs`. A kind of timeout (`instanceof WaiterTimeoutError` is true),
 * so callers that handle timeouts (cancel or keep the copy) handle stalls the same way.
 */
export class WaiterStalledError extends WaiterTimeoutError {
  override name = "WaiterStalledError";
  constructor(
    elapsedMs: number,
    public readonly stalledForMs: number,
    lastValue?: unknown,
    progress?: number,
  ) {
    super(
      `gave up waiting after ${formatDuration(elapsedMs)}: progress has not advanced${atProgress(progress)} for ${formatDuration(stalledForMs)}`,
      elapsedMs,
      lastValue,
      progress,
    );
  }
}

/** The check reported "failed". */
export class WaiterFailureError extends Error {
  override name = "WaiterFailureError";
  constructor(
    public readonly reason: string,
    public readonly lastValue?: unknown,
    public readonly elapsedMs = 0,
  ) {
    super(reason);
  }
}

/** The AbortSignal fired. */
export class WaiterAbortedError extends Error {
  override name = "WaiterAbortedError";
  constructor(public readonly lastValue?: unknown) {
    super("the wait was aborted");
  }
}

/**
 * The delay before check number `attempt + 1`, for `attempt` >= 1, without the deadline clamp. Mirrors smithy's
 * exponentialBackoffWithJitter: past attempt log2(max/min) + 1 it is exactly `max`; before that, uniform in
 * [min, min(min * 2^(attempt-1), max)].
 * @internal exported for tests
 */
export function backoffDelay(
  attempt: number,
  minDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  const attemptCeiling = Math.log(maxDelayMs / minDelayMs) / Math.log(2) + 1;
  if (attempt > attemptCeiling) return maxDelayMs;
  const capped = Math.min(minDelayMs * 2 ** (attempt - 1), maxDelayMs);
  return minDelayMs + random() * (capped - minDelayMs);
}

/** The first `count` delays {@link backoffDelay} gives. @internal exported for tests */
export function backoffDelays(
  count: number,
  minDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number[] {
  return Array.from({ length: count }, (_, i) => backoffDelay(i + 1, minDelayMs, maxDelayMs, random));
}

function validate<T>(o: WaiterOptions<T>): void {
  const bad = (what: string) => {
    throw new RangeError(`waiter: ${what}`);
  };
  if (!(o.minDelayMs > 0)) bad(`minDelayMs must be > 0 (got ${o.minDelayMs})`);
  if (!(o.maxDelayMs >= o.minDelayMs)) bad(`maxDelayMs must be >= minDelayMs (got ${o.maxDelayMs})`);
  if (o.timeoutMs !== undefined && !(o.timeoutMs > 0)) bad(`timeoutMs must be > 0 (got ${o.timeoutMs})`);
  if (o.stallTimeoutMs !== undefined && !(o.stallTimeoutMs > 0))
    bad(`stallTimeoutMs must be > 0 (got ${o.stallTimeoutMs})`);
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Runs `check` until it reports "done" (returns its value), "failed" (throws {@link WaiterFailureError}), the
 * deadline or stall limit passes (throws {@link WaiterTimeoutError} / {@link WaiterStalledError}) or the signal
 * aborts (throws {@link WaiterAbortedError}). No check starts after a deadline.
 */
export async function waitUntil<T>(check: Check<T>, opts: WaiterOptions<T>): Promise<T> {
  validate(opts);
  const { clock, minDelayMs, maxDelayMs, signal, progressOf } = opts;
  const random = opts.random ?? Math.random;
  const margin = opts.lastCheckMarginMs ?? 500;
  const start = clock.now();
  const timeoutAt = opts.timeoutMs === undefined ? Infinity : start + opts.timeoutMs;
  const stalls = opts.stallTimeoutMs !== undefined && progressOf !== undefined;
  let lastValue: T | undefined;
  let best: number | undefined;
  let advancedAt = start;

  for (let attempt = 0; ;) {
    if (signal?.aborted) throw new WaiterAbortedError(lastValue);
    const result = await check();
    if (result.value !== undefined) lastValue = result.value;
    const now = clock.now();
    if (result.state === "done") return result.value;
    if (result.state === "failed") throw new WaiterFailureError(result.reason, lastValue, now - start);
    attempt += 1;

    const progress = progressOf && lastValue !== undefined ? progressOf(lastValue) : undefined;
    if (progress !== undefined && (best === undefined || progress > best)) {
      best = progress;
      advancedAt = now;
    }
    const stallAt = stalls ? advancedAt + opts.stallTimeoutMs! : Infinity;
    const deadline = Math.min(timeoutAt, stallAt);
    const remaining = deadline - now;
    if (remaining <= margin) {
      if (stallAt <= timeoutAt)
        throw new WaiterStalledError(now - start, now - advancedAt, lastValue, progress);
      throw WaiterTimeoutError.after(
        now - start,
        opts.statedTimeoutMs ?? opts.timeoutMs!,
        lastValue,
        progress,
      );
    }

    let delay =
      result.nextCheckHintMs !== undefined
        ? clamp(result.nextCheckHintMs, minDelayMs, maxDelayMs)
        : backoffDelay(attempt, minDelayMs, maxDelayMs, random);
    // smithy: a delay that would cross the deadline is cut so the last check runs just before it.
    if (delay > remaining - margin) delay = remaining - margin;
    opts.onRetry?.({ attempt, elapsedMs: now - start, value: lastValue, nextDelayMs: delay, progress });

    try {
      await clock.sleep(delay, signal);
    } catch (err) {
      if (signal?.aborted) throw new WaiterAbortedError(lastValue);
      throw err;
    }
  }
}
