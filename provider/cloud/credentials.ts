/**
 * The credentials, resolved as `@pulumi/alicloud` 3.x resolves them, built with `@alicloud/credentials`.
 *
 * Source of every rule: terraform-provider-alicloud (which `@pulumi/alicloud` bridges), `alicloud/provider.go`
 * (`providerConfigure`, `getConfigFromProfile`, `assumeRoleSchema`, `assumeRoleWithOidcSchema`,
 * `getAssumeRoleWithOIDCConfig`) and `alicloud/connectivity/config.go` (`RefreshAuthCredential`):
 *
 * 1. Each setting on its own (./settings.ts): config key, then environment variables, then — with `profile` —
 *    the profile's field (`access_key_id`, `access_key_secret`, `sts_token` in StsToken mode, `ram_role_name`
 *    in EcsRamRole mode, `ram_role_arn` / `ram_session_name` / `expired_seconds` in RamRoleArn mode) from
 *    `sharedCredentialsFile` (default `~/.aliyun/config.json`).
 * 2. The base credentials, first that applies: AccessKey + secret (+ STS token); a profile in an advanced mode
 *    (ChainableRamRoleArn, CloudSSO, External, OAuth) through `@alicloud/credentials`' CLI-profile provider;
 *    `credentialsUri`; `ecsRoleName` (the ECS instance's RAM role, from the metadata service);
 *    `assumeRoleWithOidc`. This package adds one fallback where Terraform stops with "no valid credential
 *    sources": `@alicloud/credentials`' default chain (environment, OIDC, CLI profile, ECS RAM role).
 * 3. `assumeRole` (or the profile's RamRoleArn), on top of whichever base: every API call is then signed with
 *    the role's temporary credentials, in the role's account.
 *
 * `@alicloud/credentials` does all STS and metadata calls and refreshes temporary credentials before they expire
 * (15 minutes before, `SessionCredentialProvider`), so a wait of hours outlives any one set of them.
 * @internal
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Credential, {
  CLIProfileCredentialsProvider,
  DefaultCredentialsProvider,
  ECSRAMRoleCredentialsProvider,
  OIDCRoleArnCredentialsProvider,
  RAMRoleARNCredentialsProvider,
  StaticAKCredentialsProvider,
  StaticSTSCredentialsProvider,
  URICredentialsProvider,
  type CredentialsProvider,
} from "@alicloud/credentials";
import { lookup, nonEmpty, SETTINGS, wholeNumber, type ConfigGetter, type Env } from "./settings";

/** How to authenticate: static keys, or an `@alicloud/credentials` Credential (refreshing by itself). @internal */
export type CredentialSource =
  | { kind: "static"; accessKeyId: string; accessKeySecret: string; securityToken?: string }
  | { kind: "chain"; credential: Credential; profile?: string };

/** What the credentials need from the rest of the config. @internal */
export interface CredentialContext {
  region?: string;
  /** STS host[:port] from `alicloud:endpoints` (`sts`). */
  stsEndpoint?: string;
  /** `clientReadTimeout` / `clientConnectTimeout` (ms), passed to the STS / metadata / URI calls too. */
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** The resolved credentials plus the live list of secret values to redact. @internal */
export interface ResolvedCredentials {
  credentials: CredentialSource;
  /** Grows as temporary credentials are issued (see {@link recording}). */
  secrets: string[];
  /** The profile's `region_id`: the region's last fallback (getConfigFromProfile reads it in every mode). */
  profileRegion?: { profile: string; region: string };
}

/** `alicloud:assumeRole`, as `@pulumi/alicloud` stores it (a JSON object; one-element list accepted). */
interface AssumeRole {
  roleArn: string;
  sessionName: string;
  policy?: string;
  sessionExpiration: number;
  externalId?: string;
}

/** `alicloud:assumeRoleWithOidc`. */
interface AssumeRoleWithOidc {
  oidcProviderArn: string;
  oidcTokenFile?: string;
  oidcToken?: string;
  roleArn: string;
  roleSessionName: string;
  policy?: string;
  sessionExpiration?: number;
}

type Profile = Record<string, unknown>;
const ADVANCED_MODES = new Set(["ChainableRamRoleArn", "CloudSSO", "External", "OAuth"]);
/** provider.go: "If omitted, 'terraform' is passed to the AssumeRole call as session name" (OIDC too). */
const DEFAULT_SESSION_NAME = "terraform";
/** At most this many secret values are kept for redaction (about 20 refreshes' worth). */
const MAX_SECRETS = 64;

/** Reads a JSON object setting: an object, or a one-element list (how a Terraform block may be stored). */
function objectSetting(get: ConfigGetter, key: string, shape: string): Record<string, unknown> | undefined {
  const raw = nonEmpty(get(key));
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${key} must be a JSON object like ${shape}; got something else`);
  }
  const obj: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!obj || typeof obj !== "object") throw new Error(`${key} must be a JSON object like ${shape}`);
  return obj as Record<string, unknown>;
}

const text = (v: unknown): string | undefined =>
  typeof v === "string" ? nonEmpty(v) : typeof v === "number" ? String(v) : undefined;
const firstEnv = (env: Env, names: string[]): string | undefined =>
  names.map((n) => nonEmpty(env[n])).find((v) => v !== undefined);

/** provider.go `assumeRoleSchema` and providerConfigure's assume_role block. */
function assumeRoleSetting(
  get: ConfigGetter,
  env: Env,
  profile: Profile | undefined,
): AssumeRole | undefined {
  const key = "alicloud:assumeRole";
  const o = objectSetting(get, key, `{"roleArn": "acs:ram::<account>:role/<name>"}`);
  // The profile's RamRoleArn mode names a role too; the block's fields win (getConfigFromProfile).
  const fromProfile = profile?.mode === "RamRoleArn";
  if (!o && !fromProfile) return undefined;
  // Terraform's provider docs, assume_role.role_arn: "If ARN is set to an empty string, it does not perform role
  // switching."
  if (o?.roleArn === "") return undefined;
  // Nested defaults apply only when the block is present (terraform-plugin-sdk runs a nested DefaultFunc then).
  const roleArn =
    text(o?.roleArn) ??
    (o ? firstEnv(env, ["ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"]) : undefined) ??
    (fromProfile ? text(profile.ram_role_arn) : undefined);
  if (!roleArn) {
    if (!o) return undefined;
    throw new Error(
      `${key}.roleArn is required: the ARN of the RAM role to assume (or set ALIBABA_CLOUD_ROLE_ARN)`,
    );
  }
  const expirationRaw =
    o?.sessionExpiration ??
    firstEnv(env, ["ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"]) ??
    (fromProfile ? text(profile.expired_seconds) : undefined);
  return {
    roleArn,
    sessionName:
      text(o?.sessionName) ??
      (o
        ? firstEnv(env, ["ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME"])
        : undefined) ??
      (fromProfile ? text(profile.ram_session_name) : undefined) ??
      DEFAULT_SESSION_NAME,
    policy: text(o?.policy),
    // assumeRoleSchema: IntBetween(900, 43200); default 3600.
    sessionExpiration:
      expirationRaw === undefined || expirationRaw === 0 || expirationRaw === ""
        ? 3600
        : wholeNumber(expirationRaw as string | number, `${key}.sessionExpiration`, 900, 43200, "seconds"),
    externalId: text(o?.externalId),
  };
}

/** provider.go `assumeRoleWithOidcSchema` / `getAssumeRoleWithOIDCConfig`. */
function oidcSetting(get: ConfigGetter, env: Env): AssumeRoleWithOidc | undefined {
  const key = "alicloud:assumeRoleWithOidc";
  const o = objectSetting(get, key, `{"oidcProviderArn": "...", "roleArn": "...", "oidcTokenFile": "/path"}`);
  if (!o) return undefined;
  const oidcProviderArn = text(o.oidcProviderArn) ?? firstEnv(env, ["ALIBABA_CLOUD_OIDC_PROVIDER_ARN"]);
  const roleArn = text(o.roleArn) ?? firstEnv(env, ["ALIBABA_CLOUD_ROLE_ARN"]);
  const oidcToken = text(o.oidcToken) ?? firstEnv(env, ["ALIBABA_CLOUD_OIDC_TOKEN"]);
  const oidcTokenFile = text(o.oidcTokenFile) ?? firstEnv(env, ["ALIBABA_CLOUD_OIDC_TOKEN_FILE"]);
  if (!oidcProviderArn)
    throw new Error(`${key}.oidcProviderArn is required: the ARN of the OIDC identity provider`);
  if (!roleArn) throw new Error(`${key}.roleArn is required: the ARN of the RAM role to assume`);
  if (!oidcToken && !oidcTokenFile)
    throw new Error(
      `${key}: one of oidcToken and oidcTokenFile must be set (or ALIBABA_CLOUD_OIDC_TOKEN_FILE)`,
    );
  const expiration = o.sessionExpiration;
  return {
    oidcProviderArn,
    roleArn,
    oidcToken,
    oidcTokenFile,
    roleSessionName:
      text(o.roleSessionName) ?? firstEnv(env, ["ALIBABA_CLOUD_ROLE_SESSION_NAME"]) ?? DEFAULT_SESSION_NAME,
    policy: text(o.policy),
    sessionExpiration:
      expiration === undefined || expiration === 0 || expiration === ""
        ? undefined
        : wholeNumber(expiration as string | number, `${key}.sessionExpiration`, 900, 43200, "seconds"),
  };
}

/** The named profile of the CLI config file (getConfigFromProfile); undefined when the file or profile is absent. */
function readProfile(name: string, file: string | undefined): Profile | undefined {
  const path = file
    ? resolve(file.replace(/^~(?=$|\/)/, homedir()))
    : join(homedir(), ".aliyun", "config.json");
  let raw: string;
  try {
    raw = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  let parsed: { profiles?: Profile[] };
  try {
    parsed = JSON.parse(raw) as { profiles?: Profile[] };
  } catch {
    throw new Error(`the profile file ${path} (alicloud:sharedCredentialsFile) is not JSON`);
  }
  return (parsed.profiles ?? []).find((p) => p.name === name);
}

/**
 * Wraps a provider so every credential it hands out is remembered for redaction: temporary credentials from STS
 * or the metadata service must never reach a log, an error or the state either.
 */
function recording(inner: CredentialsProvider, secrets: string[]): CredentialsProvider {
  return {
    getProviderName: () => inner.getProviderName(),
    async getCredentials() {
      const c = await inner.getCredentials();
      for (const v of [c.accessKeyId, c.accessKeySecret, c.securityToken])
        if (v && v.length >= 4 && !secrets.includes(v)) secrets.push(v);
      if (secrets.length > MAX_SECRETS) secrets.splice(0, secrets.length - MAX_SECRETS);
      return c;
    },
  };
}

/** An inline `oidcToken` goes to a private file: `@alicloud/credentials` reads the token from a file only. */
function tokenFile(token: string): string {
  const dir = mkdtempSync(join(tmpdir(), "snapshot-copy-oidc-"));
  const file = join(dir, "token");
  writeFileSync(file, token, { mode: 0o600 });
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return file;
}

/** The credential settings, each resolved on its own (config key, environment, profile field). */
interface CredentialSettings {
  profileName?: string;
  profileFile?: string;
  /** The profile's mode ("AK", "StsToken", "RamRoleArn", "EcsRamRole", "ChainableRamRoleArn", ...). */
  mode?: string;
  profileRegion?: { profile: string; region: string };
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  ecsRoleName?: string;
  credentialsUri?: string;
  assumeRole?: AssumeRole;
  oidc?: AssumeRoleWithOidc;
}

function credentialSettings(
  get: ConfigGetter,
  env: Env,
  sources: Record<string, string>,
): CredentialSettings {
  const profileName = lookup(get, env, sources, "profile", SETTINGS.profile);
  const profileFile = lookup(get, env, sources, "sharedCredentialsFile", SETTINGS.sharedCredentialsFile);
  const profile = profileName ? readProfile(profileName, profileFile) : undefined;
  const mode = typeof profile?.mode === "string" ? profile.mode : undefined;
  const regionId = text(profile?.region_id);
  // getConfigFromProfile: which fields a basic mode supplies (advanced modes supply none: their provider reads them).
  const look = (field: keyof typeof SETTINGS, profileField: string, when: boolean): string | undefined =>
    lookup(get, env, sources, field, SETTINGS[field], [
      `profile ${profileName}`,
      when && mode && !ADVANCED_MODES.has(mode) ? text(profile?.[profileField]) : undefined,
    ]);
  return {
    profileName,
    profileFile,
    mode,
    profileRegion: profileName && regionId ? { profile: profileName, region: regionId } : undefined,
    accessKeyId: look("accessKey", "access_key_id", mode !== "EcsRamRole"),
    accessKeySecret: look("secretKey", "access_key_secret", mode !== "EcsRamRole"),
    securityToken: look("securityToken", "sts_token", mode === "StsToken"),
    ecsRoleName: look("ecsRoleName", "ram_role_name", mode === "EcsRamRole"),
    credentialsUri: lookup(get, env, sources, "credentialsUri", SETTINGS.credentialsUri),
    assumeRole: assumeRoleSetting(get, env, profile),
    oidc: oidcSetting(get, env),
  };
}

/**
 * The base credentials: the first source that applies (RefreshAuthCredential's order), as a provider and a
 * description for the debug line. Undefined provider: the library's default chain.
 */
function baseCredentials(
  s: CredentialSettings,
  sources: Record<string, string>,
  http: { read: number; connect: number; stsEndpoint?: string },
): { provider?: CredentialsProvider; described: string } {
  const { accessKeyId, accessKeySecret, securityToken, profileName, mode, oidc } = s;
  if (accessKeyId && accessKeySecret) {
    const described = `${sources.accessKey}/${sources.secretKey}${securityToken ? `/${sources.securityToken}` : ""}`;
    const provider = securityToken
      ? StaticSTSCredentialsProvider.builder()
          .withAccessKeyId(accessKeyId)
          .withAccessKeySecret(accessKeySecret)
          .withSecurityToken(securityToken)
          .build()
      : StaticAKCredentialsProvider.builder()
          .withAccessKeyId(accessKeyId)
          .withAccessKeySecret(accessKeySecret)
          .build();
    return { provider, described };
  }
  if (profileName && mode && ADVANCED_MODES.has(mode)) {
    if (s.profileFile)
      throw new Error(
        `profile ${profileName} is in ${mode} mode, which only @alicloud/credentials' CLI-profile provider reads, and it reads ~/.aliyun/config.json only: unset alicloud:sharedCredentialsFile or move the profile there`,
      );
    return {
      provider: CLIProfileCredentialsProvider.builder().withProfileName(profileName).build(),
      described: `profile ${profileName} (${mode})`,
    };
  }
  if (s.credentialsUri) {
    const provider = URICredentialsProvider.builder()
      .withCredentialsURI(s.credentialsUri)
      .withReadTimeout(http.read)
      .withConnectTimeout(http.connect)
      .build();
    return { provider, described: sources.credentialsUri };
  }
  if (s.ecsRoleName) {
    const provider = ECSRAMRoleCredentialsProvider.builder()
      .withRoleName(s.ecsRoleName)
      .withReadTimeout(http.read)
      .withConnectTimeout(http.connect)
      .build();
    return { provider, described: `ECS RAM role (${sources.ecsRoleName})` };
  }
  if (oidc) {
    const b = OIDCRoleArnCredentialsProvider.builder()
      .withOIDCProviderArn(oidc.oidcProviderArn)
      // getAssumeRoleWithOIDCConfig: an inline token wins over the file.
      .withOIDCTokenFilePath(oidc.oidcToken ? tokenFile(oidc.oidcToken) : (oidc.oidcTokenFile as string))
      .withRoleArn(oidc.roleArn)
      .withRoleSessionName(oidc.roleSessionName)
      .withReadTimeout(http.read)
      .withConnectTimeout(http.connect);
    if (oidc.policy) b.withPolicy(oidc.policy);
    if (oidc.sessionExpiration) b.withDurationSeconds(oidc.sessionExpiration);
    if (http.stsEndpoint) b.withStsEndpoint(http.stsEndpoint);
    return { provider: b.build(), described: "alicloud:assumeRoleWithOidc" };
  }
  if (profileName) {
    // A profile that gave no usable field here (or a missing file): the library reads it itself, as before.
    return {
      provider: CLIProfileCredentialsProvider.builder().withProfileName(profileName).build(),
      described: `profile ${profileName}`,
    };
  }
  return { described: "@alicloud/credentials default chain" };
}

/** Resolves the credential settings and builds the source. Reads the profile file; calls nothing. @internal */
export function resolveCredentials(
  get: ConfigGetter,
  env: Env,
  ctx: CredentialContext,
  sources: Record<string, string>,
): ResolvedCredentials {
  const s = credentialSettings(get, env, sources);
  // providerConfigure: endpoints.sts, else the regional STS endpoint (connectivity.LoadRegionalEndpoint).
  const region = ctx.region ?? s.profileRegion?.region;
  const http = {
    // 0: the library's own default (its providers read `timeout || default`).
    read: ctx.readTimeoutMs ?? 0,
    connect: ctx.connectTimeoutMs ?? 0,
    stsEndpoint: ctx.stsEndpoint ?? (region ? `sts.${region}.aliyuncs.com` : undefined),
  };
  const secrets: string[] = [];
  const base = baseCredentials(s, sources, http);
  const { accessKeyId, accessKeySecret, securityToken, assumeRole } = s;
  if (accessKeyId && accessKeySecret && !assumeRole) {
    // Plain keys: handed to the clients as they are (nothing to refresh).
    sources.credentials = base.described;
    secrets.push(
      ...[accessKeyId, accessKeySecret, securityToken].filter((v): v is string => !!v && v.length >= 4),
    );
    return {
      credentials: { kind: "static", accessKeyId, accessKeySecret, securityToken },
      secrets,
      profileRegion: s.profileRegion,
    };
  }
  // The library's default chain is a provider too, so a role can sit on top of it as well.
  let provider: CredentialsProvider = base.provider ?? DefaultCredentialsProvider.builder().build();
  let described = base.described;
  if (assumeRole) {
    const b = RAMRoleARNCredentialsProvider.builder()
      .withCredentialsProvider(provider)
      .withRoleArn(assumeRole.roleArn)
      .withRoleSessionName(assumeRole.sessionName)
      .withDurationSeconds(assumeRole.sessionExpiration)
      .withReadTimeout(http.read)
      .withConnectTimeout(http.connect);
    if (assumeRole.policy) b.withPolicy(assumeRole.policy);
    if (assumeRole.externalId) b.withExternalId(assumeRole.externalId);
    if (http.stsEndpoint) b.withStsEndpoint(http.stsEndpoint);
    provider = b.build();
    described = `role ${assumeRole.roleArn} assumed with ${described}`;
  }
  sources.credentials = described;
  return {
    credentials: {
      kind: "chain",
      credential: new Credential(null, recording(provider, secrets)),
      profile: s.profileName,
    },
    secrets,
    profileRegion: s.profileRegion,
  };
}
