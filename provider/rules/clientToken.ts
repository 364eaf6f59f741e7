/** The CopySnapshot ClientToken: how a retried create finds the copy a lost response already started. Pure. */
import { createHash } from "node:crypto";
import type { CopyInputs } from "./types";

/**
 * The deterministic ClientToken (CopySnapshot: at most 64 ASCII characters). It hashes the resource key
 * (`project/stack/name`, so resources and stacks never share a token) and the inputs a copy cannot change
 * (source, regions, encryption, key), so a retried or re-run create of the same copy presents the same token
 * and the API returns the copy a lost response already started.
 *
 * The API keeps a token's record after its copy is deleted (as far as we know; the simulator models it so), so
 * after `destroy` (or a copy deleted out of band) the same token names a copy that no longer exists. Then create
 * falls back, once, to a fresh token: the deterministic one plus `fresh` (a timestamp taken once per create, so
 * the SDK's own retries of that request still share it).
 */
export function clientTokenFor(ins: CopyInputs, resolvedKeyId?: string, fresh?: string): string {
  const seed = JSON.stringify([
    ins.resourceKey ?? "",
    ins.sourceSnapshotId,
    ins.sourceRegionId,
    ins.destinationRegionId,
    ins.encrypted,
    resolvedKeyId ?? ins.kmsKeyId ?? "",
  ]);
  const base = `sc-${createHash("sha256").update(seed).digest("hex").slice(0, 40)}`;
  return fresh === undefined ? base : `${base}-${fresh}`;
}
