/**
 * The one retry policy for Alibaba Cloud API calls: which failures are worth another attempt, how long to wait
 * before it, and a per-region retry quota so a failing region cannot turn into a storm of retries.
 *
 * What to know first:
 * - Transient = throttling (`Throttling`, `Throttling.User`, `Throttling.Api`, `Rejected.Throttling`),
 *   `ServiceUnavailable`, any HTTP 5xx, and connection-level failures (resets, socket timeouts). Everything else
 *   is a real answer from the API and fails at once — in particular the authentication and authorisation codes
 *   (`InvalidSecurityToken.Expired`, `InvalidSecurityToken.MismatchWithAccessKey`, `InvalidAccessKeyId.NotFound`,
 *   `SignatureDoesNotMatch`, `Forbidden.RAM`, HTTP 400/403/404): the same request with the same credentials gets
 *   the same answer. Sources: Alibaba Cloud "Common error codes" (help.aliyun.com/document_detail/48054; KMS
 *   help/doc-detail/69008: InvalidAccessKeyId.NotFound 404) and the Alibaba Cloud SDK retry conditions
 *   (@darabonba/typescript retry.js retries Throttling and 5xx only).
 * - Delay: "equal jitter" exponential backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform
 *   in [cap/2, cap] with cap = min(max, base * 2^(attempt-1)). Not "full jitter" ([0, cap]): keeping half the
 *   cap as a floor avoids hammering a throttled API with near-zero delays. The server's own hint wins when it is
 *   longer: `retryAfterMs` on the error (the SDK's ThrottlingError.retryAfter, from the `x-acs-retry-after`
 *   header; @darabonba/typescript uses it as milliseconds) is the minimum delay.
 * - Quota: smithy's StandardRetryStrategy model (@smithy/util-retry constants: INITIAL_RETRY_TOKENS 500,
 *   RETRY_COST 5, TIMEOUT_RETRY_COST 10, NO_RETRY_INCREMENT 1). Every retry takes its cost from the quota; a
 *   success refunds what its last retry took, or 1 when it needed none. When the quota cannot pay for a retry
 *   the last error is thrown at once (fail fast) instead of retried.
 * - The operation's deadline bounds retries: no attempt starts after it.
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

/** Connection failures that are timeouts: a retry after one costs more of the quota (smithy: TIMEOUT_RETRY_COST). */
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "RequestTimeoutError", "ReadTimeoutError"]);

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

/** Is this failure a timeout (a slow or dead connection rather than an answer)? @internal */
export function isTimeoutFailure(code: string | undefined): boolean {
  return code !== undefined && TIMEOUT_CODES.has(code);
}

/** What the retry policy reads off a failure. Anything else counts as not retryable. @internal */
export interface RetryableError {
  retryable: boolean;
  /** Smallest delay the server asked for (ms). */
  retryAfterMs?: number;
  /** A timeout costs more of the quota. */
  timeout?: boolean;
}

/** Reads {@link RetryableError} fields off anything thrown. @internal */
export function retryFacts(err: unknown): RetryableError {
  const e = (err ?? {}) as Partial<RetryableError>;
  return {
    retryable: e.retryable === true,
    retryAfterMs: typeof e.retryAfterMs === "number" && e.retryAfterMs > 0 ? e.retryAfterMs : undefined,
    timeout: e.timeout === true,
  };
}

/** smithy's StandardRetryStrategy figures (@smithy/util-retry, constants.ts). @internal */
export const RETRY_QUOTA = { capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 } as const;

/**
 * A retry quota (token bucket). One per region: {@link RetryQuota.take} pays for a retry or says no;
 * {@link RetryQuota.refund} on success gives back what the last retry took (or 1).
 * @internal
 */
export class RetryQuota {
  private available: number;
  constructor(
    readonly capacity: number = RETRY_QUOTA.capacity,
    private readonly costs: { retry: number; timeout: number; success: number } = {
      retry: RETRY_QUOTA.retryCost,
      timeout: RETRY_QUOTA.timeoutCost,
      success: RETRY_QUOTA.successRefund,
    },
  ) {
    this.available = capacity;
  }

  /** Tokens left. */
  get tokens(): number {
    return this.available;
  }

  /** Pays for one retry; returns the cost paid, or undefined when the quota cannot pay (do not retry). */
  take(timeout = false): number | undefined {
    const cost = timeout ? this.costs.timeout : this.costs.retry;
    if (this.available < cost) return undefined;
    this.available -= cost;
    return cost;
  }

  /** A success: refunds `paid` (what its last retry cost) or the small no-retry increment. */
  refund(paid?: number): void {
    this.available = Math.min(this.capacity, this.available + (paid ?? this.costs.success));
  }
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
   * out a short API outage (tests/provider use 30 s), short enough that a wrong endpoint fails in minutes.
   * @default 180_000 (3 min)
   */
  maxElapsedMs?: number;
  /** First backoff cap. @default 500 */
  baseDelayMs?: number;
  /** Largest backoff cap. @default 20_000 */
  maxDelayMs?: number;
  /** Shared retry quota (per region); none = unlimited retries within the deadline. */
  quota?: RetryQuota;
  signal?: AbortSignal;
  /** Called before each backoff sleep (logging, counters). */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Equal-jitter exponential delay for the given retry attempt (1 = first retry): uniform in [cap/2, cap] where
 * cap = min(max, base * 2^(attempt-1)).
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

/** The delay before retry `attempt` after `err`: the backoff, but never less than the server's hint. @internal */
export function delayAfter(
  err: unknown,
  attempt: number,
  random: () => number,
  baseDelayMs?: number,
  maxDelayMs?: number,
): number {
  const backoff = retryDelayMs(attempt, random, baseDelayMs, maxDelayMs);
  return Math.max(backoff, retryFacts(err).retryAfterMs ?? 0);
}

/** How long calls without a deadline keep retrying (see {@link RetryOptions.maxElapsedMs}). @internal */
export const DEFAULT_MAX_ELAPSED_MS = 180_000;

/**
 * Runs `fn`, retrying while the error says it is retryable, the deadline allows another attempt and the quota
 * can pay for it. The last error is rethrown unchanged.
 * @internal
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const start = opts.clock.now();
  const deadline = opts.deadline ?? start + (opts.maxElapsedMs ?? DEFAULT_MAX_ELAPSED_MS);
  let paid: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await fn(attempt);
      opts.quota?.refund(paid);
      return out;
    } catch (err) {
      const facts = retryFacts(err);
      if (!facts.retryable || opts.signal?.aborted) throw err;
      const delay = delayAfter(err, attempt, opts.random, opts.baseDelayMs, opts.maxDelayMs);
      if (opts.clock.now() + delay >= deadline) throw err;
      if (opts.quota) {
        paid = opts.quota.take(facts.timeout);
        if (paid === undefined) throw err; // the quota is empty: fail fast rather than add to a storm
      }
      opts.onRetry?.(err, attempt, delay);
      await opts.clock.sleep(delay, opts.signal);
    }
  }
}
