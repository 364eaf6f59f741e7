/**
 * The real-cloud example's resources, as a function so tests/unit/realCloudExample.test.ts can run it under
 * `pulumi.runtime.setMocks` and check the wiring. index.ts calls it with the stack config.
 */
import * as alicloud from "@pulumi/alicloud";
import { SnapshotCopy } from "pulumi-alicloud-snapshot-copy";

/** What the program needs to know about the account. */
export interface BackupSettings {
  /** Region of the disk and its snapshot: the default provider's region (`alicloud:region`). */
  sourceRegion: string;
  /** Zone of `instanceId`, in `sourceRegion`; the disk is created there. */
  zoneId: string;
  /**
   * An ECS instance (Running or Stopped, started at least once) the disk is attached to. Alibaba creates
   * snapshots only of disks that are, or once were, attached to an instance (ECS CreateSnapshot).
   */
  instanceId: string;
  /** Region of the plain copy, e.g. `cn-shanghai`. */
  copyRegion: string;
  /** Region of the encrypted copy and of its KMS key, e.g. `eu-central-1`. */
  encryptedCopyRegion: string;
  /** Size of the data disk, GiB. */
  diskSizeGiB: number;
}

/** The resources the program declares. */
export interface Backups {
  disk: alicloud.ecs.EcsDisk;
  attachment: alicloud.ecs.EcsDiskAttachment;
  snapshot: alicloud.ecs.EcsSnapshot;
  /** The provider for the encrypted copy's region; the KMS key lives there. */
  encryptedRegionProvider: alicloud.Provider;
  key: alicloud.kms.Key;
  copy: SnapshotCopy;
  encryptedCopy: SnapshotCopy;
}

const tags = { team: "platform", app: "orders", purpose: "dr" };

/** Declares the data disk, its snapshot, a KMS key in the encrypted copy's region and the two copies. */
export function declareBackups(s: BackupSettings): Backups {
  const disk = new alicloud.ecs.EcsDisk("orders-data", {
    zoneId: s.zoneId,
    size: s.diskSizeGiB,
    category: "cloud_essd",
    diskName: "orders-data",
    tags,
  });
  const attachment = new alicloud.ecs.EcsDiskAttachment("orders-data", {
    diskId: disk.id,
    instanceId: s.instanceId,
  });
  // The snapshot takes the disk ID from the attachment, so it is created only once the disk is attached.
  const snapshot = new alicloud.ecs.EcsSnapshot("orders-data", {
    diskId: attachment.diskId,
    snapshotName: "orders-data",
    description: "Source of the cross-region backups",
    retentionDays: 7,
    tags,
  });

  // A copy is encrypted with a key in its destination region, so the key gets a provider for that region.
  const encryptedRegionProvider = new alicloud.Provider("encrypted-copy-region", {
    region: s.encryptedCopyRegion,
  });
  const key = new alicloud.kms.Key(
    "orders-backup",
    {
      description: "Encrypts the cross-region copies of the orders data disk",
      pendingWindowInDays: 7,
      status: "Enabled",
    },
    { provider: encryptedRegionProvider },
  );

  const copy = new SnapshotCopy("orders-data-copy", {
    sourceSnapshotId: snapshot.id,
    sourceRegionId: s.sourceRegion,
    destinationRegionId: s.copyRegion,
    name: "orders-data-copy",
    retentionDays: 30,
    tags,
  });
  const encryptedCopy = new SnapshotCopy("orders-data-encrypted-copy", {
    sourceSnapshotId: snapshot.id,
    sourceRegionId: s.sourceRegion,
    destinationRegionId: s.encryptedCopyRegion,
    encrypted: true,
    kmsKeyId: key.id,
    name: "orders-data-encrypted-copy",
    retentionDays: 90,
    tags: { ...tags, compliance: "eu" },
  });
  return { disk, attachment, snapshot, encryptedRegionProvider, key, copy, encryptedCopy };
}
