/**
 * pulumi-alicloud-snapshot-copy: a Pulumi resource that copies an Alibaba Cloud ECS snapshot to another region
 * (optionally re-encrypted with a KMS key there), waits until the copy is usable, and cancels or deletes it on
 * destroy. Start with {@link SnapshotCopy}.
 *
 * The provider implementation (loaded by the dynamic-provider host through the provider text in each
 * resource's state, ./providerText.ts) is the separate entry point `pulumi-alicloud-snapshot-copy/provider/impl`.
 *
 * @packageDocumentation
 */
export { SnapshotCopy, type SnapshotCopyArgs } from "./snapshotCopy";
export { SnapshotCopiesReady, type SnapshotCopiesReadyArgs, type CopyToWaitFor } from "./snapshotCopiesReady";
export {
  SnapshotCopySet,
  type SnapshotCopySetArgs,
  type SnapshotCopySetCopy,
  type SnapshotCopySetPlace,
  type PerCopy,
} from "./snapshotCopySet";
export { CopySetInputError } from "./rules/copySetLayout";
export type { CopyInputs, CopyOutputs, OnTimeout, SnapshotStatus } from "./rules/types";
export type { WaitSettingsArgs } from "./waitSettings";
