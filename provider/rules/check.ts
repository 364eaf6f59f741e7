/**
 * `check`: every rule the Alibaba API would reject, caught at preview with a sentence a person can act on,
 * without a single API call (docs/design.md §5 "check"). All failures are collected, not
 * just the first. Values not known yet at preview pass.
 *
 * Rule sources: the field docs in @alicloud/ecs20140526 (CopySnapshotRequest, ModifySnapshotAttributeRequest,
 * TagResourcesRequest, CreateSnapshotRequest) and the ECS API reference for CopySnapshot. Where the APIs we call
 * for one field differ (CopySnapshot at create, ModifySnapshotAttribute / TagResources at update), the stricter
 * rule applies, so an input valid at create stays valid at update.
 */
import { tryParseKeyRef } from "./kmsKey";
import {
  checkBoolean,
  checkDescription,
  checkName,
  checkRegion,
  checkRetention,
  checkSnapshotId,
  checkTags,
  checkWaitSettings,
  describe,
  type Fail,
  MAX_TAGS,
  RESOURCE_GROUP_ID,
} from "./fieldRules";
import { carryOver, withDefaults, withOwnership } from "./inputDefaults";
import { MAX_USER_TAGS } from "./ownership";
import { INPUT_KEYS, isUnknown, type CopyInputs } from "./types";

/** One broken rule: the property and what to do about it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

export interface CheckContext {
  /** The provider's configured region (`alicloud:region`), the default for `sourceRegionId`. */
  defaultRegion?: string;
  /**
   * Draws a new resource generation's ownerId (./ownership.ts). Without it (re-checks of recorded inputs),
   * no ownerId is drawn.
   */
  newOwnerId?: () => string;
}

export interface CheckResult {
  /** The inputs with defaults applied. At preview, fields may hold the unknown-value placeholder. */
  inputs: CopyInputs;
  failures: CheckFailure[];
}

const INPUTS = INPUT_KEYS;
/** Output names the class passes as `undefined` so outputs exist; the host may echo them back. */
const OUTPUTS = [
  "snapshotId",
  "status",
  "progress",
  "available",
  "sourceDiskId",
  "sourceDiskSize",
  "creationTime",
  "arn",
  "kmsKeyAliases",
  "__provider",
];
const KNOWN = new Set<string>([...INPUTS, ...OUTPUTS]);

/**
 * Validates and defaults the inputs. `olds` are the previous inputs ({} on create), used for rules across
 * updates (retention can only grow).
 */
export function checkInputs(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
  ctx: CheckContext = {},
): CheckResult {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });

  for (const k of Object.keys(news)) {
    if (!KNOWN.has(k)) {
      fail(
        k,
        `${k} is not a SnapshotCopy input; remove it or check its spelling (inputs: ${INPUTS.join(", ")})`,
      );
    }
  }

  checkSnapshotId(
    news,
    "sourceSnapshotId",
    fail,
    true,
    "the snapshot to copy, e.g. an alicloud.ecs.EcsSnapshot's id",
  );
  const sourceRegionId = checkRegions(news, ctx, fail);
  checkEncryption(news, sourceRegionId, fail);
  // Copies recorded before ownership tags have no ownerId and are not tagged, so they keep the whole tag budget.
  const legacy = Object.keys(olds).length > 0 && olds.ownerId === undefined;
  checkAttributes(olds, news, legacy, fail);
  checkSettings(news, fail);

  const inputs = withDefaults(news, sourceRegionId);
  return { inputs: legacy ? carryOver(inputs, olds) : withOwnership(inputs, olds, ctx.newOwnerId), failures };
}

type News = Record<string, unknown>;

/** From where to where; returns the source region (the input, or the provider's region). */
function checkRegions(news: News, ctx: CheckContext, fail: Fail): unknown {
  const sourceRegionId = news.sourceRegionId ?? ctx.defaultRegion;
  if (sourceRegionId === undefined) {
    fail(
      "sourceRegionId",
      "sourceRegionId is not set and the provider has no region; set sourceRegionId to the source snapshot's region, or run `pulumi config set alicloud:region <region>`",
    );
  } else if (!isUnknown(sourceRegionId)) {
    const from = news.sourceRegionId === undefined ? " (from the provider's alicloud:region)" : "";
    checkRegion("sourceRegionId", sourceRegionId, fail, `the region the source snapshot is in${from}`);
  }
  if (news.destinationRegionId === undefined) {
    fail(
      "destinationRegionId",
      "destinationRegionId is required; set it to the region to copy the snapshot to, e.g. eu-central-1",
    );
  } else if (!isUnknown(news.destinationRegionId)) {
    checkRegion("destinationRegionId", news.destinationRegionId, fail, "the region to copy the snapshot to");
  }
  return sourceRegionId;
}

/** Encryption and the key: a same-region copy only to encrypt, a key only with encryption, in the destination. */
function checkEncryption(news: News, sourceRegionId: unknown, fail: Fail): void {
  const known = (k: string) => news[k] !== undefined && !isUnknown(news[k]);
  checkBoolean(news, "encrypted", fail, "true to encrypt the copy with KMS");
  const encryptedKnown = !isUnknown(news.encrypted);
  const encrypted = news.encrypted === true;
  if (
    typeof sourceRegionId === "string" &&
    !isUnknown(sourceRegionId) &&
    sourceRegionId === news.destinationRegionId &&
    encryptedKnown &&
    !encrypted
  ) {
    fail(
      "destinationRegionId",
      `destinationRegionId equals sourceRegionId (${sourceRegionId}): Alibaba copies a snapshot within its own region only to encrypt it (InvalidOperation.NotSupportCopyInSameRegion); set encrypted: true, or choose another destinationRegionId`,
    );
  }
  if (known("kmsKeyId")) {
    const ref = news.kmsKeyId;
    if (typeof ref !== "string") {
      fail("kmsKeyId", `kmsKeyId must be a string: a KMS key ID, key ARN or alias (got ${describe(ref)})`);
    } else {
      if (encryptedKnown && !encrypted) {
        fail(
          "kmsKeyId",
          "kmsKeyId is set but encrypted is not true; the key is only used to encrypt the copy: set encrypted: true, or remove kmsKeyId",
        );
      }
      const parsed = tryParseKeyRef(ref);
      if (!parsed) {
        fail(
          "kmsKeyId",
          `kmsKeyId must be a KMS key ID (e.g. 0e478b7a-4262-4802-b8cb-00d3fb40****), a key ARN (acs:kms:<region>:<uid>:key/<id>) or an alias (alias/<name>) (got ${describe(ref)}); use an alicloud.kms.Key's id in the destination region`,
        );
      } else if (
        parsed.region &&
        typeof news.destinationRegionId === "string" &&
        !isUnknown(news.destinationRegionId) &&
        parsed.region !== news.destinationRegionId
      ) {
        fail(
          "kmsKeyId",
          `kmsKeyId names a key in ${parsed.region}, but the copy is made in ${news.destinationRegionId} and CopySnapshot needs a key in the destination region; use a key in ${news.destinationRegionId}`,
        );
      }
    }
  }
}

/** The copy's attributes: name, description, retention, tags, resource group. */
function checkAttributes(olds: News, news: News, legacy: boolean, fail: Fail): void {
  const known = (k: string) => news[k] !== undefined && !isUnknown(news[k]);
  if (known("name")) checkName(news.name, fail, olds.name);
  if (known("description")) checkDescription(news.description, fail);
  checkRetention(olds.retentionDays, news.retentionDays, fail);
  if (known("tags")) checkTags(news.tags, fail, legacy ? MAX_TAGS : MAX_USER_TAGS);
  if (known("resourceGroupId")) {
    const rg = news.resourceGroupId;
    if (typeof rg !== "string" || !RESOURCE_GROUP_ID.test(rg)) {
      fail(
        "resourceGroupId",
        `resourceGroupId must be a resource group ID: "rg-" followed by letters and digits (got ${describe(rg)}); use an alicloud.resourcemanager.ResourceGroup's id, or leave it unset for the default group`,
      );
    }
  }
}

/** Waiting, deleting, adopting, and the hidden inputs the class sets. */
function checkSettings(news: News, fail: Fail): void {
  const known = (k: string) => news[k] !== undefined && !isUnknown(news[k]);
  checkWaitSettings(news, fail);
  if (known("onTimeout") && news.onTimeout !== "cancel" && news.onTimeout !== "keep") {
    fail(
      "onTimeout",
      `onTimeout must be "cancel" (delete the unfinished copy) or "keep" (record it and resume waiting on the next up) (got ${describe(news.onTimeout)})`,
    );
  }
  checkBoolean(news, "waitForCompletion", fail, "false to return as soon as the copy has started");
  checkBoolean(
    news,
    "forceDelete",
    fail,
    "true to delete the copy even when disks or images were created from it",
  );
  if (known("adoptSnapshotId")) {
    checkSnapshotId(
      news,
      "adoptSnapshotId",
      fail,
      false,
      "the existing copy in destinationRegionId to manage",
    );
    if (news.adoptSnapshotId === news.sourceSnapshotId) {
      fail(
        "adoptSnapshotId",
        "adoptSnapshotId equals sourceSnapshotId; set it to the ID of the existing copy in the destination region, not the source (destroy would delete it)",
      );
    }
  }
  if (known("ownerId") && typeof news.ownerId !== "string") {
    fail("ownerId", `ownerId is set by SnapshotCopy itself; do not pass it (got ${describe(news.ownerId)})`);
  }
  if (known("resourceKey") && typeof news.resourceKey !== "string") {
    fail(
      "resourceKey",
      `resourceKey is set by SnapshotCopy itself; do not pass it (got ${describe(news.resourceKey)})`,
    );
  }
}
