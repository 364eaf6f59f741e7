/**
 * The `import` resource option (`{ import: "s-…" }`) on a SnapshotCopy, under the real engine: it cannot work,
 * and this pins how it fails. To import, the engine calls the provider's Read with the ID and no properties
 * (Pulumi v3.248 pkg/resource/deploy/step.go, ImportStep.Apply: `plugin.ReadRequest{URN, Name, Type, ID, …}`,
 * no Inputs, no State). `@pulumi/pulumi`'s dynamic-provider host looks for the serialized provider (`__provider`)
 * in those properties first (cmd/dynamic-provider/index.js `read`), so it fails before any code of this package
 * runs: 3.248 reads `req.getProperties().toJavaScript()` of nothing; 3.276 falls back to the (also empty) inputs
 * and fails deserializing an undefined provider. `adoptSnapshotId` is the way in (README "Limitations").
 */
import type { Simulator } from "../../simulator";
import {
  diagnostics,
  EngineStack,
  failure,
  mutatingCalls,
  Recording,
  simCopies,
  startEngineSimulator,
  type CopySpec,
  type TestCredentials,
} from "./harness";

const made: CopySpec = {
  resourceName: "made",
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: "eu-central-1",
};
/**
 * What the engine says, on the resource, for every dynamic resource declared with `import`, per `@pulumi/pulumi`
 * version the test command runs (its two toolchains, README "Compatibility"). Another version fails loudly here:
 * its message has not been seen yet.
 */
const ENGINE_ERRORS: Record<string, string> = {
  "3.248.0": "Cannot read properties of undefined (reading 'toJavaScript')",
  "3.276.0": "code must be a string, not undefined",
};
// The SDK this run resolves (the Node 22 toolchain runs from its own copy with its own node_modules).
const sdkVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
const ENGINE_ERROR = ENGINE_ERRORS[sdkVersion];
if (ENGINE_ERROR === undefined)
  throw new Error(`import.test.ts: no recorded import error for @pulumi/pulumi ${sdkVersion}`);

describe("GIVEN a copy made by one stack, AND a second stack declaring it with the import option", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  const stacks: EngineStack[] = [];
  let importing: EngineStack;
  let copyId: string;

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
    const maker = await EngineStack.create(sim, creds, [made]);
    stacks.push(maker);
    await maker.up();
    copyId = simCopies(sim)[0].SnapshotId;
    importing = await EngineStack.create(sim, creds, [
      { ...made, resourceName: "imported", importId: copyId },
    ]);
    stacks.push(importing);
    sim.admin.resetCounters();
  });

  afterAll(async () => {
    for (const s of stacks) await s.dispose();
    await sim?.stop();
  });

  /** The error the engine reports on the imported resource. */
  const resourceError = (rec: Recording) =>
    diagnostics(rec.events).find((d) => d.severity === "error" && d.urn?.endsWith("::imported"))?.message;

  test("WHEN preview runs THEN it fails with the engine's error on the resource, before any API call", async () => {
    const rec = new Recording();
    await failure(importing.preview({}, rec));
    expect(rec.output).toContain("SnapshotCopy imported import");
    expect(resourceError(rec)).toContain(`Preview failed: ${ENGINE_ERROR}`);
    expect(sim.admin.count()).toBe(0);
  });

  test("WHEN up runs THEN it fails the same way, records nothing, and leaves the copy to the stack that made it", async () => {
    const rec = new Recording();
    await failure(importing.up(rec));
    expect(resourceError(rec)).toContain(ENGINE_ERROR);
    expect(rec.output).toContain("SnapshotCopy imported **importing failed**");
    expect(mutatingCalls(sim)).toBe(0);
    const state = JSON.parse((await importing.exportState()).exported) as {
      deployment: { resources?: { type: string }[] };
    };
    expect((state.deployment.resources ?? []).filter((r) => r.type.endsWith("SnapshotCopy"))).toEqual([]);
    expect(simCopies(sim).map((c) => c.SnapshotId)).toEqual([copyId]);
  });
});
