/** Changing a copy's attributes in place: only the calls whose field changed. */
import type { CallOptions } from "../cloud/outbound";
import { changedFields } from "../rules/diff";
import type { CopyInputs } from "../rules/types";
import type { Props } from "../rules/values";
import type { CopyContext } from "./context";

/**
 * ModifySnapshotAttribute (name, description, retention — only those that changed, in one call),
 * UntagResources / TagResources (only the delta, with `ownTags` added), JoinResourceGroup; each only when its
 * field changed.
 */
export async function applyAttributes(
  ctx: CopyContext,
  id: string,
  olds: Props,
  ins: CopyInputs,
  opts: CallOptions,
  ownTags: Record<string, string> = {},
): Promise<void> {
  const region = ins.destinationRegionId;
  const { updates } = changedFields(olds, ins);
  const modify: { name?: string; description?: string; retentionDays?: number } = {};
  if (updates.includes("name")) modify.name = ins.name;
  if (updates.includes("description")) modify.description = ins.description;
  if (updates.includes("retentionDays")) modify.retentionDays = ins.retentionDays;
  if (Object.values(modify).some((v) => v !== undefined)) {
    await ctx.api.modifySnapshotAttribute(region, id, modify, opts);
  }
  // The user's tag delta, plus this provider's own tags (ownership) in the same TagResources call.
  const before = (olds.tags ?? {}) as Record<string, string>;
  const after = updates.includes("tags") ? (ins.tags ?? {}) : before;
  const removed = Object.keys(before).filter((k) => !(k in after));
  const changed = {
    ...Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v)),
    ...ownTags,
  };
  if (removed.length) await ctx.api.untagResources(region, id, removed, opts);
  if (Object.keys(changed).length) await ctx.api.tagResources(region, id, changed, opts);
  if (updates.includes("resourceGroupId") && ins.resourceGroupId) {
    await ctx.api.joinResourceGroup(region, id, ins.resourceGroupId, opts);
  }
}
