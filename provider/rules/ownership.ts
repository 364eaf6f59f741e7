/**
 * Which resource owns a copy. Pure.
 *
 * Every copy a SnapshotCopy starts carries two tags (CopySnapshot Tag.N):
 * - {@link RESOURCE_TAG}: a hash of the resource's URN (project, stack, parent chain, name) and of what it
 *   copies (source, regions, encryption, key), so a create can find copies of *this* declaration;
 * - {@link OWNER_TAG}: the resource generation's `ownerId` — a random ID `check` draws once per resource and keeps
 *   in state across updates; the engine re-runs check with no old inputs for a replacement, so a replacement
 *   draws a new one. The value is `starting:<ownerId>` while the create that started the copy runs, and
 *   `<ownerId>` once that create has returned it to the engine (recorded in state).
 *
 * So: a copy whose owner is another ownerId and is recorded belongs to another resource — another stack in
 * another backend with the same names, or the generation a replacement is replacing — and is never adopted or
 * deleted; a copy still `starting:` under this declaration was left by a create that never returned (the run was
 * killed) and is the one to resume. Copies made before ownership tags (no OWNER_TAG) are the stack's own as before.
 */
import { createHash } from "node:crypto";
import { OWN_TAG_PREFIX, type ApiSnapshot } from "./snapshot";
import type { CopyInputs } from "./types";

export const OWNER_TAG = `${OWN_TAG_PREFIX}owner`;
export const RESOURCE_TAG = `${OWN_TAG_PREFIX}resource`;
/** Tags a copy may carry (CopySnapshot Tag.N / TagResources: at most 20), less the two above. */
export const MAX_USER_TAGS = 18;
const STARTING = "starting:";

/** A fresh ownerId: 16 hex characters from `random` (injected, so tests are deterministic). */
export function newOwnerId(random: () => number): string {
  let out = "";
  while (out.length < 16)
    out += Math.floor(random() * 0x10000)
      .toString(16)
      .padStart(4, "0");
  return out.slice(0, 16);
}

type Declaration = Pick<
  CopyInputs,
  "resourceKey" | "sourceSnapshotId" | "sourceRegionId" | "destinationRegionId" | "encrypted" | "kmsKeyId"
>;

const sha = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex");

/** The {@link RESOURCE_TAG} value: one declaration's copies, whichever generation or stack made them. */
export function resourceTagValue(ins: Declaration, resolvedKeyId?: string): string {
  return sha([
    ins.resourceKey ?? "",
    ins.sourceSnapshotId,
    ins.sourceRegionId,
    ins.destinationRegionId,
    ins.encrypted,
    resolvedKeyId ?? ins.kmsKeyId ?? "",
  ]).slice(0, 40);
}

/**
 * The CopySnapshot ClientToken (at most 64 ASCII characters): the declaration and the generation's ownerId, so
 * the SDK's retries of one create share it (a lost response returns the copy it started) and no other resource,
 * stack or generation ever presents it.
 */
export function clientTokenFor(ins: Declaration & { ownerId?: string }, resolvedKeyId?: string): string {
  return `sc-${sha([resourceTagValue(ins, resolvedKeyId), ins.ownerId ?? ""]).slice(0, 40)}`;
}

/** The tags to start a copy with: the user's plus ours, owner still `starting:`. */
export function startingTags(
  user: Record<string, string>,
  ownerId: string,
  resourceTag: string,
): Record<string, string> {
  return { ...user, [RESOURCE_TAG]: resourceTag, [OWNER_TAG]: `${STARTING}${ownerId}` };
}

/** Who owns a copy, by its tags; undefined for a copy with no owner tag. */
export function ownerOf(s: ApiSnapshot | undefined): { ownerId: string; recorded: boolean } | undefined {
  const v = s?.Tags?.Tag?.find((t) => t.TagKey === OWNER_TAG)?.TagValue;
  if (!v) return undefined;
  return v.startsWith(STARTING)
    ? { ownerId: v.slice(STARTING.length), recorded: false }
    : { ownerId: v, recorded: true };
}

/** Whether the copy belongs to another resource (another generation or stack): never adopt or delete it. */
export function ownedByAnother(s: ApiSnapshot | undefined, ownerId: string | undefined): boolean {
  const owner = ownerOf(s);
  return owner !== undefined && ownerId !== undefined && owner.ownerId !== ownerId && owner.recorded;
}
