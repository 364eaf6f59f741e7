/**
 * `@smithy/util-waiter`'s real `createWaiter` / `checkExceptions`, running on a virtual clock.
 *
 * util-waiter takes no clock: it re-exports them from `@smithy/core/client`, whose `runPolling` sleeps with the
 * global `setTimeout`, reads the global `Date.now()` for its deadline, and jitters with `Math.random()`
 * (exponentialBackoffWithJitter). Faking those globals for the whole process (@sinonjs/fake-timers) would also
 * fake the HTTP stack's timers and the SDK's request timestamps. Instead we evaluate that one module's own source
 * once more, with `setTimeout`, `Date` and `Math` bound to the virtual clock and a seeded PRNG, so the waiter
 * code that runs is byte-for-byte smithy's.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { compileFunction } from "node:vm";
import type { createWaiter as CreateWaiter, checkExceptions as CheckExceptions } from "@smithy/util-waiter";
import type { Clock } from "../../simulator/clock";

export interface SmithyWaiter {
  createWaiter: typeof CreateWaiter;
  checkExceptions: typeof CheckExceptions;
  /** The module that was loaded, with its version, for the report. */
  source: string;
}

/** Loads smithy's waiter with time from `clock` and jitter from `random`. */
export function smithyOnClock(clock: Clock, random: () => number): SmithyWaiter {
  // The module util-waiter re-exports from (check: util-waiter's dist-cjs/index.js requires "@smithy/core/client").
  const fromUtilWaiter = createRequire(require.resolve("@smithy/util-waiter"));
  const file = fromUtilWaiter.resolve("@smithy/core/client");
  const version = (fromUtilWaiter("@smithy/util-waiter/package.json") as { version: string }).version;

  const setTimeout = (fn: () => void, ms = 0): void => void clock.sleep(ms).then(fn);
  class VirtualDate extends Date {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clock.now());
      else super(...(args as [number]));
    }
    static override now(): number {
      return clock.now();
    }
  }
  const math = Object.create(Math) as Math;
  math.random = random;

  const mod = { exports: {} as Record<string, unknown> };
  const body = compileFunction(
    readFileSync(file, "utf8"),
    ["exports", "require", "module", "__filename", "__dirname", "setTimeout", "Date", "Math"],
    { filename: file },
  );
  body(mod.exports, createRequire(file), mod, file, dirname(file), setTimeout, VirtualDate, math);
  const exp = mod.exports as unknown as SmithyWaiter;
  return {
    createWaiter: exp.createWaiter,
    checkExceptions: exp.checkExceptions,
    source: `@smithy/util-waiter ${version} (${file.slice(file.indexOf("@smithy"))})`,
  };
}
