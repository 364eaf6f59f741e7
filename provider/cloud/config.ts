/**
 * Provider configuration: region, credentials, endpoints and client settings, resolved once in `configure()`.
 *
 * Every setting `@pulumi/alicloud` 3.x reads that applies to this package is read the same way, each on its own:
 * its stack config key, then its environment variables (./settings.ts has the table and cites its source), then
 * the profile file; the credentials (./credentials.ts) follow `@pulumi/alicloud`'s order of sources. README.md,
 * "Configuration and credentials", lists every key with what it does here, or why it does not apply.
 *
 * Stack config keys of this package (all optional):
 * - `snapshotCopy:ecsEndpoint`, `snapshotCopy:kmsEndpoint` — host[:port] or URL; win over `alicloud:endpoints`
 * - `snapshotCopy:protocol` — `http` or `https`; wins over `alicloud:protocol`. A URL endpoint also sets it.
 * - `snapshotCopy:network` — `public` (default) or `vpc`: which of a region's endpoints to call (./endpoints.ts)
 * - `snapshotCopy:describeCallsPerMinute` — per-region budget for status polling (default 100)
 *
 * Secrets live only in the returned object inside the provider process; nothing here is serialized.
 * @internal
 */
import { resolveCredentials, type CredentialSource } from "./credentials";
import type { Network } from "./endpoints";
import { firstOf, lookup, nonEmpty, SETTINGS, wholeNumber, type ConfigGetter, type Env } from "./settings";

export type { CredentialSource } from "./credentials";
export type { ConfigGetter } from "./settings";

/**
 * Client settings of `@pulumi/alicloud` that shape each API request. Unset fields keep this package's defaults.
 * @internal
 */
export interface ClientSettings {
  /** `alicloud:clientReadTimeout` (ms): socket read timeout of every call (STS and metadata calls too). */
  readTimeoutMs?: number;
  /** `alicloud:clientConnectTimeout` (ms). */
  connectTimeoutMs?: number;
  /** `alicloud:maxRetryTimeout` (s, as ms here): how long one call's retries may last; 0/unset = the operation's deadline. */
  maxRetryTimeoutMs?: number;
  /** `alicloud:configurationSource` (+ `TF_APPEND_USER_AGENT`): appended to every request's User-Agent. */
  userAgent?: string;
  /** `alicloud:sourceIp`: sent as the `SourceIp` query parameter (RAM policy condition `acs:SourceIp`). */
  sourceIp?: string;
  /** `alicloud:secureTransport` (`securityTransport`): sent as `SecureTransport` (condition `acs:SecureTransport`). */
  secureTransport?: string;
}

/** The resolved provider configuration. @internal */
export interface ResolvedConfig {
  /** The provider's default region (`alicloud:region`, `ALICLOUD_REGION`, ..., the profile's `region_id`). */
  region?: string;
  credentials: CredentialSource;
  /** Per-service endpoint overrides (host[:port]); undefined = the regional endpoint the product's SDK picks. */
  endpoints: { ecs?: string; kms?: string; sts?: string };
  /** `https` unless overridden. */
  protocol: "http" | "https";
  /**
   * Which of a region's endpoints the clients call when `endpoints` names none: `public` (reachable from
   * anywhere) or `vpc` (`ecs-vpc.<region>.aliyuncs.com`, `kms-vpc.<region>.aliyuncs.com`: reachable only from
   * inside a VPC of that region, traffic stays off the Internet). Alibaba's endpoint list, products.json of the API
   * metadata, gives both for every public region. Read from `snapshotCopy:network`; an invalid value is an error
   * naming the key. @default "public"
   */
  network?: Network;
  /** Per-destination-region DescribeSnapshots budget (docs/design.md §14: about 1000 calls/min per account and region). */
  describeCallsPerMinute: number;
  client: ClientSettings;
  /**
   * The credential values that must never appear in logs, errors or state. LIVE: temporary credentials are
   * added as `@alicloud/credentials` hands them out.
   */
  secrets: string[];
  /** Where each setting came from, for a debug line; never holds secret values. */
  sources: Record<string, string>;
}

/** Splits "http://host:port/" into host and protocol; a bare "host:port" keeps the protocol undecided. */
function parseEndpoint(value: string | undefined): { host?: string; protocol?: "http" | "https" } {
  if (value === undefined) return {};
  const m = /^(https?):\/\/([^/]+)\/?$/i.exec(value);
  if (m) return { host: m[2], protocol: m[1].toLowerCase() as "http" | "https" };
  return { host: value.replace(/\/+$/, "") };
}

/** `alicloud:endpoints` is stored by @pulumi/alicloud as a JSON list of objects; accept one object too. */
function parseEndpointsBlock(raw: string | undefined): { ecs?: string; kms?: string; sts?: string } {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(
      `alicloud:endpoints must be JSON like [{"ecs": "host", "kms": "host"}]; got something else`,
    );
  }
  const blocks = Array.isArray(parsed) ? parsed : [parsed];
  const out: { ecs?: string; kms?: string; sts?: string } = {};
  for (const b of blocks) {
    if (b && typeof b === "object") {
      const rec = b as Record<string, unknown>;
      for (const k of ["ecs", "kms", "sts"] as const)
        if (typeof rec[k] === "string" && rec[k]) out[k] = rec[k].trim();
    }
  }
  return out;
}

/** `@alicloud/credentials` sends STS calls to `https://<endpoint>` only, so the STS endpoint is a host. */
function stsHost(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const e = parseEndpoint(value);
  if (e.protocol === "http")
    throw new Error(
      `alicloud:endpoints sts must be reachable over HTTPS (@alicloud/credentials calls STS over HTTPS only); got "${value}"`,
    );
  return e.host;
}

/** A timeout setting in its unit, or undefined (0 means unset, as in @pulumi/alicloud). */
function duration(
  get: ConfigGetter,
  env: Env,
  sources: Record<string, string>,
  field: keyof typeof SETTINGS,
  unit: "milliseconds" | "seconds",
  max: number,
): number | undefined {
  const raw = lookup(get, env, sources, field, SETTINGS[field]);
  if (raw === undefined) return undefined;
  const n = wholeNumber(raw, sources[field], 0, max, unit);
  return n === 0 ? undefined : n;
}

/**
 * Resolves the configuration from stack config and environment. Reads the profile file when a profile is named;
 * constructs (never calls) the `@alicloud/credentials` providers.
 * @internal
 */
export function resolveConfig(get: ConfigGetter, env: Env = process.env): ResolvedConfig {
  const sources: Record<string, string> = {};
  const block = parseEndpointsBlock(nonEmpty(get("alicloud:endpoints")));
  const client: ClientSettings = {
    readTimeoutMs: duration(get, env, sources, "clientReadTimeout", "milliseconds", 3_600_000),
    connectTimeoutMs: duration(get, env, sources, "clientConnectTimeout", "milliseconds", 3_600_000),
    maxRetryTimeoutMs:
      (duration(get, env, sources, "maxRetryTimeout", "seconds", 86_400) ?? 0) * 1000 || undefined,
    userAgent: userAgent(lookup(get, env, sources, "configurationSource", SETTINGS.configurationSource), env),
    sourceIp: lookup(get, env, sources, "sourceIp", SETTINGS.sourceIp),
    secureTransport:
      lookup(get, env, sources, "secureTransport", SETTINGS.secureTransport) ??
      lookup(get, env, sources, "secureTransport", SETTINGS.securityTransport),
  };
  if (client.secureTransport !== undefined && !/^(true|false)$/i.test(client.secureTransport))
    throw new Error(`${sources.secureTransport} must be "true" or "false"; got "${client.secureTransport}"`);

  // The region first (the profile's region_id is its last fallback), then the credentials, which need it for
  // the regional STS endpoint.
  const regionFirst = lookup(get, env, sources, "region", SETTINGS.region);
  const sts = stsHost(block.sts);
  if (sts) sources.stsEndpoint = "alicloud:endpoints.sts";
  const creds = resolveCredentials(
    get,
    env,
    {
      region: regionFirst,
      stsEndpoint: sts,
      readTimeoutMs: client.readTimeoutMs,
      connectTimeoutMs: client.connectTimeoutMs,
    },
    sources,
  );
  const region = regionFirst ?? creds.profileRegion?.region;
  if (!regionFirst && creds.profileRegion) sources.region = `profile ${creds.profileRegion.profile}`;

  const ecs = parseEndpoint(
    firstOf(sources, "ecsEndpoint", [
      ["snapshotCopy:ecsEndpoint", get("snapshotCopy:ecsEndpoint")],
      ["alicloud:endpoints.ecs", block.ecs],
    ]),
  );
  const kms = parseEndpoint(
    firstOf(sources, "kmsEndpoint", [
      ["snapshotCopy:kmsEndpoint", get("snapshotCopy:kmsEndpoint")],
      ["alicloud:endpoints.kms", block.kms],
    ]),
  );
  const protocolRaw = firstOf(sources, "protocol", [
    ["snapshotCopy:protocol", get("snapshotCopy:protocol")],
    ["alicloud:protocol", get("alicloud:protocol")],
  ]);
  let protocol: "http" | "https" = ecs.protocol ?? kms.protocol ?? "https";
  if (protocolRaw !== undefined) {
    const p = protocolRaw.toLowerCase();
    if (p !== "http" && p !== "https") {
      throw new Error(`${sources.protocol} must be "http" or "https"; got "${protocolRaw}"`);
    }
    protocol = p;
  }
  const networkRaw = nonEmpty(get("snapshotCopy:network"));
  const network = (networkRaw ?? "public").toLowerCase();
  if (network !== "public" && network !== "vpc") {
    throw new Error(
      `snapshotCopy:network must be "public" or "vpc" (the VPC endpoints, from inside a VPC of the region); got "${networkRaw}"`,
    );
  }
  const budgetRaw = nonEmpty(get("snapshotCopy:describeCallsPerMinute"));
  const describeCallsPerMinute = budgetRaw === undefined ? 100 : Number(budgetRaw);
  if (!Number.isFinite(describeCallsPerMinute) || describeCallsPerMinute <= 0) {
    throw new Error(`snapshotCopy:describeCallsPerMinute must be a positive number; got "${budgetRaw}"`);
  }
  return {
    region,
    credentials: creds.credentials,
    endpoints: { ecs: ecs.host, kms: kms.host, sts },
    protocol,
    network,
    describeCallsPerMinute,
    client,
    secrets: creds.secrets,
    sources,
  };
}

/**
 * provider.go (providerConfigure): the configuration source, then `TF_APPEND_USER_AGENT`'s words that are not
 * already in it, space-separated. The SDKs append it to their own User-Agent.
 */
function userAgent(source: string | undefined, env: Env): string | undefined {
  const words: string[] = [];
  for (const w of `${source ?? ""} ${env.TF_APPEND_USER_AGENT ?? ""}`.split(" "))
    if (w.trim() && !words.includes(w.trim())) words.push(w.trim());
  return words.length > 0 ? words.join(" ") : undefined;
}

/** The credential values that must never appear in logs, errors or state (a live list). @internal */
export function secretValues(cfg: ResolvedConfig): string[] {
  return cfg.secrets;
}
