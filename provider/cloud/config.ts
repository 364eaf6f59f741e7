/**
 * Provider configuration: region, credentials and endpoints, resolved once in `configure()`.
 *
 * Order (docs/design.md §9): the stack config keys `@pulumi/alicloud` uses, then the
 * usual environment variables, then `@alicloud/credentials`' default chain (profile file, ECS RAM role,
 * OIDC). Endpoint overrides mirror the Terraform provider's `endpoints` block, so private endpoints and
 * the local simulator work.
 *
 * Stack config keys read (all optional):
 * - `alicloud:region`, `alicloud:accessKey`, `alicloud:secretKey`, `alicloud:securityToken`, `alicloud:profile`
 * - `alicloud:endpoints` — JSON, as `@pulumi/alicloud` stores it: `[{"ecs": "host", "kms": "host"}]` (or one object)
 * - `alicloud:protocol` — `HTTP` or `HTTPS` (the `@pulumi/alicloud` key)
 * - `snapshotCopy:ecsEndpoint`, `snapshotCopy:kmsEndpoint` — host[:port] or URL; win over `alicloud:endpoints`
 * - `snapshotCopy:protocol` — `http` or `https`; wins over `alicloud:protocol`. A URL endpoint also sets it.
 * - `snapshotCopy:network` — `public` (default) or `vpc`: which of a region's endpoints to call (./endpoints.ts)
 * - `snapshotCopy:describeCallsPerMinute` — per-region budget for status polling (default 100)
 *
 * Secrets live only in the returned object inside the provider process; nothing here is serialized.
 * @internal
 */
import Credential, { CLIProfileCredentialsProvider } from "@alicloud/credentials";
import type { Network } from "./endpoints";

/** How to authenticate: static keys, or a credentials-library provider (profile / default chain). @internal */
export type CredentialSource =
  | { kind: "static"; accessKeyId: string; accessKeySecret: string; securityToken?: string }
  | { kind: "chain"; credential: Credential; profile?: string };

/** The resolved provider configuration. @internal */
export interface ResolvedConfig {
  /** The provider's default region (`alicloud:region`, `ALICLOUD_REGION`, ...). */
  region?: string;
  credentials: CredentialSource;
  /** Per-service endpoint overrides (host[:port]); undefined = the regional endpoint the product's SDK picks. */
  endpoints: { ecs?: string; kms?: string };
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
  /** Where each setting came from, for a debug line; never holds secret values. */
  sources: Record<string, string>;
}

/** Reads one config key; returns undefined when unset. */
export type ConfigGetter = (key: string) => string | undefined;

const nonEmpty = (v: string | undefined): string | undefined =>
  v !== undefined && v.trim() !== "" ? v.trim() : undefined;

function firstOf(
  sources: Record<string, string>,
  field: string,
  candidates: [string, string | undefined][],
): string | undefined {
  for (const [name, value] of candidates) {
    const v = nonEmpty(value);
    if (v !== undefined) {
      sources[field] = name;
      return v;
    }
  }
  return undefined;
}

/** Splits "http://host:port/" into host and protocol; a bare "host:port" keeps the protocol undecided. */
function parseEndpoint(value: string | undefined): { host?: string; protocol?: "http" | "https" } {
  if (value === undefined) return {};
  const m = /^(https?):\/\/([^/]+)\/?$/i.exec(value);
  if (m) return { host: m[2], protocol: m[1].toLowerCase() as "http" | "https" };
  return { host: value.replace(/\/+$/, "") };
}

/** `alicloud:endpoints` is stored by @pulumi/alicloud as a JSON list of objects; accept one object too. */
function parseEndpointsBlock(raw: string | undefined): { ecs?: string; kms?: string } {
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
  const out: { ecs?: string; kms?: string } = {};
  for (const b of blocks) {
    if (b && typeof b === "object") {
      const rec = b as Record<string, unknown>;
      if (typeof rec.ecs === "string" && rec.ecs) out.ecs = rec.ecs;
      if (typeof rec.kms === "string" && rec.kms) out.kms = rec.kms;
    }
  }
  return out;
}

/**
 * Resolves the configuration from stack config and environment. Pure apart from constructing (not calling)
 * the credentials-library provider when no static keys are found.
 * @internal
 */
export function resolveConfig(get: ConfigGetter, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const sources: Record<string, string> = {};
  const region = firstOf(sources, "region", [
    ["alicloud:region", get("alicloud:region")],
    ["ALIBABA_CLOUD_REGION_ID", env.ALIBABA_CLOUD_REGION_ID],
    ["ALICLOUD_REGION", env.ALICLOUD_REGION],
    ["ALICLOUD_REGION_ID", env.ALICLOUD_REGION_ID],
  ]);

  const configKey = nonEmpty(get("alicloud:accessKey"));
  const configSecret = nonEmpty(get("alicloud:secretKey"));
  const envPairs: [string, string | undefined, string | undefined, string | undefined][] = [
    [
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
      env.ALIBABA_CLOUD_ACCESS_KEY_ID,
      env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
      env.ALIBABA_CLOUD_SECURITY_TOKEN,
    ],
    ["ALICLOUD_ACCESS_KEY", env.ALICLOUD_ACCESS_KEY, env.ALICLOUD_SECRET_KEY, env.ALICLOUD_SECURITY_TOKEN],
  ];
  let credentials: CredentialSource | undefined;
  if (configKey && configSecret) {
    credentials = {
      kind: "static",
      accessKeyId: configKey,
      accessKeySecret: configSecret,
      securityToken: nonEmpty(get("alicloud:securityToken")),
    };
    sources.credentials = "alicloud:accessKey/alicloud:secretKey";
  } else {
    const profile = firstOf(sources, "profile", [
      ["alicloud:profile", get("alicloud:profile")],
      ["ALIBABA_CLOUD_PROFILE", env.ALIBABA_CLOUD_PROFILE],
      ["ALICLOUD_PROFILE", env.ALICLOUD_PROFILE],
    ]);
    const fromEnv = profile ? undefined : envPairs.find(([, id, secret]) => nonEmpty(id) && nonEmpty(secret));
    if (fromEnv) {
      credentials = {
        kind: "static",
        accessKeyId: nonEmpty(fromEnv[1])!,
        accessKeySecret: nonEmpty(fromEnv[2])!,
        securityToken: nonEmpty(fromEnv[3]),
      };
      sources.credentials = fromEnv[0];
    } else if (profile) {
      credentials = {
        kind: "chain",
        profile,
        credential: new Credential(
          null,
          CLIProfileCredentialsProvider.builder().withProfileName(profile).build(),
        ),
      };
      sources.credentials = `profile ${profile}`;
    } else {
      // The library's default chain: env, OIDC, CLI profile / credentials file, ECS RAM role.
      credentials = { kind: "chain", credential: new Credential() };
      sources.credentials = "@alicloud/credentials default chain";
    }
  }

  const block = parseEndpointsBlock(nonEmpty(get("alicloud:endpoints")));
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
    credentials,
    endpoints: { ecs: ecs.host, kms: kms.host },
    protocol,
    network,
    describeCallsPerMinute,
    sources,
  };
}

/** The credential values that must never appear in logs, errors or state. @internal */
export function secretValues(cfg: ResolvedConfig): string[] {
  if (cfg.credentials.kind !== "static") return [];
  const { accessKeyId, accessKeySecret, securityToken } = cfg.credentials;
  return [accessKeyId, accessKeySecret, securityToken].filter((v): v is string => !!v && v.length >= 4);
}
