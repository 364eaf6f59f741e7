/**
 * The API's shapes of a snapshot and a KMS key as the provider reads them (DescribeSnapshots `Snapshot`,
 * KMS DescribeKey `KeyMetadata`; field names as in @alicloud/ecs20140526's and @alicloud/kms20160120's models).
 * Pure data: the cloud seam fills them, the rules read them.
 */
import { str } from "./values";

/** A DescribeSnapshots `Snapshot` entry as the API spells it (PascalCase). @internal */
export interface ApiSnapshot {
  SnapshotId: string;
  SnapshotName?: string;
  Description?: string;
  Status?: string;
  Progress?: string;
  RemainTime?: number;
  Available?: boolean;
  Encrypted?: boolean;
  KMSKeyId?: string;
  SourceSnapshotId?: string;
  SourceRegionId?: string;
  SourceDiskId?: string;
  SourceDiskSize?: string | number;
  RetentionDays?: number;
  ResourceGroupId?: string;
  CreationTime?: string;
  RegionId?: string;
  Tags?: { Tag?: { TagKey?: string; TagValue?: string }[] };
  [k: string]: unknown;
}

/** KMS DescribeKey KeyMetadata fields we use. @internal */
export interface ApiKey {
  KeyId: string;
  KeyState: string;
  Arn?: string;
}

/** The prefix of the tags this provider puts on its copies (./ownership.ts); they are not the user's. */
export const OWN_TAG_PREFIX = "pulumi-snapshot-copy:";

/**
 * The user's tags on a snapshot: system tags (`acs:` prefix, CopySnapshot Tag.N rules) are Alibaba's, and
 * {@link OWN_TAG_PREFIX} tags are ours.
 */
export function tagsOf(s: ApiSnapshot | undefined): Record<string, string> | undefined {
  if (!s?.Tags) return undefined;
  const out: Record<string, string> = {};
  for (const t of s.Tags.Tag ?? [])
    if (t.TagKey && !t.TagKey.startsWith("acs:") && !t.TagKey.startsWith(OWN_TAG_PREFIX))
      out[t.TagKey] = t.TagValue ?? "";
  return out;
}

/** The API's own words for a failed copy, when it gives any. */
export function apiFailureReason(s: ApiSnapshot | undefined): string | undefined {
  return s && (str(s.FailedReason) ?? str(s.FailReason) ?? str(s.StatusDetail) ?? str(s.Reason));
}
