/**
 * configure(): every @pulumi/alicloud setting this package reads, each resolved on its own (stack config key,
 * then its environment variables in @pulumi/alicloud's order, then the profile file), and the order in which
 * the credential sources apply. Pure resolution: providers are built, never called (tests/provider/
 * credentials.test.ts calls them, against the simulator).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveConfig, secretValues, type ResolvedConfig } from "../../provider/cloud/config";
import { SETTINGS } from "../../provider/cloud/settings";
import { normaliseError } from "../../provider/cloud/apiError";

const get = (c: Record<string, string>) => (k: string) => c[k];
const ROLE = "acs:ram::2222222222222222:role/backup";

/** A CLI config file (~/.aliyun/config.json format) holding `profiles`; returns its path. */
function profileFile(...profiles: Record<string, unknown>[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "cfg-test-")), "config.json");
  writeFileSync(file, JSON.stringify({ current: "default", profiles }));
  return file;
}

describe("each setting resolves on its own: config key, then its environment variables in order", () => {
  // A valid value per setting (timeouts are numbers, secureTransport a boolean).
  const sample = (name: string, i: number): string =>
    /Timeout/.test(name)
      ? String(1000 + i)
      : /Transport/.test(name)
        ? i % 2
          ? "true"
          : "false"
        : `${name}-${i}`;
  /** The field `sources` records the setting under (the legacy spelling counts as secureTransport). */
  const field = (name: string) => (name === "securityTransport" ? "secureTransport" : name);
  const table = Object.entries(SETTINGS).map(([name, s]) => [name, s.key, s.env] as const);

  test.each(table)("%s: %s wins over every environment variable", (name, key, env) => {
    const cfg = resolveConfig(
      get({ [key]: sample(name, 0) }),
      Object.fromEntries(env.map((v, i) => [v, sample(name, i + 1)])),
    );
    expect(cfg.sources[field(name)]).toBe(key);
  });

  test.each(table)("%s: without the key, the first of %s … that is set wins", (name, _key, env) => {
    for (let i = 0; i < env.length; i++) {
      const set = env.slice(i);
      const cfg = resolveConfig(get({}), Object.fromEntries(set.map((v, j) => [v, sample(name, j + 1)])));
      expect(cfg.sources[field(name)]).toBe(env[i]);
    }
  });

  test("GIVEN the AccessKey in stack config and the STS token in ALICLOUD_SECURITY_TOKEN THEN they combine", () => {
    const cfg = resolveConfig(get({ "alicloud:accessKey": "STS.id", "alicloud:secretKey": "secret" }), {
      ALICLOUD_SECURITY_TOKEN: "CAIStoken",
      ALICLOUD_ACCESS_KEY: "other-id",
    });

    expect(cfg.credentials).toEqual({
      kind: "static",
      accessKeyId: "STS.id",
      accessKeySecret: "secret",
      securityToken: "CAIStoken",
    });
    expect(cfg.sources.credentials).toBe("alicloud:accessKey/alicloud:secretKey/ALICLOUD_SECURITY_TOKEN");
    expect(secretValues(cfg)).toEqual(["STS.id", "secret", "CAIStoken"]);
  });

  test("GIVEN client settings THEN timeouts, User-Agent, SourceIp and SecureTransport are resolved", () => {
    const cfg = resolveConfig(
      get({
        "alicloud:clientReadTimeout": "45000",
        "alicloud:clientConnectTimeout": "5000",
        "alicloud:maxRetryTimeout": "120",
        "alicloud:configurationSource": "team/backups",
        "alicloud:sourceIp": "192.0.2.10",
        "alicloud:securityTransport": "true",
      }),
      { TF_APPEND_USER_AGENT: "ci/42 team/backups" },
    );

    expect(cfg.client).toEqual({
      readTimeoutMs: 45000,
      connectTimeoutMs: 5000,
      maxRetryTimeoutMs: 120_000,
      userAgent: "team/backups ci/42",
      sourceIp: "192.0.2.10",
      secureTransport: "true",
    });
  });
});

describe("the credential sources, in @pulumi/alicloud's order", () => {
  const cases: [string, Record<string, string>, Record<string, string>, string][] = [
    [
      "AccessKey beats credentialsUri, ecsRoleName and OIDC",
      {
        "alicloud:accessKey": "id",
        "alicloud:secretKey": "secret",
        "alicloud:credentialsUri": "http://127.0.0.1:1/creds",
        "alicloud:ecsRoleName": "role",
      },
      {},
      "alicloud:accessKey/alicloud:secretKey",
    ],
    [
      "credentialsUri beats ecsRoleName",
      { "alicloud:credentialsUri": "http://127.0.0.1:1/creds", "alicloud:ecsRoleName": "role" },
      {},
      "alicloud:credentialsUri",
    ],
    [
      "ecsRoleName beats assumeRoleWithOidc",
      {
        "alicloud:ecsRoleName": "role",
        "alicloud:assumeRoleWithOidc": JSON.stringify({
          oidcProviderArn: "p",
          roleArn: ROLE,
          oidcTokenFile: "/t",
        }),
      },
      {},
      "ECS RAM role (alicloud:ecsRoleName)",
    ],
    [
      "ecsRoleName from ALIBABA_CLOUD_ECS_METADATA",
      {},
      { ALIBABA_CLOUD_ECS_METADATA: "role" },
      "ECS RAM role (ALIBABA_CLOUD_ECS_METADATA)",
    ],
    [
      "assumeRoleWithOidc, its fields from the environment",
      { "alicloud:assumeRoleWithOidc": "{}" },
      {
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "p",
        ALIBABA_CLOUD_ROLE_ARN: ROLE,
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: "/t",
      },
      "alicloud:assumeRoleWithOidc",
    ],
    [
      "assumeRole on top of the AccessKey",
      {
        "alicloud:accessKey": "id",
        "alicloud:secretKey": "secret",
        "alicloud:assumeRole": JSON.stringify({ roleArn: ROLE }),
      },
      {},
      `role ${ROLE} assumed with alicloud:accessKey/alicloud:secretKey`,
    ],
    [
      "assumeRole (a one-element list, its roleArn from ALIBABA_CLOUD_ROLE_ARN) on top of the ECS RAM role",
      { "alicloud:assumeRole": "[{}]", "alicloud:ecsRoleName": "role" },
      { ALIBABA_CLOUD_ROLE_ARN: ROLE },
      `role ${ROLE} assumed with ECS RAM role (alicloud:ecsRoleName)`,
    ],
    [
      "assumeRole on top of the library's default chain",
      { "alicloud:assumeRole": JSON.stringify({ roleArn: ROLE }) },
      {},
      `role ${ROLE} assumed with @alicloud/credentials default chain`,
    ],
    [
      "assumeRole with roleArn set to an empty string: no role switching",
      {
        "alicloud:accessKey": "id",
        "alicloud:secretKey": "secret",
        "alicloud:assumeRole": '{"roleArn": ""}',
      },
      { ALIBABA_CLOUD_ROLE_ARN: ROLE },
      "alicloud:accessKey/alicloud:secretKey",
    ],
    ["nothing: the library's default chain", {}, {}, "@alicloud/credentials default chain"],
  ];

  test.each(cases)("%s", (_what, config, env, described) => {
    const cfg = resolveConfig(get(config), env);

    expect(cfg.sources.credentials).toBe(described);
    expect(cfg.credentials.kind).toBe(described.startsWith("alicloud:accessKey") ? "static" : "chain");
  });

  test("an assumeRole without a roleArn anywhere, or with a bad sessionExpiration, fails naming the field", () => {
    expect(() => resolveConfig(get({ "alicloud:assumeRole": "{}" }), {})).toThrow(
      /alicloud:assumeRole.roleArn is required/,
    );
    expect(() =>
      resolveConfig(
        get({ "alicloud:assumeRole": JSON.stringify({ roleArn: ROLE, sessionExpiration: 600 }) }),
        {},
      ),
    ).toThrow(/alicloud:assumeRole.sessionExpiration must be a whole number of seconds from 900 to 43200/);
    expect(() => resolveConfig(get({ "alicloud:assumeRole": "role=x" }), {})).toThrow(
      /alicloud:assumeRole must be a JSON object/,
    );
  });

  test("an assumeRoleWithOidc without a token fails naming both ways to give one", () => {
    expect(() =>
      resolveConfig(
        get({ "alicloud:assumeRoleWithOidc": JSON.stringify({ oidcProviderArn: "p", roleArn: ROLE }) }),
        {},
      ),
    ).toThrow(/one of oidcToken and oidcTokenFile must be set/);
  });
});

describe("the profile file (alicloud:profile, alicloud:sharedCredentialsFile)", () => {
  const resolveWith = (
    profile: Record<string, unknown>,
    config: Record<string, string> = {},
  ): ResolvedConfig =>
    resolveConfig(
      get({
        "alicloud:profile": "p",
        "alicloud:sharedCredentialsFile": profileFile({ name: "other" }, { name: "p", ...profile }),
        ...config,
      }),
      {},
    );

  test("AK mode: keys and region come from the profile, each only where config and environment say nothing", () => {
    const cfg = resolveWith(
      { mode: "AK", access_key_id: "pid", access_key_secret: "psecret", region_id: "cn-beijing" },
      { "alicloud:secretKey": "cfg-secret" },
    );

    expect(cfg.credentials).toMatchObject({
      kind: "static",
      accessKeyId: "pid",
      accessKeySecret: "cfg-secret",
    });
    expect(cfg.region).toBe("cn-beijing");
    expect(cfg.sources).toMatchObject({
      accessKey: "profile p",
      secretKey: "alicloud:secretKey",
      region: "profile p",
    });
  });

  test("StsToken mode: the token comes along", () => {
    const cfg = resolveWith({
      mode: "StsToken",
      access_key_id: "STS.x",
      access_key_secret: "s",
      sts_token: "t",
    });

    expect(cfg.credentials).toMatchObject({ kind: "static", securityToken: "t" });
  });

  test("RamRoleArn mode: the profile's role is assumed with the profile's keys", () => {
    const cfg = resolveWith({
      mode: "RamRoleArn",
      access_key_id: "a",
      access_key_secret: "s",
      ram_role_arn: ROLE,
    });

    expect(cfg.sources.credentials).toBe(`role ${ROLE} assumed with profile p/profile p`);
  });

  test("EcsRamRole mode: the instance's role, and no keys", () => {
    const cfg = resolveWith({ mode: "EcsRamRole", access_key_id: "ignored", ram_role_name: "r" });

    expect(cfg.sources.credentials).toBe("ECS RAM role (profile p)");
  });

  test("an advanced mode in a custom file fails: the library reads ~/.aliyun/config.json only", () => {
    expect(() => resolveWith({ mode: "CloudSSO" })).toThrow(
      /CloudSSO mode.*unset alicloud:sharedCredentialsFile/,
    );
  });
});

describe("endpoints, protocol and budget", () => {
  test("GIVEN keys in config and env THEN config wins, and the simulator endpoint sets host and protocol", () => {
    const cfg = resolveConfig(
      get({
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": "cfg-id",
        "alicloud:secretKey": "cfg-secret",
        "snapshotCopy:ecsEndpoint": "http://127.0.0.1:8787",
        "snapshotCopy:kmsEndpoint": "http://127.0.0.1:8787/",
      }),
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: "env-id",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "env-secret",
        ALICLOUD_REGION: "us-west-1",
      },
    );

    expect(cfg).toMatchObject({
      region: "cn-hangzhou",
      credentials: { kind: "static", accessKeyId: "cfg-id", accessKeySecret: "cfg-secret" },
      endpoints: { ecs: "127.0.0.1:8787", kms: "127.0.0.1:8787" },
      protocol: "http",
      describeCallsPerMinute: 100,
    });
    expect(secretValues(cfg)).toEqual(["cfg-id", "cfg-secret"]);
  });

  test("GIVEN alicloud:endpoints as @pulumi/alicloud stores it and alicloud:protocol THEN they are honoured", () => {
    const cfg = resolveConfig(
      get({
        "alicloud:endpoints":
          '[{"ecs":"ecs-vpc.example.internal","kms":"kms-vpc.example.internal","sts":"https://sts-vpc.example.internal"}]',
        "alicloud:protocol": "HTTP",
      }),
      {},
    );

    expect(cfg.endpoints).toEqual({
      ecs: "ecs-vpc.example.internal",
      kms: "kms-vpc.example.internal",
      sts: "sts-vpc.example.internal",
    });
    expect(cfg.protocol).toBe("http");
  });

  test.each([
    [{ "snapshotCopy:protocol": "ftp" }, /snapshotCopy:protocol must be "http" or "https"/],
    [{ "alicloud:endpoints": "ecs=x" }, /alicloud:endpoints must be JSON/],
    [{ "alicloud:endpoints": '[{"sts":"http://127.0.0.1:1"}]' }, /sts must be reachable over HTTPS/],
    [{ "snapshotCopy:describeCallsPerMinute": "0" }, /must be a positive number/],
    [
      { "alicloud:clientReadTimeout": "soon" },
      /alicloud:clientReadTimeout must be a whole number of milliseconds/,
    ],
    [{ "alicloud:maxRetryTimeout": "-1" }, /alicloud:maxRetryTimeout must be a whole number of seconds/],
    [{ "alicloud:secureTransport": "yes" }, /alicloud:secureTransport must be "true" or "false"/],
  ])("GIVEN bad config %o THEN configure fails saying which key", (c, message) => {
    expect(() => resolveConfig(get(c), {})).toThrow(message);
  });
});

describe("normaliseError", () => {
  test("GIVEN a KMS rpc-client error (Code+'Error', status only in the message) THEN code, status and RequestId are recovered", () => {
    const e = Object.assign(
      new Error("Forbidden.KeyNotFoundError: code: 404, The key does not exist requestid: R-1"),
      {
        code: "Forbidden.KeyNotFoundError",
        data: { Code: "Forbidden.KeyNotFound", Message: "The key does not exist", RequestId: "R-1" },
      },
    );

    const n = normaliseError(e, "DescribeKey", "eu-central-1");

    expect(n).toMatchObject({
      code: "Forbidden.KeyNotFound",
      httpStatus: 404,
      requestId: "R-1",
      retryable: false,
    });
    expect(n.message).toBe(
      "DescribeKey in eu-central-1 failed: Forbidden.KeyNotFound: The key does not exist (RequestId: R-1), HTTP 404",
    );
  });

  test("GIVEN a connection failure whose message holds a signed URL THEN it is retryable and the query is redacted", () => {
    const e = Object.assign(
      new Error("ReadTimeout(30000). POST http://h/?AccessKeyId=LTAIxyz&SecurityToken=tok"),
      {
        name: "RequestTimeoutError",
      },
    );

    const n = normaliseError(e, "DescribeSnapshots", "eu-central-1", ["LTAIxyz"]);

    expect(n).toMatchObject({ code: "RequestTimeoutError", retryable: true });
    expect(n.message).not.toMatch(/LTAIxyz|tok/);
  });
});
