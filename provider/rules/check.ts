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
import { MAX_USER_TAGS } from "./ownership";
import { OWN_TAG_PREFIX } from "./snapshot";
import { isNum } from "./values";
import { DEFAULTS, INPUT_KEYS, isUnknown, UNKNOWN, type CopyInputs, type OnTimeout } from "./types";

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

/** `s-` + letters/digits (ECS snapshot IDs, e.g. s-bp67acfmxazb4p****). */
export const SNAPSHOT_ID = /^s-[A-Za-z0-9]{1,62}$/;
/** Lower-case words joined by hyphens, e.g. cn-hangzhou, eu-central-1, cn-shanghai-finance-1. */
export const REGION_ID = /^[a-z]{2,}(-[a-z0-9]+)+$/;
/** ECS resource group IDs, e.g. rg-bp67acfmxazb4p****. */
export const RESOURCE_GROUP_ID = /^rg-[A-Za-z0-9]{1,62}$/;
/**
 * Snapshot name: starts with a letter (Unicode, including Chinese); then letters, ASCII digits, `:`, `_`, `.`,
 * `-`. Source: CopySnapshotRequest.destinationSnapshotName and CreateSnapshotRequest.snapshotName docs.
 */
const NAME_CHARS = /^\p{L}[\p{L}0-9:_.-]*$/u;
const HTTP = /^https?:\/\//i;
const MAX_TAGS = 20;
/** Sane bound for the poll delay; also keeps every sleep far below setTimeout's 2^31 ms limit. */
const MAX_POLL_SECONDS = 3600;

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

/** How a value reads in a message: `"abc"`, `0`, `an object`... */
export function describe(v: unknown): string {
  if (typeof v === "string") {
    const s = JSON.stringify(v);
    return s.length > 48 ? `${s.slice(0, 45)}..."` : s;
  }
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  return `${typeof v === "number" || typeof v === "boolean" ? "" : `${typeof v} `}${String(v)}`;
}

const chars = (s: string) => [...s].length;

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
  const known = (k: string) => news[k] !== undefined && !isUnknown(news[k]);

  for (const k of Object.keys(news)) {
    if (!KNOWN.has(k)) {
      fail(
        k,
        `${k} is not a SnapshotCopy input; remove it or check its spelling (inputs: ${INPUTS.join(", ")})`,
      );
    }
  }

  // --- Which snapshot, from where to where ---------------------------------------------------------------
  checkSnapshotId(
    news,
    "sourceSnapshotId",
    fail,
    true,
    "the snapshot to copy, e.g. an alicloud.ecs.EcsSnapshot's id",
  );
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

  // --- Encryption ------------------------------------------------------------------------------------------
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

  // --- Attributes of the copy ------------------------------------------------------------------------------
  if (known("name")) checkName(news.name, fail, olds.name);
  if (known("description")) checkDescription(news.description, fail);
  checkRetention(olds.retentionDays, news.retentionDays, fail);
  // Copies recorded before ownership tags have no ownerId and are not tagged, so they keep the whole tag budget.
  const legacy = Object.keys(olds).length > 0 && olds.ownerId === undefined;
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

  // --- Waiting and deleting --------------------------------------------------------------------------------
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

  const inputs = withDefaults(news, sourceRegionId);
  return { inputs: legacy ? carryOver(inputs, olds) : withOwnership(inputs, olds, ctx), failures };
}

/**
 * Values the user did not write come from the recorded inputs (so a dropped `name` keeps the copy's name rather
 * than renaming it), and are not checked again: what the cloud holds is a fact, not an input error.
 */
function carryOver(ins: CopyInputs, olds: Record<string, unknown>): CopyInputs {
  const out = { ...ins } as Record<string, unknown>;
  for (const k of ["name", "description", "resourceGroupId", "ownerId"] as const)
    if (out[k] === undefined && olds[k] !== undefined && olds[k] !== null) out[k] = olds[k];
  return out as unknown as CopyInputs;
}

/**
 * A new resource generation draws its ownerId; CopySnapshot requires DestinationSnapshotName and
 * DestinationSnapshotDescription (`"required": true` in Alibaba's API metadata for CopySnapshot), so an unset
 * name becomes a Pulumi-style auto-name (resource name + part of the ownerId) and an unset description a
 * sentence naming the source — each chosen once and then kept in state like any recorded input.
 */
function withOwnership(ins: CopyInputs, olds: Record<string, unknown>, ctx: CheckContext): CopyInputs {
  const out = carryOver(ins, olds);
  out.ownerId ??= ctx.newOwnerId?.();
  if (out.ownerId === undefined) return out;
  out.name ??= isUnknown(out.resourceKey) ? UNKNOWN : autoName(out.resourceKey, out.ownerId);
  out.description ??= [out.sourceSnapshotId, out.sourceRegionId].some(isUnknown)
    ? UNKNOWN
    : `Copy of ${out.sourceSnapshotId} from ${out.sourceRegionId}, made by Pulumi`;
  return out;
}

/**
 * `<resource name>-<7 hex>` within the name rules of both CopySnapshot and ModifySnapshotAttribute (see
 * {@link checkName}): other characters become `-`, and a name that would not start with a letter, or would
 * start with "auto", gets a `copy-` prefix.
 */
export function autoName(resourceKey: string | undefined, ownerId: string): string {
  const resourceName = (resourceKey ?? "").split(/::|\//).pop() || "copy";
  let base = resourceName.replace(/[^\p{L}0-9:_-]/gu, "-");
  if (!/^\p{L}/u.test(base) || base.startsWith("auto")) base = `copy-${base}`;
  return `${[...base].slice(0, 120).join("")}-${ownerId.slice(0, 7)}`;
}

export type Fail = (property: string, reason: string) => void;

function withDefaults(news: Record<string, unknown>, sourceRegionId: unknown): CopyInputs {
  const out: Record<string, unknown> = {};
  for (const k of INPUTS) if (news[k] !== undefined) out[k] = news[k];
  return {
    ...out,
    sourceRegionId,
    encrypted: news.encrypted ?? DEFAULTS.encrypted,
    tags: news.tags ?? { ...DEFAULTS.tags },
    stallTimeoutMinutes: news.stallTimeoutMinutes ?? DEFAULTS.stallTimeoutMinutes,
    onTimeout: (news.onTimeout as OnTimeout | undefined) ?? DEFAULTS.onTimeout,
    waitForCompletion: news.waitForCompletion ?? DEFAULTS.waitForCompletion,
    pollMinSeconds: news.pollMinSeconds ?? DEFAULTS.pollMinSeconds,
    pollMaxSeconds: news.pollMaxSeconds ?? DEFAULTS.pollMaxSeconds,
    forceDelete: news.forceDelete ?? DEFAULTS.forceDelete,
  } as CopyInputs;
}

function checkSnapshotId(
  news: Record<string, unknown>,
  prop: string,
  fail: Fail,
  required: boolean,
  what: string,
): void {
  const v = news[prop];
  if (isUnknown(v)) return;
  if (v === undefined) {
    if (required) fail(prop, `${prop} is required; set it to the ID of ${what}`);
    return;
  }
  if (typeof v !== "string" || !SNAPSHOT_ID.test(v)) {
    fail(
      prop,
      `${prop} must be a snapshot ID: "s-" followed by letters and digits, e.g. s-bp67acfmxazb4p**** (got ${describe(v)}); set it to the ID of ${what}`,
    );
  }
}

function checkRegion(prop: string, v: unknown, fail: Fail, what: string): void {
  if (typeof v !== "string" || v.length > 64 || !REGION_ID.test(v)) {
    fail(
      prop,
      `${prop} must be an Alibaba Cloud region ID such as cn-hangzhou or eu-central-1 (got ${describe(v)}); set it to ${what}`,
    );
  }
}

function checkBoolean(news: Record<string, unknown>, prop: string, fail: Fail, what: string): void {
  const v = news[prop];
  if (v === undefined || isUnknown(v) || typeof v === "boolean") return;
  fail(prop, `${prop} must be true or false (got ${describe(v)}); set it to ${what}`);
}

function checkPositive(news: Record<string, unknown>, prop: string, fail: Fail, what: string): void {
  const v = news[prop];
  if (v === undefined || isUnknown(v)) return;
  if (!isNum(v) || v <= 0) {
    fail(prop, `${prop} must be a number of minutes greater than 0 (got ${describe(v)}); set it to ${what}`);
  }
}

/**
 * Name rules, from Alibaba's API metadata (parameter descriptions): CopySnapshot's DestinationSnapshotName is
 * "2 to 128 characters ... must start with a letter and cannot start with http:// or https:// ... letters,
 * digits, colons (:), underscores (_), periods (.), and hyphens (-)"; ModifySnapshotAttribute's SnapshotName is
 * the same without periods, and "cannot start with auto". The two calls disagree on periods, so a period is
 * accepted where only CopySnapshot sets the name (a new copy) and refused for a rename; "auto" is refused in both
 * (a copy named so could never be renamed), case-sensitively as the reference words it.
 */
function checkName(v: unknown, fail: Fail, recorded: unknown): void {
  const rule =
    "2 to 128 characters, starting with a letter, of letters, digits, colons, underscores, periods and hyphens";
  const bad = (why: string) => fail("name", `name ${why} (got ${describe(v)}); Alibaba requires ${rule}`);
  if (typeof v !== "string") return bad("must be a string");
  if (HTTP.test(v)) return bad("must not start with http:// or https://");
  if (chars(v) < 2 || chars(v) > 128) return bad("must be 2 to 128 characters long");
  if (!/^\p{L}/u.test(v)) return bad("must start with a letter");
  if (!NAME_CHARS.test(v))
    return bad("may only contain letters, digits, colons, underscores, periods and hyphens");
  if (v.startsWith("auto")) return bad('must not start with "auto" (reserved for automatic snapshots)');
  if (v.includes(".") && typeof recorded === "string" && recorded !== v)
    fail(
      "name",
      `name ${describe(v)} has a period, which ModifySnapshotAttribute refuses when renaming a copy (only CopySnapshot accepts periods, for a new copy); use a hyphen or underscore instead`,
    );
}

function checkDescription(v: unknown, fail: Fail): void {
  const bad = (why: string) =>
    fail(
      "description",
      `description ${why} (got ${describe(v)}); write 2 to 256 characters that do not start with http:// or https://, or leave it unset`,
    );
  if (typeof v !== "string") return bad("must be a string");
  if (chars(v) < 2 || chars(v) > 256) return bad("must be 2 to 256 characters long");
  if (HTTP.test(v)) return bad("must not start with http:// or https://");
}

function checkRetention(old: unknown, v: unknown, fail: Fail): void {
  if (isUnknown(v)) return;
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1 || (v as number) > 65536)) {
    fail(
      "retentionDays",
      `retentionDays must be a whole number from 1 to 65536 (got ${describe(v)}); set it to how many days Alibaba should keep the copy, or leave it unset to keep it until deleted`,
    );
    return;
  }
  if (!isNum(old)) return;
  // ModifySnapshotAttribute: "The snapshot retention period can only be extended."
  if (v === undefined) {
    fail(
      "retentionDays",
      `retentionDays was ${old} and cannot be removed: Alibaba can only extend a copy's retention; keep retentionDays at ${old} or more (65536 is the longest)`,
    );
  } else if ((v as number) < old) {
    fail(
      "retentionDays",
      `retentionDays cannot shrink from ${old} to ${v as number}: Alibaba can only extend a copy's retention; set it to ${old} or more, or replace the copy (change its name in Pulumi) to start over`,
    );
  }
}

function checkTags(v: unknown, fail: Fail, max: number): void {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    fail(
      "tags",
      `tags must be an object of key-value strings, e.g. { team: "platform" } (got ${describe(v)})`,
    );
    return;
  }
  const entries = Object.entries(v);
  if (entries.length > max) {
    const ours =
      max < MAX_TAGS
        ? ` and SnapshotCopy uses ${MAX_TAGS - max} of them to mark which resource owns the copy (${OWN_TAG_PREFIX}*)`
        : "";
    fail(
      "tags",
      `tags has ${entries.length} entries, but Alibaba allows at most ${MAX_TAGS} per snapshot${ours}; remove ${entries.length - max}`,
    );
  }
  // Tag rules: CopySnapshotRequestTag / TagResourcesRequestTag docs. CopySnapshot also forbids values starting
  // with aliyun or acs:.
  const reserved = /^(aliyun|acs:)/i;
  const link = /https?:\/\//i;
  for (const [key, value] of entries) {
    const at = `tags[${JSON.stringify(key)}]`;
    if (key.length === 0 || chars(key) > 128) {
      fail("tags", `${at}: the key must be 1 to 128 characters long; shorten or rename it`);
    } else if (reserved.test(key)) {
      fail(
        "tags",
        `${at}: the key must not start with "aliyun" or "acs:" (reserved by Alibaba Cloud); rename it`,
      );
    } else if (link.test(key)) {
      fail("tags", `${at}: the key must not contain http:// or https://; rename it`);
    } else if (key.startsWith(OWN_TAG_PREFIX)) {
      fail(
        "tags",
        `${at}: keys starting with "${OWN_TAG_PREFIX}" mark which resource owns a copy; rename it`,
      );
    }
    if (isUnknown(value)) continue;
    if (typeof value !== "string") {
      fail(
        "tags",
        `${at}: the value must be a string (got ${describe(value)}); quote it, e.g. "${String(value)}"`,
      );
    } else if (chars(value) > 128) {
      fail("tags", `${at}: the value has ${chars(value)} characters, Alibaba allows at most 128; shorten it`);
    } else if (reserved.test(value)) {
      fail(
        "tags",
        `${at}: the value must not start with "aliyun" or "acs:" (CopySnapshot rejects it); change it`,
      );
    } else if (link.test(value)) {
      fail("tags", `${at}: the value must not contain http:// or https://; change it`);
    }
  }
}

/**
 * The wait settings' rules, shared by SnapshotCopy and SnapshotCopiesReady: timeoutMinutes, stallTimeoutMinutes,
 * pollMinSeconds and pollMaxSeconds.
 */
export function checkWaitSettings(news: Record<string, unknown>, fail: Fail): void {
  checkPositive(
    news,
    "timeoutMinutes",
    fail,
    "the longest create may wait, or leave it unset to wait as long as the copy makes progress",
  );
  checkPositive(
    news,
    "stallTimeoutMinutes",
    fail,
    "how long the copy may make no progress before create gives up (default 360)",
  );
  const min = news.pollMinSeconds ?? DEFAULTS.pollMinSeconds;
  const max = news.pollMaxSeconds ?? DEFAULTS.pollMaxSeconds;
  const inRange = (key: "pollMinSeconds" | "pollMaxSeconds", v: unknown, what: string): boolean => {
    if (isUnknown(v)) return true;
    if (isNum(v) && v >= 1 && v <= MAX_POLL_SECONDS) return true;
    fail(
      key,
      `${key} must be a number of seconds from 1 to ${MAX_POLL_SECONDS} (got ${describe(v)}); it is the ${what} wait between status checks (default ${DEFAULTS[key]})`,
    );
    return false;
  };
  const minOk = inRange("pollMinSeconds", min, "shortest");
  const maxOk = inRange("pollMaxSeconds", max, "longest");
  if (minOk && maxOk && isNum(min) && isNum(max) && max < min) {
    fail(
      "pollMaxSeconds",
      `pollMaxSeconds (${max}) must be at least pollMinSeconds (${min}); raise pollMaxSeconds or lower pollMinSeconds`,
    );
  }
  const timeout = news.timeoutMinutes;
  if (minOk && isNum(min) && isNum(timeout) && timeout > 0 && timeout * 60 <= min) {
    fail(
      "timeoutMinutes",
      `timeoutMinutes (${timeout}) must be longer than pollMinSeconds (${min} s), or create would give up before its second status check; raise timeoutMinutes`,
    );
  }
}
