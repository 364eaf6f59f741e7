/**
 * bench/engine-parallel.ts's program: `bench:copies` SnapshotCopy resources from the seeded snapshots
 * s-eng0000.. in cn-hangzhou to two regions. `bench:mode` "wait" (the default behaviour: each create waits until
 * its copy is usable), "ready" (each create only starts its copy; one SnapshotCopiesReady waits for all) or
 * "set" (one SnapshotCopySet of the first `bench:copies` / 2 snapshots to both regions: the same number of
 * copies, declared in one place).
 * The package resolves by self-reference (package.json "exports" -> dist/): `npm run build` first.
 */
import * as pulumi from "@pulumi/pulumi";
import { SnapshotCopiesReady, SnapshotCopy, SnapshotCopySet } from "pulumi-alicloud-snapshot-copy";

const cfg = new pulumi.Config("bench");
const count = cfg.requireNumber("copies");
const mode = cfg.require("mode");
const regions = ["eu-central-1", "cn-shanghai"];

const snapshotId = (i: number) => `s-eng${String(i).padStart(4, "0")}`;

const set =
  mode === "set"
    ? new SnapshotCopySet("backups", {
        sourceSnapshotIds: Object.fromEntries(
          Array.from({ length: Math.ceil(count / regions.length) }, (_, i) => [`disk${i}`, snapshotId(i)]),
        ),
        sourceRegionId: "cn-hangzhou",
        destinationRegionIds: regions,
      })
    : undefined;

const copies = Array.from(
  { length: mode === "set" ? 0 : count },
  (_, i) =>
    new SnapshotCopy(`copy-${i}`, {
      sourceSnapshotId: snapshotId(i),
      sourceRegionId: "cn-hangzhou",
      destinationRegionId: regions[i % regions.length],
      waitForCompletion: mode !== "ready",
    }),
);
const ready = mode === "ready" && count > 0 ? new SnapshotCopiesReady("all-copies", { copies }) : undefined;

export const copyCount = count;
export const readyCount = ready?.readyCount ?? set?.copyCount;
