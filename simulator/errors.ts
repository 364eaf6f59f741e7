/**
 * One class per Alibaba Cloud error code, with the HTTP status the real API sends.
 * Sources (cited per class):
 *  [GW]   POP gateway common errors, help.aliyun.com/document_detail/48054 (InvalidTimeStamp.Expired,
 *         SignatureNonceUsed, SignatureDoesNotMatch, Throttling.User, all HTTP 400).
 *  [KMS]  KMS "Response structure / public error codes" (InvalidAccessKeyId.NotFound 404, IncompleteSignature 400,
 *         Forbidden.KeyNotFound 404, Forbidden.AliasNotFound 404, AliasAlreadyExists 400, Rejected.* 409).
 *  [ECS]  ECS API reference error tables: CopySnapshot (InvalidOperation.* 403), CreateSnapshot, CreateDisk,
 *         ModifySnapshotAttribute, DeleteSnapshot (SnapshotCreatedDisk 403), DescribeSnapshots (MaxResults).
 *  [EC]   Alibaba error center / SDK common errors (InternalError 500, ServiceUnavailable 503,
 *         IdempotentParameterMismatch 400, MissingParameter 400, InvalidParameter 400).
 *  [SIM]  Not found in the docs we could search; the code is our best reading of the API and is marked so.
 */
export class SimError extends Error {
  constructor(
    /** Alibaba error code, e.g. "InvalidSnapshotId.NotFound". */
    readonly code: string,
    /** HTTP status the real API answers with for this code. */
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

// ---- authentication and gateway ------------------------------------------------------------
/** [KMS] 404. */
export class InvalidAccessKeyIdNotFound extends SimError {
  constructor() {
    super("InvalidAccessKeyId.NotFound", 404, "Specified access key is not found.");
  }
}
/** [GW] 400 (HMAC-SHA1 and ACS3 alike). */
export class SignatureDoesNotMatch extends SimError {
  constructor(detail = "") {
    super("SignatureDoesNotMatch", 400, `Specified signature is not matched with our calculation.${detail}`);
  }
}
/** [KMS] 400: a required signature part (header, parameter) is missing or malformed. */
export class IncompleteSignature extends SimError {
  constructor(detail: string) {
    super(
      "IncompleteSignature",
      400,
      `The request signature does not conform to Aliyun standards. ${detail}`,
    );
  }
}
/** [GW] 400. */
export class SignatureNonceUsed extends SimError {
  constructor() {
    super("SignatureNonceUsed", 400, "Specified signature nonce was used already.");
  }
}
/** [GW] 400: Timestamp / x-acs-date more than 15 minutes away from server time. */
export class InvalidTimeStampExpired extends SimError {
  constructor() {
    super("InvalidTimeStamp.Expired", 400, "Specified time stamp or date value is expired.");
  }
}
/** [GW] 400. */
export class InvalidTimeStampFormat extends SimError {
  constructor() {
    super("InvalidTimeStamp.Format", 400, "Specified time stamp or date value is not well formatted.");
  }
}
/** [SIM] 400: STS token missing or not the one issued with the AccessKey. */
export class InvalidSecurityTokenMismatch extends SimError {
  constructor() {
    super(
      "InvalidSecurityToken.MismatchWithAccessKey",
      400,
      "Specified security token is not matched with access key.",
    );
  }
}
/** [SIM] 400: the STS token's lifetime is over (what an expired AssumeRole token gets from the gateway). */
export class InvalidSecurityTokenExpired extends SimError {
  constructor() {
    super("InvalidSecurityToken.Expired", 400, "Specified SecurityToken is expired.");
  }
}
/** [GW] 404. */
export class InvalidActionNotFound extends SimError {
  constructor(action: string) {
    super(
      "InvalidAction.NotFound",
      404,
      `Specified api is not found, please check your url and method: ${action}`,
    );
  }
}
/** [GW] 400 per-user flow control. */
export class ThrottlingUser extends SimError {
  constructor() {
    super("Throttling.User", 400, "Request was denied due to user flow control.");
  }
}
/** [EC] 503. */
export class ServiceUnavailable extends SimError {
  constructor() {
    super("ServiceUnavailable", 503, "The request has failed due to a temporary failure of the server.");
  }
}
/** [EC] 500. */
export class InternalError extends SimError {
  constructor() {
    super(
      "InternalError",
      500,
      "The request processing has failed due to some unknown error, exception or failure.",
    );
  }
}

// ---- generic parameters ------------------------------------------------------------------
/** [EC] 400. */
export class MissingParameter extends SimError {
  constructor(name: string) {
    super(
      "MissingParameter",
      400,
      `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );
  }
}
/** [EC] 400. */
export class InvalidParameter extends SimError {
  constructor(name: string, why = "") {
    super("InvalidParameter", 400, `The specified parameter "${name}" is not valid.${why ? " " + why : ""}`);
  }
}
/** [EC] 400: same ClientToken, different parameters. */
export class IdempotentParameterMismatch extends SimError {
  constructor() {
    super(
      "IdempotentParameterMismatch",
      400,
      "Request uses a client token in a previous request but is not identical to that request.",
    );
  }
}
/** [SIM] 404 ("The specified RegionId does not exist."): used for RegionId and DestinationRegionId. */
export class InvalidRegionIdNotFound extends SimError {
  constructor(param = "RegionId") {
    super("InvalidRegionId.NotFound", 404, `The specified ${param} does not exist.`);
  }
}
/** [ECS] 400 DescribeSnapshots. */
export class InvalidParameterMaxResults extends SimError {
  constructor() {
    super("InvalidParameter.MaxResults", 400, "The specified parameter MaxResults is not valid.");
  }
}
/** [SIM] 400 unknown or stale NextToken. */
export class InvalidParameterNextToken extends SimError {
  constructor() {
    super("InvalidParameter.NextToken", 400, "The specified parameter NextToken is not valid.");
  }
}

// ---- ECS snapshots -----------------------------------------------------------------------
/** [ECS] 404. */
export class InvalidSnapshotIdNotFound extends SimError {
  constructor(id: string) {
    super("InvalidSnapshotId.NotFound", 404, `The specified SnapshotId does not exist: ${id}`);
  }
}
/** [SIM] 400 DescribeSnapshots SnapshotIds not a JSON array of at most 100 IDs. */
export class InvalidSnapshotIdsMalformed extends SimError {
  constructor() {
    super("InvalidSnapshotIds.Malformed", 400, "Specified snapshot ids are not valid.");
  }
}
/** [ECS] 403 source snapshot not accomplished. */
export class IncorrectSnapshotStatus extends SimError {
  constructor() {
    super("IncorrectSnapshotStatus", 403, "The Snapshot current status does not support this operation.");
  }
}
/** [ECS] 403 CopySnapshot. */
export class DiskHasUnfinishedSnapshotCopy extends SimError {
  constructor(copyId: string) {
    super(
      "InvalidOperation.DiskHasUnfinishedSnapshotCopy",
      403,
      `There is an unfinished snapshot copy "${copyId}" of this disk in the target region. Please change the region or wait for the copy to complete before trying again.`,
    );
  }
}
/** [ECS] 403 CopySnapshot. */
export class NotSupportCopyInSameRegion extends SimError {
  constructor() {
    super(
      "InvalidOperation.NotSupportCopyInSameRegion",
      403,
      "Copying snapshot in the same region is not supported. Please specify a different DestinationRegionId and try again.",
    );
  }
}
/** [ECS] 403 DeleteSnapshot without Force. */
export class SnapshotCreatedDisk extends SimError {
  constructor() {
    super("SnapshotCreatedDisk", 403, "The snapshot has been used to create disk(s).");
  }
}
/** [ECS] 400. */
export class InvalidSnapshotNameMalformed extends SimError {
  constructor() {
    super("InvalidSnapshotName.Malformed", 400, "The specified SnapshotName is wrongly formed.");
  }
}
/** [ECS] 404 (sic: the ECS tables list this one as 404). */
export class InvalidDescriptionMalformed extends SimError {
  constructor() {
    super("InvalidDescription.Malformed", 404, "The specified description is wrongly formed.");
  }
}
/** [ECS] 400 (CreateSnapshot table); also used for shortening retention in ModifySnapshotAttribute [SIM]. */
export class InvalidRetentionDaysMalformed extends SimError {
  constructor(why = "") {
    super(
      "InvalidRetentionDays.Malformed",
      400,
      `The specified parameter RetentionDays is not valid.${why ? " " + why : ""}`,
    );
  }
}
/** [ECS] 400. */
export class InvalidTagKeyMalformed extends SimError {
  constructor() {
    super("InvalidTagKey.Malformed", 400, "The specified Tag.n.Key is not valid.");
  }
}
/** [ECS] 400. */
export class InvalidTagValueMalformed extends SimError {
  constructor() {
    super("InvalidTagValue.Malformed", 400, "The specified Tag.n.Value is not valid.");
  }
}
/** [ECS] 400. */
export class DuplicateTagKey extends SimError {
  constructor() {
    super("Duplicate.TagKey", 400, "The Tag.N.Key contain duplicate key.");
  }
}
/** [SIM] 400 more than 20 tags on a resource. */
export class InvalidTagCount extends SimError {
  constructor() {
    super("InvalidTagCount", 400, "The specified tags are beyond the permitted range.");
  }
}
/** [ECS] 400 ModifySnapshotAttribute with nothing to change. */
export class NoAttributeToModify extends SimError {
  constructor() {
    super("NoAttributeToModify", 400, "No attribute to be modified in this request.");
  }
}
/** [ECS] 404. */
export class InvalidDiskIdNotFound extends SimError {
  constructor() {
    super("InvalidDiskId.NotFound", 404, "The specified DiskId does not exist.");
  }
}
/** [SIM] 404 TagResources / JoinResourceGroup on a missing resource. */
export class InvalidResourceIdNotFound extends SimError {
  constructor() {
    super("InvalidResourceId.NotFound", 404, "The specified ResourceIds are not found in our records.");
  }
}
/** [SIM] 400 ResourceType other than snapshot. */
export class InvalidResourceTypeNotSupported extends SimError {
  constructor() {
    super(
      "InvalidResourceType.NotSupported",
      400,
      "The specified ResourceType is not supported by the simulator.",
    );
  }
}
/** [ECS] 404 (CreateDisk/CreateSnapshot tables): KMSKeyId not found in the destination region. */
export class InvalidKMSKeyIdNotFound extends SimError {
  constructor() {
    super("InvalidParameter.KMSKeyId.NotFound", 404, "The specified KMSKeyId does not exist.");
  }
}
/** [ECS] 403 (CreateDisk table): the key exists but is not Enabled. */
export class InvalidKMSKeyIdCMKNotEnabled extends SimError {
  constructor() {
    super("InvalidParameter.KMSKeyId.CMKNotEnabled", 403, "The CMK needs to be enabled.");
  }
}
/** [ECS] 400 KMSKeyId given while Encrypted is not true. */
export class InvalidParameterEncryptedIllegal extends SimError {
  constructor() {
    super(
      "InvalidParameter.EncryptedIllegal",
      400,
      "The specified parameter Encrypted must be true when kmsKeyId is not empty.",
    );
  }
}

// ---- KMS -----------------------------------------------------------------------------
/** [KMS] 404. */
export class ForbiddenKeyNotFound extends SimError {
  constructor() {
    super("Forbidden.KeyNotFound", 404, "The specified Key is not found.");
  }
}
/** [KMS] 404. */
export class ForbiddenAliasNotFound extends SimError {
  constructor() {
    super("Forbidden.AliasNotFound", 404, "The specified Alias is not found.");
  }
}
/** [KMS] 400. */
export class AliasAlreadyExists extends SimError {
  constructor() {
    super("AliasAlreadyExists", 400, "AliasName Already Exists.");
  }
}
/** [KMS] 409. */
export class RejectedDisabled extends SimError {
  constructor() {
    super("Rejected.Disabled", 409, "The request was rejected because the key state is Disabled.");
  }
}
/** [KMS] 409. The misspelling "Rejetced" is the real code as documented. */
export class RejectedPendingDeletion extends SimError {
  constructor() {
    super(
      "Rejetced.PendingDeletion",
      409,
      "The request was rejected because the key state is PendingDeletion.",
    );
  }
}
/** [KMS] 409. */
export class RejectedPendingImport extends SimError {
  constructor() {
    super("Rejected.PendingImport", 409, "The request was rejected because the key state is PendingImport.");
  }
}
/** [KMS] 409 a state change that the key's state does not allow (e.g. CancelKeyDeletion on an Enabled key). */
export class RejectedStateModifiedFailed extends SimError {
  constructor() {
    super("Rejected.StateModifiedFailed", 409, "Keystate modified failed.");
  }
}
