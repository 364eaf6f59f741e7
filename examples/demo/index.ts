/**
 * The demo stack (root Pulumi.yaml): two cross-region copies of one ECS snapshot, run by `scripts/demo.sh`
 * against the local simulator.
 *
 * The source snapshot and the KMS key come from the simulator's default seed (simulator/seed.ts):
 * `s-sim0001` is an accomplished snapshot of the 20 GiB disk `d-sim0001` in cn-hangzhou, and `alias/backup`
 * names an Enabled key in eu-central-1. On real Alibaba Cloud the same program works with your own snapshot
 * and key (see examples/real-cloud for one that declares them with @pulumi/alicloud).
 */
import * as pulumi from "@pulumi/pulumi";
import { SnapshotCopy } from "pulumi-alicloud-snapshot-copy";

const sourceRegionId = "cn-hangzhou";
const sourceSnapshotId = "s-sim0001";

// Status checks every 1-3 s instead of 5-60 s, so the demo's progress lines come often.
const polling = { pollMinSeconds: 1, pollMaxSeconds: 3 };

/** A plain copy to another region: the usual cross-region backup. */
const shanghai = new SnapshotCopy("web-backup-shanghai", {
  sourceSnapshotId,
  sourceRegionId,
  destinationRegionId: "cn-shanghai",
  name: "web-backup-shanghai",
  description: "Cross-region copy of the web disk (snapshot-copy demo)",
  retentionDays: 30,
  tags: { team: "platform", purpose: "dr" },
  ...polling,
});

/**
 * "Copy and Encrypt": the copy in eu-central-1 is re-encrypted with a KMS key of that region, named here by
 * alias. The copy reports the key's ID; an ID, ARN or alias naming the same key is no change.
 */
const frankfurt = new SnapshotCopy("web-backup-frankfurt", {
  sourceSnapshotId,
  sourceRegionId,
  destinationRegionId: "eu-central-1",
  encrypted: true,
  kmsKeyId: "alias/backup",
  name: "web-backup-frankfurt",
  description: "Encrypted cross-region copy of the web disk (snapshot-copy demo)",
  retentionDays: 90,
  tags: { team: "platform", purpose: "dr", compliance: "eu" },
  ...polling,
});

/** What `pulumi stack output` shows for one copy. */
function summary(copy: SnapshotCopy) {
  return {
    id: copy.snapshotId,
    region: copy.destinationRegionId,
    status: copy.status,
    available: copy.available,
    encrypted: copy.encrypted,
    kmsKeyId: copy.kmsKeyId, // null for the plain copy
    source: pulumi.interpolate`${copy.sourceRegionId}/${copy.sourceSnapshotId}`,
    name: copy.name,
    retentionDays: copy.retentionDays,
    tags: copy.tags,
  };
}

export const plainCopy = summary(shanghai);
export const encryptedCopy = summary(frankfurt);
