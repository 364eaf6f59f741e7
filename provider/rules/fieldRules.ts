/**
 * The rules for each input field, one function a field: each says what Alibaba would refuse and what to do
 * instead, through `fail`. Pure; `check` (./check.ts) runs them. Sources are cited beside each rule: the field
 * docs in @alicloud/ecs20140526 and Alibaba's API metadata (CopySnapshot, ModifySnapshotAttribute,
 * TagResources parameter descriptions).
 */
import { OWN_TAG_PREFIX } from "./snapshot";
import { DEFAULTS, isUnknown } from "./types";
import { isNum } from "./values";

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
export const MAX_TAGS = 20;
/** Sane bound for the poll delay; also keeps every sleep far below setTimeout's 2^31 ms limit. */
const MAX_POLL_SECONDS = 3600;

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

export const chars = (s: string) => [...s].length;

export type Fail = (property: string, reason: string) => void;

export function checkSnapshotId(
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

export function checkRegion(prop: string, v: unknown, fail: Fail, what: string): void {
  if (typeof v !== "string" || v.length > 64 || !REGION_ID.test(v)) {
    fail(
      prop,
      `${prop} must be an Alibaba Cloud region ID such as cn-hangzhou or eu-central-1 (got ${describe(v)}); set it to ${what}`,
    );
  }
}

export function checkBoolean(news: Record<string, unknown>, prop: string, fail: Fail, what: string): void {
  const v = news[prop];
  if (v === undefined || isUnknown(v) || typeof v === "boolean") return;
  fail(prop, `${prop} must be true or false (got ${describe(v)}); set it to ${what}`);
}

export function checkPositive(news: Record<string, unknown>, prop: string, fail: Fail, what: string): void {
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
export function checkName(v: unknown, fail: Fail, recorded: unknown): void {
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

export function checkDescription(v: unknown, fail: Fail): void {
  const bad = (why: string) =>
    fail(
      "description",
      `description ${why} (got ${describe(v)}); write 2 to 256 characters that do not start with http:// or https://, or leave it unset`,
    );
  if (typeof v !== "string") return bad("must be a string");
  if (chars(v) < 2 || chars(v) > 256) return bad("must be 2 to 256 characters long");
  if (HTTP.test(v)) return bad("must not start with http:// or https://");
}

export function checkRetention(old: unknown, v: unknown, fail: Fail): void {
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

export function checkTags(v: unknown, fail: Fail, max: number): void {
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
