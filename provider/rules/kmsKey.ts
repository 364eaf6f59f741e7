/**
 * KMS key identity. A key can be named three ways: its ID (`0e478b7a-...` or `key-...`), its ARN
 * (`acs:kms:<region>:<uid>:key/<id>`) or an alias (`alias/<name>`, also as `acs:kms:<region>:<uid>:alias/<name>`).
 * Spelling the same key differently must not replace a copy: that is the most reported complaint about
 * KMS-encrypted resources in peer providers (docs/design.md §1). Pure; no API calls.
 */

/** A parsed key reference. */
export interface KeyRef {
  /** How the key was named. An alias ARN has kind "arn" with `alias` set. */
  kind: "id" | "arn" | "alias";
  /** The key ID, when the reference names one. */
  keyId?: string;
  /** The alias as `alias/<name>`, when the reference names one. */
  alias?: string;
  /** Region from the ARN, or the default region for a bare ID or alias. */
  region?: string;
  /** Account (uid) from the ARN; may be "" in an ARN that omits it. */
  accountId?: string;
}

/** What the copy reports about its key: the resolved key ID and any aliases known to name it. */
export interface KnownKey {
  keyId?: string;
  aliases?: string[];
}

// Key IDs: a UUID (older keys) or `key-` + alphanumerics (newer keys), per the KMS DescribeKey examples.
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;
// KMS CreateAlias: AliasName starts with `alias/`; letters, digits, `_`, `-` and `/`; at most 255 characters.
const ALIAS = /^alias\/[A-Za-z0-9_/-]{1,249}$/;
const ARN = /^acs:kms:([a-z0-9-]+):(\d*):(key|alias)\/(.+)$/;

/** Parses a key ID, ARN or alias; undefined when `ref` is none of those shapes. */
export function tryParseKeyRef(ref: string, defaultRegion?: string): KeyRef | undefined {
  const arn = ARN.exec(ref);
  if (arn) {
    const [, region, accountId, type, rest] = arn;
    if (type === "key")
      return KEY_ID.test(rest) ? { kind: "arn", keyId: rest, region, accountId } : undefined;
    const alias = `alias/${rest}`;
    return ALIAS.test(alias) ? { kind: "arn", alias, region, accountId } : undefined;
  }
  if (ref.startsWith("alias/"))
    return ALIAS.test(ref) ? { kind: "alias", alias: ref, region: defaultRegion } : undefined;
  if (KEY_ID.test(ref)) return { kind: "id", keyId: ref, region: defaultRegion };
  return undefined;
}

/** Thrown by {@link parseKeyRef} for a string that is not a key ID, ARN or alias. */
export class InvalidKeyRefError extends Error {
  override name = "InvalidKeyRefError";
  constructor(public readonly ref: string) {
    super(`"${ref}" is not a KMS key ID, key ARN (acs:kms:<region>:<uid>:key/<id>) or alias (alias/<name>)`);
  }
}

/** Parses a key ID, ARN or alias; throws {@link InvalidKeyRefError} otherwise (check.ts rejects those first). */
export function parseKeyRef(ref: string, defaultRegion?: string): KeyRef {
  const parsed = tryParseKeyRef(ref, defaultRegion);
  if (!parsed) throw new InvalidKeyRefError(ref);
  return parsed;
}

/** Every name the reference is known by: its key ID and/or alias, widened by what the copy reports. */
function identities(ref: KeyRef, known: KnownKey): Set<string> {
  const ids = new Set<string>();
  const knownAliases = known.aliases ?? [];
  if (ref.keyId) ids.add(`id:${ref.keyId}`);
  if (ref.alias) ids.add(`alias:${ref.alias}`);
  if (known.keyId && (ref.keyId === known.keyId || (ref.alias && knownAliases.includes(ref.alias)))) {
    ids.add(`id:${known.keyId}`);
    for (const a of knownAliases) ids.add(`alias:${a}`);
  }
  return ids;
}

/**
 * True when the two references name the same key. An ID, ARN or alias of one key are the same; an alias
 * counts as naming `known.keyId` only when it is in `known.aliases` (an alias can be re-pointed, and resolving
 * it would need an API call). Unparseable references compare as plain strings.
 */
export function sameKey(
  oldRef: string | undefined,
  newRef: string | undefined,
  known: KnownKey = {},
): boolean {
  if (oldRef === newRef) return true;
  if (oldRef === undefined || newRef === undefined) return false;
  const a = tryParseKeyRef(oldRef);
  const b = tryParseKeyRef(newRef);
  if (!a || !b) return false;
  if (a.region && b.region && a.region !== b.region) return false;
  const ia = identities(a, known);
  for (const id of identities(b, known)) if (ia.has(id)) return true;
  return false;
}

/** What each KMS key state means for the user (KMS DescribeKey KeyState), for error messages. */
export function keyStateAdvice(state: string): string {
  switch (state) {
    case "Disabled":
      return "enable it (KMS EnableKey / alicloud.kms.Key isEnabled) or choose another key";
    case "PendingDeletion":
      return "cancel its deletion (KMS CancelKeyDeletion) or choose another key";
    case "PendingImport":
      return "import its key material first or choose another key";
    default:
      return "choose an Enabled key";
  }
}
