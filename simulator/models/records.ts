/** Stored records: plain JSON so the whole world persists as one file. @internal */
import type { CopyNoise } from "./copyNoise";

export interface AccountRec {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  accountId: string;
  /** Temporary (STS) credentials only: when they stop working, epoch ms of REAL time (see models/sts.ts). */
  expiresAt?: number;
  /** Temporary (STS) credentials only: the session that issued them. */
  session?: StsSessionRec;
}

/** How a set of temporary credentials was issued (STS AssumeRole / AssumeRoleWithOIDC parameters). */
export interface StsSessionRec {
  action: "AssumeRole" | "AssumeRoleWithOIDC";
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  policy?: string;
  externalId?: string;
  /** AssumeRole: the AccessKeyId that signed the call. */
  callerAccessKeyId?: string;
  /** AssumeRoleWithOIDC: the identity provider. */
  oidcProviderArn?: string;
}

/** A RAM role that STS lets callers assume. */
export interface RoleRec {
  roleArn: string;
  /** RAM CreateRole MaxSessionDuration: 3600..43200 s. */
  maxSessionDuration: number;
}

/** An OIDC identity provider registered in RAM, with the one token the simulator accepts from it. */
export interface OidcProviderRec {
  arn: string;
  token: string;
}

export interface DiskRec {
  diskId: string;
  regionId: string;
  sizeGiB: number;
  category: string;
  /** Snapshot the disk was created from. */
  snapshotId?: string;
  name?: string;
}

/** A copy's timeline, fixed when CopySnapshot runs, so status is a pure function of virtual time. */
export interface CopyPlan {
  sourceSnapshotId: string;
  sourceRegionId: string;
  startAt: number;
  latencyMs: number;
  transferMs: number;
  incremental: boolean;
  /** Set when a failCopies fault matched. */
  failAtPercent?: number;
  /** The copy model's noise (absent: linear progress, exact RemainTime) and this copy's own seed for it. */
  noise?: CopyNoise & { copySeed: number };
}

export interface SnapshotRec {
  snapshotId: string;
  regionId: string;
  diskId: string;
  sizeGiB: number;
  diskType: string;
  name: string;
  description: string;
  encrypted: boolean;
  kmsKeyId: string;
  createdAt: number;
  modifiedAt: number;
  retentionDays?: number;
  /** Insertion-ordered tags. */
  tags: [string, string][];
  resourceGroupId: string;
  /** Disks created from this snapshot. */
  createdDisks: string[];
  /** Seeded/created progressing snapshots that never finish (the seed says so). */
  stuck?: boolean;
  copy?: CopyPlan;
  /** DescribeSnapshots hides the snapshot before this virtual time. */
  visibleAt?: number;
}

export type KeyState = "Enabled" | "Disabled" | "PendingDeletion" | "PendingImport";

export interface KeyRec {
  keyId: string;
  regionId: string;
  state: KeyState;
  description: string;
  keyUsage: string;
  keySpec: string;
  origin: string;
  protectionLevel: string;
  createdAt: number;
  deleteDate?: number;
}

export interface TokenRec {
  fingerprint: string;
  snapshotId: string;
}

export interface WorldData {
  accounts: AccountRec[];
  regions: string[];
  disks: DiskRec[];
  snapshots: SnapshotRec[];
  keys: KeyRec[];
  /** region -> alias name -> key ID */
  aliases: Record<string, Record<string, string>>;
  /** "<accessKeyId>/<ClientToken>" -> record; kept after the snapshot is deleted (see models/ecs.ts). */
  clientTokens: Record<string, TokenRec>;
  /** Next ID sequence number. */
  seq: number;
  /** Absent in state saved before STS was simulated. */
  roles?: RoleRec[];
  oidcProviders?: OidcProviderRec[];
}
