/**
 * Plain shapes the provider methods see (after `check` has applied defaults). The user-facing,
 * documented shapes are `SnapshotCopyArgs` and the outputs of `SnapshotCopy` in ../snapshotCopy.ts.
 *
 * @packageDocumentation
 */

/** What to do with a copy that is still running when the wait gives up (timeout or stall). */
export type OnTimeout = "cancel" | "keep";

/** The raw `Status` values DescribeSnapshots reports for a snapshot (ECS API reference). */
export type SnapshotStatus = "progressing" | "accomplished" | "failed";

/** Inputs after `check`: defaults applied, types verified. */
export interface CopyInputs {
  /** ID of the snapshot to copy (`s-...`), in `sourceRegionId`. API: CopySnapshot.SnapshotId. */
  sourceSnapshotId: string;
  /** Region of the source snapshot. API: CopySnapshot.RegionId. */
  sourceRegionId: string;
  /** Region the copy is made in. API: CopySnapshot.DestinationRegionId. */
  destinationRegionId: string;
  /** Encrypt the copy. API: CopySnapshot.Encrypted. Default false. */
  encrypted: boolean;
  /** KMS key in the destination region: key ID, ARN (`acs:kms:<region>:<uid>:key/<id>`) or alias (`alias/<name>`). */
  kmsKeyId?: string;
  /** API: CopySnapshot.DestinationSnapshotName / ModifySnapshotAttribute.SnapshotName. */
  name?: string;
  /** API: CopySnapshot.DestinationSnapshotDescription / ModifySnapshotAttribute.Description. */
  description?: string;
  /** 1..65536; can only grow. API: RetentionDays. */
  retentionDays?: number;
  /** At most 20. API: Tag.N / TagResources / UntagResources. Default {}. */
  tags: Record<string, string>;
  /** API: ResourceGroupId / JoinResourceGroup. */
  resourceGroupId?: string;
  /** undefined = no fixed deadline: wait while the copy makes progress. */
  timeoutMinutes?: number;
  /** Default 360: give up when Progress has not moved for this long. */
  stallTimeoutMinutes: number;
  /** Default "cancel". */
  onTimeout: OnTimeout;
  /** Default true; false = create returns once CopySnapshot is accepted (the SnapshotCopiesReady mode, docs/design.md §10). */
  waitForCompletion: boolean;
  /** Default 5. */
  pollMinSeconds: number;
  /** Default 60. */
  pollMaxSeconds: number;
  /** Default false: delete refuses a copy that disks or images were created from. */
  forceDelete: boolean;
  /** Adopt this existing copy (`s-...`, in `destinationRegionId`) instead of copying. */
  adoptSnapshotId?: string;
  /**
   * Hidden, set by the SnapshotCopy class: the resource's URN (project, stack, parent chain, type, name); seeds
   * the copy's resource tag and ClientToken (./ownership.ts). Stacks made before it was the URN hold
   * `${project}/${stack}/${name}`.
   */
  resourceKey?: string;
  /**
   * Hidden, drawn by check once per resource generation and kept in state (./ownership.ts). Unset for copies
   * recorded before ownership tags.
   */
  ownerId?: string;
}

/** State the provider records: the inputs as the user gave them, plus what the copy reports. */
export interface CopyOutputs extends CopyInputs {
  /** ID of the copy in the destination region; also the resource ID. */
  snapshotId: string;
  /** Raw DescribeSnapshots Status. */
  status: SnapshotStatus;
  /** 0..100, parsed from DescribeSnapshots Progress ("45%"). */
  progress: number;
  /** DescribeSnapshots Available: the copy can be used. */
  available: boolean;
  /**
   * The key ID as the copy reports it (DescribeSnapshots KMSKeyId) once the copy exists; diff compares a new
   * ID, ARN or alias against it by key identity (./kmsKey.ts).
   */
  kmsKeyId?: string;
  /**
   * Aliases (`alias/<name>`) known to name `kmsKeyId`, e.g. the alias the user gave at create. Lets diff accept
   * the alias spelling without an API call. Optional.
   */
  kmsKeyAliases?: string[];
  sourceDiskId?: string;
  sourceDiskSize?: number;
  creationTime?: string;
  /** `acs:ecs:<region>:<uid>:snapshot/<id>` (uid "" if unknown). */
  arn: string;
}

/** The wait settings SnapshotCopy and SnapshotCopiesReady share (one rule set: checkWaitSettings in ./check.ts). */
export type WaitSettings = Pick<
  CopyInputs,
  "timeoutMinutes" | "stallTimeoutMinutes" | "pollMinSeconds" | "pollMaxSeconds"
>;

/** Inputs whose change makes a new copy (CopySnapshot cannot change them on an existing copy). */
export const REPLACE_PROPS = [
  "sourceSnapshotId",
  "sourceRegionId",
  "destinationRegionId",
  "encrypted",
  "kmsKeyId",
] as const;
/** Inputs changed in place: ModifySnapshotAttribute, TagResources/UntagResources, JoinResourceGroup. */
export const UPDATE_PROPS = ["name", "description", "retentionDays", "tags", "resourceGroupId"] as const;
/** Provider settings: no cloud change, but recorded in state. */
export const SETTING_PROPS = [
  "timeoutMinutes",
  "stallTimeoutMinutes",
  "onTimeout",
  "waitForCompletion",
  "pollMinSeconds",
  "pollMaxSeconds",
  "forceDelete",
  "adoptSnapshotId",
] as const;

/**
 * Every input name, in the order the docs list them, plus the hidden `resourceKey` and `ownerId`. The one list: check accepts
 * exactly these, state is read back through it, and diff sorts them into replace / update / setting.
 */
export const INPUT_KEYS = [
  ...REPLACE_PROPS,
  ...UPDATE_PROPS,
  ...SETTING_PROPS,
  "resourceKey",
  "ownerId",
] as const satisfies readonly (keyof CopyInputs)[];

/** Defaults `check` applies; one place so the class's TSDoc, check and diff agree. @internal */
export const DEFAULTS = {
  encrypted: false,
  tags: {} as Record<string, string>,
  stallTimeoutMinutes: 360,
  onTimeout: "cancel" as OnTimeout,
  waitForCompletion: true,
  pollMinSeconds: 5,
  pollMaxSeconds: 120,
  forceDelete: false,
} as const;

/**
 * The value the dynamic-provider host passes for a value that is not known yet (during preview).
 * Source: @pulumi/pulumi runtime/rpc.js `unknownValue`. @internal
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** True when `v` is the preview placeholder for a value not known yet. @internal */
export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}
