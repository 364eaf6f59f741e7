/**
 * Runs virtual time forward whenever nothing real is happening, so hours of copying take milliseconds.
 *
 * "Idle" = no HTTP request in flight on either side (the simulator's `inFlight()` plus the provider's outbound
 * counter, passed in as `busy`) for two consecutive short real-time turns. Then the manual VirtualClock jumps
 * to its earliest sleeper, which wakes whoever waits on it (the status watcher, a waiter's backoff, a retry).
 */
import type { VirtualClock } from "../../simulator";

export interface AutoAdvance {
  /** Stops advancing; resolves when the loop has exited. */
  stop(): Promise<void>;
  /** How many times the clock was advanced. */
  jumps(): number;
}

const turn = (): Promise<void> => new Promise((resolve) => setTimeout(() => setImmediate(resolve), 2));

/** Starts the auto-advance loop on a manual-mode clock. */
export function autoAdvance(clock: VirtualClock, busy: () => number): AutoAdvance {
  let stopped = false;
  let jumps = 0;
  const loop = (async () => {
    let idleTurns = 0;
    while (!stopped) {
      await turn();
      if (busy() > 0) {
        idleTurns = 0;
        continue;
      }
      if (++idleTurns < 2) continue;
      const next = clock.nextWakeup();
      if (next !== undefined) {
        clock.advanceTo(Math.max(next, clock.now()));
        jumps++;
        idleTurns = 0;
      }
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
    jumps: () => jumps,
  };
}
