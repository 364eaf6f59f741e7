/**
 * bench/engine-parallel.ts's program: `bench:copies` SnapshotCopy resources from the seeded snapshots
 * s-eng0000.. in cn-hangzhou to two regions. `bench:mode` "wait" (the default behaviour: each create waits until
 * its copy is usable) or "ready" (each create only starts its copy; one SnapshotCopiesReady waits for all).
 * The package resolves by self-reference (package.json "exports" -> dist/): `npm run build` first.
 */
import * as pulumi from "@pulumi/pulumi";
import { SnapshotCopiesReady, SnapshotCopy } from "pulumi-alicloud-snapshot-copy";

const cfg = new pulumi.Config("bench");
const count = cfg.requireNumber("copies");
const mode = cfg.require("mode");
const regions = ["eu-central-1", "cn-shanghai"];

const copies = Array.from(
  { length: count },
  (_, i) =>
    new SnapshotCopy(`copy-${i}`, {
      sourceSnapshotId: `s-eng${String(i).padStart(4, "0")}`,
      sourceRegionId: "cn-hangzhou",
      destinationRegionId: regions[i % regions.length],
      waitForCompletion: mode !== "ready",
    }),
);
const ready = mode === "ready" && count > 0 ? new SnapshotCopiesReady("all-copies", { copies }) : undefined;

export const copyCount = count;
export const readyCount = ready?.readyCount;
