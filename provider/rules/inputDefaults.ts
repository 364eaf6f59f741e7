/**
 * The inputs after check: defaults applied, values the user did not write carried from the recorded inputs, and
 * a new resource generation's ownerId, auto-name and description. Pure.
 */
import { DEFAULTS, INPUT_KEYS, isUnknown, UNKNOWN, type CopyInputs, type OnTimeout } from "./types";

/**
 * Values the user did not write come from the recorded inputs (so a dropped `name` keeps the copy's name rather
 * than renaming it), and are not checked again: what the cloud holds is a fact, not an input error.
 */
export function carryOver(ins: CopyInputs, olds: Record<string, unknown>): CopyInputs {
  const out = { ...ins } as Record<string, unknown>;
  for (const k of ["name", "description", "resourceGroupId", "ownerId"] as const)
    if (out[k] === undefined && olds[k] !== undefined && olds[k] !== null) out[k] = olds[k];
  return out as unknown as CopyInputs;
}

/**
 * A new resource generation draws its ownerId; CopySnapshot requires DestinationSnapshotName and
 * DestinationSnapshotDescription (`"required": true` in Alibaba's API metadata for CopySnapshot), so an unset
 * name becomes a Pulumi-style auto-name (resource name + part of the ownerId) and an unset description a
 * sentence naming the source — each chosen once and then kept in state like any recorded input.
 */
export function withOwnership(
  ins: CopyInputs,
  olds: Record<string, unknown>,
  newOwnerId?: () => string,
): CopyInputs {
  const out = carryOver(ins, olds);
  out.ownerId ??= newOwnerId?.();
  // An adopted copy already has its name and description: nothing to send, nothing to rename.
  if (out.ownerId === undefined || out.adoptSnapshotId !== undefined) return out;
  out.name ??= isUnknown(out.resourceKey) ? UNKNOWN : autoName(out.resourceKey, out.ownerId);
  out.description ??= [out.sourceSnapshotId, out.sourceRegionId].some(isUnknown)
    ? UNKNOWN
    : `Copy of ${out.sourceSnapshotId} from ${out.sourceRegionId}, made by Pulumi`;
  return out;
}

/**
 * `<resource name>-<7 hex>` within the name rules of both CopySnapshot and ModifySnapshotAttribute (see
 * {@link checkName}): other characters become `-`, and a name that would not start with a letter, or would
 * start with "auto", gets a `copy-` prefix.
 */
export function autoName(resourceKey: string | undefined, ownerId: string): string {
  const resourceName = (resourceKey ?? "").split(/::|\//).pop() || "copy";
  let base = resourceName.replace(/[^\p{L}0-9:_-]/gu, "-");
  if (!/^\p{L}/u.test(base) || base.startsWith("auto")) base = `copy-${base}`;
  return `${[...base].slice(0, 120).join("")}-${ownerId.slice(0, 7)}`;
}

export function withDefaults(news: Record<string, unknown>, sourceRegionId: unknown): CopyInputs {
  const out: Record<string, unknown> = {};
  for (const k of INPUT_KEYS) if (news[k] !== undefined) out[k] = news[k];
  return {
    ...out,
    sourceRegionId,
    encrypted: news.encrypted ?? DEFAULTS.encrypted,
    tags: news.tags ?? { ...DEFAULTS.tags },
    stallTimeoutMinutes: news.stallTimeoutMinutes ?? DEFAULTS.stallTimeoutMinutes,
    onTimeout: (news.onTimeout as OnTimeout | undefined) ?? DEFAULTS.onTimeout,
    waitForCompletion: news.waitForCompletion ?? DEFAULTS.waitForCompletion,
    pollMinSeconds: news.pollMinSeconds ?? DEFAULTS.pollMinSeconds,
    pollMaxSeconds: news.pollMaxSeconds ?? DEFAULTS.pollMaxSeconds,
    forceDelete: news.forceDelete ?? DEFAULTS.forceDelete,
  } as CopyInputs;
}
