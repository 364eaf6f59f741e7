/**
 * Concurrency: two stacks copy the same source snapshot to the same region at the same time. ECS
 * allows one unfinished copy per disk and destination region, so one stack's CopySnapshot meets a busy code
 * (the simulator answers InvalidOperation.UnfinishedCrossRegionCopy, from CopySnapshot's error table) and waits; each stack still gets its own copy, and
 * destroying one stack leaves the other's copy alone.
 */
import type { Simulator } from "../../simulator";
import { EngineStack, simCopies, startEngineSimulator, type CopySpec, type TestCredentials } from "./harness";
import { copyOutputs } from "./reliabilityHarness";

/** s-sim0004 is 172 GiB: about 9 s real at 600x, so the two ups overlap. */
const copy: CopySpec = {
  resourceName: "backup",
  sourceSnapshotId: "s-sim0004",
  destinationRegionId: "eu-central-1",
};

describe("GIVEN two stacks that copy the same snapshot to the same region at the same time", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  let a: EngineStack;
  let b: EngineStack;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
    [a, b] = await Promise.all([
      EngineStack.create(sim, creds, [copy]),
      EngineStack.create(sim, creds, [copy]),
    ]);
  });

  afterAll(async () => {
    await Promise.all([a?.dispose(), b?.dispose()]);
    await sim?.stop();
  });

  test("WHEN both run up at once THEN both succeed, each with its own copy, one having waited for the other", async () => {
    const [runA, runB] = await Promise.all([a.up(), b.up()]);

    expect(runA.result.summary.result).toBe("succeeded");
    expect(runB.result.summary.result).toBe("succeeded");
    ids.a = (await copyOutputs(a)).backup.snapshotId;
    ids.b = (await copyOutputs(b)).backup.snapshotId;
    expect(ids.a).not.toBe(ids.b);
    const copies = simCopies(sim, "eu-central-1");
    expect(copies.map((c) => c.SnapshotId).sort()).toEqual([ids.a, ids.b].sort());
    expect(copies.every((c) => c.SourceSnapshotId === "s-sim0004" && c.Status === "accomplished")).toBe(true);
    expect(sim.admin.count({ action: "CopySnapshot", status: 403 })).toBeGreaterThan(0);
    expect(runA.output + runB.output).toContain(
      "waiting: another copy of this snapshot's disk to eu-central-1 is unfinished (InvalidOperation.UnfinishedCrossRegionCopy",
    );
  });

  test("WHEN one stack is destroyed THEN the other stack's copy stays", async () => {
    await a.destroy();

    expect(simCopies(sim, "eu-central-1").map((c) => c.SnapshotId)).toEqual([ids.b]);
    const refresh = await b.refresh({ expectNoChanges: true });
    expect(refresh.result.summary.result).toBe("succeeded");
  });
});
