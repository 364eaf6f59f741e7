/**
 * Crash: `kill -9` of `pulumi up` and every process it started (language host, program, the
 * dynamic provider) while copies are in progress, then the documented recovery:
 *
 *   pulumi cancel --yes                                   # the dead run's lock stays behind in the backend
 *   pulumi refresh --clear-pending-creates --yes          # drop the creates the dead run left "pending"
 *   pulumi up --yes                                       # creates them again: each resumes its started copy
 *
 * The killed run's copies are tagged `starting:` under their declarations (docs/design.md §8), so each re-run
 * create resumes its copy: each resource ends with exactly one copy, the one already under way, no orphan.
 */
import type { Simulator } from "../../simulator";
import { EngineStack, simCopies, startEngineSimulator, type CopySpec, type TestCredentials } from "./harness";
import {
  copyOutputs,
  deployment,
  killTree,
  pulumi,
  sleep,
  spawnPulumi,
  stillRunning,
  waitFor,
} from "./reliabilityHarness";

/** One 20 GiB source copied to four regions: four copies running at once. */
const REGIONS = ["cn-shanghai", "eu-central-1", "ap-southeast-1", "us-west-1"];
const copies: CopySpec[] = REGIONS.map((r) => ({
  resourceName: `copy-${r}`,
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: r,
}));

describe("GIVEN pulumi up killed with SIGKILL (and the provider with it) while four copies are in progress", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  let stack: EngineStack;
  /** Copy IDs the killed run had started, by destination region. */
  let started: Record<string, string> = {};

  beforeAll(async () => {
    // Real-time speed while the run is killed: each copy is still in its 30 s start latency (0%).
    ({ sim, creds } = await startEngineSimulator({ speed: 1 }));
    stack = await EngineStack.create(sim, creds, copies);

    const run = spawnPulumi(stack, ["up", "--yes", "--skip-preview"]);
    await waitFor("the four CopySnapshot calls", () => simCopies(sim).length === REGIONS.length);
    const killed = killTree(run.child.pid!);
    await run.exited;
    await sleep(200);
    expect(stillRunning(killed)).toEqual([]);
    expect(killed.length).toBeGreaterThanOrEqual(3); // the CLI, the language host and program, the provider
    started = Object.fromEntries(simCopies(sim).map((c) => [c.RegionId, c.SnapshotId]));
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test("THEN the copies keep running in the cloud and the state holds four pending creates", async () => {
    expect(simCopies(sim).map((c) => c.Status)).toEqual(REGIONS.map(() => "progressing"));
    const pending = (await deployment(stack)).pending_operations ?? [];
    expect(pending.map((p) => p.type)).toEqual(REGIONS.map(() => "creating"));
    expect(pending.map((p) => p.resource.urn.split("::").pop()).sort()).toEqual(
      copies.map((c) => c.resourceName).sort(),
    );
  });

  test("WHEN pulumi up runs again before recovery THEN it refuses: the dead run's lock is still there", async () => {
    const up = await pulumi(stack, ["up", "--yes", "--skip-preview"]);

    expect(up.code).not.toBe(0);
    expect(up.stderr + up.stdout).toMatch(/the stack is currently locked by 1 lock\(s\).*pulumi cancel/s);
    expect(simCopies(sim)).toHaveLength(REGIONS.length);
  });

  test("WHEN cancel, refresh --clear-pending-creates and up run THEN each resource has exactly its started copy, no orphan", async () => {
    sim.clock.setSpeed(600); // let the copies finish quickly now

    const cancel = await pulumi(stack, ["cancel", "--yes"]);
    expect(cancel.code).toBe(0);
    const refresh = await pulumi(stack, ["refresh", "--clear-pending-creates", "--yes", "--skip-preview"]);
    expect(refresh.code).toBe(0);
    expect((await deployment(stack)).pending_operations ?? []).toEqual([]);
    const up = await pulumi(stack, ["up", "--yes", "--skip-preview"]);
    expect(up.code).toBe(0);

    const now = simCopies(sim);
    expect(now).toHaveLength(REGIONS.length);
    expect(Object.fromEntries(now.map((c) => [c.RegionId, c.SnapshotId]))).toEqual(started);
    expect(now.every((c) => c.Status === "accomplished")).toBe(true);
    const outs = await copyOutputs(stack);
    for (const r of REGIONS) {
      expect(outs[`copy-${r}`]).toMatchObject({ snapshotId: started[r], available: true });
    }
    expect((await deployment(stack)).pending_operations ?? []).toEqual([]);
  });

  test("WHEN the stack is destroyed THEN the simulator holds no copy", async () => {
    const run = await stack.destroy();

    expect(run.result.summary.resourceChanges).toMatchObject({ delete: REGIONS.length + 1 });
    expect(simCopies(sim)).toEqual([]);
  });
});
