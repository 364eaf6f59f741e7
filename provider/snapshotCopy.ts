/**
 * `SnapshotCopy`: a cross-region copy of an Alibaba Cloud ECS snapshot, optionally re-encrypted with a KMS key
 * in the destination region. This file is what a user reads; how the provider talks to the cloud lives in the
 * files beside it (impl.ts and what it imports).
 */
import * as pulumi from "@pulumi/pulumi";
import { SNAPSHOT_COPY_PROVIDER_TEXT } from "./providerText";
import type { OnTimeout, SnapshotStatus } from "./rules/types";
import type { WaitSettingsArgs } from "./waitSettings";

/** Inputs of {@link SnapshotCopy}. */
export interface SnapshotCopyArgs extends WaitSettingsArgs {
  /**
   * ID of the snapshot to copy, e.g. an `alicloud.ecs.EcsSnapshot`'s `id`: `s-` followed by letters and
   * digits. The source must be accomplished (API: CopySnapshot.SnapshotId). Changing it makes a new copy.
   */
  sourceSnapshotId: pulumi.Input<string>;
  /**
   * Region of the source snapshot, e.g. `cn-hangzhou` (API: CopySnapshot.RegionId). Changing it makes a new
   * copy.
   * @default the provider's region, `alicloud:region` in the stack config (then `ALICLOUD_REGION`)
   */
  sourceRegionId?: pulumi.Input<string>;
  /**
   * Region to copy to, e.g. `eu-central-1` (API: CopySnapshot.DestinationRegionId). It may equal
   * `sourceRegionId` only when `encrypted` is true: Alibaba copies within a region only to encrypt
   * (InvalidOperation.NotSupportCopyInSameRegion). Changing it makes a new copy.
   */
  destinationRegionId: pulumi.Input<string>;
  /**
   * Encrypt the copy ("Copy and Encrypt"; API: CopySnapshot.Encrypted), with `kmsKeyId` or, when that is unset,
   * the region's default service key. A copy of an encrypted source is always encrypted. Turning this on for
   * an existing copy makes a new copy; turning it off does not (a copy cannot be decrypted, and `false` means
   * "do not add encryption").
   * @default false
   */
  encrypted?: pulumi.Input<boolean>;
  /**
   * KMS key that encrypts the copy; it must be in `destinationRegionId` and Enabled (API: CopySnapshot.KMSKeyId).
   * Give the key ID (e.g. an `alicloud.kms.Key`'s `id`), its ARN (`acs:kms:<region>:<uid>:key/<id>`) or an
   * alias (`alias/<name>`): spellings that name the key the copy uses are not a change, so switching between
   * them never replaces the copy. Naming a different key makes a new copy. Needs `encrypted: true`.
   * @default unset: the default service key of the destination region
   */
  kmsKeyId?: pulumi.Input<string>;
  /**
   * Name of the copy (API: CopySnapshot.DestinationSnapshotName, then ModifySnapshotAttribute.SnapshotName):
   * 2 to 128 characters, starting with a letter (Chinese letters count), of letters, digits, `:`, `_`, `.` and
   * `-`; not starting with `http://`, `https://` or `auto` (reserved for automatic snapshots). A `.` only in a
   * new copy's name: ModifySnapshotAttribute refuses it in a rename. Changed in place.
   * @default an auto-name, `<resource name>-<7 hex characters>`, chosen once and kept in state (CopySnapshot
   * requires a name); a name dropped later keeps the copy's name
   */
  name?: pulumi.Input<string>;
  /**
   * Description of the copy (API: CopySnapshot.DestinationSnapshotDescription, then
   * ModifySnapshotAttribute.Description): 2 to 256 characters, not starting with `http://` or `https://`.
   * Changed in place.
   * @default "Copy of <sourceSnapshotId> from <sourceRegionId>, made by Pulumi", chosen once and kept in state
   * (CopySnapshot requires a description); a description dropped later keeps the copy's
   */
  description?: pulumi.Input<string>;
  /**
   * Days Alibaba keeps the copy before releasing it automatically, 1 to 65536 (API: CopySnapshot.RetentionDays,
   * then ModifySnapshotAttribute.RetentionDays). Alibaba can only extend retention, so lowering or removing it
   * is a check error. The source's retention is not copied.
   * @default unset: kept until deleted
   */
  retentionDays?: pulumi.Input<number>;
  /**
   * Tags of the copy (API: CopySnapshot Tag.N, then TagResources/UntagResources with ResourceType=snapshot): at
   * most 18 (a snapshot takes 20, and the provider's two `pulumi-snapshot-copy:*` tags mark the copy's owner);
   * keys must not start with `pulumi-snapshot-copy:`; keys 1 to 128 characters, not starting with `aliyun` or `acs:`; values at most 128 characters
   * and not starting with `aliyun` or `acs:`; neither may contain `http://` or `https://`. The source's tags
   * are not copied. Changed in place; tags not listed here are removed.
   * @default {}
   */
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Resource group of the copy, `rg-...` (API: CopySnapshot.ResourceGroupId, then JoinResourceGroup). Changed
   * in place.
   * @default unset: the account's default resource group
   */
  resourceGroupId?: pulumi.Input<string>;
  /**
   * What create does with a copy still running when the wait gives up (`timeoutMinutes` or
   * `stallTimeoutMinutes`, from {@link WaitSettingsArgs}): `"cancel"` deletes
   * it (DeleteSnapshot cancels a copy in progress), so nothing is left billing; `"keep"` records the resource
   * as created-but-failed, and the next `pulumi up` resumes waiting on the same copy instead of copying again.
   * @default "cancel"
   */
  onTimeout?: pulumi.Input<OnTimeout>;
  /**
   * Wait until the copy is usable (accomplished and Available). `false` returns as soon as CopySnapshot has
   * accepted the copy; `status` and `progress` then show where it stands on each `pulumi refresh`. For many
   * copies, use `false` and wait for all of them with one `SnapshotCopiesReady`: a waiting create holds one of
   * the engine's `--parallel` slots (default 4 × CPUs) until its copy is done, so waiting creates run in waves.
   * @default true
   */
  waitForCompletion?: pulumi.Input<boolean>;
  /**
   * Delete the copy even when disks or images were created from it (API: DeleteSnapshot.Force). Without it,
   * destroy refuses such a copy with a message saying what uses it.
   * @default false
   */
  forceDelete?: pulumi.Input<boolean>;
  /**
   * Put an existing copy (`s-...`, in `destinationRegionId`) under management instead of copying again. Use
   * it where you would use `pulumi import`, which does not work for dynamic resources: create reads the copy,
   * checks that it is a copy of `sourceSnapshotId`, applies `name`, `description`, `retentionDays`, `tags`
   * and `resourceGroupId`, and from then on the resource owns it (destroy deletes it). It may be removed
   * after the first `pulumi up`; pointing it at another copy replaces the resource.
   * @default unset: create makes a new copy
   */
  adoptSnapshotId?: pulumi.Input<string>;
}

/**
 * A cross-region copy of an ECS snapshot.
 *
 * `pulumi up` copies and waits until the copy is usable; `pulumi refresh` reads status, encryption and
 * source back; `pulumi destroy` cancels a copy still in progress or deletes a finished one.
 *
 * @example
 * ```ts
 * const copy = new SnapshotCopy("db-backup-eu", {
 *     sourceSnapshotId: snap.id,
 *     sourceRegionId: "cn-hangzhou",
 *     destinationRegionId: "eu-central-1",
 *     encrypted: true,
 *     kmsKeyId: euKey.id,
 *     retentionDays: 30,
 *     tags: { team: "platform" },
 * });
 * export const copyId = copy.snapshotId;
 * ```
 */
export class SnapshotCopy extends pulumi.CustomResource {
  /**
   * The type token: a dynamic resource's (`pulumi-nodejs:dynamic/<module>:<type>`, served by the engine's
   * dynamic-provider host with the `__provider` text of ./providerText.ts). Fixed for good: changing it would
   * change every existing resource's URN.
   */
  public static readonly typeToken = "pulumi-nodejs:dynamic/alicloud:SnapshotCopy";

  // Outputs are `declare`d, not `x!:` fields: with target ES2022 (useDefineForClassFields) a `x!:` field is
  // re-initialised to undefined after super() has set it to the Output (caught by tests/unit/snapshotCopy).

  /** ID of the copy in `destinationRegionId`; also the resource's `id`. */
  declare public readonly snapshotId: pulumi.Output<string>;
  /** DescribeSnapshots Status of the copy, as the API reports it. */
  declare public readonly status: pulumi.Output<SnapshotStatus>;
  /** Copy progress, 0 to 100 (DescribeSnapshots Progress). */
  declare public readonly progress: pulumi.Output<number>;
  /** The copy can be used, e.g. to create disks (DescribeSnapshots Available). */
  declare public readonly available: pulumi.Output<boolean>;
  /** Whether the copy is encrypted. */
  declare public readonly encrypted: pulumi.Output<boolean>;
  /** ID of the KMS key the copy is encrypted with, as the copy reports it; unset when not encrypted. */
  declare public readonly kmsKeyId: pulumi.Output<string | undefined>;
  /** ID of the snapshot this is a copy of. */
  declare public readonly sourceSnapshotId: pulumi.Output<string>;
  /** Region of the source snapshot. */
  declare public readonly sourceRegionId: pulumi.Output<string>;
  /** Region the copy is in. */
  declare public readonly destinationRegionId: pulumi.Output<string>;
  /** ID of the disk the source snapshot was taken from. */
  declare public readonly sourceDiskId: pulumi.Output<string | undefined>;
  /** Size of that disk, in GiB. */
  declare public readonly sourceDiskSize: pulumi.Output<number | undefined>;
  /** Name of the copy. */
  declare public readonly name: pulumi.Output<string | undefined>;
  /** Description of the copy. */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** Days Alibaba keeps the copy; unset = until deleted. */
  declare public readonly retentionDays: pulumi.Output<number | undefined>;
  /** Tags of the copy. */
  declare public readonly tags: pulumi.Output<Record<string, string>>;
  /** Resource group of the copy. */
  declare public readonly resourceGroupId: pulumi.Output<string | undefined>;
  /** When the copy was created (ISO 8601, UTC). */
  declare public readonly creationTime: pulumi.Output<string | undefined>;
  /** `acs:ecs:<destinationRegionId>:<account uid>:snapshot/<snapshotId>`; the uid is "" when unknown. */
  declare public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SnapshotCopyArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      snapshotId: undefined,
      status: undefined,
      progress: undefined,
      available: undefined,
      encrypted: undefined,
      kmsKeyId: undefined,
      sourceSnapshotId: undefined,
      sourceRegionId: undefined,
      destinationRegionId: undefined,
      sourceDiskId: undefined,
      sourceDiskSize: undefined,
      name: undefined,
      description: undefined,
      retentionDays: undefined,
      tags: undefined,
      resourceGroupId: undefined,
      creationTime: undefined,
      arn: undefined,
    };
    // The resource's URN (project, stack, parent chain, type, name): it names the declaration in the copy's
    // ownership tag and ClientToken (rules/ownership.ts), so two same-named children of different parents never
    // meet. The engine-made URN only exists after registration, so it is computed the way the engine makes it.
    const resourceKey = urnText(pulumi.createUrn(name, SnapshotCopy.typeToken, opts?.parent), opts?.parent);
    const props = { ...outputs, ...args, resourceKey, __provider: SNAPSHOT_COPY_PROVIDER_TEXT };
    // Registering makes @pulumi/pulumi format a stack trace for each of ~120 property promises, kept only for
    // its promise-leak report (runtime/debuggable.js); ts-node source-maps every one. Without them a 100-copy
    // SnapshotCopySet is constructed in 0.3 s instead of 2 s, and nothing registers before that (docs/design.md
    // §4). PULUMI_DEBUG_PROMISE_LEAKS keeps them; the SDK takes the source position with its own limit.
    const limit = Error.stackTraceLimit;
    if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) Error.stackTraceLimit = 0;
    try {
      super(SnapshotCopy.typeToken, name, props, opts);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/**
 * The URN's text, without the URN Output's dependency on the parent. The SDK turns a dependency on a component
 * into dependencies on all of the component's children (@pulumi/pulumi 3.248 runtime/dependsOn.js,
 * addTransitivelyReferencedChildResourcesOfComponentResources), so two copies under one component whose
 * inputs depended on it would each wait for the other to register: measured, `pulumi up` hung and the program
 * exited with its promises still active. A URN is known even in preview, so the promise always settles.
 */
function urnText(urn: pulumi.Output<string>, parent: pulumi.Resource | undefined): pulumi.Input<string> {
  return parent ? new Promise<string>((resolve) => urn.apply(resolve)) : urn;
}
