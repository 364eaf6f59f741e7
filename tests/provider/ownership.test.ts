/**
 * Ownership and the faults of its kind: each resource generation owns its own copy (rules/ownership.ts), a copy
 * another owner recorded is never adopted or deleted, a replacement always makes a new copy, and however long a
 * new copy stays invisible, a create leaves exactly one copy, recorded.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { copiesIn, createError, startHarness, type Harness } from "./harness";

const plain = {
  sourceSnapshotId: "s-sim0001",
  sourceRegionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  resourceKey: "urn:pulumi:nightly::backups::pulumi-nodejs:dynamic/alicloud:SnapshotCopy::nightly",
};
type Props = Record<string, unknown>;
const tagsOfCopy = (h: Harness, id: string) =>
  (h.sim.admin.snapshots("eu-central-1").find((s) => s.SnapshotId === id) as Props | undefined)?.Tags;

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("GIVEN two stacks with the same project, stack and resource names (two backends)", () => {
  test("WHEN both create the same copy THEN each owns its own copy, and destroying one leaves the other's", async () => {
    h = await startHarness();
    const a = await h.create(plain); // each create is checked afresh: its own ownerId, as in its own backend
    const b = await h.create(plain);

    expect(a.id).not.toBe(b.id);
    expect(a.inputs.ownerId).not.toBe(b.inputs.ownerId);
    await h.delete(a.id, a.outs);
    expect(copiesIn(h, "eu-central-1").map((s) => s.SnapshotId)).toEqual([b.id]);
  });

  test("WHEN a state points at a copy another owner recorded THEN delete leaves that copy and says why", async () => {
    h = await startHarness();
    const a = await h.create(plain);
    const b = await h.create(plain);

    await h.delete(b.id, { ...b.outs, ownerId: a.inputs.ownerId });

    expect(
      copiesIn(h, "eu-central-1")
        .map((s) => s.SnapshotId)
        .sort(),
    ).toEqual([a.id, b.id].sort());
    expect(h.logs.some((l) => l.includes(`${b.id} in eu-central-1: not deleted`))).toBe(true);
  });
});

test("GIVEN two components of two types, each with a child named copy, WHEN both copy one snapshot to one region THEN two copies", async () => {
  h = await startHarness();
  // A URN names the parents' types, not their names: two components of two types, each with a child "copy".
  const urn = (parentType: string) =>
    `urn:pulumi:dev::backups::my:index:${parentType}$pulumi-nodejs:dynamic/alicloud:SnapshotCopy::copy`;
  const one = await h.create({ ...plain, resourceKey: urn("DatabaseBackup") });
  const two = await h.create({ ...plain, resourceKey: urn("LogsBackup") });

  expect(one.id).not.toBe(two.id);
  expect(copiesIn(h, "eu-central-1")).toHaveLength(2);
});

test("GIVEN a copy that failed WHEN up replaces it (check with no old inputs, create, delete the old) THEN the new copy is another snapshot and stays", async () => {
  h = await startHarness();
  h.sim.admin.setFaults({ failCopies: [{ sourceSnapshotId: "s-sim0001", atPercent: 30 }] });
  const failed = await h.create({ ...plain, waitForCompletion: false });
  h.sim.admin.setFaults({ failCopies: [] });
  await h.clock.advance(30 * 60_000);
  const refreshed = await h.read(failed.id, failed.outs);
  expect(refreshed.props).toMatchObject({ status: "failed" });
  expect((await h.provider.diff(failed.id, refreshed.props!, failed.inputs)).replaces).toContain("status");

  const replacement = await h.create({ ...plain, waitForCompletion: false });
  await h.delete(failed.id, refreshed.props!);

  expect(replacement.id).not.toBe(failed.id);
  expect(copiesIn(h, "eu-central-1").map((s) => s.SnapshotId)).toEqual([replacement.id]);
});

test("GIVEN no name and no description WHEN created THEN CopySnapshot gets an auto-name and a description, recorded and kept by the next check", async () => {
  h = await startHarness();
  const made = await h.create({ ...plain, waitForCompletion: false });

  expect(made.outs.name).toMatch(/^nightly-[0-9a-f]{7}$/);
  expect(made.outs.description).toBe("Copy of s-sim0001 from cn-hangzhou, made by Pulumi");
  const again = await h.update(made.id, made.outs, { ...plain, waitForCompletion: false });
  expect(again.diff.changes).toBe(false);
  expect(again.outs).toMatchObject({ name: made.outs.name, description: made.outs.description });
});

test("GIVEN a stack recorded before auto-names (no ownerId, no name) WHEN checked again THEN no change", async () => {
  h = await startHarness();
  const made = await h.create({ ...plain, name: "legacy", waitForCompletion: false });
  const legacy = { ...made.outs, ownerId: null, name: null, description: null };

  const again = await h.update(made.id, legacy, { ...plain, waitForCompletion: false });

  expect(again.diff.changes).toBe(false);
});

test.each([30_000, 90_000])(
  "GIVEN new copies stay invisible for %i ms WHEN created THEN exactly one copy, recorded, and no second token",
  async (invisibleForMs) => {
    h = await startHarness();
    h.sim.admin.setFaults({ invisibleForMs });

    const made = await h.create(plain);

    expect(made.outs).toMatchObject({ status: "accomplished", available: true });
    expect(copiesIn(h, "eu-central-1").map((s) => s.SnapshotId)).toEqual([made.id]);
    expect(h.api.callCount({ action: "CopySnapshot" })).toBe(1);
  },
);

test("GIVEN a copy is made THEN it carries its owner and declaration tags, the outputs show only the user's tags", async () => {
  h = await startHarness();
  const made = await h.create({ ...plain, tags: { team: "platform" }, waitForCompletion: false });

  const keys = ((tagsOfCopy(h, made.id) as { Tag: { TagKey: string; TagValue: string }[] }).Tag ?? []).map(
    (t) => `${t.TagKey}=${t.TagValue}`,
  );
  expect(keys).toEqual(
    expect.arrayContaining([
      "team=platform",
      `pulumi-snapshot-copy:owner=${made.inputs.ownerId as string}`,
      expect.stringMatching(/^pulumi-snapshot-copy:resource=[0-9a-f]{40}$/),
    ]),
  );
  expect(made.outs.tags).toEqual({ team: "platform" });
});

test("GIVEN timeoutMinutes 3 and a DeleteSnapshot that always fails WHEN the wait times out THEN the cleanup ends within its bound and the copy is recorded", async () => {
  h = await startHarness();
  h.sim.admin.setFaults({ rules: [{ kind: "internal", action: "DeleteSnapshot", rate: 1 }] });
  const started = h.clock.now();

  const err = await createError(h, { ...plain, timeoutMinutes: 3 });

  expect(h.clock.now() - started).toBeLessThan(8 * 60_000);
  expect(err.message).toMatch(/Cancelling the copy s-\S+ did not finish.*recorded in the stack/s);
  expect(err.id).toMatch(/^s-/);
  expect(copiesIn(h, "eu-central-1").map((s) => s.SnapshotId)).toEqual([err.id]);
});

describe("GIVEN adoptSnapshotId", () => {
  test("WHEN it names a copy another resource recorded THEN create refuses, naming the owner, and changes nothing", async () => {
    h = await startHarness();
    const other = await h.create(plain);

    const err = await createError(h, { ...plain, adoptSnapshotId: other.id });

    expect(err.message).toMatch(/belongs to another SnapshotCopy.*pulumi-snapshot-copy:owner/);
    expect(copiesIn(h, "eu-central-1").map((s) => s.SnapshotId)).toEqual([other.id]);
  });

  test("WHEN it names a copy made outside Pulumi, with no name declared THEN the copy keeps its name and is tagged as this resource's", async () => {
    h = await startHarness();
    const made = await ecsClient(h.sim, "cn-hangzhou").copySnapshot(
      new $Ecs.CopySnapshotRequest({
        regionId: "cn-hangzhou",
        snapshotId: "s-sim0001",
        destinationRegionId: "eu-central-1",
        destinationSnapshotName: "made-by-hand",
        destinationSnapshotDescription: "made outside the stack",
      }),
    );
    const id = made.body!.snapshotId!;

    const adopted = await h.create({ ...plain, adoptSnapshotId: id, waitForCompletion: false });

    const copy = h.sim.admin.snapshots("eu-central-1").find((s) => s.SnapshotId === id) as unknown as Props;
    expect(copy.SnapshotName).toBe("made-by-hand");
    expect(JSON.stringify(copy.Tags)).toContain(`"TagValue":"${adopted.inputs.ownerId as string}"`);
  });
});
