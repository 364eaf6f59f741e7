/**
 * Copies still in progress under the real engine: destroy cancels them, and a copy kept after a
 * timeout is recorded by the engine as created-but-failed, after which the next `up` resumes waiting on the
 * same copy instead of copying again (docs/design.md §5 "create": create is transactional).
 *
 * The sources are the largest seeded disks (about 2000 GiB: 1000 virtual minutes, about 100 real seconds at
 * the simulator's 600x), so a copy is reliably still progressing when the next step starts.
 */
import type { Simulator } from "../../simulator";
import {
  EngineStack,
  failure,
  Recording,
  simCopies,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  steps,
  type TestCredentials,
} from "./harness";

describe("GIVEN the simulator copies slowly (a 2000 GiB disk)", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  const stacks: EngineStack[] = [];

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
  });

  afterAll(async () => {
    for (const s of stacks) await s.dispose();
    await sim?.stop();
  });

  test("WHEN destroy runs while a copy is still in progress THEN it cancels the copy and the simulator holds none", async () => {
    const stack = await EngineStack.create(sim, creds, [
      {
        resourceName: "slow",
        sourceSnapshotId: "s-sim0040",
        destinationRegionId: "eu-central-1",
        waitForCompletion: false,
      },
    ]);
    stacks.push(stack);
    const up = await stack.up();
    expect(up.result.summary.result).toBe("succeeded");
    const [copy] = simCopies(sim);
    expect(copy).toMatchObject({ SourceSnapshotId: "s-sim0040", Status: "progressing" });
    expect(parseInt(copy.Progress, 10)).toBeLessThan(100);

    sim.admin.resetCounters();
    const destroy = await stack.destroy();

    expect(destroy.result.summary.resourceChanges).toMatchObject({ delete: 2 });
    expect(sim.admin.count({ action: "DeleteSnapshot", region: "eu-central-1" })).toBe(1);
    expect(simCopies(sim)).toEqual([]);
  });

  test("WHEN a kept copy times out THEN the engine records it, and the next up resumes waiting on the same copy", async () => {
    const stack = await EngineStack.create(sim, creds, [
      {
        resourceName: "kept",
        sourceSnapshotId: "s-sim0039",
        destinationRegionId: "eu-central-1",
        onTimeout: "keep",
        timeoutMinutes: 0.05, // 3 s of real time; the copy needs about 100 s
      },
    ]);
    stacks.push(stack);
    const rec = new Recording();

    const error = await failure(stack.up(rec));

    const [copy] = simCopies(sim);
    expect(copy).toMatchObject({ SourceSnapshotId: "s-sim0039", Status: "progressing" });
    expect(error.message).toContain(`The copy ${copy.SnapshotId} is kept`);
    // Created-but-failed: the resource is in the state, with the provider's error as its init error.
    const state = (await stack.stack.exportStack()).deployment as {
      resources: { type: string; id?: string; initErrors?: string[] }[];
    };
    const recorded = state.resources.find((r) => r.type === SNAPSHOT_COPY_TYPE)!;
    expect(recorded.id).toBe(copy.SnapshotId);
    expect(recorded.initErrors?.join("\n")).toContain("is kept");

    // Let the copy finish quickly; the same inputs again: the engine updates a resource with init errors.
    sim.clock.setSpeed(60_000);
    const up = await stack.up();

    expect(steps(up.events).map((s) => s.op)).toEqual(["update"]);
    expect(up.output).toContain(`resuming the wait for ${copy.SnapshotId}`);
    const outs = (await stack.stack.outputs()).copies.value as Record<
      string,
      { snapshotId: string; status: string }
    >;
    expect(outs.kept).toMatchObject({ snapshotId: copy.SnapshotId, status: "accomplished" });
    expect(simCopies(sim).map((c) => c.SnapshotId)).toEqual([copy.SnapshotId]);
    sim.clock.setSpeed(600);
  });
});
