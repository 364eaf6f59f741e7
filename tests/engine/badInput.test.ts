/**
 * Bad input fails at `pulumi preview` through the real engine (issue 4): the error names the property, and
 * the simulator sees no API call at all — the provider's check catches every rule without asking the cloud.
 */
import type { Simulator } from "../../simulator";
import {
  EngineStack,
  failure,
  Recording,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  TAGS_21,
  VALID_COPY,
  type CopySpec,
} from "./harness";

describe("GIVEN a stack whose SnapshotCopy has an input the API would reject", () => {
  let sim: Simulator;
  let stack: EngineStack;

  beforeAll(async () => {
    const started = await startEngineSimulator();
    sim = started.sim;
    stack = await EngineStack.create(sim, started.creds, [VALID_COPY]);
  });

  afterAll(async () => {
    await stack?.dispose();
    await sim?.stop();
  });

  test.each<[string, string, Partial<CopySpec>, RegExp]>([
    [
      "a same-region copy without encryption",
      "destinationRegionId",
      { destinationRegionId: "cn-hangzhou" },
      /encrypted: true/,
    ],
    ["retention of 0 days", "retentionDays", { retentionDays: 0 }, /65536/],
    ["21 tags", "tags", { tags: TAGS_21 }, /20/],
  ])(
    "WHEN it has %s THEN preview fails naming %s, and the simulator saw zero calls",
    async (_, property, change, advice) => {
      sim.admin.resetCounters();
      await stack.setCopies([{ ...VALID_COPY, ...change }]);
      const rec = new Recording();

      const error = await failure(stack.preview({}, rec));

      // The engine prints check failures as "<type> resource '<name>': property <p> value <v> has a problem: <reason>".
      expect(error.message).toContain(`${SNAPSHOT_COPY_TYPE} resource 'bad'`);
      expect(error.message).toMatch(new RegExp(`property ${property}\\b`));
      expect(error.message).toMatch(advice);
      expect(sim.admin.count()).toBe(0);
    },
  );
});
