/**
 * The provider implementation's entry point, published as `pulumi-alicloud-snapshot-copy/provider/impl`: the
 * provider text in every resource's state (../providerText.ts) loads it by that name, so the name never changes.
 * One runtime per provider process, so all copies in a deployment share one status loop per region.
 */
import { CopiesReadyProviderImpl } from "./copiesReadyProvider";
import type { ProviderDeps } from "./runtime";
import { SnapshotCopyProviderImpl } from "./snapshotCopyProvider";

export { CopiesReadyProviderImpl, type CopiesReadyInputs } from "./copiesReadyProvider";
export { ProviderRuntime, type ProviderDeps, type Runtime } from "./runtime";
export { SnapshotCopyProviderImpl } from "./snapshotCopyProvider";
export { ResourceInitError } from "../rules/initError";

/** A provider with injected dependencies (tests, benchmarks). */
export function createSnapshotCopyProvider(deps: ProviderDeps = {}): SnapshotCopyProviderImpl {
  return new SnapshotCopyProviderImpl(deps);
}

let singleton: SnapshotCopyProviderImpl | undefined;

/** The process-wide provider the provider text delegates to. */
export function provider(): SnapshotCopyProviderImpl {
  singleton ??= createSnapshotCopyProvider();
  return singleton;
}

let readySingleton: CopiesReadyProviderImpl | undefined;

/** The process-wide SnapshotCopiesReady provider: it shares {@link provider}'s runtime, so its status watcher. */
export function copiesReadyProvider(): CopiesReadyProviderImpl {
  readySingleton ??= new CopiesReadyProviderImpl(provider().runtime);
  return readySingleton;
}
