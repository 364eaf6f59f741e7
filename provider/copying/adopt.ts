/**
 * adoptSnapshotId: put an existing copy under management without copying. It is checked to be a copy of
 * sourceSnapshotId (and with the declared key), given the declared attributes, and waited for; never deleted
 * on a failed wait, because it was not ours.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CallOptions } from "../cloud/outbound";
import { checkCopyState } from "../rules/copyState";
import { ResourceInitError } from "../rules/initError";
import { outputsOf } from "../rules/outputs";
import { OWNER_TAG, ownedByAnother, ownerOf } from "../rules/ownership";
import { tagsOf } from "../rules/snapshot";
import type { CopyInputs } from "../rules/types";
import { str, type Props } from "../rules/values";
import { copyLabel, ProgressReporter } from "../waiting/progress";
import { describeWaitFailure, lastSeen, waitForCopy } from "../waiting/waitForCopy";
import { applyAttributes } from "./attributes";
import type { CopyContext } from "./context";
import { verifyKey } from "./verifyKey";

export async function adoptCopy(
  ctx: CopyContext,
  ins: CopyInputs,
  props: Props,
  opts: CallOptions,
  report: ProgressReporter,
): Promise<pulumi.dynamic.CreateResult> {
  const id = ins.adoptSnapshotId!;
  const region = ins.destinationRegionId;
  const [s] = await ctx.api.describeSnapshots(region, [id], opts);
  if (!s) {
    throw new Error(
      `adoptSnapshotId "${id}": no such snapshot in ${region}; adopt a copy that exists in destinationRegionId`,
    );
  }
  if (s.SourceSnapshotId !== ins.sourceSnapshotId) {
    throw new Error(
      `adoptSnapshotId "${id}" is a copy of ${s.SourceSnapshotId ? `"${s.SourceSnapshotId}"` : "no snapshot"}, ` +
        `not of sourceSnapshotId "${ins.sourceSnapshotId}"; fix sourceSnapshotId or adopt the right copy`,
    );
  }
  if (ownedByAnother(s, ins.ownerId)) {
    throw new Error(
      `adoptSnapshotId "${id}" belongs to another SnapshotCopy (its ${OWNER_TAG} tag names ` +
        `${ownerOf(s)!.ownerId}); a copy has one owner: adopt a copy no resource manages, or remove the other ` +
        `resource first`,
    );
  }
  const key = ins.encrypted && ins.kmsKeyId ? await verifyKey(ctx, ins, opts) : undefined;
  if (key && s.KMSKeyId && key.keyId !== s.KMSKeyId) {
    throw new Error(
      `adoptSnapshotId "${id}" is encrypted with key ${s.KMSKeyId}, not with kmsKeyId "${ins.kmsKeyId}" (${key.keyId})`,
    );
  }
  // Apply the attributes the user declared, each only where the copy differs.
  const current: Props = {
    name: str(s.SnapshotName),
    description: str(s.Description),
    retentionDays: s.RetentionDays,
    tags: tagsOf(s) ?? {},
    resourceGroupId: str(s.ResourceGroupId),
  };
  // From now on this resource owns it: its owner tag goes in with the declared attributes.
  await applyAttributes(ctx, id, current, ins, opts, ins.ownerId ? { [OWNER_TAG]: ins.ownerId } : {});
  let snap = s;
  if (ins.waitForCompletion && checkCopyState(s).state !== "available") {
    try {
      snap = await waitForCopy(ctx, ins, id, report, opts.deadline, { initial: s });
    } catch (err) {
      // Not ours to delete: record it and let the next `up` keep waiting.
      const message = `${copyLabel(ins)}: adopted copy ${id}: ${describeWaitFailure(err)}`;
      const outs = outputsOf(ins, id, lastSeen(err) ?? s, key);
      throw new ResourceInitError(message, id, { ...outs, __provider: props.__provider }, [message]);
    }
  }
  return { id, outs: outputsOf(ins, id, snap, key) };
}
