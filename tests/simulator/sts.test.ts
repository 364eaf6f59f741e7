import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  OIDCRoleArnCredentialsProvider,
  RAMRoleARNCredentialsProvider,
  StaticAKCredentialsProvider,
} from "@alicloud/credentials";
import * as $Ecs from "@alicloud/ecs20140526";
import * as $Kms from "@alicloud/kms20160120";
import RPCClient from "@alicloud/pop-core";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_OIDC_PROVIDER_ARN,
  DEFAULT_OIDC_TOKEN,
  DEFAULT_ROLE_ARN,
} from "../../simulator";
import { ecsClient, expectApiError, kmsClient, type Creds } from "../helpers/sdk";
import { trustSimulatorCertificate } from "../helpers/trustSimulator";
import { useSimulator } from "./fixture";

// STS 2015-04-01 in the simulator, through real clients: @alicloud/credentials (the library the provider uses,
// which calls STS over HTTPS only: hence sim.stsHost() and the trusted test certificate) for the successes, and
// @alicloud/pop-core (which reports the HTTP status) for the error table.

const t = useSimulator();
trustSimulatorCertificate();

const baseKey = () =>
  StaticAKCredentialsProvider.builder()
    .withAccessKeyId(DEFAULT_ACCESS_KEY_ID)
    .withAccessKeySecret(DEFAULT_ACCESS_KEY_SECRET)
    .build();

async function assumeRole(): Promise<Creds> {
  const provider = RAMRoleARNCredentialsProvider.builder()
    .withCredentialsProvider(baseKey())
    .withRoleArn(DEFAULT_ROLE_ARN)
    .withRoleSessionName("sts-test")
    .withStsEndpoint(await t.sim.stsHost())
    .build();
  const c = await provider.getCredentials();
  return { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken };
}

const stsPop = (creds?: Creds) =>
  new RPCClient({
    accessKeyId: creds?.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: creds?.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
    securityToken: creds?.securityToken,
    endpoint: t.sim.endpoint,
    apiVersion: "2015-04-01",
  });
const describeRegions = (c: Creds) =>
  ecsClient(t.sim, "cn-hangzhou", c).describeRegions(new $Ecs.DescribeRegionsRequest({}));

describe("GIVEN the default AccessKey and the seeded role of account 2222222222222222", () => {
  it("WHEN @alicloud/credentials assumes the role THEN ECS and KMS accept the temporary credentials, as the role's account", async () => {
    const creds = await assumeRole();
    expect(creds.accessKeyId).toMatch(/^STS\./);
    expect(creds.securityToken).toMatch(/^CAIS/);
    await expect(describeRegions(creds)).resolves.toBeDefined();
    await expect(
      kmsClient(t.sim, "eu-central-1", creds).listKeys(new $Kms.ListKeysRequest({})),
    ).resolves.toBeDefined();
    expect(t.sim.admin.callers()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: "AssumeRole",
          accessKeyId: DEFAULT_ACCESS_KEY_ID,
          temporary: false,
        }),
        expect.objectContaining({
          action: "DescribeRegions",
          accessKeyId: creds.accessKeyId,
          accountId: "2222222222222222",
          temporary: true,
        }),
      ]),
    );
    expect(t.sim.admin.stsSessions()).toEqual([
      expect.objectContaining({
        action: "AssumeRole",
        roleArn: DEFAULT_ROLE_ARN,
        roleSessionName: "sts-test",
        durationSeconds: 3600,
        callerAccessKeyId: DEFAULT_ACCESS_KEY_ID,
      }),
    ]);
  });

  it("WHEN the temporary credentials are used without their token THEN ECS answers InvalidSecurityToken.MismatchWithAccessKey (400)", async () => {
    const creds = await assumeRole();
    expect(await expectApiError(describeRegions({ ...creds, securityToken: undefined }))).toMatchObject({
      code: "InvalidSecurityToken.MismatchWithAccessKey",
      status: 400,
    });
  });

  it("WHEN the credential lifetime knob is 1 s and 1.2 s pass THEN ECS and KMS answer InvalidSecurityToken.Expired (400)", async () => {
    t.sim.admin.setStsCredentialLifetime(1000);
    const issued = Date.now();
    const creds = await assumeRole();
    const session = t.sim.admin.stsSessions()[0];
    expect(session.expiresAt - issued).toBeGreaterThanOrEqual(900);
    expect(session.expiresAt - issued).toBeLessThan(1500);
    await expect(describeRegions(creds)).resolves.toBeDefined();
    await new Promise((r) => setTimeout(r, Math.max(0, session.expiresAt - Date.now()) + 200));
    expect(await expectApiError(describeRegions(creds))).toMatchObject({
      code: "InvalidSecurityToken.Expired",
      status: 400,
    });
    expect(
      await expectApiError(kmsClient(t.sim, "eu-central-1", creds).listKeys(new $Kms.ListKeysRequest({}))),
    ).toMatchObject({ code: "InvalidSecurityToken.Expired", status: 400 });
  });
});

describe("GIVEN the seeded OIDC provider and a token file", () => {
  it("WHEN @alicloud/credentials assumes the role with OIDC (unsigned) THEN ECS accepts the credentials", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sim-oidc-"));
    writeFileSync(join(dir, "token"), DEFAULT_OIDC_TOKEN);
    const provider = OIDCRoleArnCredentialsProvider.builder()
      .withOIDCProviderArn(DEFAULT_OIDC_PROVIDER_ARN)
      .withOIDCTokenFilePath(join(dir, "token"))
      .withRoleArn(DEFAULT_ROLE_ARN)
      .withRoleSessionName("oidc-test")
      .withStsEndpoint(await t.sim.stsHost())
      .build();
    const c = await provider.getCredentials();
    await expect(
      describeRegions({
        accessKeyId: c.accessKeyId,
        accessKeySecret: c.accessKeySecret,
        securityToken: c.securityToken,
      }),
    ).resolves.toBeDefined();
    expect(t.sim.admin.stsSessions()).toEqual([
      expect.objectContaining({ action: "AssumeRoleWithOIDC", oidcProviderArn: DEFAULT_OIDC_PROVIDER_ARN }),
    ]);
  });
});

describe("STS errors, as the STS error-code page gives them (pop-core, HMAC-SHA1)", () => {
  const role = { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: "errors-test" };
  const oidc = { ...role, OIDCProviderArn: DEFAULT_OIDC_PROVIDER_ARN, OIDCToken: DEFAULT_OIDC_TOKEN };
  it.each([
    ["AssumeRole", { ...role, RoleArn: "acs:ram::2222222222222222:role/none" }, "EntityNotExist.Role", 404],
    ["AssumeRole", { ...role, RoleSessionName: "a" }, "InvalidParameter.RoleSessionName", 400],
    ["AssumeRole", { ...role, RoleSessionName: "has space" }, "InvalidParameter.RoleSessionName", 400],
    ["AssumeRole", { ...role, DurationSeconds: "899" }, "InvalidParameter.DurationSeconds", 400],
    ["AssumeRole", { ...role, DurationSeconds: "3601" }, "InvalidParameter.DurationSeconds", 400],
    ["AssumeRole", { ...role, Policy: "{not json" }, "InvalidParameter.PolicyGrammar", 400],
    ["AssumeRole", { RoleArn: DEFAULT_ROLE_ARN }, "MissingParameter", 400],
    [
      "AssumeRoleWithOIDC",
      { ...oidc, OIDCToken: "forged-token" },
      "AuthenticationFail.OIDCToken.Invalid",
      401,
    ],
    [
      "AssumeRoleWithOIDC",
      { ...oidc, OIDCProviderArn: "acs:ram::2222222222222222:oidc-provider/none" },
      "AuthenticationFail.NoPermission",
      401,
    ],
  ] as const)("%s with %j answers %s (%d)", async (action, params, code, status) => {
    expect(await expectApiError(stsPop().request(action, params, { method: "POST" }))).toMatchObject({
      code,
      status,
    });
  });

  it("WHEN the role's MaxSessionDuration is 43200 THEN DurationSeconds 43200 is accepted", async () => {
    t.sim.admin.seed({
      roles: [{ roleArn: "acs:ram::2222222222222222:role/long", maxSessionDuration: 43200 }],
    });
    const out = (await stsPop().request(
      "AssumeRole",
      { RoleArn: "acs:ram::2222222222222222:role/long", RoleSessionName: "long", DurationSeconds: "43200" },
      { method: "POST" },
    )) as { Credentials: { Expiration: string } };
    const hours = (Date.parse(out.Credentials.Expiration) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
  });
});
