/** Public data shapes of the simulator (see simulator/README.md and simulator/index.ts). */
import type { CopyNoise } from "./models/copyNoise";
import type { StsSessionRec } from "./models/records";

export type { CopyNoise };

/** Initial world: accounts, regions, disks, snapshots and KMS keys. */
export interface Seed {
  /** Access keys the simulator accepts. */
  accounts?: { accessKeyId: string; accessKeySecret: string; securityToken?: string; accountId?: string }[];
  /** DescribeRegions list; @default a realistic set incl. cn-hangzhou, cn-shanghai, cn-beijing, eu-central-1, ap-southeast-1, us-west-1 */
  regions?: string[];
  /** Cloud disks (sources of snapshots). */
  disks?: { diskId: string; regionId: string; sizeGiB: number; category?: string }[];
  /** Snapshots (accomplished unless said otherwise). */
  snapshots?: {
    snapshotId: string;
    regionId: string;
    diskId: string;
    name?: string;
    encrypted?: boolean;
    kmsKeyId?: string;
    status?: "accomplished" | "progressing";
  }[];
  /** KMS keys, per region. */
  keys?: {
    keyId: string;
    regionId: string;
    state?: "Enabled" | "Disabled" | "PendingDeletion" | "PendingImport";
    /** Alias names such as "alias/backup". */
    aliases?: string[];
  }[];
  /**
   * RAM roles STS AssumeRole / AssumeRoleWithOIDC may assume, e.g. "acs:ram::2222222222222222:role/backup" (the
   * temporary credentials belong to the account in the ARN). Any seeded AccessKey may assume any of them (RAM
   * trust policies are not simulated).
   */
  roles?: { roleArn: string; maxSessionDuration?: number }[];
  /** OIDC identity providers for AssumeRoleWithOIDC, each with the one token it accepts (JWTs are not checked). */
  oidcProviders?: { arn: string; token: string }[];
}

/** How long a copy takes. */
export interface CopyModel {
  /** Virtual ms before progress starts. @default 30000 */
  startLatencyMs: number;
  /** Throughput of the first copy of a disk to a region. @default 2 */
  fullGiBPerMinute: number;
  /** Later copies of the same disk to the same region copy this fraction of the disk. @default 0.1 */
  incrementalFraction: number;
  /**
   * Makes copies behave less tidily than the linear model: uneven progress with pauses, and a RemainTime that is
   * only an estimate. A copy still ends exactly `startLatencyMs + transfer` after it starts; only what
   * DescribeSnapshots shows on the way changes. Every draw is seeded (per copy, from `seed` and the copy's
   * source and start time), so a run is reproducible. @default absent: linear progress, exact RemainTime
   */
  noise?: CopyNoise;
}

/** Faults injected at run time. */
/** How DescribeSnapshots reads a Tag.N.Key sent without its Tag.N.Value (SimulatorAdmin.setTagKeyAlone). */
export type TagKeyAlone = "any" | "empty";

export interface Faults {
  /** Per-call faults, evaluated in order before the action runs. */
  rules: FaultRule[];
  /** Copies that end in `failed` when they reach atPercent (default 50). */
  failCopies: {
    sourceSnapshotId?: string;
    destinationRegionId?: string;
    atPercent?: number;
    code?: string;
    reason?: string;
  }[];
  /** Eventual consistency: a new copy is absent from DescribeSnapshots for this long (virtual ms). */
  invisibleForMs: number;
  /**
   * Seeds the dice of `rules` (rate and latency decisions), so a run with the same seed and the same calls meets
   * the same faults. Setting it (again) restarts the dice; null or absent means Math.random.
   * @default absent: Math.random, a different pattern each run
   */
  seed?: number | null;
}

/** One per-call fault. */
export interface FaultRule {
  /**
   * throttle = Throttling.User 400, unavailable = ServiceUnavailable 503, internal = InternalError 500,
   * tokenExpired = InvalidSecurityToken.Expired 400 (credentials that stopped working), latency = delay,
   * reset = socket destroyed.
   */
  kind: "throttle" | "unavailable" | "internal" | "tokenExpired" | "latency" | "reset";
  /** Action name; @default every action */
  action?: string;
  /** RegionId; @default every region */
  region?: string;
  /** Probability per call, 0..1. */
  rate: number;
  /** For "latency": REAL milliseconds added. */
  latencyMs?: number;
  /** Optional cap on how many times the rule fires. */
  times?: number;
}

/** One counter row. status 0 means the connection was reset without a response. */
export interface CallCount {
  /** API action. */
  action: string;
  /** RegionId the call addressed ("" when none). */
  region: string;
  /** HTTP status answered. */
  status: number;
  /** Number of calls. */
  count: number;
}

/** A snapshot as DescribeSnapshots shows it (the SDK model's field names). */
export interface SnapshotView {
  /** Snapshot ID. */
  SnapshotId: string;
  /** Name. */
  SnapshotName: string;
  /** Description. */
  Description: string;
  /** Region. */
  RegionId: string;
  /** progressing | accomplished | failed */
  Status: string;
  /** e.g. "45%" */
  Progress: string;
  /** Seconds left (an estimate; absent in some answers under {@link CopyModel.noise}). */
  RemainTime?: number;
  /** The snapshot can be used. */
  Available: boolean;
  /** Encrypted. */
  Encrypted: boolean;
  /** KMS key ID ("" when none). */
  KMSKeyId: string;
  /** Disk the data comes from. */
  SourceDiskId: string;
  /** Size of the source disk in GiB, a string as the SDK model declares. */
  SourceDiskSize: string;
  /** "system" | "data" */
  SourceDiskType: string;
  /** Copies only: the source snapshot. */
  SourceSnapshotId?: string;
  /** Copies only: the source region. */
  SourceRegionId?: string;
  /** Days before automatic release, when set. */
  RetentionDays?: number;
  /** Tags. */
  Tags: { Tag: { TagKey: string; TagValue: string }[] };
  /** "2026-11-26T12:00:00Z" */
  CreationTime: string;
  /** Last change. */
  LastModifiedTime: string;
  /** "none" or "disk" (a disk was created from it). */
  Usage: string;
  /** Resource group. */
  ResourceGroupId: string;
  /** "standard" */
  Category: string;
  /** "user" */
  SnapshotType: string;
  /** Always "disk". */
  SourceStorageType: string;
  /** Always false here. */
  InstantAccess: boolean;
}

/** JSON-able full state (admin dump and persistence). */
export interface SimState {
  /** Format version. */
  version: 1;
  /** Virtual time when written. */
  clockNow: number;
  /** Everything in the world. */
  world: import("./models/records").WorldData;
}

/** One row of `admin.callers()`: how many calls of `action` passed authentication with `accessKeyId`. */
export interface CallerCount {
  action: string;
  accessKeyId: string;
  /** The account the key belongs to (for STS credentials: the account of the assumed role). */
  accountId: string;
  /** Temporary (STS) credentials. */
  temporary: boolean;
  count: number;
}

/** One set of temporary credentials STS issued (`admin.stsSessions()`); the secret and token are left out. */
export interface StsSessionView extends StsSessionRec {
  accessKeyId: string;
  accountId: string;
  /** When they stop working: epoch ms, real time. */
  expiresAt: number;
}
