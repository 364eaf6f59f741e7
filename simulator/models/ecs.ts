import type { Clock } from "../clock";
import {
  DecreaseRetentionDaysUnsupported,
  IdempotentParameterMismatch,
  InvalidDiskIdNotFound,
  InvalidEncryptedNotMatchKmsKeyId,
  InvalidKMSKeyIdCMKNotEnabled,
  InvalidKMSKeyIdNotFound,
  InvalidParameter,
  InvalidRegionIdMalFormed,
  InvalidRegionIdNotExists,
  InvalidRegionIdNotFound,
  InvalidResourceIdNotFound,
  InvalidSnapshotIdNotFound,
  InvalidSnapshotIdNotReady,
  InvalidTagCount,
  NoAttributeToModify,
  NotSupportCopyInSameRegion,
  SnapshotCreatedDisk,
  UnfinishedCrossRegionCopy,
  UnfinishedEncryptedSnapshotCopy,
} from "../errors";
import type { CopyModel, Faults, SnapshotView, TagKeyAlone } from "../types";
import { liveStatus, planCopy } from "./copyTiming";
import type { KmsModel } from "./kms";
import type { SnapshotRec } from "./records";
import {
  checkClientToken,
  checkDescription,
  checkRetentionDays,
  checkSnapshotName,
  checkTags,
} from "./validate";
import type { World } from "./world";

/** CopySnapshot arguments after RPC parameter parsing. @internal */
export interface CopyArgs {
  accessKeyId: string;
  regionId: string;
  destinationRegionId: string;
  snapshotId: string;
  name?: string;
  description?: string;
  retentionDays?: string;
  encrypted: boolean;
  kmsKeyId?: string;
  tags: [string, string][];
  clientToken?: string;
  resourceGroupId?: string;
}

/** DescribeSnapshots filters after parsing. @internal */
export interface DescribeFilter {
  regionId: string;
  snapshotIds?: string[];
  status?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  tags: [string, string][];
  resourceGroupId?: string;
  diskId?: string;
  snapshotName?: string;
  /** Token paging (MaxResults/NextToken) or page paging (PageNumber/PageSize). */
  paging:
    | { kind: "token"; maxResults: number; nextToken?: string }
    | { kind: "page"; pageNumber: number; pageSize: number };
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** ECS disks and snapshots: state, rules and the errors they raise. @internal */
export class EcsModel {
  constructor(
    private readonly world: World,
    private readonly clock: Clock,
    private readonly copyModel: CopyModel,
    private readonly faults: () => Faults,
    private readonly kms: KmsModel,
    /** What a Tag.N.Key sent without a value matches in DescribeSnapshots (the simulator's ECS knob). */
    private readonly tagKeyAlone: () => TagKeyAlone,
  ) {}

  private region(regionId: string): void {
    if (!this.world.regions.includes(regionId)) throw new InvalidRegionIdNotFound();
  }

  /**
   * CopySnapshot's region check (CopySnapshot error table): InvalidRegionId.MalFormed for an ID not of the form
   * "cn-hangzhou", InvalidRegionId.NotExists for a well-formed ID that is not a region.
   */
  private copyRegion(regionId: string): void {
    if (!/^[a-z]+(-[a-z0-9]+)+$/.test(regionId)) throw new InvalidRegionIdMalFormed();
    if (!this.world.regions.includes(regionId)) throw new InvalidRegionIdNotExists();
  }

  private snapshotIn(regionId: string, id: string): SnapshotRec {
    const s = this.world.snapshots.get(id);
    if (!s || s.regionId !== regionId) throw new InvalidSnapshotIdNotFound();
    return s;
  }

  /** Regions DescribeRegions lists. */
  regions(): string[] {
    return this.world.regions;
  }

  /** Region a resource lives in (for calls without RegionId, e.g. DeleteSnapshot). */
  regionOf(id: string | undefined): string | undefined {
    if (!id) return undefined;
    return this.world.snapshots.get(id)?.regionId ?? this.world.disks.get(id)?.regionId;
  }

  copySnapshot(a: CopyArgs): string {
    this.copyRegion(a.regionId);
    this.copyRegion(a.destinationRegionId);
    checkClientToken(a.clientToken);
    // ClientToken idempotency: the same token and parameters return the same copy. Records are kept even after
    // the copy is deleted — as far as we know that is how the real API behaves (the token stays bound to the
    // first request); the provider copes by retrying with a fresh token.
    const { clientToken, accessKeyId, ...rest } = a;
    const fingerprint = JSON.stringify(rest);
    const tokenKey = clientToken ? `${accessKeyId}/${clientToken}` : undefined;
    if (tokenKey) {
      const prior = this.world.clientTokens.get(tokenKey);
      if (prior) {
        if (prior.fingerprint !== fingerprint) throw new IdempotentParameterMismatch();
        return prior.snapshotId;
      }
    }
    checkSnapshotName(a.name);
    checkDescription(a.description);
    const retentionDays = checkRetentionDays(a.retentionDays);
    checkTags(a.tags);
    const source = this.snapshotIn(a.regionId, a.snapshotId);
    const now = this.clock.now();
    // CopySnapshot error table: a source that is still being created is InvalidSnapshotId.NotReady.
    if (liveStatus(source, now).status !== "accomplished") throw new InvalidSnapshotIdNotReady();
    // CopySnapshot error table: KMSKeyId without Encrypted=true is InvalidEncrypted.NotMatchKmsKeyId.
    if (a.kmsKeyId && !a.encrypted) throw new InvalidEncryptedNotMatchKmsKeyId();
    if (a.regionId === a.destinationRegionId && !a.encrypted) throw new NotSupportCopyInSameRegion();
    let kmsKeyId = "";
    if (a.kmsKeyId) {
      const key = this.kms.find(a.destinationRegionId, a.kmsKeyId);
      if (!key) throw new InvalidKMSKeyIdNotFound();
      if (key.state !== "Enabled") throw new InvalidKMSKeyIdCMKNotEnabled();
      kmsKeyId = key.keyId;
    }
    // One unfinished copy per source disk per destination region; an earlier finished one makes this copy
    // incremental. The CopySnapshot error table has two codes for the busy case: "This disk has unfinished
    // cross-region copy snapshots in the target region" (InvalidOperation.UnfinishedCrossRegionCopy) and "This disk
    // has unfinished encrypted copy snapshots in the target region" (InvalidOperation.UnfinishedEncryptedSnapshotCopy);
    // both describe the unfinished copy already there, so its Encrypted decides which one is answered.
    let incremental = false;
    for (const id of this.world.snapshotsByRegion.get(a.destinationRegionId) ?? []) {
      const s = this.world.snapshots.get(id) as SnapshotRec;
      if (!s.copy || s.diskId !== source.diskId) continue;
      const st = liveStatus(s, now).status;
      if (st === "progressing")
        throw s.encrypted ? new UnfinishedEncryptedSnapshotCopy() : new UnfinishedCrossRegionCopy();
      if (st === "accomplished") incremental = true;
    }
    const f = this.faults();
    const copy: SnapshotRec = {
      snapshotId: this.world.newId("s", a.destinationRegionId),
      regionId: a.destinationRegionId,
      diskId: source.diskId,
      sizeGiB: source.sizeGiB,
      diskType: source.diskType,
      name: a.name ?? "",
      description: a.description ?? "",
      encrypted: a.encrypted || source.encrypted,
      kmsKeyId,
      createdAt: now,
      modifiedAt: now,
      retentionDays,
      tags: a.tags,
      resourceGroupId: a.resourceGroupId ?? "",
      createdDisks: [],
      copy: planCopy(this.copyModel, now, source.sizeGiB, incremental, source, a.destinationRegionId),
      visibleAt: f.invisibleForMs > 0 ? now + f.invisibleForMs : undefined,
    };
    this.world.addSnapshot(copy);
    this.applyFailPlans();
    if (tokenKey) this.world.clientTokens.set(tokenKey, { fingerprint, snapshotId: copy.snapshotId });
    return copy.snapshotId;
  }

  /** Gives progressing copies that match a failCopies fault (and have no plan yet) their failure point. */
  applyFailPlans(): void {
    const rules = this.faults().failCopies;
    if (rules.length === 0) return;
    const now = this.clock.now();
    for (const s of this.world.snapshots.values()) {
      if (!s.copy || s.copy.failAtPercent !== undefined || liveStatus(s, now).status !== "progressing")
        continue;
      const rule = rules.find(
        (r) =>
          (!r.sourceSnapshotId || r.sourceSnapshotId === s.copy?.sourceSnapshotId) &&
          (!r.destinationRegionId || r.destinationRegionId === s.regionId),
      );
      if (rule) s.copy.failAtPercent = Math.max(0, Math.min(99, rule.atPercent ?? 50));
    }
  }

  view(s: SnapshotRec, now: number): SnapshotView {
    const live = liveStatus(s, now);
    const v: SnapshotView = {
      SnapshotId: s.snapshotId,
      SnapshotName: s.name,
      Description: s.description,
      RegionId: s.regionId,
      Status: live.status,
      Progress: `${live.percent}%`,
      RemainTime: live.remainSeconds,
      Available: live.status === "accomplished",
      Encrypted: s.encrypted,
      KMSKeyId: s.kmsKeyId,
      SourceDiskId: s.diskId,
      SourceDiskSize: String(s.sizeGiB),
      SourceDiskType: s.diskType,
      Tags: { Tag: s.tags.map(([TagKey, TagValue]) => ({ TagKey, TagValue })) },
      CreationTime: iso(s.createdAt),
      LastModifiedTime: iso(s.modifiedAt),
      Usage: s.createdDisks.length > 0 ? "disk" : "none",
      ResourceGroupId: s.resourceGroupId,
      Category: "standard",
      SnapshotType: "user",
      SourceStorageType: "disk",
      InstantAccess: false,
    };
    if (s.copy) {
      v.SourceSnapshotId = s.copy.sourceSnapshotId;
      v.SourceRegionId = s.copy.sourceRegionId;
    }
    if (s.retentionDays !== undefined) v.RetentionDays = s.retentionDays;
    return v;
  }

  describeSnapshots(f: DescribeFilter): { items: SnapshotView[]; totalCount: number; nextToken?: string } {
    this.region(f.regionId);
    const now = this.clock.now();
    const candidates: SnapshotRec[] = [];
    const anyValue = this.tagKeyAlone() === "any";
    const ids = f.snapshotIds ?? this.world.snapshotsByRegion.get(f.regionId) ?? [];
    for (const id of ids) {
      const s = this.world.snapshots.get(id);
      if (!s || s.regionId !== f.regionId || (s.visibleAt !== undefined && s.visibleAt > now)) continue;
      if (f.encrypted !== undefined && s.encrypted !== f.encrypted) continue;
      if (f.kmsKeyId && s.kmsKeyId !== f.kmsKeyId) continue;
      if (f.resourceGroupId && s.resourceGroupId !== f.resourceGroupId) continue;
      if (f.diskId && s.diskId !== f.diskId) continue;
      if (f.snapshotName && s.name !== f.snapshotName) continue;
      if (
        f.tags.some(([k, v]) => !s.tags.some(([tk, tv]) => tk === k && ((anyValue && v === "") || tv === v)))
      )
        continue;
      if (f.status && f.status !== "all" && liveStatus(s, now).status !== f.status) continue;
      candidates.push(s);
    }
    // Newest first, as the console and API list them.
    candidates.sort((x, y) => y.createdAt - x.createdAt || (x.snapshotId < y.snapshotId ? -1 : 1));
    const { start, size } = pageWindow(f.paging);
    const page = candidates.slice(start, start + size);
    const next = start + size < candidates.length ? encodeToken(start + size) : undefined;
    return { items: page.map((s) => this.view(s, now)), totalCount: candidates.length, nextToken: next };
  }

  /** DescribeDisks rows (fields and JSON types of DescribeDisksResponseBodyDisksDisk) for disks of a region. */
  describeDisks(
    regionId: string,
    f: { snapshotId?: string; diskIds?: string[]; paging: DescribeFilter["paging"] },
  ): { items: Record<string, unknown>[]; totalCount: number; nextToken?: string } {
    this.region(regionId);
    const all = [...this.world.disks.values()].filter(
      (d) =>
        d.regionId === regionId &&
        (!f.snapshotId || d.snapshotId === f.snapshotId) &&
        (!f.diskIds || f.diskIds.includes(d.diskId)),
    );
    const { start, size } = pageWindow(f.paging);
    return {
      items: all.slice(start, start + size).map((d) => ({
        DiskId: d.diskId,
        DiskName: d.name ?? "",
        RegionId: d.regionId,
        Size: d.sizeGiB,
        Category: d.category,
        SourceSnapshotId: d.snapshotId ?? "",
        Status: "Available",
        Type: "data",
        Encrypted: false,
        Portable: true,
      })),
      totalCount: all.length,
      nextToken: start + size < all.length ? encodeToken(start + size) : undefined,
    };
  }

  /** Deleting a copy in progress cancels it; a missing ID is ignored, as the API documents. */
  deleteSnapshot(id: string, force: boolean): void {
    const s = this.world.snapshots.get(id);
    if (!s) return;
    if (s.createdDisks.length > 0 && !force) throw new SnapshotCreatedDisk();
    this.world.removeSnapshot(id);
    this.failCopiesOf(id);
  }

  /**
   * Copies still progressing from a deleted source fail where they are. The ECS API reference (DeleteSnapshot,
   * CopySnapshot) does not say what happens to a running copy whose source is deleted, and DescribeSnapshots has
   * no failure-reason field. We model the outcome another cloud documents for the same race (Azure
   * CopyCompletionErrorReason.CopySourceNotFound: "the source snapshot was deleted while the background copy was
   * in progress") instead of refusing the delete, because it is the case a client must handle: a copy that turns
   * `failed` mid-way with no reason given.
   */
  private failCopiesOf(sourceId: string): void {
    const now = this.clock.now();
    for (const c of this.world.snapshots.values()) {
      if (c.copy?.sourceSnapshotId !== sourceId) continue;
      const live = liveStatus(c, now);
      if (live.status === "progressing") c.copy.failAtPercent = live.percent;
    }
  }

  modifySnapshotAttribute(id: string, name?: string, description?: string, retention?: string): void {
    const s = this.world.snapshots.get(id);
    if (!s) throw new InvalidSnapshotIdNotFound();
    if (name === undefined && description === undefined && retention === undefined)
      throw new NoAttributeToModify();
    checkSnapshotName(name);
    checkDescription(description);
    const days = checkRetentionDays(retention);
    // RetentionDays can only be extended (ModifySnapshotAttribute error table:
    // InvalidOperation.DecreaseRetentionDaysUnsupported).
    if (days !== undefined && s.retentionDays !== undefined && days < s.retentionDays) {
      throw new DecreaseRetentionDaysUnsupported();
    }
    if (name !== undefined) s.name = name;
    if (description !== undefined) s.description = description;
    if (days !== undefined) s.retentionDays = days;
    s.modifiedAt = this.clock.now();
  }

  private taggable(regionId: string, ids: string[]): SnapshotRec[] {
    this.region(regionId);
    return ids.map((id) => {
      const s = this.world.snapshots.get(id);
      if (!s || s.regionId !== regionId) throw new InvalidResourceIdNotFound();
      return s;
    });
  }

  tagResources(regionId: string, ids: string[], tags: [string, string][]): void {
    checkTags(tags);
    const targets = this.taggable(regionId, ids);
    for (const s of targets) {
      const merged = new Map(s.tags);
      for (const [k, v] of tags) merged.set(k, v);
      if (merged.size > 20) throw new InvalidTagCount();
    }
    for (const s of targets) {
      const merged = new Map(s.tags);
      for (const [k, v] of tags) merged.set(k, v);
      s.tags = [...merged];
    }
  }

  untagResources(regionId: string, ids: string[], keys: string[], all: boolean): void {
    for (const s of this.taggable(regionId, ids)) {
      s.tags = all ? [] : s.tags.filter(([k]) => !keys.includes(k));
    }
  }

  listTagResources(
    regionId: string,
    ids: string[],
    tagFilter: [string, string][],
    nextToken?: string,
  ): {
    rows: { ResourceId: string; ResourceType: string; TagKey: string; TagValue: string }[];
    nextToken?: string;
  } {
    this.region(regionId);
    const pool =
      ids.length > 0
        ? ids.map((id) => this.world.snapshots.get(id))
        : [...(this.world.snapshotsByRegion.get(regionId) ?? [])].map((id) => this.world.snapshots.get(id));
    const rows = [];
    for (const s of pool) {
      if (!s || s.regionId !== regionId) continue;
      if (tagFilter.some(([k, v]) => !s.tags.some(([tk, tv]) => tk === k && (v === "" || tv === v))))
        continue;
      for (const [TagKey, TagValue] of s.tags)
        rows.push({ ResourceId: s.snapshotId, ResourceType: "snapshot", TagKey, TagValue });
    }
    const start = nextToken ? decodeToken(nextToken) : 0;
    const PAGE = 50; // ListTagResources returns up to 50 rows per page.
    return {
      rows: rows.slice(start, start + PAGE),
      nextToken: start + PAGE < rows.length ? encodeToken(start + PAGE) : undefined,
    };
  }

  joinResourceGroup(regionId: string, id: string, groupId: string): void {
    const [s] = this.taggable(regionId, [id]);
    s.resourceGroupId = groupId;
  }

  createDisk(
    regionId: string,
    a: { sizeGiB?: number; snapshotId?: string; category?: string; name?: string },
  ): string {
    this.region(regionId);
    let size = a.sizeGiB;
    let source: SnapshotRec | undefined;
    if (a.snapshotId) {
      source = this.snapshotIn(regionId, a.snapshotId);
      // CreateDisk error table: InvalidSnapshotId.NotReady for a snapshot still being created.
      if (liveStatus(source, this.clock.now()).status !== "accomplished")
        throw new InvalidSnapshotIdNotReady();
      size = Math.max(size ?? 0, source.sizeGiB);
    }
    if (!size || size < 1) throw new InvalidParameter("Size");
    const diskId = this.world.newId("d", regionId);
    this.world.disks.set(diskId, {
      diskId,
      regionId,
      sizeGiB: size,
      category: a.category ?? "cloud_essd",
      snapshotId: a.snapshotId,
      name: a.name,
    });
    source?.createdDisks.push(diskId);
    return diskId;
  }

  createSnapshot(a: {
    diskId: string;
    name?: string;
    description?: string;
    retentionDays?: string;
    tags: [string, string][];
  }): string {
    const disk = this.world.disks.get(a.diskId);
    if (!disk) throw new InvalidDiskIdNotFound();
    checkSnapshotName(a.name);
    checkDescription(a.description);
    const retentionDays = checkRetentionDays(a.retentionDays);
    checkTags(a.tags);
    const now = this.clock.now();
    const snapshotId = this.world.newId("s", disk.regionId);
    // Created accomplished at once: the simulator does not model how long a local snapshot takes.
    this.world.addSnapshot({
      snapshotId,
      regionId: disk.regionId,
      diskId: disk.diskId,
      sizeGiB: disk.sizeGiB,
      diskType: "data",
      name: a.name ?? "",
      description: a.description ?? "",
      encrypted: false,
      kmsKeyId: "",
      createdAt: now,
      modifiedAt: now,
      retentionDays,
      tags: a.tags,
      resourceGroupId: "",
      createdDisks: [],
    });
    return snapshotId;
  }
}

/** First row and page size of a token-paged or page-paged listing. */
function pageWindow(p: DescribeFilter["paging"]): { start: number; size: number } {
  if (p.kind === "token") return { start: p.nextToken ? decodeToken(p.nextToken) : 0, size: p.maxResults };
  return { start: (p.pageNumber - 1) * p.pageSize, size: p.pageSize };
}

function encodeToken(offset: number): string {
  return Buffer.from(`sim:${offset}`).toString("base64url");
}

function decodeToken(token: string): number {
  const m = /^sim:(\d+)$/.exec(Buffer.from(token, "base64url").toString());
  if (!m) throw new InvalidParameter("NextToken");
  return Number(m[1]);
}
