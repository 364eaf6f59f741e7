/**
 * The one wait for a copy, and the wait for many (SnapshotCopiesReady). Both watch through the shared
 * {@link StatusWatcher}, judge each observation with the pure `checkCopyState`, and end at once on a failed copy.
 */
import { setMaxListeners } from "node:events";
import { AlibabaApiError } from "../cloud/apiError";
import type { Clock } from "../cloud/clock";
import { retryFacts } from "../cloud/retry";
import { checkCopyState, parseProgress, type CopyStateResult } from "../rules/copyState";
import { apiFailureReason, type ApiSnapshot } from "../rules/snapshot";
import type { CopyInputs, WaitSettings } from "../rules/types";
import { nextLook, MIN_LOOK_MS, type Readings } from "./nextLook";
import { ProgressReporter } from "./progress";
import type { FailingChecks, StatusWatcher } from "./statusWatcher";
import {
  backoffDelay,
  waitUntil,
  type CheckResult,
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
  if (err instanceof AlibabaApiError && !err.retryable)
    return `a status check failed with an error that retrying cannot fix: ${err.message}`;
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
 * tick that sees it finished or failed ends the waiter's sleep at once. The waiter itself asks for looks from
 * DescribeSnapshots' RemainTime (even sooner than pollMinSeconds: such a look costs at most one call, shared with
 * every other copy in the region): at two thirds of it until consecutive readings agree, then at the end they
 * agree on (./nextLook.ts). With nothing known ahead it backs off from pollMinSeconds to pollMaxSeconds.
 */
export async function waitForCopy(
  ctx: WaitContext,
  settings: WaitSettings & Pick<CopyInputs, "destinationRegionId">,
  id: string,
  report: ProgressReporter,
  deadline: number | undefined,
  start: WaitStart = {},
): Promise<ApiSnapshot> {
  const { initial, signal = ctx.signal } = start;
  const region = settings.destinationRegionId;
  // A copy known to exist (seen just now, or recorded in the stack) that DescribeSnapshots does not return was
  // deleted; only a copy CopySnapshot has just returned may still be "not visible yet".
  let seen = initial !== undefined || start.exists === true;
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
  let readings: Readings = { ends: [] };
  let unknown = 0; // consecutive looks with nothing known ahead
  let pastLooks = 0; // consecutive looks at or just past the predicted end
  let failing: FailingChecks | undefined;
  let predictedLook: number | undefined; // when the readings want the next look, even past pollMaxSeconds
  const timeoutMs = deadline === undefined ? undefined : Math.max(1, deadline - ctx.clock.now());
  try {
    return await waitUntil<ApiSnapshot>(
      async () => {
        let s: ApiSnapshot | undefined;
        try {
          s = await watch.take(signal);
          failing = undefined;
        } catch (err) {
          // A non-retryable answer (bad or expired credentials, no permission) ends the wait at once.
          if (!retryFacts(err).retryable) throw err;
          // A transient one: no new observation; the deadline and the stall limit still apply.
          failing = watch.failing();
          return {
            state: "retry",
            nextCheckHintMs: backoffDelay(failing?.count ?? 1, minMs, maxMs, ctx.random),
          };
        }
        const st = checkCopyState(s);
        // The caller announces "100%, available" itself; a bare "100%" line before it only repeats it.
        if (st.state !== "available") report.report(st);
        if (s) seen = true;
        const ended = endOf(s, st, id, region, seen, minMs);
        if (ended) return ended;
        // Progressing: look again as RemainTime suggests, as far as it has earned trust (./nextLook.ts); with
        // nothing known ahead, back off from pollMinSeconds.
        const now = ctx.clock.now();
        const next = nextLook(readings, now, st.remainSeconds, st.progress);
        readings = next.readings;
        unknown = next.lookInMs === undefined ? unknown + 1 : 0;
        // From the earliest end the latest RemainTime allows to pollMaxSeconds past its predicted end, the copy
        // may end at any moment: its looks back off from 1 s to pollMinSeconds; later, from pollMinSeconds to
        // pollMaxSeconds (RemainTime may have been far off).
        const mayEnd = now > (readings.earliest ?? Infinity) - MIN_LOOK_MS;
        const justPast = mayEnd && now - (readings.ends.at(-1) ?? -Infinity) < maxMs;
        pastLooks = justPast ? pastLooks + 1 : 0;
        let hint = next.lookInMs ?? backoffDelay(justPast ? 1 : unknown, minMs, maxMs, ctx.random);
        if (justPast) hint = Math.min(hint, backoffDelay(pastLooks, MIN_LOOK_MS, minMs, ctx.random));
        predictedLook = next.lookInMs === undefined ? undefined : now + hint;
        return { state: "retry", value: s, nextCheckHintMs: hint };
      },
      {
        // Hints are clamped to [minDelayMs, maxDelayMs]; the floor is 1 s so a check can land when RemainTime
        // says the copy finishes. Checks without such a prediction use pollMinSeconds (the hints above).
        minDelayMs: Math.min(MIN_LOOK_MS, minMs),
        maxDelayMs: maxMs,
        timeoutMs,
        // The message names the user's timeoutMinutes, not what the start steps left of it.
        statedTimeoutMs: settings.timeoutMinutes !== undefined ? settings.timeoutMinutes * 60_000 : undefined,
        stallTimeoutMs: settings.stallTimeoutMinutes * 60_000,
        progressOf: (s) => parseProgress(s.Progress),
        clock: watch.clock,
        random: ctx.random,
        signal,
        onRetry: (info) => {
          if (failing) report.failing(failing, info.nextDelayMs);
          // The next look gets a tick of its own (shared with looks due within slackMs) when it is sooner than
          // pollMaxSeconds: a look RemainTime asked for, a back-off look, or the last look before a deadline.
          // A look pollMaxSeconds away is the heartbeat's (it comes at least that often) — unless RemainTime
          // asked for a later one: the sleep is cut to pollMaxSeconds, and the waiter wakes at the heartbeat
          // after that, so the predicted look would otherwise wait for a heartbeat up to a period past it
          // (measured: 71 s late with pollMaxSeconds 150). Failing checks are retried by the loop's retry ticks.
          const now = ctx.clock.now();
          const own = !failing && info.nextDelayMs < maxMs;
          const predicted =
            !failing && predictedLook !== undefined && predictedLook > now ? predictedLook : undefined;
          watch.expect(own ? now + info.nextDelayMs : predicted);
        },
      },
    );
  } catch (err) {
    // A wait that ran out of time while checks failed says so: the failing checks are the likely cause.
    const f = watch.failing();
    if (err instanceof WaiterTimeoutError && f) err.message += `; ${describeFailing(f)}`;
    throw err;
  } finally {
    watch.close();
  }
}

/**
 * How one observation ends the wait, if it does: usable, failed (with the API's words), or gone although known
 * to exist. undefined while the copy is on its way (or not visible yet).
 */
function endOf(
  s: ApiSnapshot | undefined,
  st: CopyStateResult,
  id: string,
  region: string,
  seen: boolean,
  minMs: number,
): CheckResult<ApiSnapshot> | undefined {
  switch (st.state) {
    case "available":
      return { state: "done", value: s! };
    case "failed": {
      const api = apiFailureReason(s);
      return {
        state: "failed",
        reason: api ? `the copy failed: ${api}` : (st.reason ?? "the copy failed"),
        value: s,
      };
    }
    case "missing":
      return seen
        ? {
            state: "failed",
            reason:
              `the copy ${id} in ${region} no longer exists (DescribeSnapshots does not return it): it was ` +
              "deleted outside this stack. Run `pulumi refresh` to drop it from the stack, then `pulumi up` " +
              "to make a new copy",
          }
        : { state: "retry", nextCheckHintMs: minMs };
    default:
      return undefined;
  }
}

/** How a wait starts. */
export interface WaitStart {
  /** An observation just made (e.g. right after CopySnapshot): the first check uses it. */
  initial?: ApiSnapshot;
  /**
   * The copy is known to exist (recorded in the stack: update/resume, SnapshotCopiesReady, adopt), so a
   * DescribeSnapshots that does not return it means it was deleted — the wait fails at once instead of
   * waiting for it to "appear".
   */
  exists?: boolean;
  signal?: AbortSignal;
}

/** "status checks failing since 2025-03-01T00:04:00Z (12 failed checks; latest: <error message>)" */
export function describeFailing(f: FailingChecks): string {
  const why = f.error instanceof Error ? f.error.message : String(f.error);
  return `status checks failing since ${new Date(f.since).toISOString()} (${f.count} failed; latest: ${why})`;
}

/** One copy to wait for: a SnapshotCopy's snapshotId and destinationRegionId, and a name for messages. */
export interface CopyRef {
  snapshotId: string;
  regionId: string;
  name?: string;
}

/** "copy s-1 in eu-central-1", or "copy backups-db-eu-central-1 (s-1 in eu-central-1)" when it has a name. */
export function copyRefLabel(c: CopyRef): string {
  const where = `${c.snapshotId} in ${c.regionId}`;
  return c.name ? `copy ${c.name} (${where})` : `copy ${where}`;
}

/** Hears each observation of a copy still on its way (for a summary of many copies). */
class ProgressTap extends ProgressReporter {
  constructor(
    clock: Clock,
    private readonly tap: (st: CopyStateResult) => void,
  ) {
    super("", () => undefined, clock, Infinity);
  }
  override report(st: CopyStateResult): void {
    this.tap(st);
  }
}

/**
 * Waits until every copy is usable, all through the shared watcher. The first copy that fails (or times out,
 * or stalls) ends the whole wait at once: the others are abandoned, and the error names that copy and quotes
 * the API's reason. `onReady` hears each copy as it becomes usable, `onProgress` each observation of a copy
 * still on its way.
 */
export async function waitForCopies(
  ctx: WaitContext,
  copies: CopyRef[],
  settings: WaitSettings,
  onReady: (copy: CopyRef, done: number) => void = () => undefined,
  onProgress: (copy: CopyRef, st: CopyStateResult) => void = () => undefined,
): Promise<ApiSnapshot[]> {
  const deadline =
    settings.timeoutMinutes !== undefined ? ctx.clock.now() + settings.timeoutMinutes * 60_000 : undefined;
  const abandon = new AbortController();
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, abandon.signal]) : abandon.signal;
  // Every copy's wait listens on this one signal: 100 copies, 100+ listeners by design. Without this Node prints
  // "MaxListenersExceededWarning: Possible EventTarget memory leak" (above 10) into the user's `pulumi up`.
  setMaxListeners(Infinity, signal);
  let done = 0;
  try {
    return await Promise.all(
      copies.map(async (c) => {
        const one = { ...settings, destinationRegionId: c.regionId };
        try {
          // Each copy is recorded in the stack by its SnapshotCopy, so it exists: missing means deleted.
          const tap = new ProgressTap(ctx.clock, (st) => onProgress(c, st));
          const s = await waitForCopy(ctx, one, c.snapshotId, tap, deadline, { exists: true, signal });
          onReady(c, ++done);
          return s;
        } catch (err) {
          if (err instanceof WaiterAbortedError && abandon.signal.aborted) throw err;
          throw new Error(`${copyRefLabel(c)}: ${describeWaitFailure(err)}`);
        }
      }),
    );
  } catch (err) {
    abandon.abort();
    throw err;
  }
}
