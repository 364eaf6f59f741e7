/**
 * The ONE I/O seam: every network call the provider makes goes through {@link Outbound}.
 *
 * - builds `@alicloud/ecs20140526` clients (openapi-core, ACS3-HMAC-SHA256 signature) and `@alicloud/kms20160120`
 *   clients (rpc-client, HMAC-SHA1 RPC signature) per region from the resolved config; ./endpoints.ts says which
 *   host each calls;
 * - `call(action, region, fn)` retries transient failures (./retry.ts: one policy, one retry quota per region
 *   shared by every action) within the operation's deadline and normalises every SDK error into one
 *   {@link AlibabaApiError};
 * - counts calls per action and region and the calls in flight (tests, benchmarks, virtual-time helper).
 *
 * ECS through its SDK: each action is the SDK's `<action>(request)` (its `<action>WithOptions` with empty runtime
 * options, so the client's read and connect timeouts apply) with the SDK's request model. Snapshots are read
 * from the response model into the API's own PascalCase names (how {@link ApiSnapshot} spells them), with each
 * field cast to the model's type (`"false"` to false, `"7"` to 7): {@link apiSnapshot}.
 *
 * Region selection: the clients pick the regional endpoint from `regionId`; with an endpoint override (private
 * endpoint, the simulator) every region shares one host, so each request also carries `RegionId`
 * (a global query parameter on ECS, an explicit parameter on KMS) — the simulator selects the region world
 * by it (simulator/README.md), and the real APIs accept it.
 * @internal
 */
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import Kms from "@alicloud/kms20160120";
import { ResolvedConfig, secretValues } from "./config";
import { ecsEndpoint, kmsEndpoint, type Network } from "./endpoints";
import type { ApiKey, ApiSnapshot } from "../rules/snapshot";
import { str } from "../rules/values";
import { AlibabaApiError, normaliseError } from "./apiError";
import type { Clock } from "./clock";
import { RetryQuota, withRetries } from "./retry";
type KmsConfig = ConstructorParameters<typeof Kms>[0];
type Rec = Record<string, unknown>;
/** A string field of an API answer: rules/values' `str`, and the literal "undefined" an SDK may print is none. */
const apiStr = (v: unknown): string | undefined => (v === "undefined" ? undefined : str(v));

/**
 * One snapshot of a DescribeSnapshots answer as the provider reads it: the fields {@link ApiSnapshot} declares, in
 * the API's PascalCase names, with the values the SDK model cast (booleans, integers). Not the model's `toMap()`:
 * that copies all ~30 fields into an object built key by key (measured ~1.8 KB a snapshot on Node 20, against
 * ~0.5 KB for this fixed-shape object, Tags included), and the status loop keeps the latest snapshot of every
 * watched copy while each heartbeat turns hundreds of them over (bench/README.md, "Memory").
 * @internal
 */
export function apiSnapshot(m: $Ecs.DescribeSnapshotsResponseBodySnapshotsSnapshot): ApiSnapshot {
  return {
    SnapshotId: m.snapshotId ?? "",
    SnapshotName: m.snapshotName,
    Description: m.description,
    Status: m.status,
    Progress: m.progress,
    RemainTime: m.remainTime,
    Available: m.available,
    Encrypted: m.encrypted,
    KMSKeyId: m.KMSKeyId,
    SourceSnapshotId: m.sourceSnapshotId,
    SourceRegionId: m.sourceRegionId,
    SourceDiskId: m.sourceDiskId,
    SourceDiskSize: m.sourceDiskSize,
    RetentionDays: m.retentionDays,
    ResourceGroupId: m.resourceGroupId,
    CreationTime: m.creationTime,
    RegionId: m.regionId,
    Tags: m.tags && { Tag: m.tags.tag?.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })) },
  };
}

/** Per-call options: the operation's deadline and abort signal bound the retries. @internal */
export interface CallOptions {
  /** Absolute epoch ms (virtual in tests). */
  deadline?: number;
  signal?: AbortSignal;
  /**
   * false: one attempt, no retries here; the caller owns them (the status watcher retries its DescribeSnapshots
   * ticks itself, so each attempt counts against its per-region call budget). @default true
   */
  retries?: boolean;
}

/** What {@link Outbound} needs besides config. @internal */
export interface OutboundDeps {
  clock: Clock;
  random: () => number;
  /** Called on every retry (progress/log lines). */
  log?: (line: string) => void;
  /** Per-request socket timeouts (real ms). @default 30_000 read, 10_000 connect */
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Retry backoff bounds. @default 500 / 20_000 */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
}

/**
 * The seam. Typed methods for each API action the provider uses; all go through {@link Outbound.call}.
 * @internal
 */
export class Outbound {
  private readonly ecsClients = new Map<string, Ecs>();
  private readonly kmsClients = new Map<string, Kms>();
  private readonly counts = new Map<string, number>();
  private readonly quotas = new Map<string, RetryQuota>();
  private inflight = 0;
  private readonly secrets: string[];
  private readonly network: Network;

  constructor(
    private readonly cfg: ResolvedConfig,
    private readonly deps: OutboundDeps,
  ) {
    this.secrets = secretValues(cfg);
    this.network = cfg.network ?? "public";
  }

  /** Calls made (attempts, including retries), optionally filtered. */
  callCount(filter: { action?: string; region?: string } = {}): number {
    let n = 0;
    for (const [key, v] of this.counts) {
      const [action, region] = key.split("|");
      if ((!filter.action || filter.action === action) && (!filter.region || filter.region === region))
        n += v;
    }
    return n;
  }

  /** The retry quota of `region` (shared by every action there, and by the status watcher's own retries). */
  retryQuota(region: string): RetryQuota {
    let q = this.quotas.get(region);
    if (!q) {
      q = new RetryQuota();
      this.quotas.set(region, q);
    }
    return q;
  }

  /** HTTP calls currently in flight (the virtual-time helper waits for 0). */
  inFlight(): number {
    return this.inflight;
  }

  /**
   * Runs one API action with retries (unless `opts.retries` is false) and error normalisation. `fn` is called
   * once per attempt; every attempt is counted.
   */
  async call<T>(action: string, region: string, fn: () => Promise<T>, opts: CallOptions = {}): Promise<T> {
    const attempt = async (): Promise<T> => {
      const key = `${action}|${region}`;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      this.inflight++;
      try {
        return await fn();
      } catch (err) {
        throw normaliseError(err, action, region, this.secrets);
      } finally {
        this.inflight--;
      }
    };
    if (opts.retries === false) return attempt();
    // alicloud:maxRetryTimeout bounds one call's retries (AliyunClient.GetRetryTimeout), within the operation's.
    const cap = this.cfg.client.maxRetryTimeoutMs;
    const deadline = cap ? Math.min(opts.deadline ?? Infinity, this.deps.clock.now() + cap) : opts.deadline;
    return withRetries(attempt, {
      quota: this.retryQuota(region),
      clock: this.deps.clock,
      random: this.deps.random,
      deadline,
      signal: opts.signal,
      baseDelayMs: this.deps.retryBaseDelayMs,
      maxDelayMs: this.deps.retryMaxDelayMs,
      onRetry: (err, attempt, delayMs) => this.logRetry(action, region, err, attempt, delayMs),
    });
  }

  /** The one retry line, for this seam's retries and the status loop's (which owns DescribeSnapshots' own). */
  logRetry(action: string, region: string, err: unknown, attempt: number, delayMs: number): void {
    const code = err instanceof AlibabaApiError ? err.code : String(err);
    this.deps.log?.(
      `${action} in ${region}: ${code}, retry ${attempt} in ${Math.round(delayMs / 100) / 10}s`,
    );
  }

  /**
   * Socket timeouts and User-Agent: `alicloud:clientReadTimeout` / `clientConnectTimeout` (ms) when set, else
   * the injected or default ones; `alicloud:configurationSource` appended to the SDK's User-Agent.
   */
  private clientFields(): Rec {
    const c = this.cfg.client;
    return {
      readTimeout: c.readTimeoutMs ?? this.deps.readTimeoutMs ?? 30_000,
      connectTimeout: c.connectTimeoutMs ?? this.deps.connectTimeoutMs ?? 10_000,
      ...(c.userAgent ? { userAgent: c.userAgent } : {}),
    };
  }

  /** `alicloud:sourceIp` / `secureTransport`, sent with every request as @pulumi/alicloud sends them. */
  private requestConditions(): Record<string, string> {
    const { sourceIp, secureTransport } = this.cfg.client;
    return {
      ...(sourceIp ? { SourceIp: sourceIp } : {}),
      ...(secureTransport ? { SecureTransport: secureTransport } : {}),
    };
  }

  private credentialFields(): Rec {
    const c = this.cfg.credentials;
    return c.kind === "static"
      ? { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken }
      : { credential: c.credential };
  }

  /** The host the ECS or KMS client of `region` calls (./endpoints.ts). */
  host(service: "ecs" | "kms", region: string): string {
    return service === "ecs" ? this.ecs(region)._endpoint : this.kms(region)._endpoint;
  }

  private ecs(region: string): Ecs {
    let client = this.ecsClients.get(region);
    if (!client) {
      client = new Ecs(
        new $OpenApiUtil.Config({
          ...this.credentialFields(),
          regionId: region,
          endpoint: ecsEndpoint(region, this.network, this.cfg.endpoints.ecs),
          network: this.network,
          protocol: this.cfg.protocol,
          ...this.clientFields(),
          globalParameters: new $OpenApiUtil.GlobalParameters({
            queries: { RegionId: region, ...this.requestConditions() },
          }),
        }),
      );
      this.ecsClients.set(region, client);
    }
    return client;
  }

  private kms(region: string): Kms {
    let client = this.kmsClients.get(region);
    if (!client) {
      // A plain object: the RPC Config class lives in @alicloud/rpc-client, a dependency of the KMS SDK, not ours.
      client = new Kms({
        ...this.credentialFields(),
        regionId: region,
        endpoint: kmsEndpoint(region, this.network, this.cfg.endpoints.kms),
        protocol: this.cfg.protocol,
        ...this.clientFields(),
      } as KmsConfig);
      this.kmsClients.set(region, client);
    }
    return client;
  }

  /** One ECS action through the SDK client of `region`, as one {@link Outbound.call}; returns the answer's body. */
  private async ecsCall<B>(
    action: string,
    region: string,
    send: (client: Ecs) => Promise<{ body?: B }>,
    opts?: CallOptions,
  ): Promise<B | undefined> {
    return (await this.call(action, region, () => send(this.ecs(region)), opts)).body;
  }

  /**
   * KMS DescribeKey. `keyRef` may be a key ID, ARN or alias (the KMS API accepts all three as KeyId).
   * Goes through rpc-client's `doRequest` so RegionId can be sent (the generated model has only KeyId).
   */
  async describeKey(region: string, keyRef: string, opts?: CallOptions): Promise<ApiKey> {
    const res = await this.call(
      "DescribeKey",
      region,
      () =>
        this.kms(region).doRequest(
          "DescribeKey",
          "HTTPS",
          "POST",
          "2016-01-20",
          "AK",
          { KeyId: keyRef, RegionId: region, ...this.requestConditions() },
          {},
          {} as never,
        ),
      opts,
    );
    const meta = (res.KeyMetadata ?? {}) as Rec;
    return { KeyId: String(meta.KeyId ?? ""), KeyState: String(meta.KeyState ?? ""), Arn: apiStr(meta.Arn) };
  }

  /** ECS CopySnapshot; returns the new copy's SnapshotId. */
  async copySnapshot(
    p: {
      sourceRegionId: string;
      sourceSnapshotId: string;
      destinationRegionId: string;
      clientToken: string;
      name?: string;
      description?: string;
      retentionDays?: number;
      encrypted?: boolean;
      kmsKeyId?: string;
      resourceGroupId?: string;
      tags?: Record<string, string>;
    },
    opts?: CallOptions,
  ): Promise<string> {
    const tags = Object.entries(p.tags ?? {}).map(
      ([key, value]) => new $Ecs.CopySnapshotRequestTag({ key, value }),
    );
    const req = new $Ecs.CopySnapshotRequest({
      regionId: p.sourceRegionId,
      snapshotId: p.sourceSnapshotId,
      destinationRegionId: p.destinationRegionId,
      clientToken: p.clientToken,
      destinationSnapshotName: p.name,
      destinationSnapshotDescription: p.description,
      retentionDays: p.retentionDays,
      encrypted: p.encrypted ? true : undefined,
      KMSKeyId: p.encrypted ? p.kmsKeyId : undefined,
      resourceGroupId: p.resourceGroupId,
      tag: tags.length ? tags : undefined,
    });
    const body = await this.ecsCall("CopySnapshot", p.sourceRegionId, (c) => c.copySnapshot(req), opts);
    const id = apiStr(body?.snapshotId);
    if (!id) throw new Error(`CopySnapshot in ${p.sourceRegionId} returned no SnapshotId`);
    return id;
  }

  /** ECS DescribeSnapshots for at most 100 IDs (the API's limit for SnapshotIds) in one region. */
  async describeSnapshots(region: string, ids: string[], opts?: CallOptions): Promise<ApiSnapshot[]> {
    if (ids.length === 0) return [];
    if (ids.length > 100)
      throw new Error(`describeSnapshots takes at most 100 IDs per call; got ${ids.length}`);
    // SnapshotIds is a JSON array in a string (ECS API reference, DescribeSnapshots).
    return this.describeAllPages(region, { snapshotIds: JSON.stringify(ids) }, opts);
  }

  /**
   * ONE page (up to 100: MaxResults) of ECS DescribeSnapshots of the snapshots in `region` that carry the tag
   * `key` = `value`, or the tag `key` with any value when `value` is undefined (Tag.N.Key alone), from
   * `nextToken`. The status watcher pages it itself, so each page counts against its per-region budget.
   */
  async describeSnapshotsTaggedPage(
    region: string,
    tag: { key: string; value?: string },
    nextToken?: string,
    opts?: CallOptions,
  ): Promise<{ snapshots: ApiSnapshot[]; nextToken?: string }> {
    const req = new $Ecs.DescribeSnapshotsRequest({
      regionId: region,
      maxResults: 100,
      nextToken,
      tag: [new $Ecs.DescribeSnapshotsRequestTag(tag)],
    });
    const body = await this.ecsCall("DescribeSnapshots", region, (c) => c.describeSnapshots(req), opts);
    return {
      snapshots: (body?.snapshots?.snapshot ?? []).map(apiSnapshot),
      nextToken: apiStr(body?.nextToken),
    };
  }

  /**
   * DescribeSnapshots with `filter`, following NextToken to the last page. Each snapshot is {@link apiSnapshot}:
   * the fields the provider reads, in the API's names, typed as the model types them.
   */
  private async describeAllPages(
    region: string,
    filter: { snapshotIds: string },
    opts?: CallOptions,
  ): Promise<ApiSnapshot[]> {
    const out: ApiSnapshot[] = [];
    let nextToken: string | undefined;
    do {
      const req = new $Ecs.DescribeSnapshotsRequest({
        regionId: region,
        maxResults: 100,
        nextToken,
        ...filter,
      });
      const body = await this.ecsCall("DescribeSnapshots", region, (c) => c.describeSnapshots(req), opts);
      for (const s of body?.snapshots?.snapshot ?? []) out.push(apiSnapshot(s));
      nextToken = apiStr(body?.nextToken);
    } while (nextToken);
    return out;
  }

  /** ECS DeleteSnapshot. A missing snapshot is reported as the API's error; callers decide. */
  async deleteSnapshot(
    region: string,
    snapshotId: string,
    force: boolean,
    opts?: CallOptions,
  ): Promise<void> {
    const req = new $Ecs.DeleteSnapshotRequest({ snapshotId, force: force ? true : undefined });
    await this.ecsCall("DeleteSnapshot", region, (c) => c.deleteSnapshot(req), opts);
  }

  /** ECS ModifySnapshotAttribute with only the given fields. */
  async modifySnapshotAttribute(
    region: string,
    snapshotId: string,
    f: { name?: string; description?: string; retentionDays?: number },
    opts?: CallOptions,
  ): Promise<void> {
    const req = new $Ecs.ModifySnapshotAttributeRequest({
      snapshotId,
      snapshotName: f.name,
      description: f.description,
      retentionDays: f.retentionDays,
    });
    await this.ecsCall("ModifySnapshotAttribute", region, (c) => c.modifySnapshotAttribute(req), opts);
  }

  /** ECS TagResources (ResourceType=snapshot). */
  async tagResources(
    region: string,
    snapshotId: string,
    tags: Record<string, string>,
    opts?: CallOptions,
  ): Promise<void> {
    const req = new $Ecs.TagResourcesRequest({
      regionId: region,
      resourceType: "snapshot",
      resourceId: [snapshotId],
      tag: Object.entries(tags).map(([key, value]) => new $Ecs.TagResourcesRequestTag({ key, value })),
    });
    await this.ecsCall("TagResources", region, (c) => c.tagResources(req), opts);
  }

  /** ECS UntagResources (ResourceType=snapshot). */
  async untagResources(
    region: string,
    snapshotId: string,
    keys: string[],
    opts?: CallOptions,
  ): Promise<void> {
    const req = new $Ecs.UntagResourcesRequest({
      regionId: region,
      resourceType: "snapshot",
      resourceId: [snapshotId],
      tagKey: keys,
    });
    await this.ecsCall("UntagResources", region, (c) => c.untagResources(req), opts);
  }

  /** ECS JoinResourceGroup (ResourceType=snapshot). */
  async joinResourceGroup(
    region: string,
    snapshotId: string,
    resourceGroupId: string,
    opts?: CallOptions,
  ): Promise<void> {
    const req = new $Ecs.JoinResourceGroupRequest({
      regionId: region,
      resourceType: "snapshot",
      resourceId: snapshotId,
      resourceGroupId,
    });
    await this.ecsCall("JoinResourceGroup", region, (c) => c.joinResourceGroup(req), opts);
  }

  /** ECS DescribeDisks filtered by SnapshotId: the disks created from a snapshot (first page suffices for a message). */
  async disksCreatedFrom(region: string, snapshotId: string, opts?: CallOptions): Promise<string[]> {
    const req = new $Ecs.DescribeDisksRequest({ regionId: region, snapshotId, maxResults: 100 });
    const body = await this.ecsCall("DescribeDisks", region, (c) => c.describeDisks(req), opts);
    return (body?.disks?.disk ?? []).map((d) => String(d.diskId));
  }
}
