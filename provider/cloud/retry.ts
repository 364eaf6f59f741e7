/**
 * Retrying transient Alibaba Cloud API failures.
 *
 * Which failures are transient follows the Alibaba Cloud SDK retry guidance and the ECS error-code
 * reference: throttling (`Throttling`, `Throttling.User`, `Throttling.Api`, `Rejected.Throttling`),
 * `ServiceUnavailable`, any HTTP 5xx, and connection-level failures (resets, socket timeouts). Everything
 * else is a real answer from the API and fails at once (docs/design.md §7).
 *
 * Backoff is "full jitter" exponential (AWS architecture blog "Exponential Backoff And Jitter", the same
 * model smithy's util-waiter uses), bounded by the operation's deadline so a retry never outlives it.
 * @internal
 */
import type { Clock } from "./clock";

/** Error codes that mean "try again later" rather than "no". @internal */
const RETRYABLE_CODES = new Set([
  "Throttling",
  "Throttling.User",
  "Throttling.Api",
  "Throttling.Resource",
  "Rejected.Throttling",
  "ServiceUnavailable",
  "InternalError",
  "UnknownError",
  "OperationConflict", // ECS: "the operation conflicts with a concurrent one, try again later"
]);

/** Node / httpx connection failure codes and names (what a reset or socket timeout surfaces as). @internal */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "ESOCKETTIMEDOUT",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "RequestTimeoutError",
  "ReadTimeoutError",
  "NetworkError",
]);

/**
 * Is this failure worth retrying?
 * @param code the normalised API `Code`, or a Node/httpx error code/name for connection failures
 * @param httpStatus the HTTP status, when a response arrived
 * @internal
 */
export function isRetryableFailure(code: string | undefined, httpStatus: number | undefined): boolean {
  if (httpStatus !== undefined && httpStatus >= 500) return true;
  if (code === undefined) return false;
  if (RETRYABLE_CODES.has(code) || NETWORK_CODES.has(code)) return true;
  return code.startsWith("Throttling") || /socket hang up/i.test(code);
}

/** Tuning for {@link withRetries}. @internal */
export interface RetryOptions {
  clock: Clock;
  /** Returns [0, 1); injected so tests are deterministic. */
  random: () => number;
  /** Absolute epoch ms after which no new attempt starts. */
  deadline?: number;
  /**
   * Used when no deadline is given (reads, deletes, updates): stop retrying after this long. Long enough to ride
   * out a short API outage (tests/engine/reliability.faults.test.ts rides out 30 s), short enough that a wrong endpoint fails in minutes, not ten.
   * @default 180_000 (3 min)
   */
  maxElapsedMs?: number;
  /** First backoff cap. @default 500 */
  baseDelayMs?: number;
  /** Largest backoff cap. @default 20_000 */
  maxDelayMs?: number;
  signal?: AbortSignal;
  /** Called before each backoff sleep (logging, counters). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Full-jitter exponential delay for the given retry attempt (1 = first retry):
 * uniform in [cap/2, cap] where cap = min(max, base * 2^(attempt-1)). Keeping half the cap as a floor
 * avoids hammering a throttled API with near-zero delays.
 * @internal
 */
export function retryDelayMs(
  attempt: number,
  random: () => number,
  baseDelayMs = 500,
  maxDelayMs = 20_000,
): number {
  const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** How long calls without a deadline keep retrying (see {@link RetryOptions.maxElapsedMs}). @internal */
export const DEFAULT_MAX_ELAPSED_MS = 180_000;

/**
 * Runs `fn`, retrying while `retryable(err)` says so and the deadline allows another attempt.
 * The last error is rethrown unchanged.
 * @internal
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  retryable: (err: unknown) => boolean,
  opts: RetryOptions,
): Promise<T> {
  const start = opts.clock.now();
  const deadline = opts.deadline ?? start + (opts.maxElapsedMs ?? DEFAULT_MAX_ELAPSED_MS);
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!retryable(err) || opts.signal?.aborted) throw err;
      const delay = retryDelayMs(attempt, opts.random, opts.baseDelayMs, opts.maxDelayMs);
      if (opts.clock.now() + delay >= deadline) throw err;
      opts.onRetry?.(err, attempt, delay);
      await opts.clock.sleep(delay, opts.signal);
    }
  }
}
