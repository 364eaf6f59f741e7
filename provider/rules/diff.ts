/**
 * `diff`: which inputs changed, and whether that replaces the copy (docs/design.md §2 table, §5 "diff").
 * Pure. Never a perpetual diff: an optional in-place attribute the user leaves unset is left as the copy has
 * it, and a KMS key is compared by identity, not spelling.
 */
import { sameKey, tryParseKeyRef } from "./kmsKey";
import { DEFAULTS, isUnknown, REPLACE_PROPS, SETTING_PROPS, UPDATE_PROPS, type CopyInputs } from "./types";

// The input groups live beside the input list in ./types (INPUT_KEYS is made of them); diff sorts by them.
export { REPLACE_PROPS, SETTING_PROPS, UPDATE_PROPS };

/** Outputs that stay the same while the copy is not replaced. */
const STABLE_OUTPUTS = ["snapshotId", "arn", "creationTime", "sourceDiskId", "sourceDiskSize"];

export type UpdateProp = (typeof UPDATE_PROPS)[number];

/** The dynamic provider's DiffResult, narrowed. */
export interface CopyDiff {
  /** Always a boolean: true when anything is recorded or changed. */
  changes: boolean;
  replaces: string[];
  stables: string[];
  /** Always false: the new copy exists before the old is deleted, so a backup is never absent (docs/design.md §5). */
  deleteBeforeReplace: false;
}

/** The changed inputs, by kind. IO's update uses `updates` to call only what changed. */
export interface ChangedFields {
  replaces: string[];
  updates: UpdateProp[];
  settings: string[];
}

const settingDefaults: Record<string, unknown> = {
  stallTimeoutMinutes: DEFAULTS.stallTimeoutMinutes,
  onTimeout: DEFAULTS.onTimeout,
  waitForCompletion: DEFAULTS.waitForCompletion,
  pollMinSeconds: DEFAULTS.pollMinSeconds,
  pollMaxSeconds: DEFAULTS.pollMaxSeconds,
  forceDelete: DEFAULTS.forceDelete,
};

function sameTags(a: unknown, b: unknown): boolean {
  const x = (a ?? {}) as Record<string, unknown>;
  const y = (b ?? {}) as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => Object.hasOwn(y, k) && x[k] === y[k]);
}

function replaceNeeded(
  prop: (typeof REPLACE_PROPS)[number],
  old: Record<string, unknown>,
  v: unknown,
): boolean {
  // May change: show the possible replace at preview — except an unknown `encrypted` on a copy that is already
  // encrypted, which no value could replace (see below).
  if (isUnknown(v)) return !(prop === "encrypted" && old.encrypted === true);
  switch (prop) {
    case "encrypted":
      // Only adding encryption needs a new copy. `false` means "do not add encryption": a copy of an encrypted
      // source is encrypted anyway, so treating true -> false as a change would replace it on every run.
      return v === true && old.encrypted !== true;
    case "kmsKeyId": {
      // Unset: the copy keeps whatever key it has (the state may hold the default service key Alibaba chose).
      if (v === undefined) return false;
      const recorded = typeof old.kmsKeyId === "string" ? old.kmsKeyId : undefined;
      const keyId = recorded === undefined ? undefined : tryParseKeyRef(recorded)?.keyId;
      const aliases = Array.isArray(old.kmsKeyAliases) ? (old.kmsKeyAliases as string[]) : undefined;
      return !sameKey(recorded, v as string, { keyId, aliases });
    }
    default:
      return old[prop] !== v;
  }
}

function updateNeeded(prop: UpdateProp, old: Record<string, unknown>, v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (prop === "tags") {
    const tags = (v ?? {}) as Record<string, unknown>;
    return Object.values(tags).some(isUnknown) || !sameTags(old.tags, tags);
  }
  // Unset means "leave it as the copy has it": the API cannot clear these, and read reports the cloud's value.
  if (v === undefined) return false;
  return old[prop] !== v;
}

function settingChanged(prop: string, old: Record<string, unknown>, v: unknown): boolean {
  if (isUnknown(v)) return true;
  return (old[prop] ?? settingDefaults[prop]) !== (v ?? settingDefaults[prop]);
}

/** Sorts the changed inputs into replaces, in-place updates and settings. */
export function changedFields(olds: Record<string, unknown>, news: CopyInputs): ChangedFields {
  const n = news as unknown as Record<string, unknown>;
  const replaces: string[] = REPLACE_PROPS.filter((p) => replaceNeeded(p, olds, n[p]));
  const updates = UPDATE_PROPS.filter((p) => updateNeeded(p, olds, n[p]));
  const settings: string[] = SETTING_PROPS.filter((p) => settingChanged(p, olds, n[p]));
  // Adopting a different existing copy points the resource at another snapshot: a replace.
  const adopt = n.adoptSnapshotId;
  if (
    adopt !== undefined &&
    (isUnknown(adopt) || (adopt !== olds.snapshotId && adopt !== olds.adoptSnapshotId))
  ) {
    replaces.push("adoptSnapshotId");
  }
  // A copy that ended `failed` (recorded by a resumed wait, or read back by refresh) can never become usable:
  // the only way to a backup is a new copy, so the next `up` replaces it rather than re-running update forever.
  if (olds.status === "failed") replaces.push("status");
  return { replaces, updates, settings };
}

/**
 * Compares the recorded state (`olds`: outputs, which include the inputs) with the checked new inputs.
 * Wait and timeout settings are changes (so state records them) but never replace.
 */
export function diffCopy(olds: Record<string, unknown>, news: CopyInputs): CopyDiff {
  const { replaces, updates, settings } = changedFields(olds, news);
  const stables = REPLACE_PROPS.filter((p) => !replaces.includes(p)) as string[];
  if (replaces.length === 0) stables.push(...STABLE_OUTPUTS);
  return {
    changes: replaces.length + updates.length + settings.length > 0,
    replaces,
    stables,
    deleteBeforeReplace: false,
  };
}
