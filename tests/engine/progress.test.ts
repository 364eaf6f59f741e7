/**
 * Where a copy's progress shows under the real engine: on the SnapshotCopy's own row. The provider sends each
 * progress line to the engine's Log RPC with the copy's URN and `ephemeral: true` (live status that the next
 * line replaces), and what it started and how the wait ended with `ephemeral: false` (messages listed under the
 * resource) — provider/lifecycle/engineLog.ts. Nothing about the copy lands on the stack's row.
 *
 * The source is a 223 GiB disk (s-sim0005: about 11 real seconds at the simulator's 600x), so the wait reports
 * progress several times.
 */
import type { Simulator } from "../../simulator";
import {
  diagnostics,
  EngineStack,
  startEngineSimulator,
  simCopies,
  steps,
  type CopySpec,
  type Run,
  type TestCredentials,
} from "./harness";
import type { UpResult } from "@pulumi/pulumi/automation";

const slow: CopySpec = {
  resourceName: "slow",
  sourceSnapshotId: "s-sim0005",
  destinationRegionId: "eu-central-1",
};
const ROUTE = "s-sim0005 -> eu-central-1";

describe("GIVEN a copy that takes about 11 s of real time, WHEN up runs", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  let stack: EngineStack;
  let run: Run<UpResult>;
  let urn: string;
  /** The engine's diagnostics that are about this copy. */
  let mine: ReturnType<typeof diagnostics>;

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
    stack = await EngineStack.create(sim, creds, [slow]);
    run = await stack.up();
    urn = steps(run.events).find((s) => s.name === "slow")!.urn;
    mine = diagnostics(run.events).filter((d) => d.message.includes(ROUTE));
  });

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test("THEN every progress event carries the SnapshotCopy's URN and is ephemeral", () => {
    expect(run.result.summary.result).toBe("succeeded");
    const progress = mine.filter((d) => /\d+% \((about|less than)/.test(d.message));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    for (const d of progress)
      expect(d).toEqual({ severity: "info", urn, message: expect.any(String), ephemeral: true });
  });

  test("THEN the outcome and the copy's ID are messages (not ephemeral) on the same URN", () => {
    const id = simCopies(sim)[0].SnapshotId;
    expect(mine).toContainEqual({
      severity: "info",
      urn,
      message: `${ROUTE} copying as ${id}\n`,
      ephemeral: false,
    });
    expect(mine).toContainEqual({
      severity: "info",
      urn,
      message: `${ROUTE} 100%, available\n`,
      ephemeral: false,
    });
  });

  test("THEN nothing about the copy is on the stack's row: the CLI shows progress on the copy's row, and lists only the messages under it", () => {
    expect(mine.every((d) => d.urn === urn)).toBe(true);
    expect(run.output).toMatch(new RegExp(`SnapshotCopy slow creating \\(\\d+s\\) ${ROUTE} \\d+% \\(about`));
    const summary = run.output.slice(run.output.indexOf("Diagnostics:"));
    expect(summary).toContain(`SnapshotCopy (slow):\n    ${ROUTE} copying as`);
    expect(summary).toContain(`${ROUTE} 100%, available`);
    expect(summary).not.toMatch(/\d+% \(about/);
  });
});
