/**
 * The one time seam. Every wait, retry and status loop reads time and sleeps through an injected {@link Clock},
 * so tests and benchmarks drive hours of waiting in milliseconds (the simulator's VirtualClock has this shape).
 */
import { setTimeout as sleepFor } from "node:timers/promises";

/** Time source and sleep. Inject a fake one in tests. */
export interface Clock {
  /** Epoch milliseconds (virtual in tests). */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: Date.now and node:timers/promises. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : undefined),
};
