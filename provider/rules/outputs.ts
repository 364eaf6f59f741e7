/**
 * State mapping: what a copy's state record holds (outputs) and which of it are the user's inputs. Pure.
 *
 * Outputs are the inputs as given, overlaid with what DescribeSnapshots reports. Unset optional outputs are
 * recorded as null, never left out: @pulumi/pulumi marks an output missing from state unknown during a
 * preview, so `export const key = copy.kmsKeyId` of a plain copy would show a change on every preview.
 */
import { checkCopyState } from "./copyState";
import { tagsOf, type ApiSnapshot } from "./snapshot";
import { INPUT_KEYS, type CopyInputs, type CopyOutputs, type SnapshotStatus } from "./types";
import { compact, str, type Props } from "./values";

/** What KMS DescribeKey told us about the copy's key. */
export interface KeyInfo {
  keyId: string;
  aliases?: string[];
  accountId?: string;
}

/** Outputs a copy may not have (a plain copy has no key; the API may omit the disk, name, ...). */
const OPTIONAL_OUTPUTS = [
  "kmsKeyId",
  "sourceDiskId",
  "sourceDiskSize",
  "name",
  "description",
  "retentionDays",
  "resourceGroupId",
  "creationTime",
] as const;

const nonNull = (v: unknown) => (v === null ? undefined : v);

/** null means unset: in Pulumi inputs, and in state, where {@link outputsOf} records unset outputs as null. */
export function withoutNulls(p: Props): Props {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null));
}

/** The user's inputs out of a state record. */
export function inputsOf(p: Props): Props {
  const out: Props = {};
  for (const k of INPUT_KEYS) if (p[k] !== undefined && p[k] !== null) out[k] = p[k];
  return out;
}

/**
 * State for a copy: the inputs as given, overlaid with what the copy reports. `cloudWins` (read/refresh)
 * takes name, description, retention, tags and resource group from the cloud so drift shows; create and
 * update keep the user's values (the copy was just given them).
 */
export function outputsOf(
  ins: CopyInputs,
  id: string,
  s: ApiSnapshot | undefined,
  key: KeyInfo | undefined,
  prev: Props = {},
  cloudWins = false,
): CopyOutputs {
  const st = checkCopyState(s);
  const status = (str(s?.Status) ?? str(prev.status) ?? "progressing") as SnapshotStatus;
  const keyId = str(s?.KMSKeyId) ?? key?.keyId ?? str(prev.kmsKeyId) ?? ins.kmsKeyId;
  const aliases =
    key?.aliases ?? (Array.isArray(prev.kmsKeyAliases) ? (prev.kmsKeyAliases as string[]) : undefined);
  const accountId = key?.accountId ?? /^acs:ecs:[^:]*:(\d*):/.exec(String(prev.arn ?? ""))?.[1] ?? "";
  const size =
    s?.SourceDiskSize !== undefined ? Number(s.SourceDiskSize) : (prev.sourceDiskSize as number | undefined);
  // An attribute the user left unset keeps the copy's value (the API cannot clear these), so it falls back to
  // what was recorded rather than reading as null.
  const cloud = (field: keyof CopyInputs, v: unknown) =>
    cloudWins && v !== undefined ? v : (ins[field] ?? nonNull(prev[field]));
  const outs = compact({
    ...ins,
    name: cloud("name", str(s?.SnapshotName)),
    description: cloud("description", str(s?.Description)),
    retentionDays: cloud("retentionDays", typeof s?.RetentionDays === "number" ? s.RetentionDays : undefined),
    tags: cloud("tags", tagsOf(s)) as Record<string, string>,
    resourceGroupId: cloud("resourceGroupId", str(s?.ResourceGroupId)),
    snapshotId: id,
    status,
    progress: s ? st.progress : typeof prev.progress === "number" ? prev.progress : 0,
    available: s ? st.state === "available" : prev.available === true,
    encrypted: s?.Encrypted ?? ins.encrypted,
    kmsKeyId: keyId,
    kmsKeyAliases: aliases,
    sourceDiskId: str(s?.SourceDiskId) ?? str(prev.sourceDiskId),
    sourceDiskSize: Number.isFinite(size) ? size : undefined,
    creationTime: str(s?.CreationTime) ?? str(prev.creationTime),
    arn: `acs:ecs:${ins.destinationRegionId}:${accountId}:snapshot/${id}`,
  }) as Props;
  for (const k of OPTIONAL_OUTPUTS) outs[k] ??= null;
  return outs as unknown as CopyOutputs;
}
