/**
 * The credential settings of @pulumi/alicloud, end to end: the provider configured the way a stack is, the
 * simulator standing in for STS (over HTTPS, its test certificate trusted), and the simulator's record of which
 * AccessKey signed each call, so "the copy was made in the role's account" is checked, not assumed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_OIDC_PROVIDER_ARN,
  DEFAULT_OIDC_TOKEN,
  DEFAULT_ROLE_ARN,
  type Simulator,
} from "../../simulator";
import { redact } from "../../provider/cloud/apiError";
import { secretValues } from "../../provider/cloud/config";
import { trustSimulatorCertificate } from "../helpers/trustSimulator";
import { createError, startHarness, type Harness } from "./harness";

trustSimulatorCertificate();

const plain = {
  sourceSnapshotId: "s-sim0001",
  sourceRegionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  name: "db-backup-eu",
  resourceKey: "proj/dev/db-backup-eu",
};
const encrypted = { ...plain, encrypted: true, kmsKeyId: "alias/backup", resourceKey: "proj/dev/enc" };
const ROLE_ACCOUNT = "2222222222222222";

let h: Harness;
let server: Server | undefined;
afterEach(async () => {
  await h?.close();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

/** Stack config that reaches STS through the simulator's HTTPS listener, as `alicloud:endpoints` does. */
const viaSts = (extra: Record<string, string>) => async (sim: Simulator) => ({
  "alicloud:endpoints": JSON.stringify([{ sts: await sim.stsHost() }]),
  ...extra,
});

/** Which credentials signed `action`: one row per AccessKeyId. */
const signers = (action: string) => h.sim.admin.callers().filter((c) => c.action === action);

describe("GIVEN alicloud:assumeRole over the stack's AccessKey", () => {
  test("WHEN a copy is created THEN CopySnapshot, DescribeSnapshots and DescribeKey are signed with the role's temporary credentials, in the role's account", async () => {
    h = await startHarness({
      config: viaSts({
        "alicloud:assumeRole": JSON.stringify({
          roleArn: DEFAULT_ROLE_ARN,
          policy: '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}',
          externalId: "abcd1234",
          sessionExpiration: 1800,
        }),
      }),
    });
    const { outs } = await h.create(encrypted);

    expect(outs.status).toBe("accomplished");
    for (const action of ["CopySnapshot", "DescribeSnapshots", "DescribeKey"]) {
      expect(signers(action)).not.toHaveLength(0);
      for (const s of signers(action)) expect(s).toMatchObject({ accountId: ROLE_ACCOUNT, temporary: true });
    }
    // Only STS saw the base AccessKey.
    expect(h.sim.admin.callers().filter((c) => c.accessKeyId === DEFAULT_ACCESS_KEY_ID)).toEqual([
      expect.objectContaining({ action: "AssumeRole" }),
    ]);
    // The temporary credentials are redacted like static ones wherever an error could quote them.
    const { cfg } = await h.provider.internals();
    const used = h.sim.admin.callers().find((c) => c.temporary)!.accessKeyId;
    expect(secretValues(cfg)).toContain(used);
    expect(redact(`POST /?AccessKeyId=${used}`, secretValues(cfg))).not.toContain(used);
    expect(h.sim.admin.stsSessions()[0]).toMatchObject({
      action: "AssumeRole",
      roleArn: DEFAULT_ROLE_ARN,
      roleSessionName: "terraform", // @pulumi/alicloud's default session name
      durationSeconds: 1800,
      externalId: "abcd1234",
      callerAccessKeyId: DEFAULT_ACCESS_KEY_ID,
    });
  });

  test("WHEN the role's credentials expire again and again during a long wait THEN they are refreshed, no call is refused, and the copy completes", async () => {
    // @alicloud/credentials refreshes credentials that are within 15 minutes of their Expiration before using
    // them, so with the simulator's lifetime knob at 1 s every call takes a fresh set; every DescribeSnapshots
    // takes 400 ms more (a latency fault), so the sets issued early in the wait are dead long before it ends.
    // A provider that assumed the role once (as Terraform does for an inline OIDC token) fails this test with
    // InvalidSecurityToken.Expired.
    h = await startHarness({
      config: viaSts({ "alicloud:assumeRole": JSON.stringify({ roleArn: DEFAULT_ROLE_ARN }) }),
      deps: { lookPerCopyMs: 60_000 },
    });
    h.sim.admin.setStsCredentialLifetime(1000);
    h.sim.admin.setFaults({
      rules: [{ kind: "latency", action: "DescribeSnapshots", rate: 1, latencyMs: 400 }],
    });
    const started = Date.now();

    const { outs } = await h.create(plain);

    const ended = Date.now();
    expect(outs.status).toBe("accomplished");
    const sessions = h.sim.admin.stsSessions();
    const expiredDuringWait = sessions.filter((s) => s.expiresAt < ended);
    expect(ended - started).toBeGreaterThan(3000);
    expect(expiredDuringWait.length).toBeGreaterThanOrEqual(2);
    expect(h.sim.admin.count({ status: 400 })).toBe(0);
    expect(h.logs.join("\n")).not.toMatch(/InvalidSecurityToken/);
  });
});

describe("GIVEN alicloud:assumeRole naming a role that does not exist", () => {
  test("WHEN a copy is created THEN it fails at once with STS's code and says the credentials failed", async () => {
    h = await startHarness({
      config: viaSts({ "alicloud:assumeRole": JSON.stringify({ roleArn: `${DEFAULT_ROLE_ARN}-gone` }) }),
    });
    const e = await createError(h, plain);

    expect(e.message).toMatch(
      /failed: EntityNotExist\.Role: STS AssumeRole refused the credentials this call needs: The specified Role not exists\..*alicloud:assumeRole/,
    );
    expect(h.sim.admin.count({ action: "CopySnapshot" })).toBe(0);
    expect(h.sim.admin.count({ action: "AssumeRole" })).toBe(1);
    expect(h.logs.join("\n")).not.toMatch(/retry/);
  });
});

describe("GIVEN alicloud:assumeRoleWithOidc with an inline token and no AccessKey", () => {
  test("WHEN a copy is created THEN the role is assumed with the OIDC token and its credentials sign the calls", async () => {
    h = await startHarness({
      config: viaSts({
        "alicloud:accessKey": "",
        "alicloud:secretKey": "",
        "alicloud:assumeRoleWithOidc": JSON.stringify({
          oidcProviderArn: DEFAULT_OIDC_PROVIDER_ARN,
          roleArn: DEFAULT_ROLE_ARN,
          oidcToken: DEFAULT_OIDC_TOKEN,
          roleSessionName: "ci-pipeline",
        }),
      }),
    });
    await h.create(plain);

    expect(signers("CopySnapshot")).toEqual([
      expect.objectContaining({ accountId: ROLE_ACCOUNT, temporary: true }),
    ]);
    expect(h.sim.admin.stsSessions()[0]).toMatchObject({
      action: "AssumeRoleWithOIDC",
      oidcProviderArn: DEFAULT_OIDC_PROVIDER_ARN,
      roleSessionName: "ci-pipeline",
    });
  });
});

describe("GIVEN alicloud:credentialsUri pointing at a local credentials server", () => {
  test("WHEN a copy is created THEN the credentials the URI serves sign the calls", async () => {
    let served = 0;
    h = await startHarness({
      config: async (sim) => {
        // The credentials server hands out temporary credentials it got from (simulated) STS itself.
        server = createServer((_req, res) => {
          served++;
          void issue(sim).then((c) => res.end(JSON.stringify({ Code: "Success", ...c })));
        });
        await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
        return {
          "alicloud:accessKey": "",
          "alicloud:secretKey": "",
          "alicloud:credentialsUri": `http://127.0.0.1:${(server!.address() as AddressInfo).port}/creds`,
        };
      },
    });
    await h.create(plain);

    expect(served).toBeGreaterThanOrEqual(1);
    expect(signers("CopySnapshot")).toEqual([
      expect.objectContaining({ accountId: ROLE_ACCOUNT, temporary: true }),
    ]);
  });
});

describe("GIVEN alicloud:ecsRoleName, on an instance whose metadata service serves that role", () => {
  test("WHEN a copy is created THEN the role's credentials from the metadata service sign the calls", async () => {
    // @alicloud/credentials' ECS RAM role provider calls the metadata service at its fixed address
    // (http://100.100.100.200, providers/ecs_ram_role.js), which no test machine has. Its requests are pointed at
    // a local stand-in speaking the same protocol (IMDSv2 token, then the role's credentials), so the library's own
    // requests and parsing, and our wiring of the setting, are what run.
    const paths: string[] = [];
    const http = (await import("@alicloud/credentials/dist/src/providers/http")) as unknown as {
      doRequest: (req: { host: string }) => Promise<unknown>;
    };
    const original = http.doRequest;
    const redirect = jest.spyOn(http, "doRequest");
    try {
      h = await startHarness({
        config: async (sim) => {
          server = createServer((req, res) => {
            paths.push(`${req.method} ${req.url}`);
            if (req.url === "/latest/api/token") return res.end("metadata-token");
            if (req.headers["x-aliyun-ecs-metadata-token"] !== "metadata-token") {
              res.statusCode = 401;
              return res.end();
            }
            void issue(sim).then((c) => res.end(JSON.stringify({ Code: "Success", ...c })));
          });
          await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
          const local = `127.0.0.1:${(server!.address() as AddressInfo).port}`;
          redirect.mockImplementation((req) => {
            if (req.host === "100.100.100.200") req.host = local;
            return original(req);
          });
          return {
            "alicloud:accessKey": "",
            "alicloud:secretKey": "",
            "alicloud:ecsRoleName": "EcsBackupRole",
          };
        },
      });
      await h.create(plain);
    } finally {
      redirect.mockRestore();
    }

    expect(paths).toEqual(
      expect.arrayContaining([
        "PUT /latest/api/token",
        "GET /latest/meta-data/ram/security-credentials/EcsBackupRole",
      ]),
    );
    expect(signers("CopySnapshot")).toEqual([
      expect.objectContaining({ accountId: ROLE_ACCOUNT, temporary: true }),
    ]);
  });
});

describe("GIVEN the AccessKey in the stack config and its STS token only in ALICLOUD_SECURITY_TOKEN", () => {
  test("WHEN a copy is created THEN the two combine (each setting resolves on its own) and the call is accepted", async () => {
    h = await startHarness({
      config: {
        "alicloud:accessKey": "STS.ConfigKeyWithEnvToken",
        "alicloud:secretKey": "ConfigSecret",
      },
      deps: { env: { ALICLOUD_SECURITY_TOKEN: "CAISTokenFromTheEnvironment" } },
    });
    h.sim.admin.seed({
      accounts: [
        {
          accessKeyId: "STS.ConfigKeyWithEnvToken",
          accessKeySecret: "ConfigSecret",
          securityToken: "CAISTokenFromTheEnvironment",
        },
      ],
    });
    await h.create(plain);

    expect(signers("CopySnapshot")).toEqual([
      expect.objectContaining({ accessKeyId: "STS.ConfigKeyWithEnvToken" }),
    ]);
  });
});

/** Temporary credentials from the simulator's STS, fetched the way a credentials server would. */
async function issue(sim: Simulator): Promise<Record<string, string>> {
  const RPCClient = (await import("@alicloud/pop-core")).default;
  const sts = new RPCClient({
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
    endpoint: sim.endpoint,
    apiVersion: "2015-04-01",
  });
  const out = (await sts.request(
    "AssumeRole",
    { RoleArn: DEFAULT_ROLE_ARN, RoleSessionName: "uri-server" },
    { method: "POST" },
  )) as { Credentials: Record<string, string> };
  return out.Credentials;
}
