/**
 * read (refresh), update and delete against the simulator through the real SDK clients.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { copiesIn, startHarness, type Harness } from "./harness";

const args = {
  sourceSnapshotId: "s-sim0001",
  sourceRegionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  name: "db-backup-eu",
  description: "nightly",
  retentionDays: 30,
  tags: { team: "platform", env: "prod" },
  resourceKey: "proj/dev/db-backup-eu",
};

const MUTATIONS = [
  "ModifySnapshotAttribute",
  "TagResources",
  "UntagResources",
  "JoinResourceGroup",
  "CopySnapshot",
  "DeleteSnapshot",
];

/** Mutating calls the simulator saw, by action (zero rows omitted). */
function mutations(h: Harness): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of MUTATIONS) {
    const n = h.sim.admin.count({ action: a });
    if (n) out[a] = n;
  }
  return out;
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("read", () => {
  test("GIVEN an untouched copy WHEN refreshed THEN props and inputs equal what create recorded", async () => {
    h = await startHarness();
    const { id, outs, inputs } = await h.create(args);

    const r = await h.read(id, outs);

    expect(r.id).toBe(id);
    const { __provider: _p, ...recorded } = outs;
    expect(r.props).toEqual(recorded);
    const { __provider: _q, ...given } = inputs;
    expect(r.inputs).toEqual(given);
  });

  test("GIVEN a copy deleted behind our back WHEN refreshed THEN no ID is returned, so refresh drops it", async () => {
    h = await startHarness();
    const { id, outs } = await h.create(args);
    await ecsClient(h.sim, "eu-central-1").deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id }));

    const r = await h.read(id, outs);

    expect(r.id).toBeUndefined();
  });

  test("GIVEN a copy renamed behind our back WHEN refreshed THEN the drift shows in props and inputs", async () => {
    h = await startHarness();
    const { id, outs } = await h.create(args);
    await ecsClient(h.sim, "eu-central-1").modifySnapshotAttribute(
      new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: id, snapshotName: "renamed" }),
    );

    const r = await h.read(id, outs);

    expect(r.props?.name).toBe("renamed");
    expect(r.inputs?.name).toBe("renamed");
  });
});

describe("update", () => {
  test.each([
    ["name", { name: "db-backup-eu-2" }, { ModifySnapshotAttribute: 1 }],
    ["description", { description: "weekly" }, { ModifySnapshotAttribute: 1 }],
    ["retentionDays", { retentionDays: 60 }, { ModifySnapshotAttribute: 1 }],
    ["a tag's value", { tags: { team: "platform", env: "staging" } }, { TagResources: 1 }],
    ["the tag set (one removed)", { tags: { team: "platform" } }, { UntagResources: 1 }],
    ["resourceGroupId", { resourceGroupId: "rg-aek2backup0001" }, { JoinResourceGroup: 1 }],
    ["a wait setting", { pollMaxSeconds: 30 }, {}],
  ])(
    "WHEN only %s changes THEN only its own API call is made and the copy shows it",
    async (_what, change, calls) => {
      h = await startHarness();
      const { id, outs } = await h.create(args);
      h.sim.admin.resetCounters();

      const { outs: after, diff } = await h.update(id, outs, { ...args, ...change });

      expect(diff).toMatchObject({ changes: true, replaces: [] });
      expect(mutations(h)).toEqual(calls);
      expect(after).toMatchObject(change);
      const refreshed = await h.read(id, after);
      expect(refreshed.props).toMatchObject(change);
    },
  );

  test("GIVEN no change WHEN diffed THEN there are no changes", async () => {
    h = await startHarness();
    const { id, outs, inputs } = await h.create(args);

    expect(await h.provider.diff(id, outs, inputs)).toMatchObject({ changes: false, replaces: [] });
  });
});

describe("delete", () => {
  test("GIVEN a copy in progress WHEN deleted THEN the copy is cancelled and gone", async () => {
    h = await startHarness();
    const { id, outs } = await h.create({ ...args, waitForCompletion: false });
    expect(outs.status).toBe("progressing");

    await h.delete(id, outs);

    expect(copiesIn(h, "eu-central-1")).toEqual([]);
    expect(h.sim.admin.count({ action: "DeleteSnapshot", region: "eu-central-1" })).toBe(1);
  });

  test("GIVEN an accomplished copy WHEN deleted THEN it is gone", async () => {
    h = await startHarness();
    const { id, outs } = await h.create(args);

    await h.delete(id, outs);

    expect(copiesIn(h, "eu-central-1")).toEqual([]);
  });

  test("GIVEN a copy that no longer exists WHEN deleted THEN it succeeds", async () => {
    h = await startHarness();
    const { id, outs } = await h.create(args);
    await ecsClient(h.sim, "eu-central-1").deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id }));

    await expect(h.delete(id, outs)).resolves.toBeUndefined();
  });

  test("GIVEN a copy a disk was created from WHEN deleted THEN it is refused with a clear message; forceDelete deletes it", async () => {
    h = await startHarness();
    const { id, outs } = await h.create(args);
    await ecsClient(h.sim, "eu-central-1").createDisk(
      new $Ecs.CreateDiskRequest({ regionId: "eu-central-1", zoneId: "eu-central-1a", snapshotId: id }),
    );

    const refused = await h.delete(id, outs).then(
      () => undefined,
      (e: Error) => e,
    );

    expect(refused?.message).toMatch(
      new RegExp(`cannot delete snapshot copy ${id} in eu-central-1: disks? .*created from it`),
    );
    expect(refused?.message).toContain("SnapshotCreatedDisk");
    expect(refused?.message).toContain("forceDelete: true");
    expect(copiesIn(h, "eu-central-1")).toHaveLength(1);

    const { outs: forced } = await h.update(id, outs, { ...args, forceDelete: true });
    await h.delete(id, forced);

    expect(copiesIn(h, "eu-central-1")).toEqual([]);
  });
});
