/** The status watcher's shapes: what it needs, what a watch offers, what a tick records. @internal */
import type { Clock } from "../cloud/clock";
import type { RetryQuota } from "../cloud/retry";
import type { ApiSnapshot } from "../rules/snapshot";

/** What the watcher needs. @internal */
export interface StatusWatcherDeps {
  /** ONE DescribeSnapshots attempt (≤ 100 IDs) in `region`, no retries: the watcher owns them. */
  describe(region: string, ids: string[]): Promise<ApiSnapshot[]>;
  /**
   * ONE page of DescribeSnapshots filtered by the tag `key` = `value`, or by `key` alone when `value` is
   * undefined (MaxResults 100), from `nextToken`; no retries: the watcher owns them. Needed by
   * `StatusWatcher.findTagged` only.
   */
  describeTagged?(
    region: string,
    tag: { key: string; value?: string },
    nextToken?: string,
  ): Promise<{ snapshots: ApiSnapshot[]; nextToken?: string }>;
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
export const DEFAULT_MAX_GAP_MS = 60_000;
/** Ticks kept for {@link StatusWatcher.tickLog} unless `keepTicks` is set. @internal */
export const DEFAULT_TICKS_KEPT = 256;

/** One tick of one region's loop, for tests and benchmarks. @internal */
export interface TickRecord {
  region: string;
  /** Clock time of the tick. */
  at: number;
  /** Distinct snapshot IDs looked at. */
  ids: number;
  /** DescribeSnapshots calls made: the status checks (one per 100 IDs) and the tagged look-ups' pages. */
  calls: number;
  /** Of `calls`, the tagged look-ups' (a tag filter cannot join an ID list: DescribeSnapshots ANDs its filters). */
  lookups: number;
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
