/**
 * Secrets: the access key secret and the STS security token, set both in stack config (as secrets)
 * and in the CLI's environment, appear nowhere a user or a log collector could read them: not in
 * `pulumi stack export`, not in the engine's verbose log (-v=9 --logflow, to stderr), not in the provider's
 * output, not in any error message — including the error of a request signed with a wrong secret.
 */
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import type { Simulator } from "../../simulator";
import {
  EngineStack,
  failure,
  Recording,
  simCopies,
  startEngineSimulator,
  type CopySpec,
  type TestCredentials,
} from "./harness";
import { pulumi } from "./reliabilityHarness";

const copy: CopySpec = {
  resourceName: "secret-check",
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: "cn-shanghai",
  encrypted: true,
  kmsKeyId: "alias/backup", // the KMS client (HMAC-SHA1) signs with the secret too
};

/** Engine options that make the CLI (and, with logFlow, its plugins) log everything to stderr. */
const VERBOSE = { logVerbosity: 9, logFlow: true, logToStdErr: true, debug: true } as const;

describe("GIVEN the access key secret and security token in the CLI environment (and, later, stack config)", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  let stack: EngineStack;
  let secrets: string[];

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
    stack = await EngineStack.create(sim, creds, [copy]);
    // The same credentials in every environment variable the provider (or @alicloud/credentials) reads.
    Object.assign((stack.stack.workspace as LocalWorkspace).envVars, {
      ALIBABA_CLOUD_ACCESS_KEY_ID: creds.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: creds.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: creds.securityToken,
      ALICLOUD_ACCESS_KEY: creds.accessKeyId,
      ALICLOUD_SECRET_KEY: creds.accessKeySecret,
      ALICLOUD_SECURITY_TOKEN: creds.securityToken,
    });
    secrets = [creds.accessKeySecret, creds.securityToken];
  });

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  /** Lines of `text` that hold any of `values`. */
  const leaks = (text: string, values: string[]) =>
    text.split("\n").filter((l) => values.some((v) => l.includes(v)));

  /**
   * The Pulumi engine itself, from -v=7 up, logs the inputs of the default provider, which are the whole stack
   * config with secrets decrypted: "Planner decided to create '...pulumi:providers:pulumi-nodejs::default'
   * (inputs=...)" (v7) and "Marshaling property for RPC[Provider[...].CheckConfig/DiffConfig/Configure ...]" (v9).
   * Measured with CLI v3.248.0; it does not depend on the provider. These are the only lines allowed to hold
   * a secret, and only while the secret is in stack config.
   */
  const ENGINE_PROVIDER_CONFIG_LINE =
    /"msg":"(Marshaling property for RPC\[Provider\[\w+\]\.(CheckConfig|DiffConfig|Configure)\(|Planner decided to (create|update) 'urn:pulumi:[^']*::pulumi:providers:pulumi-nodejs::default')/;

  test("WHEN the credentials are only in the environment THEN even the engine's verbose log holds no secret", async () => {
    const configured = await stack.stack.getAllConfig();
    for (const key of ["alicloud:accessKey", "alicloud:secretKey", "alicloud:securityToken"]) {
      await stack.stack.removeConfig(key);
    }
    const rec = new Recording();

    try {
      const up = await stack.stack.up({
        ...VERBOSE,
        onEvent: rec.onEvent,
        onOutput: rec.onOutput,
        color: "never",
      });

      expect(up.summary.result).toBe("succeeded");
      expect(simCopies(sim, "cn-shanghai")).toHaveLength(1); // CopySnapshot and DescribeKey signed from the env
      // Verbose enough to log the provider's config, the lines that would carry a secret of stack config, so
      // the search means something. (A size floor would not do: CLI v3.276.0 logs half what v3.248.0 does.)
      expect(up.stderr).toMatch(ENGINE_PROVIDER_CONFIG_LINE);
      expect(leaks(`${up.stderr}\n${up.stdout}\n${JSON.stringify(rec.events)}`, secrets)).toEqual([]);
    } finally {
      await stack.stack.setAllConfig(configured); // the next tests need the credentials back in stack config
    }
  });

  test("WHEN they are also in stack config THEN no secret is in the output, the events, the state or any line of ours", async () => {
    await stack.setCopies([{ ...copy, tags: { env: "prod" } }]); // an update: TagResources, signed from config
    // (create's own TagResources, marking its copy recorded, is counted before the update.)
    const tagCallsBefore = sim.admin.count({ action: "TagResources", status: 200 });
    const rec = new Recording();
    const up = await stack.stack.up({
      ...VERBOSE,
      onEvent: rec.onEvent,
      onOutput: rec.onOutput,
      color: "never",
    });
    expect(up.summary.result).toBe("succeeded");
    expect(sim.admin.count({ action: "TagResources", status: 200 }) - tagCallsBefore).toBe(1);
    const exported = await pulumi(stack, ["stack", "export"]);
    expect(exported.code).toBe(0);

    expect(up.stderr).toMatch(/Configure/);
    const places = {
      output: up.stdout + rec.output,
      "engine events (incl. the provider's output)": JSON.stringify(rec.events),
      "stack export": exported.stdout,
    };
    for (const [where, text] of Object.entries(places)) {
      expect({ where, leaks: leaks(text, secrets) }).toEqual({ where, leaks: [] });
    }
    const logLeaks = leaks(up.stderr, secrets);
    expect(logLeaks.filter((l) => !ENGINE_PROVIDER_CONFIG_LINE.test(l))).toEqual([]);
  });

  test("WHEN a request is signed with a wrong secret THEN the error says so without echoing any secret", async () => {
    const wrong = `WrongSecret${creds.accessKeySecret.slice(-8)}x`;
    await stack.stack.setConfig("alicloud:secretKey", { value: wrong, secret: true });
    await stack.setCopies([{ ...copy, tags: { env: "staging" } }]);
    const rec = new Recording();

    const err = await failure(stack.up(rec));

    // The Automation API's error carries the CLI's stdout and stderr in its message.
    const told = `${err.message}\n${rec.output}\n${JSON.stringify(rec.events)}`;
    expect(told).toContain("SignatureDoesNotMatch");
    expect(leaks(told, [wrong, ...secrets])).toEqual([]);
  });
});
