/**
 * A stack that reaches its account through `alicloud:assumeRole`, set the way a user of @pulumi/alicloud sets it
 * (`pulumi config set --path alicloud:assumeRole.roleArn …`, an object in the stack config), through the real
 * CLI: the provider process assumes the role at the simulator's STS (HTTPS; the CLI and its plugins are started
 * with NODE_EXTRA_CA_CERTS naming the simulator's test certificate) and every ECS and KMS call is signed with
 * the role's temporary credentials, in the role's account. Nothing of them reaches the state.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { DEFAULT_ROLE_ARN, SIMULATOR_TLS_CERT, type Simulator } from "../../simulator";
import { EngineStack, startEngineSimulator, type CopySpec } from "./harness";

const copy: CopySpec = {
  resourceName: "role-copy",
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: "cn-shanghai",
  encrypted: true,
  kmsKeyId: "alias/backup",
};

describe("GIVEN alicloud:assumeRole and alicloud:endpoints set with --path, as objects", () => {
  let sim: Simulator;
  let stack: EngineStack;

  beforeAll(async () => {
    let creds;
    ({ sim, creds } = await startEngineSimulator());
    stack = await EngineStack.create(sim, creds, [copy]);
    const caFile = join(mkdtempSync(join(tmpdir(), "sim-ca-")), "sim-ca.pem");
    writeFileSync(caFile, SIMULATOR_TLS_CERT);
    (stack.stack.workspace as LocalWorkspace).envVars.NODE_EXTRA_CA_CERTS = caFile;
    await stack.stack.setConfig("alicloud:assumeRole.roleArn", { value: DEFAULT_ROLE_ARN }, true);
    await stack.stack.setConfig("alicloud:assumeRole.sessionName", { value: "engine-test" }, true);
    await stack.stack.setConfig("alicloud:endpoints[0].sts", { value: await sim.stsHost() }, true);
  });

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test("WHEN pulumi up runs THEN the copy is made with the role's temporary credentials, in the role's account, and the state holds none of them", async () => {
    const run = await stack.up();
    expect(run.result.summary.result).toBe("succeeded");

    const signed = sim.admin.callers().filter((c) => ["CopySnapshot", "DescribeKey"].includes(c.action));
    expect(signed.map((c) => c.action).sort()).toEqual(["CopySnapshot", "DescribeKey"]);
    for (const c of signed) expect(c).toMatchObject({ accountId: "2222222222222222", temporary: true });
    expect(sim.admin.stsSessions()[0]).toMatchObject({
      roleArn: DEFAULT_ROLE_ARN,
      roleSessionName: "engine-test",
    });

    const { exported, stateFile } = await stack.exportState();
    for (const s of sim.admin.stsSessions()) {
      expect(exported).not.toContain(s.accessKeyId);
      expect(stateFile).not.toContain(s.accessKeyId);
    }
  });
});
