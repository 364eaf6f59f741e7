import type { Clock } from "../clock";
import {
  AliasAlreadyExists,
  ForbiddenAliasNotFound,
  ForbiddenKeyNotFound,
  InvalidParameter,
  RejectedPendingDeletion,
  RejectedPendingImport,
  RejectedStateModifiedFailed,
} from "../errors";
import type { KeyRec } from "./records";
import type { World } from "./world";

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Default KMS region when a call names none (rpc-client sends no RegionId; see README "KMS region"). */
export const DEFAULT_KMS_REGION = "cn-hangzhou";

/** KMS keys and aliases per region. Keys are named by ID, ARN ("acs:kms:<region>:<account>:key/<id>") or alias. @internal */
export class KmsModel {
  constructor(
    private readonly world: World,
    private readonly clock: Clock,
  ) {}

  arn(k: KeyRec): string {
    return `acs:kms:${k.regionId}:${this.world.accountId()}:key/${k.keyId}`;
  }

  /**
   * Finds a key by ID, ARN or alias ("alias/x" or its ARN). With a region, only that region's keys are seen;
   * without one (rpc-client calls carry no RegionId), IDs and ARNs resolve anywhere and aliases in the default region.
   */
  find(region: string | undefined, ref: string): KeyRec | undefined {
    const arn = /^acs:kms:([^:]+):[^:]*:(key|alias)\/(.+)$/.exec(ref);
    if (arn) {
      if (region && arn[1] !== region) return undefined;
      return arn[2] === "key" ? this.inRegion(arn[1], arn[3]) : this.byAlias(arn[1], `alias/${arn[3]}`);
    }
    if (ref.startsWith("alias/")) return this.byAlias(region ?? DEFAULT_KMS_REGION, ref);
    const k = this.world.keys.get(ref);
    return k && (!region || k.regionId === region) ? k : undefined;
  }

  private inRegion(region: string, id: string): KeyRec | undefined {
    const k = this.world.keys.get(id);
    return k?.regionId === region ? k : undefined;
  }

  private byAlias(region: string, alias: string): KeyRec | undefined {
    const id = this.world.aliases.get(region)?.get(alias);
    return id ? this.world.keys.get(id) : undefined;
  }

  get(region: string | undefined, ref: string | undefined): KeyRec {
    if (!ref) throw new InvalidParameter("KeyId");
    const k = this.find(region, ref);
    if (!k) throw ref.includes("alias/") ? new ForbiddenAliasNotFound() : new ForbiddenKeyNotFound();
    return k;
  }

  metadata(k: KeyRec): Record<string, string> {
    const m: Record<string, string> = {
      KeyId: k.keyId,
      Arn: this.arn(k),
      KeyState: k.state,
      Description: k.description,
      KeyUsage: k.keyUsage,
      KeySpec: k.keySpec,
      Origin: k.origin,
      ProtectionLevel: k.protectionLevel,
      CreationDate: iso(k.createdAt),
      Creator: this.world.accountId(),
      AutomaticRotation: "Disabled",
      PrimaryKeyVersion: `${k.keyId}-v1`,
    };
    if (k.deleteDate !== undefined) m.DeleteDate = iso(k.deleteDate);
    return m;
  }

  createKey(
    region: string,
    a: {
      description?: string;
      keyUsage?: string;
      keySpec?: string;
      origin?: string;
      protectionLevel?: string;
    },
  ): KeyRec {
    const origin = a.origin ?? "Aliyun_KMS";
    const k: KeyRec = {
      keyId: this.world.newKeyId(),
      regionId: region,
      state: origin === "EXTERNAL" ? "PendingImport" : "Enabled",
      description: a.description ?? "",
      keyUsage: a.keyUsage ?? "ENCRYPT/DECRYPT",
      keySpec: a.keySpec ?? "Aliyun_AES_256",
      origin,
      protectionLevel: a.protectionLevel ?? "SOFTWARE",
      createdAt: this.clock.now(),
    };
    this.world.keys.set(k.keyId, k);
    return k;
  }

  private blockIfPending(k: KeyRec): void {
    if (k.state === "PendingDeletion") throw new RejectedPendingDeletion();
    if (k.state === "PendingImport") throw new RejectedPendingImport();
  }

  enableKey(k: KeyRec): void {
    this.blockIfPending(k);
    k.state = "Enabled";
  }

  disableKey(k: KeyRec): void {
    this.blockIfPending(k);
    k.state = "Disabled";
  }

  scheduleKeyDeletion(k: KeyRec, days: number): void {
    if (!Number.isInteger(days) || days < 7 || days > 366)
      throw new InvalidParameter("PendingWindowInDays", "Valid values: 7 to 366.");
    if (k.state === "PendingDeletion") throw new RejectedPendingDeletion();
    k.state = "PendingDeletion";
    k.deleteDate = this.clock.now() + days * 86_400_000;
  }

  cancelKeyDeletion(k: KeyRec): void {
    if (k.state !== "PendingDeletion") throw new RejectedStateModifiedFailed();
    // A cancelled deletion leaves the key Disabled, as KMS documents for CancelKeyDeletion.
    k.state = "Disabled";
    k.deleteDate = undefined;
  }

  listKeys(region: string): KeyRec[] {
    return [...this.world.keys.values()].filter((k) => k.regionId === region);
  }

  createAlias(region: string, alias: string | undefined, ref: string | undefined): void {
    if (!alias || !/^alias\/[a-zA-Z0-9:/_-]{1,255}$/.test(alias) || alias.startsWith("alias/acs"))
      throw new InvalidParameter("AliasName");
    const k = this.get(region, ref);
    const map = this.world.aliasesOf(region);
    if (map.has(alias)) throw new AliasAlreadyExists();
    map.set(alias, k.keyId);
  }

  listAliases(region: string): { KeyId: string; AliasName: string; AliasArn: string }[] {
    const account = this.world.accountId();
    return [...(this.world.aliases.get(region) ?? new Map<string, string>())].map(([AliasName, KeyId]) => ({
      KeyId,
      AliasName,
      AliasArn: `acs:kms:${region}:${account}:${AliasName}`,
    }));
  }
}
