/**
 * The provider object Pulumi stores in state (`__provider`) is the thin shim: serialized with @pulumi/pulumi's
 * own closure serializer exactly as dynamic.Resource does (`serializeFunction(() => provider, { allowSecrets: true })`,
 * @pulumi/pulumi 3.248 dynamic/index.js), it is small and holds no credential, even when credentials are set in
 * the stack config and the environment and the process-wide provider has been configured with them.
 */
import * as pulumi from "@pulumi/pulumi";
import { snapshotCopyProvider } from "../../provider/shim";
import { provider } from "../../provider/lifecycle";

const requireFromString = require("require-from-string") as (code: string) => {
  handler: () => Record<string, unknown>;
};

const SECRETS = {
  configKey: "LTAI5tConfigKeyValue9x",
  configSecret: "ConfigSecretValue-7f3a9c",
  configToken: "ConfigStsToken-c0ffee",
  envKey: "LTAI5tEnvKeyValue4q",
  envSecret: "EnvSecretValue-91bd",
};

const saved = { ...process.env };
afterAll(() => {
  process.env = saved;
});

test("GIVEN credentials in config and env WHEN the shim is serialized THEN the text is under 8 KB and holds no credential", async () => {
  process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = SECRETS.envKey;
  process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SECRETS.envSecret;
  process.env.ALICLOUD_ACCESS_KEY = SECRETS.envKey;
  process.env.ALICLOUD_SECRET_KEY = SECRETS.envSecret;
  const config: Record<string, string> = {
    "alicloud:region": "cn-hangzhou",
    "alicloud:accessKey": SECRETS.configKey,
    "alicloud:secretKey": SECRETS.configSecret,
    "alicloud:securityToken": SECRETS.configToken,
  };
  await provider().configure({ config: { get: (k: string) => config[k] } });

  const serialized = await pulumi.runtime.serializeFunction(() => snapshotCopyProvider, {
    allowSecrets: true,
  });

  expect(serialized.text.length).toBeLessThan(8 * 1024);
  for (const secret of Object.values(SECRETS)) expect(serialized.text).not.toContain(secret);
  // No local module graph: the implementation is loaded by package name at run time.
  expect(serialized.text).toContain('"pulumi-alicloud-snapshot-copy/provider/impl"');
  expect(serialized.text).not.toMatch(/\/work\/|provider\/impl\.ts|outbound|statusWatcher/);
});

test("WHEN the host revives the serialized text THEN handler() gives every provider method", async () => {
  const serialized = await pulumi.runtime.serializeFunction(() => snapshotCopyProvider, {
    allowSecrets: true,
  });

  const revived = requireFromString(serialized.text).handler();

  for (const m of ["configure", "check", "diff", "create", "read", "update", "delete"]) {
    expect(typeof revived[m]).toBe("function");
  }
});
