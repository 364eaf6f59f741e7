/**
 * One error shape for every API answer that is not a success, and the codes whose meaning the provider acts on.
 * Codes are the API reference's (ECS and KMS error tables); each set says where it comes from.
 */
import { isRetryableFailure, isTimeoutFailure } from "./retry";

/**
 * One error shape for both SDKs. `message` quotes Code, Message and RequestId (what a user needs to act on it or to ask support).
 * Never carries credentials: URLs (whose query holds the AccessKeyId and STS token) are cut from messages.
 */
export class AlibabaApiError extends Error {
  override name = "AlibabaApiError";
  /** API error `Code` (e.g. `InvalidSnapshotId.NotFound`), or a Node error code for connection failures. */
  readonly code: string;
  /** API error `Message`, as sent. */
  readonly apiMessage: string;
  readonly requestId?: string;
  /** HTTP status of the error response; undefined for connection failures. */
  readonly httpStatus?: number;
  readonly action: string;
  readonly region: string;
  /** Whether ./retry.ts would retry it. */
  readonly retryable: boolean;
  /** A connection timeout (a retry after it costs more of the retry quota). */
  readonly timeout: boolean;
  /**
   * The least time (ms) the server asked us to wait before trying again: openapi-core's ThrottlingError
   * `retryAfter`, read from the `x-acs-retry-after` response header (openapi-core utils.getThrottlingTimeLeft;
   * @darabonba/typescript's retry policy uses it as milliseconds). Undefined when the answer carried none.
   */
  readonly retryAfterMs?: number;

  constructor(f: {
    code: string;
    apiMessage: string;
    requestId?: string;
    httpStatus?: number;
    action: string;
    region: string;
    retryAfterMs?: number;
  }) {
    const rid = f.requestId ? ` (RequestId: ${f.requestId})` : "";
    const status = f.httpStatus ? `, HTTP ${f.httpStatus}` : "";
    super(`${f.action} in ${f.region} failed: ${f.code}: ${f.apiMessage}${rid}${status}`);
    this.code = f.code;
    this.apiMessage = f.apiMessage;
    this.requestId = f.requestId;
    this.httpStatus = f.httpStatus;
    this.action = f.action;
    this.region = f.region;
    this.retryable = isRetryableFailure(f.code, f.httpStatus);
    this.timeout = isTimeoutFailure(f.code);
    if (f.retryAfterMs !== undefined && Number.isFinite(f.retryAfterMs) && f.retryAfterMs > 0)
      this.retryAfterMs = f.retryAfterMs;
  }
}

/** Cuts URLs' query strings and any known secret out of text bound for errors and logs. @internal */
export function redact(text: string, secrets: string[]): string {
  let out = text.replace(/(https?:\/\/[^\s?]+)\?\S*/gi, "$1?<redacted>");
  for (const s of secrets) out = out.split(s).join("<redacted>");
  return out;
}

type Rec = Record<string, unknown>;
const str = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" && v !== "undefined" ? v : undefined;

/**
 * Normalises what either SDK throws:
 * - openapi-core (ECS): ClientError / ServerError / ThrottlingError with `code`, `statusCode`, `requestId`,
 *   `data` = the error body ({Code, Message, RequestId}); `message` is "code: 404, <Message> request id: <id>";
 *   a ThrottlingError also has `retryAfter` (kept as {@link AlibabaApiError.retryAfterMs}).
 * - rpc-client (KMS): tea ResponseError with `code` = `${Code}Error`, `data` = the error body, no status field;
 *   the status is only in `message` ("code: 404, <Message> requestid: <id>").
 * - connection failures: Node errors (`code` ECONNRESET...) or httpx `RequestTimeoutError` (by `name`).
 * @internal
 */
export function normaliseError(
  err: unknown,
  action: string,
  region: string,
  secrets: string[] = [],
): AlibabaApiError {
  if (err instanceof AlibabaApiError) return err;
  const sts = stsFailure(err);
  if (sts)
    return new AlibabaApiError({ ...sts, apiMessage: redact(sts.apiMessage, secrets), action, region });
  const e = (err ?? {}) as Rec;
  const data = (e.data && typeof e.data === "object" ? e.data : {}) as Rec;
  // The Tea runtime glues the request line to a network error ("connect ECONNREFUSED 127.0.0.1:1POST http://...").
  const rawMessage = (str(e.message) ?? String(err)).replace(
    /(\S)((?:GET|POST|PUT|DELETE) https?:\/\/)/,
    "$1 — $2",
  );
  const statusFromMessage = /code: (\d{3})/.exec(rawMessage)?.[1];
  const httpStatus =
    typeof e.statusCode === "number"
      ? e.statusCode
      : typeof data.statusCode === "number"
        ? data.statusCode
        : statusFromMessage
          ? Number(statusFromMessage)
          : undefined;
  let code = str(data.Code) ?? str(data.code) ?? str(e.code);
  if (code && !str(data.Code) && /Error$/.test(code) && httpStatus !== undefined)
    code = code.replace(/Error$/, "");
  if (!code)
    code =
      str(e.name) && e.name !== "Error"
        ? String(e.name)
        : /socket hang up/i.test(rawMessage)
          ? "ECONNRESET"
          : "UnknownError";
  const apiMessage = str(data.Message) ?? str(data.message) ?? rawMessage;
  const requestId = str(e.requestId) ?? str(data.RequestId) ?? str(data.requestId);
  // openapi-core's ThrottlingError carries the server's `x-acs-retry-after` as `retryAfter` (a number).
  const retryAfterMs = typeof e.retryAfter === "number" ? e.retryAfter : undefined;
  return new AlibabaApiError({
    retryAfterMs,
    code,
    apiMessage: redact(apiMessage, secrets),
    requestId,
    httpStatus,
    action,
    region,
  });
}

/**
 * `@alicloud/credentials` reports an STS refusal as a plain Error whose message ends with STS's JSON error body:
 * "refresh session token failed: {…}" (RAM role ARN provider), "get sts token failed with OIDC: {…}" (OIDC
 * provider). The call that needed the credentials fails with STS's Code (so an unknown role is not retried as
 * an unknown error would be) and a message saying the credentials, not the action, failed.
 */
function stsFailure(err: unknown): { code: string; apiMessage: string; requestId?: string } | undefined {
  const m = /^(refresh session token failed|get sts token failed with OIDC): (\{.*\})\s*$/s.exec(
    err instanceof Error ? err.message : "",
  );
  if (!m) return undefined;
  let body: Rec;
  try {
    body = JSON.parse(m[2]) as Rec;
  } catch {
    return undefined;
  }
  const code = str(body.Code);
  if (!code) return undefined;
  const how = m[1].includes("OIDC") ? "AssumeRoleWithOIDC" : "AssumeRole";
  return {
    code,
    apiMessage: `STS ${how} refused the credentials this call needs: ${str(body.Message) ?? code} (check alicloud:assumeRole / alicloud:assumeRoleWithOidc)`,
    requestId: str(body.RequestId),
  };
}

/** "That snapshot does not exist" (ECS DescribeSnapshots / DeleteSnapshot / ModifySnapshotAttribute error tables). */
export const SNAPSHOT_NOT_FOUND = new Set([
  "InvalidSnapshotId.NotFound",
  "InvalidSnapshot.NotFound",
  "InvalidResourceId.NotFound",
]);
/** DeleteSnapshot refusals because disks or images were created from the snapshot (DeleteSnapshot error table). */
export const SNAPSHOT_IN_USE = new Set(["SnapshotCreatedDisk", "SnapshotCreatedImage"]);
/** KMS DescribeKey codes for a key or alias that does not exist (KMS API reference: Forbidden.KeyNotFound, 404). */
export const KEY_NOT_FOUND = new Set([
  "Forbidden.KeyNotFound",
  "Forbidden.AliasNotFound",
  "EntityNotExist.Key",
]);
/**
 * CopySnapshot's "try again later" answers (CopySnapshot error table, API reference): another copy of the same
 * disk to the same region is unfinished — the table lists both spellings, InvalidOperation.DiskHasUnfinished
 * SnapshotCopy and InvalidOperation.UnfinishedCrossRegionCopy — so both are waited out alike.
 */
export const DISK_BUSY_CODES = new Set([
  "InvalidOperation.DiskHasUnfinishedSnapshotCopy",
  "InvalidOperation.UnfinishedCrossRegionCopy",
]);

/** Is `e` the API's answer `code` (one code or any of a set)? */
export function isApiError(e: unknown, code: string | Set<string>): e is AlibabaApiError {
  return e instanceof AlibabaApiError && (typeof code === "string" ? e.code === code : code.has(e.code));
}
