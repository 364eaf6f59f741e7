/** Removing a copy: DeleteSnapshot (which also cancels a copy in progress), then waiting until it is gone. */
import { isApiError, SNAPSHOT_IN_USE, SNAPSHOT_NOT_FOUND } from "../cloud/apiError";
import type { CallOptions } from "../cloud/outbound";
import { OWNER_TAG, ownedByAnother, ownerOf } from "../rules/ownership";
import { DEFAULTS } from "../rules/types";
import { waitUntil } from "../waiting/waiter";
import type { CopyContext } from "./context";

/**
 * DeleteSnapshot in `region`, then waits until DescribeSnapshots no longer returns the copy. Missing counts as
 * success. A copy disks were created from is refused unless `force`, with the disks named.
 */
export async function deleteAndWait(
  ctx: CopyContext,
  region: string,
  id: string,
  force: boolean,
  timeoutMs = ctx.deleteTimeoutMs,
): Promise<void> {
  const opts: CallOptions = { deadline: ctx.clock.now() + timeoutMs, signal: ctx.signal };
  try {
    await ctx.api.deleteSnapshot(region, id, force, opts);
  } catch (e) {
    if (isApiError(e, SNAPSHOT_NOT_FOUND)) return;
    if (isApiError(e, SNAPSHOT_IN_USE)) {
      const disks = await ctx.api.disksCreatedFrom(region, id, opts).catch(() => undefined);
      const users = disks?.length
        ? `disks ${disks.join(", ")} were created from it`
        : e.code === "SnapshotCreatedImage"
          ? "images were created from it"
          : "disks were created from it";
      throw new Error(
        `cannot delete snapshot copy ${id} in ${region}: ${users} (${e.code}` +
          `${e.requestId ? `, RequestId ${e.requestId}` : ""}). Delete those first, or set forceDelete: true ` +
          `to delete the copy anyway (the disks keep working).`,
      );
    }
    throw e;
  }
  await waitUntil<true>(
    async () => {
      const s = await ctx.watcher.observe(region, id, { deadline: opts.deadline, signal: ctx.signal });
      return s ? { state: "retry" } : { state: "done", value: true };
    },
    {
      minDelayMs: DEFAULTS.pollMinSeconds * 1000,
      maxDelayMs: DEFAULTS.pollMaxSeconds * 1000,
      timeoutMs,
      clock: ctx.clock,
      random: ctx.random,
      signal: ctx.signal,
    },
  );
}

/**
 * Deletes a copy we started and waits until it is gone, within {@link CopyContext.cancelTimeoutMs} of its own
 * (a create that already ran out of time must not hang on its cleanup); says what happened.
 */
export async function cancelCopy(
  ctx: CopyContext,
  region: string,
  id: string,
): Promise<{ cancelled: boolean; message: string }> {
  try {
    await deleteAndWait(ctx, region, id, false, ctx.cancelTimeoutMs);
    return {
      cancelled: true,
      message: `The copy ${id} was cancelled and deleted, so nothing is left behind.`,
    };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { cancelled: false, message: `Cancelling the copy ${id} did not finish (${why}).` };
  }
}

/**
 * `delete`: the copy goes unless ownership tags say another resource owns it (another stack with the same
 * names, or a newer generation of this one) — then it stays, and the stack only forgets it.
 */
export async function deleteOwnCopy(
  ctx: CopyContext,
  region: string,
  id: string,
  force: boolean,
  ownerId: string | undefined,
): Promise<void> {
  if (ownerId !== undefined) {
    const s = await ctx.watcher.observe(region, id, { signal: ctx.signal });
    if (!s) return;
    if (ownedByAnother(s, ownerId)) {
      ctx.log(
        `SnapshotCopy ${id} in ${region}: not deleted: its ${OWNER_TAG} tag names another resource ` +
          `(${ownerOf(s)!.ownerId}, this one is ${ownerId}); the stack forgets it and the other owner keeps it`,
      );
      return;
    }
  }
  await deleteAndWait(ctx, region, id, force);
}
