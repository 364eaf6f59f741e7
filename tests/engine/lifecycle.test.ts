/**
 * The life of a stack under the real `pulumi` CLI (docs/design.md §12): preview, up, no-change preview
 * and refresh, in-place update, replacement, out-of-band deletion, state hygiene, destroy. The steps run in
 * order on one stack; each builds on the state the previous one left.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import type { Simulator } from "../../simulator";
import { SNAPSHOT_COPY_PROVIDER_TEXT } from "../../provider/providerText";
import { ecsClient } from "../helpers/sdk";
import {
  diagnostics,
  EngineStack,
  mutatingCalls,
  simCopies,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  steps,
  type CopySpec,
  type TestCredentials,
} from "./harness";

/** A plain cross-region copy (20 GiB source: about a second of real time at 600x). */
const eu: CopySpec = {
  resourceName: "eu",
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: "eu-central-1",
  name: "backup-eu",
  tags: { team: "platform" },
};
/** A copy re-encrypted with the destination region's KMS key, named by alias. */
const shanghai: CopySpec = {
  resourceName: "shanghai",
  sourceSnapshotId: "s-sim0002",
  destinationRegionId: "cn-shanghai",
  encrypted: true,
  kmsKeyId: "alias/backup",
};

type CopyOutput = { snapshotId: string; status: string; available: boolean; destinationRegionId: string };

describe("GIVEN a stack declaring two SnapshotCopy resources, run by the real pulumi CLI against the simulator", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  let stack: EngineStack;
  /** Everything the CLI printed, for the secret check at the end. */
  const printed: string[] = [];
  let euId = "";

  const copiesOutput = async (): Promise<Record<string, CopyOutput>> =>
    (await stack.stack.outputs()).copies.value as Record<string, CopyOutput>;

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
    stack = await EngineStack.create(sim, creds, [eu, shanghai]);
  });

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test("preview shows both creates under the SnapshotCopy type token and calls no API", async () => {
    const run = await stack.preview();
    printed.push(run.output);

    const creates = steps(run.events).sort((a, b) => a.name.localeCompare(b.name));
    expect(creates).toEqual([
      expect.objectContaining({ op: "create", type: SNAPSHOT_COPY_TYPE, name: "eu" }),
      expect.objectContaining({ op: "create", type: SNAPSHOT_COPY_TYPE, name: "shanghai" }),
    ]);
    expect(run.output).toContain(`${SNAPSHOT_COPY_TYPE} eu create`);
    expect(mutatingCalls(sim)).toBe(0);
    expect(sim.admin.count()).toBe(0);
  });

  test("up creates both copies, waits until they are available, and says so on each copy's row", async () => {
    const run = await stack.up();
    printed.push(run.output);

    expect(run.result.summary.result).toBe("succeeded");
    const outs = await copiesOutput();
    const copies = simCopies(sim);
    expect(copies).toHaveLength(2);
    const euCopy = copies.find((c) => c.RegionId === "eu-central-1")!;
    expect(euCopy).toMatchObject({
      SnapshotId: outs.eu.snapshotId,
      SourceSnapshotId: "s-sim0001",
      SnapshotName: "backup-eu",
      Status: "accomplished",
    });
    const shCopy = copies.find((c) => c.RegionId === "cn-shanghai")!;
    expect(shCopy).toMatchObject({
      SnapshotId: outs.shanghai.snapshotId,
      Encrypted: true,
      KMSKeyId: "key-hzz65f1cb66fa42qo0001",
    });
    expect(outs.eu).toMatchObject({ status: "accomplished", available: true });
    euId = outs.eu.snapshotId;

    // The provider sends its lines to the engine on the copy's own URN (provider/lifecycle/engineLog.ts):
    // progress as ephemeral status on the copy's row, what it started and the outcome as messages under it.
    const urn = steps(run.events).find((s) => s.name === "eu")!.urn;
    const route = "s-sim0001 -> eu-central-1";
    expect(run.output).toContain(`SnapshotCopy eu creating`);
    expect(run.output).toContain(`${route} copying as ${euId}`);
    expect(diagnostics(run.events)).toContainEqual({
      severity: "info",
      urn,
      message: `${route} 100%, available\n`,
      ephemeral: false,
    });
  });

  test("a second preview reports no changes", async () => {
    const run = await stack.preview({ expectNoChanges: true });
    printed.push(run.output);

    expect(steps(run.events).map((s) => s.op)).toEqual(["same", "same"]);
    expect(run.result.changeSummary).toEqual({ same: 3 });
  });

  test("refresh with --expect-no-changes passes", async () => {
    const run = await stack.refresh({ expectNoChanges: true });
    printed.push(run.output);

    expect(run.result.summary.result).toBe("succeeded");
    expect(run.result.summary.resourceChanges).toEqual({ same: 3 });
  });

  test("changing tags and name updates the copy in place, keeping its snapshot ID", async () => {
    sim.admin.resetCounters();
    await stack.setCopies([
      { ...eu, name: "backup-eu-v2", tags: { team: "platform", env: "prod" } },
      shanghai,
    ]);
    const run = await stack.up();
    printed.push(run.output);

    expect(
      steps(run.events)
        .filter((s) => s.name === "eu")
        .map((s) => s.op),
    ).toEqual(["update"]);
    expect((await copiesOutput()).eu.snapshotId).toBe(euId);
    const [copy] = simCopies(sim, "eu-central-1");
    expect(copy.SnapshotId).toBe(euId);
    expect(copy.SnapshotName).toBe("backup-eu-v2");
    expect(copy.Tags?.Tag).toEqual(
      expect.arrayContaining([
        { TagKey: "team", TagValue: "platform" },
        { TagKey: "env", TagValue: "prod" },
      ]),
    );
    expect(sim.admin.count({ action: "CopySnapshot" })).toBe(0);
    expect(sim.admin.count({ action: "DeleteSnapshot" })).toBe(0);
  });

  test("changing destinationRegionId replaces the copy: the new one is created before the old is deleted", async () => {
    sim.admin.resetCounters();
    await stack.setCopies([
      {
        ...eu,
        name: "backup-eu-v2",
        tags: { team: "platform", env: "prod" },
        destinationRegionId: "ap-southeast-1",
      },
      shanghai,
    ]);
    const run = await stack.up();
    printed.push(run.output);

    const ops = steps(run.events)
      .filter((s) => s.name === "eu")
      .map((s) => s.op);
    expect(ops).toEqual(["create-replacement", "replace", "delete-replaced"]);
    // The old copy's delete starts only after the new copy's create has finished.
    const createdAt = run.events.findIndex(
      (e) =>
        e.resOutputsEvent?.metadata.op === "create-replacement" &&
        e.resOutputsEvent.metadata.urn.endsWith("::eu"),
    );
    const deleteStartsAt = run.events.findIndex(
      (e) =>
        e.resourcePreEvent?.metadata.op === "delete-replaced" &&
        e.resourcePreEvent.metadata.urn.endsWith("::eu"),
    );
    expect(createdAt).toBeGreaterThan(-1);
    expect(deleteStartsAt).toBeGreaterThan(createdAt);

    const outs = await copiesOutput();
    expect(outs.eu.snapshotId).not.toBe(euId);
    expect(simCopies(sim, "eu-central-1")).toEqual([]);
    expect(simCopies(sim, "ap-southeast-1").map((c) => c.SnapshotId)).toEqual([outs.eu.snapshotId]);
    expect(simCopies(sim)).toHaveLength(2);
    expect(sim.admin.count({ action: "DeleteSnapshot", region: "eu-central-1" })).toBe(1);
  });

  test("a copy deleted outside the stack is dropped by refresh, and the next up copies it again", async () => {
    const gone = (await copiesOutput()).shanghai.snapshotId;
    await ecsClient(sim, "cn-shanghai", creds).deleteSnapshot(
      new $Ecs.DeleteSnapshotRequest({ regionId: "cn-shanghai", snapshotId: gone }),
    );
    expect(simCopies(sim, "cn-shanghai")).toEqual([]);

    const refresh = await stack.refresh();
    printed.push(refresh.output);
    expect(refresh.result.summary.resourceChanges).toMatchObject({ delete: 1 });
    const state = (await stack.stack.exportStack()).deployment as { resources: { urn: string }[] };
    expect(state.resources.map((r) => r.urn).filter((u) => u.endsWith("::shanghai"))).toEqual([]);

    const up = await stack.up();
    printed.push(up.output);
    expect(
      steps(up.events)
        .filter((s) => s.name === "shanghai")
        .map((s) => s.op),
    ).toEqual(["create"]);
    const again = simCopies(sim, "cn-shanghai");
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({
      SourceSnapshotId: "s-sim0002",
      Status: "accomplished",
      Encrypted: true,
    });
    expect(again[0].SnapshotId).not.toBe(gone);
    expect((await copiesOutput()).shanghai.snapshotId).toBe(again[0].SnapshotId);
  });

  test("pulumi stack export holds no access key secret or security token, and each __provider is the 0.7 KB provider text", async () => {
    const { exported, stateFile } = await stack.exportState();
    // The engine passes the whole stack config to the pulumi-nodejs default provider, so the config secrets
    // are in the state as that provider's inputs; they must be ciphertext there, and nowhere else.
    for (const secret of [creds.accessKeySecret, creds.securityToken]) {
      expect(exported).not.toContain(secret);
      expect(stateFile).not.toContain(secret);
      for (const out of printed) expect(out).not.toContain(secret);
    }
    const deployment = JSON.parse(exported).deployment as { resources: Record<string, unknown>[] };
    expect(
      JSON.stringify(deployment.resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs")),
    ).toContain("ciphertext");
    const copies = deployment.resources.filter((r) => r.type === SNAPSHOT_COPY_TYPE);
    expect(copies).toHaveLength(2);
    for (const r of copies) {
      for (const bag of ["inputs", "outputs"] as const) {
        const serialized = (r[bag] as Record<string, unknown>).__provider;
        expect(serialized).toBe(SNAPSHOT_COPY_PROVIDER_TEXT);
        expect(Buffer.byteLength(serialized as string)).toBeLessThan(1200);
      }
    }
  });

  test("destroy deletes every copy, and the simulator holds none", async () => {
    const run = await stack.destroy();
    printed.push(run.output);

    expect(run.result.summary.resourceChanges).toMatchObject({ delete: 3 });
    expect(simCopies(sim)).toEqual([]);
  });
});
