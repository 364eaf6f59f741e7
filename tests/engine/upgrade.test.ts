/**
 * A stack written by an earlier version keeps working. Earlier versions stored as `__provider` the text
 * `pulumi.dynamic.Resource` makes by closure-serializing a provider object (2.7 KB;
 * fixtures/closure-serialized-provider.txt, captured from that version); this one stores its own shorter text
 * (provider/providerText.ts). The dynamic-provider host revives whichever text a call carries (@pulumi/pulumi
 * cmd/dynamic-provider/index.js: the news' text for check, diff, create and update, the state's for read and
 * delete), and both load the same implementation by package name, so a new text alone is no change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Simulator } from "../../simulator";
import { SNAPSHOT_COPY_PROVIDER_TEXT } from "../../provider/providerText";
import {
  EngineStack,
  mutatingCalls,
  simCopies,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  type CopySpec,
  type TestCredentials,
} from "./harness";

const CLOSURE_TEXT = fs.readFileSync(
  path.join(__dirname, "fixtures/closure-serialized-provider.txt"),
  "utf8",
);

const eu: CopySpec = {
  resourceName: "eu",
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: "eu-central-1",
  tags: { team: "platform" },
};

type Props = Record<string, unknown>;
type StateResource = { type: string; inputs: Props; outputs: Props };

describe("GIVEN a copy whose state holds the closure-serialized provider of an earlier version", () => {
  let sim: Simulator;
  let creds: TestCredentials;
  let stack: EngineStack;
  let copyId: string;

  const copyInState = async (): Promise<StateResource> => {
    const state = await stack.stack.exportStack();
    return (state.deployment.resources as StateResource[]).find((r) => r.type === SNAPSHOT_COPY_TYPE)!;
  };

  beforeAll(async () => {
    ({ sim, creds } = await startEngineSimulator());
    stack = await EngineStack.create(sim, creds, [eu]);
    expect((await stack.up()).result.summary.result).toBe("succeeded");
    copyId = simCopies(sim)[0].SnapshotId;

    const state = await stack.stack.exportStack();
    const copy = (state.deployment.resources as StateResource[]).find((r) => r.type === SNAPSHOT_COPY_TYPE)!;
    expect(copy.inputs.__provider).toBe(SNAPSHOT_COPY_PROVIDER_TEXT);
    copy.inputs.__provider = CLOSURE_TEXT;
    copy.outputs.__provider = CLOSURE_TEXT;
    await stack.stack.importStack(state);
    sim.admin.resetCounters();
  });

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test("WHEN this version previews THEN nothing changes, though the provider text it sends differs", async () => {
    const preview = await stack.preview({ expectNoChanges: true });

    expect(preview.result.changeSummary).toEqual({ same: 2 });
  });

  test("WHEN it runs up THEN no resource changes and no mutating API call is made; the inputs now hold the new text", async () => {
    const run = await stack.up();

    expect(run.result.summary.resourceChanges).toEqual({ same: 2 });
    expect(mutatingCalls(sim)).toBe(0);
    expect((await copyInState()).inputs.__provider).toBe(SNAPSHOT_COPY_PROVIDER_TEXT);
  });

  test("WHEN it refreshes THEN the copy is read through the state's text and nothing changes", async () => {
    const run = await stack.refresh({ expectNoChanges: true });

    expect(run.result.summary.result).toBe("succeeded");
    expect(simCopies(sim).map((s) => s.SnapshotId)).toEqual([copyId]);
  });

  test("WHEN it destroys THEN the copy is deleted", async () => {
    const run = await stack.destroy();

    expect(run.result.summary.resourceChanges).toMatchObject({ delete: 2 });
    expect(simCopies(sim)).toEqual([]);
  });
});
