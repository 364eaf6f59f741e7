/**
 * Every `@pulumi/alicloud` provider setting this package reads, each resolved on its own: the stack config key,
 * else its environment variables in the order `@pulumi/alicloud` reads them. That order is the `DefaultFunc`
 * of each field of terraform-provider-alicloud's provider schema (`alicloud/provider.go`, `Provider()`), which
 * `@pulumi/alicloud` 3.x bridges: `schema.MultiEnvDefaultFunc` takes the first variable that is set.
 *
 * Settings are independent: keys in the stack config and the STS token in `ALICLOUD_SECURITY_TOKEN` combine,
 * exactly as in `@pulumi/alicloud` (each field has its own default).
 * @internal
 */

/** Reads one config key; returns undefined when unset. */
export type ConfigGetter = (key: string) => string | undefined;

/** A setting: the stack config key and the environment variables that stand in for it, first wins. */
export interface Setting {
  key: string;
  env: readonly string[];
}

/** The scalar settings (objects such as `alicloud:assumeRole` are parsed in ./credentials.ts). */
export const SETTINGS = {
  // ALIBABA_CLOUD_REGION_ID (@alicloud/credentials' and the CLI's name) and ALICLOUD_REGION_ID come after
  // provider.go's two: this package read them before, so stacks that set only them keep working.
  region: {
    key: "alicloud:region",
    env: ["ALICLOUD_REGION", "ALIBABA_CLOUD_REGION", "ALIBABA_CLOUD_REGION_ID", "ALICLOUD_REGION_ID"],
  },
  accessKey: {
    key: "alicloud:accessKey",
    env: ["ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID"],
  },
  secretKey: {
    key: "alicloud:secretKey",
    env: ["ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_ACCESS_KEY_SECRET"],
  },
  securityToken: {
    key: "alicloud:securityToken",
    env: ["ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN"],
  },
  ecsRoleName: { key: "alicloud:ecsRoleName", env: ["ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"] },
  profile: { key: "alicloud:profile", env: ["ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"] },
  sharedCredentialsFile: {
    key: "alicloud:sharedCredentialsFile",
    env: ["ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE"],
  },
  credentialsUri: {
    key: "alicloud:credentialsUri",
    env: ["ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"],
  },
  clientReadTimeout: { key: "alicloud:clientReadTimeout", env: ["CLIENT_READ_TIMEOUT"] },
  clientConnectTimeout: { key: "alicloud:clientConnectTimeout", env: ["CLIENT_CONNECT_TIMEOUT"] },
  maxRetryTimeout: { key: "alicloud:maxRetryTimeout", env: ["MAX_RETRY_TIMEOUT"] },
  configurationSource: { key: "alicloud:configurationSource", env: ["TF_APPEND_USER_AGENT"] },
  sourceIp: { key: "alicloud:sourceIp", env: ["ALICLOUD_SOURCE_IP", "ALIBABA_CLOUD_SOURCE_IP"] },
  secureTransport: {
    key: "alicloud:secureTransport",
    env: ["ALICLOUD_SECURE_TRANSPORT", "ALIBABA_CLOUD_SECURE_TRANSPORT"],
  },
  /** The older spelling; used only when `secureTransport` is unset (provider.go, providerConfigure). */
  securityTransport: {
    key: "alicloud:securityTransport",
    env: ["ALICLOUD_SECURITY_TRANSPORT", "ALIBABA_CLOUD_SECURITY_TRANSPORT"],
  },
} as const satisfies Record<string, Setting>;

/** The environment, or the parts of it this package reads. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A trimmed value, or undefined for unset and blank. */
export const nonEmpty = (v: string | undefined): string | undefined =>
  v !== undefined && v.trim() !== "" ? v.trim() : undefined;

/**
 * Looks one setting up: its config key, then its environment variables, then `fallback` (a value from the
 * profile file, say). Records in `sources[field]` where the value came from (a name, never the value).
 */
export function lookup(
  get: ConfigGetter,
  env: Env,
  sources: Record<string, string>,
  field: string,
  setting: Setting,
  fallback?: [string, string | undefined],
): string | undefined {
  const candidates: [string, string | undefined][] = [
    [setting.key, get(setting.key)],
    ...setting.env.map((name): [string, string | undefined] => [name, env[name]]),
    ...(fallback ? [fallback] : []),
  ];
  return firstOf(sources, field, candidates);
}

/** The first non-empty of named candidates; records its name (never its value) in `sources[field]`. */
export function firstOf(
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

/** A whole number within [min, max], or a clear error naming where it came from. */
export function wholeNumber(
  raw: string | number,
  where: string,
  min: number,
  max: number,
  unit: string,
): number {
  const n = typeof raw === "number" ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(
      `${where} must be a whole number of ${unit} from ${min} to ${max}; got ${JSON.stringify(raw)}`,
    );
  return n;
}
