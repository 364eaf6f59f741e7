/**
 * create against the simulator through the real SDK clients: plain and encrypted copies, the KMS key gate,
 * failed copies, timeouts (cancel, and keep then resume), lost CopySnapshot responses, a busy disk, adopting.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { resourceTagValue, startingTags } from "../../provider/rules/ownership";
import { checkInputs } from "../../provider/rules/check";
import { copiesIn, createError, startHarness, type Harness } from "./harness";

const plain = {
  sourceSnapshotId: "s-sim0001", // 20 GiB: about 10 min for a first (full) copy
  sourceRegionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  name: "db-backup-eu",
  tags: { team: "platform" },
  resourceKey: "proj/dev/db-backup-eu",
};

/**
 * The copy a killed run of `plain` left: its CopySnapshot reached the API with its own generation's ownerId and
 * `starting:` tags; the engine never saw the answer, so the re-run is a new generation (a new ownerId) of the
 * same declaration.
 */
async function copyOfKilledRun(h: Harness) {
  const { inputs } = checkInputs({}, plain, {});
  const tags = startingTags({ team: "platform" }, "0123456789abcdef", resourceTagValue(inputs));
  return ecsClient(h.sim, "cn-hangzhou").copySnapshot(
    new $Ecs.CopySnapshotRequest({
      regionId: "cn-hangzhou",
      snapshotId: "s-sim0001",
      destinationRegionId: "eu-central-1",
      clientToken: "sc-killed-run",
      destinationSnapshotName: "db-backup-eu",
      destinationSnapshotDescription: "the killed run's copy",
      tag: Object.entries(tags).map(([key, value]) => new $Ecs.CopySnapshotRequestTag({ key, value })),
    }),
  );
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("create", () => {
  test("GIVEN a plain copy WHEN created THEN it waits until the copy is available and records its outputs", async () => {
    h = await startHarness();
    const { id, outs } = await h.create(plain);

    expect(outs).toMatchObject({
      snapshotId: id,
      status: "accomplished",
      progress: 100,
      available: true,
      encrypted: false,
      sourceSnapshotId: "s-sim0001",
      sourceRegionId: "cn-hangzhou",
      destinationRegionId: "eu-central-1",
      name: "db-backup-eu",
      tags: { team: "platform" },
      sourceDiskId: "d-sim0001",
      sourceDiskSize: 20,
      arn: `acs:ecs:eu-central-1::snapshot/${id}`,
      // Recorded as null, not left out: an output absent from state reads as unknown in every preview.
      kmsKeyId: null,
      resourceGroupId: null,
    });
    expect(h.sim.admin.count({ action: "CopySnapshot" })).toBe(1);
    expect(copiesIn(h, "eu-central-1")).toEqual([
      expect.objectContaining({ SnapshotId: id, Status: "accomplished" }),
    ]);
  });

  test("WHEN a copy runs THEN progress lines with percent and time left reach the output, throttled", async () => {
    h = await startHarness();
    await h.create(plain);

    const progress = h.logs.filter((l) =>
      l.startsWith("SnapshotCopy proj/dev/db-backup-eu: s-sim0001 -> eu-central-1 "),
    );
    expect(progress.some((l) => / \d+% \(about \d+ min left\)$/.test(l))).toBe(true);
    expect(progress[progress.length - 1]).toMatch(/100%, available$/);
    // A 10-minute copy polled every 5-60 s: a line per 10% step or 30 s at most, not one per poll.
    expect(progress.length).toBeLessThanOrEqual(25);
  });

  test("GIVEN encrypted with a key alias WHEN created THEN the key is checked first and its ID is recorded", async () => {
    h = await startHarness();
    const { outs } = await h.create({ ...plain, encrypted: true, kmsKeyId: "alias/backup" });

    expect(outs).toMatchObject({
      status: "accomplished",
      encrypted: true,
      kmsKeyId: "key-hzz65f1cb66fa42qo0002", // eu-central-1's "alias/backup" (default seed)
      kmsKeyAliases: ["alias/backup"],
    });
    expect(h.sim.admin.count({ action: "DescribeKey", region: "eu-central-1" })).toBe(1);
  });

  test.each([
    ["missing", "key-doesnotexist000000001", /no such KMS key in eu-central-1 \(Forbidden\.KeyNotFound/],
    ["Disabled", "alias/disabled", /is Disabled; CopySnapshot needs an Enabled key: enable it/],
    ["PendingDeletion", "key-pendingdeletion00000001", /is PendingDeletion; .*cancel its deletion/],
    ["PendingImport", "key-pendingimport0000000001", /is PendingImport; .*import its key material/],
  ])(
    "GIVEN a %s KMS key WHEN created THEN it fails naming kmsKeyId, with zero CopySnapshot calls",
    async (_state, kmsKeyId, reason) => {
      h = await startHarness();
      h.sim.admin.seed({
        keys: [
          { keyId: "key-pendingdeletion00000001", regionId: "eu-central-1", state: "PendingDeletion" },
          { keyId: "key-pendingimport0000000001", regionId: "eu-central-1", state: "PendingImport" },
        ],
      });

      const err = await createError(h, { ...plain, encrypted: true, kmsKeyId });

      expect(err.message).toContain(`kmsKeyId "${kmsKeyId}"`);
      expect(err.message).toMatch(reason);
      expect(err.message).toContain("Nothing was copied");
      expect(h.sim.admin.count({ action: "CopySnapshot" })).toBe(0);
    },
  );

  test("GIVEN a copy that fails at 30% WHEN created THEN the wait ends at once with the reason and the copy is deleted", async () => {
    h = await startHarness();
    h.sim.admin.setFaults({ failCopies: [{ sourceSnapshotId: "s-sim0001", atPercent: 30 }] });
    const start = h.clock.now();

    const err = await createError(h, plain);

    expect(err.message).toMatch(/the copy failed/);
    expect(err.message).toMatch(/was cancelled and deleted, so nothing is left behind/);
    expect(err).not.toHaveProperty("id"); // not recorded: nothing exists
    // Promptly: a 10.5-minute copy failing at 30% is reported within a couple of polls, not at a timeout.
    expect(h.clock.now() - start).toBeLessThan(8 * 60_000);
    expect(h.sim.admin.count({ action: "DeleteSnapshot" })).toBe(1);
    expect(copiesIn(h, "eu-central-1")).toEqual([]);
  });

  test("GIVEN timeoutMinutes shorter than the copy WHEN the deadline passes THEN the copy is cancelled and none is left", async () => {
    h = await startHarness();
    const start = h.clock.now();

    const err = await createError(h, { ...plain, timeoutMinutes: 3 });

    expect(err.message).toMatch(/timeout of 3m 0s was reached/);
    expect(err.message).toMatch(/cancelled and deleted/);
    expect(h.clock.now() - start).toBeLessThan(4 * 60_000);
    expect(copiesIn(h, "eu-central-1")).toEqual([]);
  });

  test("GIVEN onTimeout keep WHEN the deadline passes THEN the error records the copy, and the next up resumes the wait", async () => {
    h = await startHarness();

    const err = await createError(h, { ...plain, timeoutMinutes: 3, onTimeout: "keep" });

    // The host's ErrorResourceInitFailed shape: id, properties (with __provider), reasons.
    expect(err.id).toMatch(/^s-/);
    expect(err.properties).toMatchObject({
      snapshotId: err.id,
      status: "progressing",
      available: false,
      onTimeout: "keep",
      __provider: expect.any(String),
    });
    expect(err.reasons).toEqual([err.message]);
    expect(err.message).toMatch(/is kept \(onTimeout: "keep"\).*pulumi up/);
    expect(copiesIn(h, "eu-central-1")).toEqual([
      expect.objectContaining({ SnapshotId: err.id, Status: "progressing" }),
    ]);

    // Next `up`: the engine diffs (no change), then calls update on a resource with init errors.
    const state = err.properties as Record<string, unknown>;
    const { outs, diff } = await h.update(err.id as string, state, {
      ...plain,
      timeoutMinutes: 30,
      onTimeout: "keep",
    });

    expect(diff.replaces).toEqual([]);
    expect(outs).toMatchObject({ snapshotId: err.id, status: "accomplished", available: true });
    expect(h.sim.admin.count({ action: "CopySnapshot" })).toBe(1);
    expect(h.logs.some((l) => l.includes(`resuming the wait for ${err.id}`))).toBe(true);
  });

  test("GIVEN a run killed after CopySnapshot (its copy tagged starting: under this declaration) WHEN create re-runs THEN it resumes that copy, no duplicate", async () => {
    h = await startHarness();
    const lost = await copyOfKilledRun(h);

    const { id } = await h.create(plain);

    expect(id).toBe(lost.body?.snapshotId);
    expect(copiesIn(h, "eu-central-1")).toHaveLength(1);
  });

  test.each(["any", "empty"] as const)(
    "GIVEN an API whose DescribeSnapshots reads a tag key without a value as '%s' value, and a run killed after CopySnapshot WHEN its create re-runs together with two others into the region THEN it resumes that copy, and the others make one each",
    async (reading) => {
      h = await startHarness();
      h.sim.admin.setTagKeyAlone(reading);
      const lost = await copyOfKilledRun(h);
      const others = ["s-sim0002", "s-sim0003"].map((sourceSnapshotId, i) => ({
        ...plain,
        sourceSnapshotId,
        name: `other-${i}`,
        resourceKey: `proj/dev/other-${i}`,
      }));

      const [resumed, ...made] = await Promise.all([plain, ...others].map((args) => h.create(args)));

      expect(resumed.id).toBe(lost.body?.snapshotId);
      expect(
        copiesIn(h, "eu-central-1")
          .map((c) => c.SnapshotId)
          .sort(),
      ).toEqual([resumed.id, ...made.map((m) => m.id)].sort());
      expect(h.api.callCount({ action: "CopySnapshot" })).toBe(2);
    },
  );

  test("GIVEN connection resets on CopySnapshot WHEN created THEN the retry with the same token makes one copy", async () => {
    h = await startHarness();
    h.sim.admin.setFaults({ rules: [{ kind: "reset", action: "CopySnapshot", rate: 1, times: 2 }] });

    const { id } = await h.create(plain);

    expect(h.api.callCount({ action: "CopySnapshot" })).toBe(3);
    expect(copiesIn(h, "eu-central-1").map((s) => s.SnapshotId)).toEqual([id]);
  });

  test("GIVEN a resource's earlier copy was deleted WHEN created again THEN its new generation makes a new copy with one CopySnapshot, no grace wait", async () => {
    h = await startHarness();
    const first = await h.create(plain);
    await h.delete(first.id, first.outs);
    const before = h.api.callCount({ action: "CopySnapshot" });

    const second = await h.create(plain);

    expect(second.id).not.toBe(first.id);
    expect(h.api.callCount({ action: "CopySnapshot" }) - before).toBe(1);
    expect(copiesIn(h, "eu-central-1").map((s) => s.SnapshotId)).toEqual([second.id]);
  });

  test("GIVEN five destroy-then-create cycles of one resource THEN each create costs at most two CopySnapshot calls", async () => {
    h = await startHarness();
    const ids = new Set<string>();
    for (let cycle = 0; cycle < 5; cycle++) {
      const before = h.api.callCount({ action: "CopySnapshot" });
      const made = await h.create(plain);
      expect(h.api.callCount({ action: "CopySnapshot" }) - before).toBeLessThanOrEqual(2);
      ids.add(made.id);
      await h.delete(made.id, made.outs);
    }
    expect(ids.size).toBe(5);
    expect(copiesIn(h, "eu-central-1")).toEqual([]);
  });

  test("GIVEN another stack's unfinished copy of the same disk WHEN created THEN it waits, says why, then copies", async () => {
    h = await startHarness();
    const ecs = ecsClient(h.sim, "cn-hangzhou");
    await ecs.copySnapshot(
      new $Ecs.CopySnapshotRequest({
        destinationSnapshotName: "made-outside",
        destinationSnapshotDescription: "made outside the stack",
        regionId: "cn-hangzhou",
        snapshotId: "s-sim0001",
        destinationRegionId: "eu-central-1",
      }),
    );

    const { outs } = await h.create(plain);

    expect(outs).toMatchObject({ status: "accomplished", available: true });
    expect(h.logs.some((l) => l.includes("InvalidOperation.UnfinishedCrossRegionCopy"))).toBe(true);
    expect(copiesIn(h, "eu-central-1")).toHaveLength(2);
  });

  test("GIVEN waitForCompletion false WHEN created THEN it returns once the copy exists, still progressing", async () => {
    h = await startHarness();

    const { outs } = await h.create({ ...plain, waitForCompletion: false });

    expect(outs).toMatchObject({ status: "progressing", available: false });
  });

  describe("adoptSnapshotId", () => {
    async function existingCopy(): Promise<string> {
      const res = await ecsClient(h.sim, "cn-hangzhou").copySnapshot(
        new $Ecs.CopySnapshotRequest({
          destinationSnapshotName: "made-outside",
          destinationSnapshotDescription: "made outside the stack",
          regionId: "cn-hangzhou",
          snapshotId: "s-sim0001",
          destinationRegionId: "eu-central-1",
        }),
      );
      return res.body!.snapshotId!;
    }

    test("GIVEN an existing copy WHEN adopted THEN no copy is made and the declared attributes are applied", async () => {
      h = await startHarness();
      const existing = await existingCopy();

      const { id, outs } = await h.create({ ...plain, adoptSnapshotId: existing });

      expect(id).toBe(existing);
      expect(outs).toMatchObject({
        status: "accomplished",
        name: "db-backup-eu",
        tags: { team: "platform" },
      });
      expect(h.sim.admin.count({ action: "CopySnapshot" })).toBe(1); // only the pre-existing one
      expect(h.sim.admin.count({ action: "ModifySnapshotAttribute" })).toBe(1);
      expect(h.sim.admin.count({ action: "TagResources" })).toBe(1);
      expect(copiesIn(h, "eu-central-1")).toEqual([
        expect.objectContaining({ SnapshotId: existing, SnapshotName: "db-backup-eu" }),
      ]);
    });

    test("GIVEN a copy of another snapshot WHEN adopted THEN it is refused", async () => {
      h = await startHarness();
      const existing = await existingCopy();

      const err = await createError(h, {
        ...plain,
        sourceSnapshotId: "s-sim0002",
        adoptSnapshotId: existing,
      });

      expect(err.message).toContain(`is a copy of "s-sim0001", not of sourceSnapshotId "s-sim0002"`);
    });
  });
});
