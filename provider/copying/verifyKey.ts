/**
 * The destination KMS key, checked before any CopySnapshot (a bad key fails with a sentence, not as a failed
 * copy), and the usual outside causes of a failed copy, looked for after it failed.
 */
import { AlibabaApiError, KEY_NOT_FOUND } from "../cloud/apiError";
import type { CallOptions } from "../cloud/outbound";
import { keyStateAdvice, tryParseKeyRef } from "../rules/kmsKey";
import type { KeyInfo } from "../rules/outputs";
import type { CopyInputs } from "../rules/types";
import { WaiterFailureError } from "../waiting/waiter";
import type { CopyContext } from "./context";

/** KMS DescribeKey in the destination region: the key must exist and be Enabled. */
export async function verifyKey(ctx: CopyContext, ins: CopyInputs, opts: CallOptions): Promise<KeyInfo> {
  const ref = ins.kmsKeyId!;
  const region = ins.destinationRegionId;
  let key;
  try {
    key = await ctx.api.describeKey(region, ref, opts);
  } catch (e) {
    if (e instanceof AlibabaApiError && (KEY_NOT_FOUND.has(e.code) || e.httpStatus === 404)) {
      throw new Error(
        `kmsKeyId "${ref}": no such KMS key in ${region} (${e.code}: ${e.apiMessage}` +
          `${e.requestId ? `, RequestId ${e.requestId}` : ""}). A copy is encrypted with a key in its ` +
          `destination region: create the key in ${region} or fix kmsKeyId. Nothing was copied.`,
      );
    }
    throw e;
  }
  if (key.KeyState !== "Enabled") {
    throw new Error(
      `kmsKeyId "${ref}" (key ${key.KeyId} in ${region}) is ${key.KeyState}; CopySnapshot needs an Enabled ` +
        `key: ${keyStateAdvice(key.KeyState)}. Nothing was copied.`,
    );
  }
  const parsed = tryParseKeyRef(ref, region);
  const arnAccount = key.Arn ? /^acs:kms:[^:]*:(\d*):/.exec(key.Arn)?.[1] : undefined;
  return {
    keyId: key.KeyId,
    aliases: parsed?.alias ? [parsed.alias] : undefined,
    accountId: arnAccount ?? parsed?.accountId,
  };
}

/**
 * DescribeSnapshots gives no reason for a failed copy, so look for the usual outside causes: the source
 * snapshot deleted while the copy ran, or the destination key disabled or scheduled for deletion meanwhile.
 * Best effort: "" when nothing is found or the checks themselves fail.
 */
export async function failureCause(
  ctx: CopyContext,
  ins: CopyInputs,
  err: unknown,
  opts: CallOptions,
): Promise<string> {
  if (!(err instanceof WaiterFailureError)) return "";
  try {
    const [source] = await ctx.api.describeSnapshots(ins.sourceRegionId, [ins.sourceSnapshotId], opts);
    if (!source) {
      return (
        `; the source snapshot ${ins.sourceSnapshotId} no longer exists in ${ins.sourceRegionId}: it was ` +
        `deleted while the copy ran. Point sourceSnapshotId at an existing snapshot`
      );
    }
    if (ins.encrypted && ins.kmsKeyId) {
      const key = await ctx.api.describeKey(ins.destinationRegionId, ins.kmsKeyId, opts);
      if (key.KeyState !== "Enabled") {
        return `; the KMS key ${key.KeyId} (kmsKeyId "${ins.kmsKeyId}") is now ${key.KeyState}: ${keyStateAdvice(key.KeyState)}`;
      }
    }
  } catch {
    // The diagnosis is a courtesy; the failure itself is what we report.
  }
  return "";
}
