/**
 * The errors the simulated APIs raise, one class per Alibaba Cloud error code, WITHOUT an HTTP status: the same
 * code has different statuses in different actions (InvalidSnapshotId.NotFound is 403 in CopySnapshot and 404 in
 * DeleteSnapshot), so the status is decided per action in one table, `errorStatus.ts` (moto's split: models
 * raise typed errors, the response layer decides the status).
 *
 * Messages are the "Error message" column of the API reference page of the action that raises the code (ECS:
 * "CopySnapshot", "DescribeSnapshots", "DeleteSnapshot", "ModifySnapshotAttribute", "TagResources",
 * "UntagResources" pages of the ECS API reference; KMS: "Common error codes" of the KMS API reference; gateway
 * codes: Alibaba Cloud "Common error codes" / signature pages). `errorStatus.ts` names the page for each status.
 */
export class SimError extends Error {
  constructor(
    /** Alibaba error code, e.g. "InvalidSnapshotId.NotFound". */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A class for a code whose message never varies. */
function fixed(code: string, message: string): new () => SimError {
  return class extends SimError {
    constructor() {
      super(code, message);
    }
  };
}

// ---- authentication and gateway ------------------------------------------------------------
export const InvalidAccessKeyIdNotFound = fixed(
  "InvalidAccessKeyId.NotFound",
  "Specified access key is not found.",
);
/**
 * Wrong secret or tampered request. The real message echoes the server's string to sign: HMAC-SHA1 (RPC) answers
 * "Specified signature is not matched with our calculation. server string to sign is:<string to sign>" (the
 * prefix aliyun-python-sdk-core and alibaba-cloud-sdk-go split on); ACS3 answers "Specified signature does not
 * match our calculation. server StringToSign is [<string to sign>] server CanonicalRequest is [<request>]".
 */
export class SignatureDoesNotMatch extends SimError {
  constructor(kind: "rpc" | "acs3", stringToSign: string, canonicalRequest = "") {
    super(
      "SignatureDoesNotMatch",
      kind === "rpc"
        ? `Specified signature is not matched with our calculation. server string to sign is:${stringToSign}`
        : `Specified signature does not match our calculation. server StringToSign is [${stringToSign}] server CanonicalRequest is [${canonicalRequest}]`,
    );
  }
}
/** A required signature part (header, parameter) is missing or malformed. */
export class IncompleteSignature extends SimError {
  constructor(detail: string) {
    super("IncompleteSignature", `The request signature does not conform to Aliyun standards. ${detail}`);
  }
}
export const SignatureNonceUsed = fixed("SignatureNonceUsed", "Specified signature nonce was used already.");
export const InvalidTimeStampExpired = fixed(
  "InvalidTimeStamp.Expired",
  "Specified time stamp or date value is expired.",
);
export const InvalidTimeStampFormat = fixed(
  "InvalidTimeStamp.Format",
  "Specified time stamp or date value is not well formatted.",
);
/** Temporary (STS) credentials used after their Expiration; also the `tokenExpired` fault. */
export const InvalidSecurityTokenExpired = fixed(
  "InvalidSecurityToken.Expired",
  "Specified SecurityToken is expired.",
);
export const InvalidSecurityTokenMismatch = fixed(
  "InvalidSecurityToken.MismatchWithAccessKey",
  "Specified security token is not matched with access key.",
);
export class InvalidActionNotFound extends SimError {
  constructor(action: string) {
    super(
      "InvalidAction.NotFound",
      `Specified api is not found, please check your url and method: ${action}`,
    );
  }
}
export const ThrottlingUser = fixed("Throttling.User", "Request was denied due to user flow control.");
export const ServiceUnavailable = fixed(
  "ServiceUnavailable",
  "The request has failed due to a temporary failure of the server.",
);
export const InternalError = fixed(
  "InternalError",
  "The request processing has failed due to some unknown error, exception or failure.",
);

// ---- generic parameters ------------------------------------------------------------------
export class MissingParameter extends SimError {
  /** `suffix` gives the tag APIs' form, e.g. "MissingParameter.ResourceType". */
  constructor(name: string, suffix?: string) {
    super(
      suffix ? `MissingParameter.${suffix}` : "MissingParameter",
      suffix
        ? `The parameter - ${suffix} should not be null`
        : `The input parameter "${name}" that is mandatory for processing this request is not supplied.`,
    );
  }
}
export class InvalidParameter extends SimError {
  constructor(name: string, why = "") {
    super("InvalidParameter", `The specified parameter "${name}" is not valid.${why ? " " + why : ""}`);
  }
}
export const IdempotentParameterMismatch = fixed(
  "IdempotentParameterMismatch",
  "Request uses a client token in a previous request but is not identical to that request.",
);
export const InvalidRegionIdNotFound = fixed(
  "InvalidRegionId.NotFound",
  "The specified RegionId does not exist.",
);
/** CopySnapshot: a region ID of the right form that is not a region. */
export const InvalidRegionIdNotExists = fixed("InvalidRegionId.NotExists", "Region not exists.");
/** CopySnapshot: a region ID that is not of the form "cn-hangzhou". */
export const InvalidRegionIdMalFormed = fixed(
  "InvalidRegionId.MalFormed",
  "The specified RegionId is not valid.",
);
export const InvalidParameterMaxResults = fixed(
  "InvalidParameter.MaxResults",
  "The specified parameter MaxResults is not valid.",
);

// ---- ECS snapshots and disks ---------------------------------------------------------------
export const InvalidSnapshotIdNotFound = fixed(
  "InvalidSnapshotId.NotFound",
  "The specified SnapshotId does not exist.",
);
export const InvalidSnapshotIdNotReady = fixed(
  "InvalidSnapshotId.NotReady",
  "The specified snapshot has not completed yet.",
);
export const InvalidSnapshotIdsMalformed = fixed(
  "InvalidSnapshotIds.Malformed",
  "The amount of specified specified snapshot Ids exceeds the limit.",
);
export const InvalidStatusNotFound = fixed("InvalidStatus.NotFound", "The specified Status is not found.");
export const UnfinishedCrossRegionCopy = fixed(
  "InvalidOperation.UnfinishedCrossRegionCopy",
  "This disk has unfinished cross-region copy snapshots in the target region.",
);
export const UnfinishedEncryptedSnapshotCopy = fixed(
  "InvalidOperation.UnfinishedEncryptedSnapshotCopy",
  "This disk has unfinished encrypted copy snapshots in the target region.",
);
export const NotSupportCopyInSameRegion = fixed(
  "InvalidOperation.NotSupportCopyInSameRegion",
  "Copying snapshot in the same region is not supported.",
);
export const SnapshotCreatedDisk = fixed(
  "SnapshotCreatedDisk",
  "The snapshot has been used to create disk(s).",
);
export const InvalidSnapshotNameMalformed = fixed(
  "InvalidSnapshotName.Malformed",
  "The specified SnapshotName is wrongly formed.",
);
export const InvalidDescriptionMalformed = fixed(
  "InvalidDescription.Malformed",
  "The specified description is wrongly formed.",
);
export const InvalidRetentionDaysMalformed = fixed(
  "InvalidRetentionDays.Malformed",
  "The specified RetentionDays is not valid.",
);
export const DecreaseRetentionDaysUnsupported = fixed(
  "InvalidOperation.DecreaseRetentionDaysUnsupported",
  "The requested operation to decrease retention days for the snapshot is not supported.",
);
export const InvalidTagKeyMalformed = fixed(
  "InvalidTagKey.Malformed",
  "The specified Tag.n.Key is not valid.",
);
export const InvalidTagValueMalformed = fixed(
  "InvalidTagValue.Malformed",
  "The specified Tag.n.Value is not valid.",
);
export const DuplicateTagKey = fixed("Duplicate.TagKey", "The Tag.N.Key contain duplicate key.");
export const InvalidTagCount = fixed("InvalidTagCount", "The specified tags are beyond the permitted range.");
export const NoAttributeToModify = fixed(
  "NoAttributeToModify",
  "No attribute to be modified in this request.",
);
export const InvalidDiskIdNotFound = fixed("InvalidDiskId.NotFound", "The specified DiskId does not exist.");
export const InvalidResourceIdNotFound = fixed(
  "InvalidResourceId.NotFound",
  "The specified ResourceIds are not found in our records.",
);
export const InvalidResourceTypeNotFound = fixed(
  "InvalidResourceType.NotFound",
  "The ResourceType provided does not exist in our records.",
);
/** UntagResources: All=true together with TagKey.N. */
export const ParamConflict = fixed(
  "Param.Conflict",
  "The specified all is true, but the specified TagKey.N is not empty.",
);
export const InvalidKMSKeyIdNotFound = fixed(
  "InvalidParameter.KMSKeyId.NotFound",
  "The specified KMSKeyId does not exist.",
);
export const InvalidKMSKeyIdCMKNotEnabled = fixed(
  "InvalidParameter.KMSKeyId.CMKNotEnabled",
  "The CMK (Customer Master Key) must be in an active state.",
);
export const InvalidEncryptedNotMatchKmsKeyId = fixed(
  "InvalidEncrypted.NotMatchKmsKeyId",
  "The specified parameter Encrypted must be true when KmsKeyId is not empty.",
);

// ---- KMS -----------------------------------------------------------------------------
export const ForbiddenKeyNotFound = fixed("Forbidden.KeyNotFound", "The specified Key is not found.");
export const ForbiddenAliasNotFound = fixed("Forbidden.AliasNotFound", "The specified Alias is not found.");
export const AliasAlreadyExists = fixed("AliasAlreadyExists", "AliasName Already Exists.");
export const RejectedDisabled = fixed(
  "Rejected.Disabled",
  "The request was rejected because the key state is Disabled.",
);
/** The misspelling "Rejetced" is the real code as documented. */
export const RejectedPendingDeletion = fixed(
  "Rejetced.PendingDeletion",
  "The request was rejected because the key state is PendingDeletion.",
);
export const RejectedPendingImport = fixed(
  "Rejected.PendingImport",
  "The request was rejected because the key state is PendingImport.",
);
/** A state change the key's state does not allow (e.g. CancelKeyDeletion on an Enabled key). */
export const RejectedStateModifiedFailed = fixed("Rejected.StateModifiedFailed", "Keystate modified failed.");

// ---- STS 2015-04-01 ------------------------------------------------------------------------
// Codes and messages: the STS "Error codes" page of the RAM API reference (api-sts-2015-04-01-errorcodes) and
// the "STS AssumeRole common errors" troubleshooting page; errorStatus.ts gives the statuses.
export const EntityNotExistRole = fixed("EntityNotExist.Role", "The specified Role not exists.");
export const InvalidParameterRoleSessionName = fixed(
  "InvalidParameter.RoleSessionName",
  "The parameter RoleSessionName is wrongly formed.",
);
export const InvalidParameterDurationSeconds = fixed(
  "InvalidParameter.DurationSeconds",
  "The Min/Max value of DurationSeconds is 15min/1hr.",
);
export const InvalidParameterPolicyGrammar = fixed(
  "InvalidParameter.PolicyGrammar",
  "The parameter Policy has not passed grammar check.",
);
export const NoSuchOidcProvider = fixed(
  "AuthenticationFail.NoPermission",
  "No such OIDC Provider registered.",
);
export const InvalidOidcToken = fixed(
  "AuthenticationFail.OIDCToken.Invalid",
  "The Jwt content is invalid that cannot be recognized.",
);
