/**
 * Starting a copy: resume the copy an interrupted create of this declaration left behind, or CopySnapshot with
 * this generation's ClientToken and ownership tags (../rules/ownership.ts); wait while the disk is busy with
 * another copy to the same region; then wait until DescribeSnapshots shows the copy (eventual consistency).
 */
import { DISK_BUSY_CODES, isApiError } from "../cloud/apiError";
import type { CallOptions } from "../cloud/outbound";
import { ResourceInitError } from "../rules/initError";
import type { KeyInfo } from "../rules/outputs";
import {
  clientTokenFor,
  OWNER_TAG,
  ownerOf,
  RESOURCE_TAG,
  resourceTagValue,
  startingTags,
} from "../rules/ownership";
import type { ApiSnapshot } from "../rules/snapshot";
import type { CopyInputs } from "../rules/types";
import type { Props } from "../rules/values";
import { copyLabel, type ProgressReporter } from "../waiting/progress";
import { isTimeout } from "../waiting/waitForCopy";
import { formatDuration, waitUntil } from "../waiting/waiter";
import type { CopyContext } from "./context";

/**
 * Finds or starts this generation's copy and returns it once DescribeSnapshots shows it. `props` is what the
 * engine records if the copy never shows: a started copy is always recorded or removed, never left untracked.
 */
export async function startCopy(
  ctx: CopyContext,
  ins: CopyInputs & { ownerId: string },
  key: KeyInfo | undefined,
  opts: CallOptions,
  report: ProgressReporter,
  recordAs: (id: string) => Props,
): Promise<{ id: string; snap: ApiSnapshot }> {
  const resumed = await resumeInterrupted(ctx, ins, key, opts, report);
  if (resumed) return resumed;
  const id = await copyWhenDiskFree(ctx, ins, key, opts, report);
  const snap = await awaitVisible(ctx, ins, id, opts, report);
  if (!snap) {
    const message =
      `${copyLabel(ins)}: CopySnapshot started ${id}, but DescribeSnapshots did not show it before the ` +
      `${opts.deadline !== undefined ? "deadline (timeoutMinutes)" : "stall limit (stallTimeoutMinutes)"}. ` +
      `The copy is recorded in the stack: run \`pulumi refresh\` then \`pulumi up\` to check on it.`;
    throw new ResourceInitError(message, id, recordAs(id), [message]);
  }
  report.say(`copying as ${id}`);
  return { id, snap };
}

/**
 * A create that was killed (e.g. `kill -9` of `pulumi up`) leaves its copy tagged `starting:` under this
 * declaration's resource tag; the engine then re-runs create with a new ownerId. Take that copy over instead of
 * starting a second one. A recorded copy under the same tag belongs to another stack or generation: left alone.
 */
async function resumeInterrupted(
  ctx: CopyContext,
  ins: CopyInputs & { ownerId: string },
  key: KeyInfo | undefined,
  opts: CallOptions,
  report: ProgressReporter,
): Promise<{ id: string; snap: ApiSnapshot } | undefined> {
  const region = ins.destinationRegionId;
  // Through the region's status loop: concurrent creates in a region share its calls and its budget.
  const tagged = await ctx.watcher.findTagged(region, RESOURCE_TAG, resourceTagValue(ins, key?.keyId), {
    deadline: opts.deadline,
    signal: opts.signal ?? ctx.signal,
  });
  const left = tagged.find((s) => ownerOf(s)?.recorded === false && s.Status !== "failed");
  if (!left) return undefined;
  if (ownerOf(left)?.ownerId !== ins.ownerId) {
    await ctx.api.tagResources(region, left.SnapshotId, { [OWNER_TAG]: `starting:${ins.ownerId}` }, opts);
  }
  report.say(`resuming ${left.SnapshotId}, the copy an interrupted run of this resource started`);
  return { id: left.SnapshotId, snap: left };
}

/** Marks the copy as recorded by this generation: from now on no other create resumes it. */
export async function markRecorded(
  ctx: CopyContext,
  ins: CopyInputs,
  id: string,
  report: ProgressReporter,
): Promise<void> {
  if (!ins.ownerId) return;
  try {
    await ctx.api.tagResources(ins.destinationRegionId, id, { [OWNER_TAG]: ins.ownerId }, {});
  } catch (e) {
    // The copy is ours either way; only a later create of this same declaration could mistake it for one an
    // interrupted run left, and that create is this resource's own.
    report.say(`could not mark ${id} as recorded (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * One CopySnapshot. While another copy of the same disk to the same region is unfinished (a busy code), wait
 * and retry within the deadline (or the stall limit when there is none).
 */
async function copyWhenDiskFree(
  ctx: CopyContext,
  ins: CopyInputs & { ownerId: string },
  key: KeyInfo | undefined,
  opts: CallOptions,
  report: ProgressReporter,
): Promise<string> {
  const { limitMs, waiter } = startWait(ctx, ins, opts);
  const tags = startingTags(ins.tags ?? {}, ins.ownerId, resourceTagValue(ins, key?.keyId));
  let said = false;
  let busy = "";
  try {
    return await waitUntil<string>(async () => {
      try {
        const id = await ctx.api.copySnapshot(
          {
            sourceRegionId: ins.sourceRegionId,
            sourceSnapshotId: ins.sourceSnapshotId,
            destinationRegionId: ins.destinationRegionId,
            clientToken: clientTokenFor(ins, key?.keyId),
            name: ins.name,
            description: ins.description,
            retentionDays: ins.retentionDays,
            encrypted: ins.encrypted,
            kmsKeyId: ins.kmsKeyId,
            resourceGroupId: ins.resourceGroupId,
            tags,
          },
          opts,
        );
        return { state: "done", value: id };
      } catch (e) {
        if (!isApiError(e, DISK_BUSY_CODES)) throw e;
        busy = e.code;
        if (!said) {
          report.say(
            `waiting: another copy of this snapshot's disk to ${ins.destinationRegionId} is unfinished ` +
              `(${e.code}); CopySnapshot will be retried when it ends`,
          );
          said = true;
        }
        return { state: "retry" };
      }
    }, waiter);
  } catch (e) {
    if (isTimeout(e)) {
      throw new Error(
        `${copyLabel(ins)}: another copy of the same disk to ${ins.destinationRegionId} stayed unfinished for ` +
          `${formatDuration(limitMs)} (${busy}); nothing was copied. Retry when it has finished.`,
      );
    }
    throw e;
  }
}

/**
 * A start step waits at most until the deadline, or the stall limit when there is none, polling between
 * `minDelayMs` and pollMaxSeconds.
 */
function startWait(
  ctx: CopyContext,
  ins: CopyInputs,
  opts: CallOptions,
  minDelayMs = ins.pollMinSeconds * 1000,
) {
  const limitMs =
    opts.deadline !== undefined ? opts.deadline - ctx.clock.now() : ins.stallTimeoutMinutes * 60_000;
  const waiter = {
    minDelayMs,
    maxDelayMs: ins.pollMaxSeconds * 1000,
    timeoutMs: Math.max(1, limitMs),
    clock: ctx.clock,
    random: ctx.random,
    signal: opts.signal,
  };
  return { limitMs, waiter };
}

/**
 * Waits until DescribeSnapshots shows `id`: ECS lists a new copy after a short read-after-write lag. The
 * ClientToken is this generation's own, so an ID that does not show yet is our copy on its way, however long
 * that takes; the wait is bounded by the deadline, or the stall limit. undefined when it never shows.
 */
async function awaitVisible(
  ctx: CopyContext,
  ins: CopyInputs,
  id: string,
  opts: CallOptions,
  report: ProgressReporter,
): Promise<ApiSnapshot | undefined> {
  const { waiter } = startWait(ctx, ins, opts, Math.min(1000, ins.pollMinSeconds * 1000));
  let first = true;
  try {
    return await waitUntil<ApiSnapshot>(async () => {
      const s = await ctx.watcher.observe(ins.destinationRegionId, id, {
        deadline: opts.deadline,
        signal: ctx.signal,
      });
      if (!s && first) report.status(`CopySnapshot started ${id}; waiting for DescribeSnapshots to show it`);
      first = false;
      return s ? { state: "done", value: s } : { state: "retry" };
    }, waiter);
  } catch (e) {
    if (isTimeout(e)) return undefined;
    throw e;
  }
}
