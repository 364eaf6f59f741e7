/**
 * THE table of HTTP statuses: for each action, the status of each code it answers, as that action's error table
 * in the API reference gives it. A code and its status travel together per action, not per code.
 *
 * Sources (page titles in the Alibaba Cloud API reference, "Error codes" section):
 *  - ECS "CopySnapshot" (revision 2025-03-21), "DescribeSnapshots" (2024-12-04), "DeleteSnapshot" (2025-12-25),
 *    "ModifySnapshotAttribute" (2026-01-07), "TagResources" (2025-04-10), "UntagResources".
 *  - ECS "CreateDisk", "CreateSnapshot" (older revisions of the pages; the 2025 revisions were not available to us).
 *  - KMS "Common error codes" (Forbidden.* 404, AliasAlreadyExists 400, Rejected.* 409).
 *  - Alibaba Cloud "Common error codes" / "Error codes of the API gateway" pages for the codes every action can
 *    answer (signature, throttling, MissingParameter, InvalidParameter, InternalError, ServiceUnavailable).
 * Rows marked NOT-IN-TABLE are answered by the simulator although that action's table does not list the code;
 * simulator/README.md lists them.
 */

/** Codes any action can answer, with the status the common error pages give. */
const COMMON: Readonly<Record<string, number>> = {
  "InvalidAccessKeyId.NotFound": 404,
  SignatureDoesNotMatch: 400,
  IncompleteSignature: 400,
  SignatureNonceUsed: 400,
  "InvalidTimeStamp.Expired": 400,
  "InvalidTimeStamp.Format": 400,
  "InvalidSecurityToken.MismatchWithAccessKey": 400,
  "InvalidSecurityToken.Expired": 400,
  "InvalidAction.NotFound": 404,
  "Throttling.User": 400,
  ServiceUnavailable: 503,
  InternalError: 500,
  MissingParameter: 400,
  InvalidParameter: 400,
  IdempotentParameterMismatch: 400,
};

const TAGS = {
  "Duplicate.TagKey": 400,
  "InvalidTagKey.Malformed": 400,
  "InvalidTagValue.Malformed": 400,
  InvalidTagCount: 400,
};

/** TagResources / UntagResources pages; ListTagResources and JoinResourceGroup follow them (NOT-IN-TABLE). */
const TAG_ACTIONS = {
  ...TAGS,
  "InvalidResourceId.NotFound": 404,
  "InvalidResourceType.NotFound": 404,
  "InvalidRegionId.NotFound": 404,
  "MissingParameter.ResourceIds": 404,
  "MissingParameter.ResourceType": 404,
  "MissingParameter.Tags": 404,
  "MissingParameter.RegionId": 404,
};

const KMS = {
  "Forbidden.KeyNotFound": 404,
  "Forbidden.AliasNotFound": 404,
  AliasAlreadyExists: 400,
  "Rejected.Disabled": 409,
  "Rejetced.PendingDeletion": 409,
  "Rejected.PendingImport": 409,
  "Rejected.StateModifiedFailed": 409,
};

/**
 * STS 2015-04-01 (AssumeRole, AssumeRoleWithOIDC): the STS "Error codes" page (api-sts-2015-04-01-errorcodes)
 * gives AuthenticationFail.* 401; InvalidParameter.* 400 and EntityNotExist.Role 404 follow the same page's
 * rows as far as we could read them (simulator/README.md, "Still unknown").
 */
const STS = {
  "EntityNotExist.Role": 404,
  "InvalidParameter.RoleSessionName": 400,
  "InvalidParameter.DurationSeconds": 400,
  "InvalidParameter.PolicyGrammar": 400,
};

const BY_ACTION: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  CopySnapshot: {
    ...TAGS, // InvalidTagCount: NOT-IN-TABLE (status of the TagResources table)
    "InvalidRegionId.MalFormed": 400,
    "InvalidRegionId.NotExists": 403,
    "InvalidSnapshotId.NotFound": 403,
    "InvalidSnapshotId.NotReady": 403,
    "InvalidOperation.UnfinishedCrossRegionCopy": 403,
    "InvalidOperation.UnfinishedEncryptedSnapshotCopy": 403,
    "InvalidOperation.NotSupportCopyInSameRegion": 403,
    "InvalidSnapshotName.Malformed": 403,
    "InvalidDescription.Malformed": 403,
    "InvalidRetentionDays.Malformed": 403,
    "InvalidEncrypted.NotMatchKmsKeyId": 403,
    "InvalidParameter.KMSKeyId.NotFound": 403,
    "InvalidParameter.KMSKeyId.CMKNotEnabled": 403,
  },
  DescribeSnapshots: {
    InvalidTagCount: 400,
    "InvalidSnapshotIds.Malformed": 403,
    "InvalidStatus.NotFound": 404,
    "InvalidRegionId.NotFound": 404, // NOT-IN-TABLE
    "InvalidParameter.MaxResults": 400, // NOT-IN-TABLE (listed by earlier revisions)
  },
  DeleteSnapshot: {
    SnapshotCreatedDisk: 403,
    "InvalidSnapshotId.NotFound": 404,
  },
  ModifySnapshotAttribute: {
    "InvalidSnapshotName.Malformed": 400,
    NoAttributeToModify: 400,
    "InvalidRetentionDays.Malformed": 400,
    "InvalidOperation.DecreaseRetentionDaysUnsupported": 400,
    "InvalidSnapshotId.NotReady": 400,
    "InvalidDescription.Malformed": 404,
    "InvalidSnapshotId.NotFound": 404,
  },
  TagResources: TAG_ACTIONS,
  UntagResources: { ...TAG_ACTIONS, "Param.Conflict": 403 },
  ListTagResources: TAG_ACTIONS,
  JoinResourceGroup: TAG_ACTIONS,
  CreateDisk: {
    ...TAGS,
    "InvalidRegionId.NotFound": 404,
    "InvalidSnapshotId.NotFound": 404,
    "InvalidSnapshotId.NotReady": 403,
  },
  CreateSnapshot: {
    ...TAGS,
    "InvalidDiskId.NotFound": 404,
    "InvalidSnapshotName.Malformed": 400,
    "InvalidDescription.Malformed": 400,
    "InvalidRetentionDays.Malformed": 400,
  },
  DescribeDisks: { "InvalidRegionId.NotFound": 404 }, // NOT-IN-TABLE
  DescribeRegions: {},
  CreateKey: KMS,
  DescribeKey: KMS,
  EnableKey: KMS,
  DisableKey: KMS,
  ScheduleKeyDeletion: KMS,
  CancelKeyDeletion: KMS,
  ListKeys: KMS,
  CreateAlias: KMS,
  ListAliases: KMS,
  AssumeRole: STS,
  AssumeRoleWithOIDC: {
    ...STS,
    "AuthenticationFail.NoPermission": 401,
    "AuthenticationFail.OIDCToken.Invalid": 401,
  },
};

/** Codes per action (for tests and the README). @internal */
export const STATUS_TABLE = BY_ACTION;

/**
 * The HTTP status `action` answers `code` with. A code that neither the action's table nor the common table
 * lists is a simulator bug: it is answered 500 so tests notice.
 */
export function httpStatus(action: string, code: string): number {
  return BY_ACTION[action]?.[code] ?? COMMON[code] ?? 500;
}
