import { randomBytes } from "node:crypto";
import type { Seed } from "../types";
import type {
  AccountRec,
  DiskRec,
  KeyRec,
  OidcProviderRec,
  RoleRec,
  SnapshotRec,
  TokenRec,
  WorldData,
} from "./records";

/** Region list DescribeRegions answers with by default. */
export const DEFAULT_REGIONS = [
  "cn-hangzhou",
  "cn-shanghai",
  "cn-beijing",
  "cn-shenzhen",
  "eu-central-1",
  "ap-southeast-1",
  "us-west-1",
];

// Real IDs carry a region-specific prefix after "s-"/"d-" (e.g. s-bp1… in cn-hangzhou); we mimic that shape.
const REGION_PREFIX: Record<string, string> = {
  "cn-hangzhou": "bp1",
  "cn-shanghai": "uf6",
  "cn-beijing": "2ze",
  "cn-shenzhen": "wz9",
  "eu-central-1": "gw8",
  "ap-southeast-1": "t4n",
  "us-west-1": "rj9",
};

/**
 * All state of the simulated cloud, with Map indices so lookups by ID are O(1)
 * (DescribeSnapshots with 100 IDs is 100 Map lookups). @internal
 */
export class World {
  accounts = new Map<string, AccountRec>();
  regions: string[] = [...DEFAULT_REGIONS];
  disks = new Map<string, DiskRec>();
  snapshots = new Map<string, SnapshotRec>();
  /** region -> snapshot IDs, for listing a region without scanning the world. */
  snapshotsByRegion = new Map<string, Set<string>>();
  keys = new Map<string, KeyRec>();
  aliases = new Map<string, Map<string, string>>();
  clientTokens = new Map<string, TokenRec>();
  roles = new Map<string, RoleRec>();
  oidcProviders = new Map<string, OidcProviderRec>();
  seq = 1;

  newId(kind: "s" | "d", regionId: string): string {
    const rand = randomBytes(12).toString("hex").slice(0, 17);
    return `${kind}-${REGION_PREFIX[regionId] ?? "sim"}${(this.seq++).toString(36)}${rand}`.slice(0, 22);
  }

  newKeyId(): string {
    return `key-hzz6${randomBytes(10).toString("hex")}${(this.seq++).toString(36)}`;
  }

  accountId(): string {
    return this.accounts.values().next().value?.accountId ?? "1234567890123456";
  }

  addSnapshot(s: SnapshotRec): void {
    this.snapshots.set(s.snapshotId, s);
    let set = this.snapshotsByRegion.get(s.regionId);
    if (!set) this.snapshotsByRegion.set(s.regionId, (set = new Set()));
    set.add(s.snapshotId);
  }

  removeSnapshot(id: string): void {
    const s = this.snapshots.get(id);
    if (!s) return;
    this.snapshots.delete(id);
    this.snapshotsByRegion.get(s.regionId)?.delete(id);
  }

  aliasesOf(region: string): Map<string, string> {
    let m = this.aliases.get(region);
    if (!m) this.aliases.set(region, (m = new Map()));
    return m;
  }

  /** Adds the seed's accounts, regions, disks, snapshots and keys (existing IDs are replaced). */
  seed(seed: Seed, now: number): void {
    for (const a of seed.accounts ?? []) {
      this.accounts.set(a.accessKeyId, { ...a, accountId: a.accountId ?? "1234567890123456" });
    }
    for (const r of seed.roles ?? []) {
      this.roles.set(r.roleArn, { roleArn: r.roleArn, maxSessionDuration: r.maxSessionDuration ?? 3600 });
    }
    for (const o of seed.oidcProviders ?? []) this.oidcProviders.set(o.arn, { ...o });
    if (seed.regions) this.regions = [...new Set([...seed.regions])];
    for (const d of seed.disks ?? []) {
      this.disks.set(d.diskId, {
        diskId: d.diskId,
        regionId: d.regionId,
        sizeGiB: d.sizeGiB,
        category: d.category ?? "cloud_essd",
      });
    }
    for (const s of seed.snapshots ?? []) {
      const disk = this.disks.get(s.diskId);
      this.addSnapshot({
        snapshotId: s.snapshotId,
        regionId: s.regionId,
        diskId: s.diskId,
        sizeGiB: disk?.sizeGiB ?? 40,
        diskType: "data",
        name: s.name ?? "",
        description: "",
        encrypted: s.encrypted ?? false,
        kmsKeyId: s.kmsKeyId ?? "",
        createdAt: now,
        modifiedAt: now,
        tags: [],
        resourceGroupId: "",
        createdDisks: [],
        stuck: s.status === "progressing",
      });
    }
    for (const k of seed.keys ?? []) {
      this.keys.set(k.keyId, {
        keyId: k.keyId,
        regionId: k.regionId,
        state: k.state ?? "Enabled",
        description: "",
        keyUsage: "ENCRYPT/DECRYPT",
        keySpec: "Aliyun_AES_256",
        origin: "Aliyun_KMS",
        protectionLevel: "SOFTWARE",
        createdAt: now,
      });
      for (const alias of k.aliases ?? []) this.aliasesOf(k.regionId).set(alias, k.keyId);
    }
  }

  toData(): WorldData {
    const aliases: WorldData["aliases"] = {};
    for (const [r, m] of this.aliases) aliases[r] = Object.fromEntries(m);
    return {
      accounts: [...this.accounts.values()],
      regions: this.regions,
      disks: [...this.disks.values()],
      snapshots: [...this.snapshots.values()],
      keys: [...this.keys.values()],
      aliases,
      clientTokens: Object.fromEntries(this.clientTokens),
      seq: this.seq,
      roles: [...this.roles.values()],
      oidcProviders: [...this.oidcProviders.values()],
    };
  }

  static fromData(d: WorldData): World {
    const w = new World();
    for (const a of d.accounts) w.accounts.set(a.accessKeyId, a);
    w.regions = d.regions;
    for (const x of d.disks) w.disks.set(x.diskId, x);
    for (const s of d.snapshots) w.addSnapshot(s);
    for (const k of d.keys) w.keys.set(k.keyId, k);
    for (const [r, m] of Object.entries(d.aliases)) w.aliases.set(r, new Map(Object.entries(m)));
    w.clientTokens = new Map(Object.entries(d.clientTokens));
    w.seq = d.seq;
    for (const r of d.roles ?? []) w.roles.set(r.roleArn, r);
    for (const o of d.oidcProviders ?? []) w.oidcProviders.set(o.arn, o);
    return w;
  }
}
