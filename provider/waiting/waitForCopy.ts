/**
 * The one wait for a copy, and the wait for many (SnapshotCopiesReady). Both watch through the shared
 * {@link StatusWatcher}, judge each observation with the pure `checkCopyState`, and end at once on a failed copy.
 */
import type { Clock } from "../cloud/clock";
import { checkCopyState, parseProgress } from "../rules/copyState";
import { apiFailureReason, type ApiSnapshot } from "../rules/snapshot";
import type { CopyInputs, WaitSettings } from "../rules/types";
import { ProgressReporter } from "./progress";
import type { StatusWatcher } from "./statusWatcher";
import {
  backoffDelay,
  waitUntil,
  WaiterAbortedError,
  WaiterFailureError,
  WaiterStalledError,
  WaiterTimeoutError,
} from "./waiter";

/** What a wait needs: the shared watcher, time, dice and the abort signal of the whole provider. */
export interface WaitContext {
  watcher: StatusWatcher;
  clock: Clock;
  random: () => number;
  signal?: AbortSignal;
}

/** A wait that ran out of time: the deadline, or the stall limit. */
export const isTimeout = (e: unknown): e is WaiterTimeoutError => e instanceof WaiterTimeoutError;

/** The sentence that says why a wait ended, for error messages. */
export function describeWaitFailure(err: unknown): string {
  if (err instanceof WaiterFailureError) return err.reason;
  if (err instanceof WaiterStalledError) return err.message;
  if (err instanceof WaiterTimeoutError) return `${err.message} (timeoutMinutes)`;
  if (err instanceof WaiterAbortedError) return "the operation was aborted";
  return err instanceof Error ? err.message : String(err);
}

/** The last observation a wait made before it ended, when it made any. */
export function lastSeen(err: unknown): ApiSnapshot | undefined {
  return (err as { lastValue?: ApiSnapshot } | undefined)?.lastValue;
}

/**
 * Waits until copy `id` is usable: coalesced DescribeSnapshots through the watcher, checkCopyState on each
 * observation, progress lines, a failed copy ending the wait at once, the stall limit always and the
 * deadline when one is set.
 *
 * Scheduling (measured in bench/waiting.ts): the copy is watched, so every tick of its region looks at it and a
 * tick that sees it finished or failed ends the waiter's sleep at once. The waiter itself asks for a look when
 * DescribeSnapshots' RemainTime says the copy will be done (even sooner than pollMinSeconds: that look costs at
 * most one call, shared with every other copy in the region). When RemainTime is missing, or the copy outlived
 * it, it backs off from pollMinSeconds to pollMaxSeconds.
 */
export async function waitForCopy(
  ctx: WaitContext,
  settings: WaitSettings & Pick<CopyInputs, "destinationRegionId">,
  id: string,
  report: ProgressReporter,
  deadline: number | undefined,
  initial?: ApiSnapshot,
  signal = ctx.signal,
): Promise<ApiSnapshot> {
  const region = settings.destinationRegionId;
  let seen = initial !== undefined;
  const minMs = settings.pollMinSeconds * 1000;
  const maxMs = settings.pollMaxSeconds * 1000;
  const watch = ctx.watcher.watch(region, id, {
    initial,
    maxGapMs: maxMs,
    wakeOn: (s) => {
      const state = checkCopyState(s).state;
      return state === "available" || state === "failed" || (seen && state === "missing");
    },
  });
  let predictedAt: number | undefined;
  let misses = 0;
  const timeoutMs = deadline === undefined ? undefined : Math.max(1, deadline - ctx.clock.now());
  try {
    return await waitUntil<ApiSnapshot>(
      async () => {
        const s = await watch.take(signal);
        const st = checkCopyState(s);
        // The caller announces "100%, available" itself; a bare "100%" line before it only repeats it.
        if (st.state !== "available") report.report(st);
        if (s) seen = true;
        switch (st.state) {
          case "available":
            return { state: "done", value: s! };
          case "failed": {
            const api = apiFailureReason(s);
            const reason = api ? `the copy failed: ${api}` : (st.reason ?? "the copy failed");
            return { state: "failed", reason, value: s };
          }
          case "missing":
            return seen
              ? { state: "failed", reason: `the copy ${id} disappeared: it was deleted outside this stack` }
              : { state: "retry", nextCheckHintMs: minMs };
          default: {
            const now = ctx.clock.now();
            if (predictedAt !== undefined && now >= predictedAt) misses++; // it outlived its RemainTime
            const backoff = backoffDelay(misses + 1, minMs, maxMs, ctx.random);
            const remainMs = st.remainSeconds ? st.remainSeconds * 1000 : undefined;
            const hint = remainMs !== undefined && misses === 0 ? remainMs : backoff;
            predictedAt = remainMs !== undefined ? now + remainMs : undefined;
            watch.expect(misses === 0 ? predictedAt : undefined);
            return { state: "retry", value: s, nextCheckHintMs: hint };
          }
        }
      },
      {
        // Hints are clamped to [minDelayMs, maxDelayMs]; the floor is 1 s so a check can land when RemainTime
        // says the copy finishes. Checks without such a prediction use pollMinSeconds (the hints above).
        minDelayMs: Math.min(1000, minMs),
        maxDelayMs: maxMs,
        timeoutMs,
        stallTimeoutMs: settings.stallTimeoutMinutes * 60_000,
        progressOf: (s) => parseProgress(s.Progress),
        clock: watch.clock,
        random: ctx.random,
        signal,
      },
    );
  } finally {
    watch.close();
  }
}

/** One copy to wait for: a SnapshotCopy's snapshotId and destinationRegionId. */
export interface CopyRef {
  snapshotId: string;
  regionId: string;
}

/**
 * Waits until every copy is usable, all through the shared watcher. The first copy that fails (or times out,
 * or stalls) ends the whole wait at once: the others are abandoned, and the error names that copy and quotes
 * the API's reason. `onReady` hears each copy as it becomes usable.
 */
export async function waitForCopies(
  ctx: WaitContext,
  copies: CopyRef[],
  settings: WaitSettings,
  onReady: (copy: CopyRef, done: number) => void = () => undefined,
): Promise<ApiSnapshot[]> {
  const deadline =
    settings.timeoutMinutes !== undefined ? ctx.clock.now() + settings.timeoutMinutes * 60_000 : undefined;
  const abandon = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, abandon.signal]) : abandon.signal;
  const quiet = ProgressReporter.quiet(ctx.clock);
  let done = 0;
  try {
    return await Promise.all(
      copies.map(async (c) => {
        const one = { ...settings, destinationRegionId: c.regionId };
        try {
          const s = await waitForCopy(ctx, one, c.snapshotId, quiet, deadline, undefined, signal);
          onReady(c, ++done);
          return s;
        } catch (err) {
          if (err instanceof WaiterAbortedError && abandon.signal.aborted) throw err;
          throw new Error(`copy ${c.snapshotId} in ${c.regionId}: ${describeWaitFailure(err)}`);
        }
      }),
    );
  } catch (err) {
    abandon.abort();
    throw err;
  }
}
