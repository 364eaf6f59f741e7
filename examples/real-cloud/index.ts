/**
 * Real-cloud example: back up an ECS data disk across regions, one copy re-encrypted with a KMS key of its
 * region. Run it from this directory with your own account:
 *
 *   pulumi stack init dev
 *   pulumi config set alicloud:region cn-hangzhou
 *   pulumi config set --secret alicloud:accessKey <AccessKey ID>
 *   pulumi config set --secret alicloud:secretKey <AccessKey secret>
 *   pulumi config set instanceId i-...            # a Running or Stopped instance in alicloud:region
 *   pulumi config set zoneId cn-hangzhou-h        # that instance's zone
 *   pulumi config set copyRegion cn-shanghai            # optional (default cn-shanghai)
 *   pulumi config set encryptedCopyRegion eu-central-1  # optional (default eu-central-1)
 *   pulumi up
 *
 * It needs the alicloud provider plugin (`pulumi plugin install resource alicloud`) and
 * `pulumi-alicloud-snapshot-copy` installed in the project.
 */
import * as pulumi from "@pulumi/pulumi";
import { declareBackups } from "./backups";

const alicloudConfig = new pulumi.Config("alicloud");
const config = new pulumi.Config();

const backups = declareBackups({
  sourceRegion: alicloudConfig.require("region"),
  zoneId: config.require("zoneId"),
  instanceId: config.require("instanceId"),
  copyRegion: config.get("copyRegion") ?? "cn-shanghai",
  encryptedCopyRegion: config.get("encryptedCopyRegion") ?? "eu-central-1",
  diskSizeGiB: config.getNumber("diskSizeGiB") ?? 40,
});

export const sourceSnapshotId = backups.snapshot.id;
export const keyId = backups.key.id;
export const copyId = backups.copy.snapshotId;
export const copyStatus = backups.copy.status;
export const encryptedCopyId = backups.encryptedCopy.snapshotId;
export const encryptedCopyKmsKeyId = backups.encryptedCopy.kmsKeyId;
