/**
 * Starting a copy: CopySnapshot with the ClientToken, waiting while the disk is busy with another copy to the
 * same region, then waiting until DescribeSnapshots shows the copy (eventual consistency).
 */
import { DISK_BUSY, isApiError, TOKEN_MISMATCH } from "../cloud/apiError";
import type { CallOptions } from "../cloud/outbound";
import { clientTokenFor } from "../rules/clientToken";
import type { KeyInfo } from "../rules/outputs";
import type { ApiSnapshot } from "../rules/snapshot";
import type { CopyInputs } from "../rules/types";
import { copyLabel, type ProgressReporter } from "../waiting/progress";
import { isTimeout } from "../waiting/waitForCopy";
import { formatDuration, waitUntil } from "../waiting/waiter";
import type { CopyContext } from "./context";

/**
 * CopySnapshot with the deterministic token, then make sure the returned copy exists. A token bound to a copy
 * deleted earlier returns that copy's ID, which never appears; that, or IdempotentParameterMismatch, makes
 * create try once more with a fresh token (see {@link clientTokenFor}). So a destroy-then-up costs at most
 * one visibility grace period, however often it happens.
 */
export async function startCopy(
  ctx: CopyContext,
  ins: CopyInputs,
  key: KeyInfo | undefined,
  opts: CallOptions,
  report: ProgressReporter,
): Promise<{ id: string; snap: ApiSnapshot }> {
  const fresh = ctx.clock.now().toString(36);
  for (const token of [clientTokenFor(ins, key?.keyId), clientTokenFor(ins, key?.keyId, fresh)]) {
    let id: string;
    try {
      id = await copyWhenDiskFree(ctx, ins, token, opts, report);
    } catch (e) {
      if (isApiError(e, TOKEN_MISMATCH)) {
        report.say(`ClientToken ${token} was used with other parameters; trying a fresh token`);
        continue;
      }
      throw e;
    }
    const snap = await awaitVisible(ctx, ins, id, report);
    if (snap) {
      report.say(`copying as ${id}`);
      return { id, snap };
    }
    report.say(
      `CopySnapshot returned ${id} for ClientToken ${token}, but that copy does not exist (deleted earlier); ` +
        `trying a fresh token`,
    );
  }
  throw new Error(
    `${copyLabel(ins)}: CopySnapshot returned copies that do not exist, even for a fresh token`,
  );
}

/**
 * One CopySnapshot. While another copy of the same disk to the same region is unfinished (DISK_BUSY), wait and
 * retry within the deadline (or the stall limit when there is none).
 */
async function copyWhenDiskFree(
  ctx: CopyContext,
  ins: CopyInputs,
  clientToken: string,
  opts: CallOptions,
  report: ProgressReporter,
): Promise<string> {
  const limitMs =
    opts.deadline !== undefined ? opts.deadline - ctx.clock.now() : ins.stallTimeoutMinutes * 60_000;
  let said = false;
  try {
    return await waitUntil<string>(
      async () => {
        try {
          const id = await ctx.api.copySnapshot(
            {
              sourceRegionId: ins.sourceRegionId,
              sourceSnapshotId: ins.sourceSnapshotId,
              destinationRegionId: ins.destinationRegionId,
              clientToken,
              name: ins.name,
              description: ins.description,
              retentionDays: ins.retentionDays,
              encrypted: ins.encrypted,
              kmsKeyId: ins.kmsKeyId,
              resourceGroupId: ins.resourceGroupId,
              tags: ins.tags,
            },
            opts,
          );
          return { state: "done", value: id };
        } catch (e) {
          if (!isApiError(e, DISK_BUSY)) throw e;
          if (!said) {
            report.say(
              `waiting: another copy of this snapshot's disk to ${ins.destinationRegionId} is unfinished ` +
                `(${DISK_BUSY}; maybe another stack's); CopySnapshot will be retried when it ends`,
            );
            said = true;
          }
          return { state: "retry" };
        }
      },
      {
        minDelayMs: ins.pollMinSeconds * 1000,
        maxDelayMs: ins.pollMaxSeconds * 1000,
        timeoutMs: Math.max(1, limitMs),
        clock: ctx.clock,
        random: ctx.random,
        signal: opts.signal,
      },
    );
  } catch (e) {
    if (isTimeout(e)) {
      throw new Error(
        `${copyLabel(ins)}: another copy of the same disk to ${ins.destinationRegionId} stayed unfinished for ` +
          `${formatDuration(limitMs)} (${DISK_BUSY}); nothing was copied. Retry when it has finished.`,
      );
    }
    throw e;
  }
}

/** Waits until DescribeSnapshots shows `id` (eventual consistency); undefined when it never does. */
async function awaitVisible(
  ctx: CopyContext,
  ins: CopyInputs,
  id: string,
  report: ProgressReporter,
): Promise<ApiSnapshot | undefined> {
  const graceMs = ctx.visibilityGraceMs;
  let first = true;
  try {
    return await waitUntil<ApiSnapshot>(
      async () => {
        const s = await ctx.watcher.observe(ins.destinationRegionId, id, { signal: ctx.signal });
        if (!s && first) {
          report.say(
            `CopySnapshot returned ${id}, which DescribeSnapshots does not show yet; waiting up to ` +
              `${formatDuration(graceMs)} for it (its ClientToken may name a copy deleted earlier)`,
          );
        }
        first = false;
        return s ? { state: "done", value: s } : { state: "retry" };
      },
      {
        minDelayMs: ins.pollMinSeconds * 1000,
        maxDelayMs: ins.pollMaxSeconds * 1000,
        timeoutMs: graceMs,
        clock: ctx.clock,
        random: ctx.random,
        signal: ctx.signal,
      },
    );
  } catch (e) {
    if (isTimeout(e)) return undefined;
    throw e;
  }
}
