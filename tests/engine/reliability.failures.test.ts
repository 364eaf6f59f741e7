/**
 * Timeouts and failures from outside the stack, through the real `pulumi` CLI. One `up` runs four
 * copies that each go wrong in their own way:
 * - slow-cancel: slower than its timeoutMinutes → fails naming resource, snapshot and progress; cancelled;
 * - slow-keep: the same with onTimeout "keep" → recorded as created-but-failed; the next `up` resumes it;
 * - source-deleted: its source snapshot is deleted while it runs → a clear error naming the cause;
 * - key-disabled: its KMS key is disabled before the copy → a clear error, nothing copied.
 * Afterwards the simulator holds only the kept copy. (A copy deleted out of band, then refresh and up, is in
 * lifecycle.test.ts.)
 */
import * as $Ecs from "@alicloud/ecs20140526";
import * as $Kms from "@alicloud/kms20160120";
import type { Simulator } from "../../simulator";
import { ecsClient, kmsClient } from "../helpers/sdk";
import {
  diagnostics,
  EngineStack,
  failure,
  Recording,
  simCopies,
  startEngineSimulator,
  steps,
  type CopySpec,
  type TestCredentials,
} from "./harness";
import { copyOutputs, deployment, waitFor } from "./reliabilityHarness";

/** cn-shanghai's "alias/backup" key in the default seed. */
const SHANGHAI_KEY = "key-hzz65f1cb66fa42qo0001";

// At 600x and 2 GiB/min: s-sim0005 (223 GiB) takes about 11 s real, s-sim0006 (274 GiB) about 14 s,
// s-sim0007 (325 GiB) about 16 s. The provider's timeouts are real minutes: 0.1 min = 6 s, 0.15 min = 9 s.
const slowCancel: CopySpec = {
  resourceName: "slow-cancel",
  sourceSnapshotId: "s-sim0005",
  destinationRegionId: "eu-central-1",
  timeoutMinutes: 0.1,
};
const slowKeep: CopySpec = {
  resourceName: "slow-keep",
  sourceSnapshotId: "s-sim0006",
  destinationRegionId: "eu-central-1",
  timeoutMinutes: 0.15,
  onTimeout: "keep",
};
const sourceDeleted: CopySpec = {
  resourceName: "source-deleted",
  sourceSnapshotId: "s-sim0007",
  destinationRegionId: "eu-central-1",
};
const keyDisabled: CopySpec = {
  resourceName: "key-disabled",
  sourceSnapshotId: "s-sim0008",
  destinationRegionId: "cn-shanghai",
  encrypted: true,
  kmsKeyId: "alias/backup",
};

describe("GIVEN one up with a slow copy (cancel), a slow copy (keep), a source deleted mid-copy and a disabled key", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  let stack: EngineStack;
  /** Everything the failed up told the user: the error and the engine's diagnostics. */
  let told = "";
  let keptId = "";

  /** The error line of one resource: "SnapshotCopy <project>/<stack>/<name>: <source> -> <region>: <why>". */
  const errorFor = (name: string) =>
    told.split("\n").find((l) => new RegExp(`/${name}: s-\\w+ -> [a-z0-9-]+: `).test(l)) ?? "";

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
    stack = await EngineStack.create(sim, creds, [slowCancel, slowKeep, sourceDeleted, keyDisabled]);
    await kmsClient(sim, "cn-shanghai", creds).disableKey(
      new $Kms.DisableKeyRequest({ keyId: SHANGHAI_KEY }),
    );

    const rec = new Recording();
    // continueOnError: the key check fails in milliseconds; the other creates must still run to their end.
    const up = failure(
      stack.stack.up({ continueOnError: true, onEvent: rec.onEvent, onOutput: rec.onOutput }),
    );
    await waitFor("the copy of s-sim0007", () =>
      simCopies(sim).some((c) => c.SourceSnapshotId === "s-sim0007"),
    );
    await ecsClient(sim, "cn-hangzhou", creds).deleteSnapshot(
      new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-sim0007" }),
    );
    const err = await up;
    told = [err.message, ...diagnostics(rec.events).map((d) => d.message)].join("\n");
  }, 5 * 60_000);

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test("THEN the copy slower than its timeout fails naming the resource, the snapshot and the progress, and is cancelled", () => {
    const line = errorFor("slow-cancel");
    expect(line).toContain(
      `SnapshotCopy snapshot-copy-engine-test/${stack.name}/slow-cancel: s-sim0005 -> eu-central-1`,
    );
    expect(line).toMatch(/the timeout of 6s was reached at \d+% progress/);
    expect(line).toMatch(/The copy s-\w+ was cancelled and deleted, so nothing is left behind/);
    expect(simCopies(sim).filter((c) => c.SourceSnapshotId === "s-sim0005")).toEqual([]);
  });

  test("THEN the copy whose source was deleted fails naming the deleted source, and is cleaned up", () => {
    const line = errorFor("source-deleted");
    expect(line).toMatch(/the copy failed \(Status "failed" at \d+% progress\)/);
    expect(line).toContain(
      "the source snapshot s-sim0007 no longer exists in cn-hangzhou: it was deleted while the copy ran",
    );
    expect(line).toMatch(/cancelled and deleted, so nothing is left behind/);
    expect(simCopies(sim).filter((c) => c.SourceSnapshotId === "s-sim0007")).toEqual([]);
  });

  test("THEN the disabled key fails naming kmsKeyId and the key state, before anything is copied", () => {
    expect(told).toMatch(
      new RegExp(`kmsKeyId "alias/backup" \\(key ${SHANGHAI_KEY} in cn-shanghai\\) is Disabled; .*enable it`),
    );
    expect(told).toContain("Nothing was copied");
    expect(simCopies(sim, "cn-shanghai")).toEqual([]);
  });

  test('THEN the onTimeout "keep" copy is recorded as created-but-failed, and it is the only copy left', async () => {
    expect(errorFor("slow-keep")).toMatch(/is kept \(onTimeout: "keep"\) and recorded in the stack/);
    const resources = (await deployment(stack)).resources ?? [];
    const kept = resources.find((r) => r.urn.endsWith("::slow-keep"));
    keptId = kept?.id ?? "";
    expect(kept?.initErrors?.[0]).toMatch(/timeout of 9s was reached/);
    expect(simCopies(sim).map((c) => c.SnapshotId)).toEqual([keptId]);
    expect(resources.filter((r) => /::(slow-cancel|source-deleted|key-disabled)$/.test(r.urn))).toEqual([]);
  });

  test("WHEN up runs again THEN it resumes waiting on the same kept copy until it is available", async () => {
    await stack.setCopies([slowKeep]);
    const run = await stack.up();

    expect(steps(run.events).map((s) => [s.name, s.op])).toEqual([["slow-keep", "update"]]);
    expect(run.output).toContain(`resuming the wait for ${keptId}`);
    expect((await copyOutputs(stack))["slow-keep"]).toMatchObject({ snapshotId: keptId, available: true });
    expect(simCopies(sim)).toEqual([expect.objectContaining({ SnapshotId: keptId, Status: "accomplished" })]);
  });
});
