import {
  DuplicateTagKey,
  InvalidDescriptionMalformed,
  InvalidParameter,
  InvalidRetentionDaysMalformed,
  InvalidSnapshotNameMalformed,
  InvalidTagCount,
  InvalidTagKeyMalformed,
  InvalidTagValueMalformed,
} from "../errors";

// Rules from the CopySnapshot API reference (DestinationSnapshotName in its parameter table; the same text is in
// the ecs/CopySnapshot.json metadata): name 2–128 characters, starts with a letter
// (Unicode "letter" class, so Chinese too), may contain digits, ":", "_", ".", "-", not http(s)://.
const NAME = /^\p{L}[\p{L}\p{N}:_.-]{1,127}$/u;
const URLISH = /^https?:\/\//i;

/** @internal */
export function checkSnapshotName(name: string | undefined): void {
  if (name === undefined || name === "") return;
  if (!NAME.test(name) || URLISH.test(name)) throw new InvalidSnapshotNameMalformed();
}

/** Description: 2–256 characters, not starting with http(s)://. @internal */
export function checkDescription(d: string | undefined): void {
  if (d === undefined || d === "") return;
  if ([...d].length < 2 || [...d].length > 256 || URLISH.test(d)) throw new InvalidDescriptionMalformed();
}

/** RetentionDays: integer 1–65536. @internal */
export function checkRetentionDays(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65536) throw new InvalidRetentionDaysMalformed();
  return n;
}

// Tag rules (CopySnapshot Tag.N): key non-empty, ≤128, no "aliyun"/"acs:" prefix, no http(s)://;
// value may be empty, ≤128, same prefixes forbidden; at most 20 tags.
const RESERVED = /^(aliyun|acs:)/i;
const HAS_URL = /https?:\/\//i;

/** @internal */
export function checkTags(tags: [string, string][]): void {
  if (tags.length > 20) throw new InvalidTagCount();
  const seen = new Set<string>();
  for (const [k, v] of tags) {
    if (k === "" || k.length > 128 || RESERVED.test(k) || HAS_URL.test(k)) throw new InvalidTagKeyMalformed();
    if (v.length > 128 || RESERVED.test(v) || HAS_URL.test(v)) throw new InvalidTagValueMalformed();
    if (seen.has(k)) throw new DuplicateTagKey();
    seen.add(k);
  }
}

/** ClientToken: at most 64 ASCII characters. @internal */
export function checkClientToken(t: string | undefined): void {
  if (t === undefined) return;

  if (t.length > 64 || !/^[\x20-\x7e]*$/.test(t))
    throw new InvalidParameter("ClientToken", "At most 64 ASCII characters.");
}
