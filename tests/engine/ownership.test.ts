/**
 * Ownership on the real engine (docs/design.md §8): each resource generation owns its own copy. Two stacks of
 * the same names in two backends, two same-named children of two components, and a replacement and the copy it
 * replaces are always different snapshots; destroying one never deletes another's. A key's other spelling is
 * no change, and a copy with no name or description gets an auto-name and a sentence that the next preview keeps.
 */
import fs from "node:fs";
import path from "node:path";
import type { Simulator } from "../../simulator";
import {
  EngineStack,
  simCopies,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  type CopySpec,
  type TestCredentials,
} from "./harness";

type Props = Record<string, unknown>;
import { PROGRAM_DIR } from "./paths";
import { copyOutputs } from "./reliabilityHarness";

const nightly: CopySpec = {
  resourceName: "nightly",
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: "cn-shanghai",
};
const ids = (sim: Simulator, region: string) =>
  simCopies(sim, region)
    .map((c) => c.SnapshotId)
    .sort();

let sim: Simulator;
let creds: TestCredentials;
beforeAll(async () => {
  ({ sim, creds } = await startEngineSimulator());
});
afterAll(async () => {
  await sim?.stop();
});

describe("GIVEN two stacks with the same project and stack name in two backends, each declaring nightly", () => {
  const stacks: EngineStack[] = [];
  let otherDir: string;
  afterAll(async () => {
    for (const s of stacks) await s.dispose();
    if (otherDir) fs.rmSync(otherDir, { recursive: true, force: true });
  });

  test("WHEN both run up THEN each records its own copy, and destroying one leaves the other's backup", async () => {
    // The second backend's stack needs its own Pulumi.<stack>.yaml, so its own project folder (same project).
    otherDir = fs.mkdtempSync(path.join(path.dirname(PROGRAM_DIR), ".workdir-"));
    fs.writeFileSync(
      path.join(otherDir, "Pulumi.yaml"),
      fs
        .readFileSync(path.join(PROGRAM_DIR, "Pulumi.yaml"), "utf8")
        .replace(
          /^main: index\.ts$/m,
          `main: ${path.relative(otherDir, path.join(PROGRAM_DIR, "index.ts"))}`,
        ),
    );
    const name = `t${process.pid}-same`;
    stacks.push(await EngineStack.create(sim, creds, [nightly], { name }));
    stacks.push(await EngineStack.create(sim, creds, [nightly], { name, workDir: otherDir }));

    for (const s of stacks) expect((await s.up()).result.summary.result).toBe("succeeded");

    const [a, b] = await Promise.all(stacks.map(async (s) => (await copyOutputs(s)).nightly.snapshotId));
    expect(a).not.toBe(b);
    expect(ids(sim, "cn-shanghai")).toEqual([a, b].sort());
    expect((await stacks[0].destroy()).result.summary.result).toBe("succeeded");
    expect(ids(sim, "cn-shanghai")).toEqual([b]);
  });
});

describe("GIVEN one stack with two components (of two types), each with a child SnapshotCopy named copy", () => {
  let stack: EngineStack;
  afterAll(async () => {
    await stack?.dispose();
  });

  test("WHEN up runs THEN two copies; WHEN one component goes THEN the other's copy stays", async () => {
    const child = (parentName: string): CopySpec => ({ ...nightly, resourceName: "copy", parentName });
    stack = await EngineStack.create(sim, creds, [child("one"), child("two")]);
    expect((await stack.up()).result.summary.result).toBe("succeeded");
    const outs = await copyOutputs(stack);
    const [one, two] = [outs["one/copy"].snapshotId, outs["two/copy"].snapshotId];
    expect(one).not.toBe(two);

    await stack.setCopies([child("two")]);
    expect((await stack.up()).result.summary.result).toBe("succeeded");

    expect(simCopies(sim, "cn-shanghai").map((c) => c.SnapshotId)).toContain(two);
    expect(simCopies(sim, "cn-shanghai").map((c) => c.SnapshotId)).not.toContain(one);
    await stack.setCopies([]);
    await stack.up();
  });
});

describe("GIVEN a copy encrypted with the key's ID", () => {
  let stack: EngineStack;
  const key = "key-hzz65f1cb66fa42qo0002"; // eu-central-1's alias/backup in the simulator's default seed
  const eu = (kmsKeyId: string): CopySpec => ({
    resourceName: "eu",
    sourceSnapshotId: "s-sim0002",
    destinationRegionId: "eu-central-1",
    encrypted: true,
    kmsKeyId,
  });
  afterAll(async () => {
    await stack?.dispose();
  });

  test.each([["alias/backup"], ["acs:kms:eu-central-1:1234567890:alias/backup"]])(
    "WHEN kmsKeyId is spelled %s THEN preview shows no replace and up keeps the same copy",
    async (spelling) => {
      if (!stack) {
        stack = await EngineStack.create(sim, creds, [eu(key)]);
        expect((await stack.up()).result.summary.result).toBe("succeeded");
      }
      const before = (await copyOutputs(stack)).eu.snapshotId;
      const copiesBefore = sim.admin.count({ action: "CopySnapshot" });

      await stack.setCopies([eu(spelling)]);
      const preview = await stack.preview();
      expect(preview.result.changeSummary?.replace ?? 0).toBe(0);
      expect((await stack.up()).result.summary.result).toBe("succeeded");

      expect((await copyOutputs(stack)).eu.snapshotId).toBe(before);
      expect(sim.admin.count({ action: "CopySnapshot" })).toBe(copiesBefore);
    },
  );
});

describe("GIVEN a copy with no name and no description", () => {
  let stack: EngineStack;
  afterAll(async () => {
    await stack?.dispose();
  });

  test("WHEN up runs THEN it gets an auto-name and a description, and the next preview shows no change", async () => {
    stack = await EngineStack.create(sim, creds, [{ ...nightly, resourceName: "unnamed" }]);
    expect((await stack.up()).result.summary.result).toBe("succeeded");

    const out = (await copyOutputs(stack)).unnamed as unknown as { name: string; description: string };
    expect(out.name).toMatch(/^unnamed-[0-9a-f]{7}$/);
    expect(out.description).toBe("Copy of s-sim0001 from cn-hangzhou, made by Pulumi");
    const preview = await stack.preview({ expectNoChanges: true });
    expect(preview.result.changeSummary?.same).toBeGreaterThan(0);
  });

  test("WHEN its state is rewritten as a version before auto-names recorded it (no ownerId, name, description) THEN preview shows no change", async () => {
    const state = await stack.stack.exportStack();
    const copy = (state.deployment.resources as { type: string; inputs: Props; outputs: Props }[]).find(
      (r) => r.type === SNAPSHOT_COPY_TYPE,
    )!;
    for (const bag of [copy.inputs, copy.outputs]) {
      delete bag.ownerId;
      delete bag.name;
      delete bag.description;
      bag.resourceKey = `snapshot-copy-engine-test/${stack.name}/unnamed`;
    }
    copy.outputs.name = null;
    copy.outputs.description = null;
    await stack.stack.importStack(state);

    const preview = await stack.preview({ expectNoChanges: true });

    expect(preview.result.changeSummary?.same).toBeGreaterThan(0);
  });
});

describe("GIVEN a copy started with waitForCompletion false that turns failed", () => {
  let stack: EngineStack;
  afterAll(async () => {
    sim.admin.setFaults({ failCopies: [] });
    await stack?.dispose();
  });

  test("WHEN refresh then up replace it THEN the new copy is another snapshot, and it exists", async () => {
    sim.admin.setFaults({ failCopies: [{ sourceSnapshotId: "s-sim0003", atPercent: 10 }] });
    const spec: CopySpec = {
      resourceName: "doomed",
      sourceSnapshotId: "s-sim0003",
      destinationRegionId: "ap-southeast-1",
      waitForCompletion: false,
    };
    stack = await EngineStack.create(sim, creds, [spec]);
    expect((await stack.up()).result.summary.result).toBe("succeeded");
    const failed = (await copyOutputs(stack)).doomed.snapshotId;
    const start = Date.now();
    while (simCopies(sim, "ap-southeast-1").find((c) => c.SnapshotId === failed)?.Status !== "failed") {
      if (Date.now() - start > 60_000) throw new Error("the copy never failed");
      await new Promise((r) => setTimeout(r, 200));
    }
    sim.admin.setFaults({ failCopies: [] });

    await stack.refresh();
    const up = await stack.up();

    expect(up.result.summary.resourceChanges?.replace).toBe(1);
    const replacement = (await copyOutputs(stack)).doomed.snapshotId;
    expect(replacement).not.toBe(failed);
    expect(ids(sim, "ap-southeast-1")).toContain(replacement);
    expect(ids(sim, "ap-southeast-1")).not.toContain(failed);
  });
});

describe("GIVEN new copies stay invisible for 30 s of real time and DescribeSnapshots is throttled 30%", () => {
  let stack: EngineStack;
  afterAll(async () => {
    sim.admin.clearFaults();
    await stack?.dispose();
  });

  test("WHEN up creates three copies THEN it succeeds, and the simulator holds exactly the three copies the state records", async () => {
    sim.admin.setFaults({
      // The provider runs on the real clock and the simulator's 600 times faster: 30 s real, past the
      // 20 s grace after which the provider used to give its own copy up for lost.
      invisibleForMs: 30_000 * 600,
      seed: 7,
      rules: [{ kind: "throttle", action: "DescribeSnapshots", rate: 0.3 }],
    });
    const regions = ["cn-beijing", "cn-shenzhen", "us-west-1"];
    stack = await EngineStack.create(
      sim,
      creds,
      regions.map((r, i) => ({
        resourceName: `lag-${i}`,
        sourceSnapshotId: "s-sim0002",
        destinationRegionId: r,
      })),
    );

    expect((await stack.up()).result.summary.result).toBe("succeeded");

    const recorded = Object.values(await copyOutputs(stack))
      .map((c) => c.snapshotId)
      .sort();
    const held = regions.flatMap((r) => simCopies(sim, r).map((c) => c.SnapshotId)).sort();
    expect(held).toEqual(recorded);
    expect(recorded).toHaveLength(3);
  });
});
