/**
 * The ONE I/O seam: every network call the provider makes goes through {@link Outbound}.
 *
 * - builds ECS clients (`@alicloud/openapi-core`'s generic client, ACS3 signature) and `@alicloud/kms20160120`
 *   clients (rpc-client, HMAC-SHA1 RPC signature) per region from the resolved config;
 * - `call(action, region, fn)` retries transient failures (./retry.ts: one policy, one retry quota per region
 *   shared by every action) within the operation's deadline and normalises every SDK error into one
 *   {@link AlibabaApiError};
 * - counts calls per action and region and the calls in flight (tests, benchmarks, virtual-time helper).
 *
 * ECS without its SDK: `@alicloud/ecs20140526` is a thin wrapper on openapi-core whose client.js loads thousands
 * of model classes — measured (bench/README.md, "Where RSS goes"): 43 MB of resident memory at module load (106 -> 63 MB),
 * ~250 ms of start-up and 23 % of the CPU of a DescribeSnapshots call.
 * {@link Outbound.ecsCall} does what each of its `<action>WithOptions` methods does for the actions we use: the
 * same query parameters in the same order, lists flattened to `Tag.N.Key` / `ResourceId.N` / `TagKey.N` by
 * openapi-core's `OpenApiUtil.query`, the same `Params`; ./ecsEndpoint.ts picks the same host. Responses are the
 * API's raw JSON (PascalCase), which is how {@link ApiSnapshot} spells them anyway.
 *
 * Region selection: the clients pick the regional endpoint from `regionId`; with an endpoint override (private
 * endpoint, the simulator) every region shares one host, so each request also carries `RegionId`
 * (a global query parameter on ECS, an explicit parameter on KMS) — the simulator selects the region world
 * by it (simulator/README.md), and the real APIs accept it.
 * @internal
 */
import OpenApiClient, { $OpenApiUtil, OpenApiUtil } from "@alicloud/openapi-core";
import Kms from "@alicloud/kms20160120";
import { ResolvedConfig, secretValues } from "./config";
import { ecsEndpoint } from "./ecsEndpoint";
import type { ApiKey, ApiSnapshot } from "../rules/snapshot";
import { str } from "../rules/values";
import { AlibabaApiError, normaliseError } from "./apiError";
import type { Clock } from "./clock";
import { RetryQuota, withRetries } from "./retry";
type KmsConfig = ConstructorParameters<typeof Kms>[0];
type Rec = Record<string, unknown>;
/** A string field of an API answer: rules/values' `str`, and the literal "undefined" an SDK may print is none. */
const apiStr = (v: unknown): string | undefined => (v === "undefined" ? undefined : str(v));

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
 * The runtime options the ECS SDK passes (`new $dara.RuntimeOptions({})`, which sets no field: openapi-core's
 * doRequest falls back to the client config for each). A plain object: `@darabonba/typescript`, where the class
 * lives, is openapi-core's dependency, not ours.
 */
const ECS_RUNTIME = {} as Parameters<OpenApiClient["callApi"]>[2];

/** Drops unset parameters, as the SDK's `if (!$dara.isNull(request.x))` does. */
const defined = (q: Rec): Rec =>
  Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined && v !== null));

/**
 * Raw JSON as the SDK's models would have typed it: the SDK casts each field to its model type ($dara.cast:
 * "true"/"false"/1/0 to boolean, numeric strings to number). Only the fields read strictly downstream are cast
 * (../rules/copyState.ts wants `Available === true`, ../rules/outputs.ts a numeric RetentionDays and a boolean Encrypted); the rest
 * are read tolerantly already. Types: ECS API reference, DescribeSnapshots (Boolean, Integer).
 */
function typedSnapshot(raw: Rec): ApiSnapshot {
  const s = { ...raw } as ApiSnapshot;
  for (const k of ["Available", "Encrypted"] as const) {
    const v: unknown = raw[k];
    if (v === "true" || v === 1) s[k] = true;
    else if (v === "false" || v === 0) s[k] = false;
  }
  for (const k of ["RemainTime", "RetentionDays"] as const) {
    const v: unknown = raw[k];
    if (typeof v === "string" && /^[.\d]+$/.test(v)) s[k] = parseFloat(v);
  }
  return s;
}

/**
 * The seam. Typed methods for each API action the provider uses; all go through {@link Outbound.call}.
 * @internal
 */
export class Outbound {
  private readonly ecsClients = new Map<string, OpenApiClient>();
  private readonly kmsClients = new Map<string, Kms>();
  private readonly counts = new Map<string, number>();
  private readonly quotas = new Map<string, RetryQuota>();
  private inflight = 0;
  private readonly secrets: string[];

  constructor(
    private readonly cfg: ResolvedConfig,
    private readonly deps: OutboundDeps,
  ) {
    this.secrets = secretValues(cfg);
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

  private ecs(region: string): OpenApiClient {
    let client = this.ecsClients.get(region);
    if (!client) {
      client = new OpenApiClient(
        new $OpenApiUtil.Config({
          ...this.credentialFields(),
          regionId: region,
          endpoint: ecsEndpoint(region, this.cfg.endpoints.ecs),
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
        endpoint: this.cfg.endpoints.kms,
        protocol: this.cfg.protocol,
        ...this.clientFields(),
      } as KmsConfig);
      this.kmsClients.set(region, client);
    }
    return client;
  }

  /**
   * One ECS 2014-05-26 RPC action, as the SDK's `<action>WithOptions` sends it: `query` holds the API parameter
   * names in the SDK's order (unset ones dropped), flattened by `OpenApiUtil.query`; the `Params` are the SDK's,
   * verbatim (the configured protocol wins over `HTTPS`, as in the SDK). Returns the response body (raw JSON).
   */
  private async ecsCall(action: string, region: string, query: Rec, opts?: CallOptions): Promise<Rec> {
    const params = new $OpenApiUtil.Params({
      action,
      version: "2014-05-26",
      protocol: "HTTPS",
      pathname: "/",
      method: "POST",
      authType: "AK",
      style: "RPC",
      reqBodyType: "formData",
      bodyType: "json",
    });
    const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(defined(query)) });
    const res = await this.call(
      action,
      region,
      () => this.ecs(region).callApi(params, req, ECS_RUNTIME),
      opts,
    );
    const body: unknown = res.body;
    return body && typeof body === "object" ? (body as Rec) : {};
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
    const tags = Object.entries(p.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    const body = await this.ecsCall(
      "CopySnapshot",
      p.sourceRegionId,
      {
        ClientToken: p.clientToken,
        DestinationRegionId: p.destinationRegionId,
        DestinationSnapshotDescription: p.description,
        DestinationSnapshotName: p.name,
        Encrypted: p.encrypted ? true : undefined,
        KMSKeyId: p.encrypted ? p.kmsKeyId : undefined,
        RegionId: p.sourceRegionId,
        ResourceGroupId: p.resourceGroupId,
        RetentionDays: p.retentionDays,
        SnapshotId: p.sourceSnapshotId,
        Tag: tags.length ? tags : undefined,
      },
      opts,
    );
    const id = apiStr(body.SnapshotId);
    if (!id) throw new Error(`CopySnapshot in ${p.sourceRegionId} returned no SnapshotId`);
    return id;
  }

  /** ECS DescribeSnapshots for at most 100 IDs (the API's limit for SnapshotIds) in one region. */
  async describeSnapshots(region: string, ids: string[], opts?: CallOptions): Promise<ApiSnapshot[]> {
    if (ids.length === 0) return [];
    if (ids.length > 100)
      throw new Error(`describeSnapshots takes at most 100 IDs per call; got ${ids.length}`);
    // SnapshotIds is a JSON array in a string (ECS API reference, DescribeSnapshots).
    return this.describeAllPages(region, { SnapshotIds: JSON.stringify(ids) }, opts);
  }

  /**
   * ECS DescribeSnapshots of the snapshots in `region` that carry the tag `key` = `value` (the Tag.N filter),
   * every page. Used to find the copies of one declaration (../rules/ownership.ts).
   */
  async describeSnapshotsTagged(
    region: string,
    key: string,
    value: string,
    opts?: CallOptions,
  ): Promise<ApiSnapshot[]> {
    return this.describeAllPages(region, { Tag: [{ Key: key, Value: value }] }, opts);
  }

  /** DescribeSnapshots with `filter`, following NextToken to the last page. */
  private async describeAllPages(region: string, filter: Rec, opts?: CallOptions): Promise<ApiSnapshot[]> {
    const out: ApiSnapshot[] = [];
    let nextToken: string | undefined;
    do {
      const body = await this.ecsCall(
        "DescribeSnapshots",
        region,
        { MaxResults: 100, NextToken: nextToken, RegionId: region, ...filter },
        opts,
      );
      const list = ((body.Snapshots as Rec | undefined)?.Snapshot ?? []) as Rec[];
      out.push(...list.map(typedSnapshot));
      nextToken = apiStr(body.NextToken);
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
    await this.ecsCall(
      "DeleteSnapshot",
      region,
      { Force: force ? true : undefined, SnapshotId: snapshotId },
      opts,
    );
  }

  /** ECS ModifySnapshotAttribute with only the given fields. */
  async modifySnapshotAttribute(
    region: string,
    snapshotId: string,
    f: { name?: string; description?: string; retentionDays?: number },
    opts?: CallOptions,
  ): Promise<void> {
    await this.ecsCall(
      "ModifySnapshotAttribute",
      region,
      {
        Description: f.description,
        RetentionDays: f.retentionDays,
        SnapshotId: snapshotId,
        SnapshotName: f.name,
      },
      opts,
    );
  }

  /** ECS TagResources (ResourceType=snapshot). */
  async tagResources(
    region: string,
    snapshotId: string,
    tags: Record<string, string>,
    opts?: CallOptions,
  ): Promise<void> {
    await this.ecsCall(
      "TagResources",
      region,
      {
        RegionId: region,
        ResourceId: [snapshotId],
        ResourceType: "snapshot",
        Tag: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      },
      opts,
    );
  }

  /** ECS UntagResources (ResourceType=snapshot). */
  async untagResources(
    region: string,
    snapshotId: string,
    keys: string[],
    opts?: CallOptions,
  ): Promise<void> {
    await this.ecsCall(
      "UntagResources",
      region,
      { RegionId: region, ResourceId: [snapshotId], ResourceType: "snapshot", TagKey: keys },
      opts,
    );
  }

  /** ECS JoinResourceGroup (ResourceType=snapshot). */
  async joinResourceGroup(
    region: string,
    snapshotId: string,
    resourceGroupId: string,
    opts?: CallOptions,
  ): Promise<void> {
    await this.ecsCall(
      "JoinResourceGroup",
      region,
      {
        RegionId: region,
        ResourceGroupId: resourceGroupId,
        ResourceId: snapshotId,
        ResourceType: "snapshot",
      },
      opts,
    );
  }

  /** ECS DescribeDisks filtered by SnapshotId: the disks created from a snapshot (first page suffices for a message). */
  async disksCreatedFrom(region: string, snapshotId: string, opts?: CallOptions): Promise<string[]> {
    const body = await this.ecsCall(
      "DescribeDisks",
      region,
      { MaxResults: 100, RegionId: region, SnapshotId: snapshotId },
      opts,
    );
    const disks = ((body.Disks as Rec | undefined)?.Disk ?? []) as Rec[];
    return disks.map((d) => String(d.DiskId));
  }
}
