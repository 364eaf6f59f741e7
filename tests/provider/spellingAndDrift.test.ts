/**
 * A key's other spelling never replaces; what the cloud holds is recorded, never re-checked as input; an update of
 * a copy deleted outside the stack says what to do; values the user dropped keep the copy's.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { startHarness, type Harness } from "./harness";

const plain = {
  sourceSnapshotId: "s-sim0001",
  sourceRegionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  name: "nightly",
  resourceKey: "urn:pulumi:dev::backups::pulumi-nodejs:dynamic/alicloud:SnapshotCopy::nightly",
  waitForCompletion: false,
};
// eu-central-1's "alias/backup" names this key in the simulator's default seed.
const KEY = "key-hzz65f1cb66fa42qo0002";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("GIVEN a copy encrypted with the key's ID", () => {
  test.each([
    ["its alias", "alias/backup"],
    ["its alias ARN", "acs:kms:eu-central-1:1234567890:alias/backup"],
  ])(
    "WHEN kmsKeyId becomes %s THEN no replace, one DescribeKey, and the next diff needs none",
    async (_t, spelling) => {
      h = await startHarness();
      const made = await h.create({ ...plain, encrypted: true, kmsKeyId: KEY });
      const before = h.api.callCount({ action: "DescribeKey" });

      const changed = await h.update(made.id, made.outs, { ...plain, encrypted: true, kmsKeyId: spelling });

      expect(changed.diff.replaces).toEqual([]);
      expect(h.api.callCount({ action: "DescribeKey" }) - before).toBe(1);
      const again = await h.provider.diff(made.id, changed.outs, { ...changed.outs, kmsKeyId: spelling });
      expect(again.replaces).toEqual([]);
      expect(h.api.callCount({ action: "DescribeKey" }) - before).toBe(1);
    },
  );

  test("WHEN kmsKeyId becomes an alias of another key THEN it replaces", async () => {
    h = await startHarness();
    const made = await h.create({ ...plain, encrypted: true, kmsKeyId: KEY });
    const other = { ...plain, encrypted: true, kmsKeyId: "alias/disabled" };

    const d = await h.provider.diff(made.id, made.outs, { ...made.inputs, ...other });

    expect(d.replaces).toEqual(["kmsKeyId"]);
  });
});

test("GIVEN a copy renamed outside the stack to a name the API took (a full-width digit) WHEN refreshed twice THEN both refreshes record it", async () => {
  h = await startHarness();
  const made = await h.create(plain);
  // The first refresh recorded the cloud's name, which our own name rule would refuse as input.
  const renamed = "nightly１";
  const first = await h.read(made.id, { ...made.outs, name: renamed });
  const second = await h.read(made.id, first.props!);

  expect(first.id).toBe(made.id);
  expect(second.props).toMatchObject({ snapshotId: made.id });
});

test("GIVEN a copy deleted outside the stack WHEN its name changes without a refresh THEN update says so and what to do", async () => {
  h = await startHarness();
  const made = await h.create(plain);
  await ecsClient(h.sim, "eu-central-1").deleteSnapshot(
    new $Ecs.DeleteSnapshotRequest({ snapshotId: made.id }),
  );

  const err = await h.update(made.id, made.outs, { ...plain, name: "renamed" }).then(
    () => undefined,
    (e: Error) => e,
  );

  expect(err?.message).toMatch(
    /no longer exists in eu-central-1: it was deleted outside this stack.*pulumi refresh.*pulumi up/s,
  );
});

test("GIVEN a program that drops name and resourceGroupId while raising retentionDays WHEN updated THEN the outputs keep the copy's values", async () => {
  h = await startHarness();
  const made = await h.create({ ...plain, retentionDays: 10, resourceGroupId: "rg-acfmzw2jz2z1234" });
  const { name: _n, ...withoutName } = plain;

  const r = await h.update(made.id, made.outs, { ...withoutName, retentionDays: 20 });

  expect(r.outs).toMatchObject({ name: "nightly", retentionDays: 20, resourceGroupId: "rg-acfmzw2jz2z1234" });
});

test.each([
  ["a period, renaming a copy", { name: "night.ly" }, /period.*ModifySnapshotAttribute/],
  ["auto, lower case", { name: "autobackup" }, /must not start with "auto"/],
])("GIVEN %s THEN check refuses it at preview", async (_t, over, reason) => {
  h = await startHarness();
  const made = await h.create(plain);
  const r = await h.provider.check(made.inputs, { ...plain, ...over });
  expect(r.failures?.map((f) => f.reason).join(" ")).toMatch(reason);
});

test.each([
  ["Automobile-db (only lower-case auto is reserved)", { name: "Automobile-db" }],
  ["a period in a new copy's name (CopySnapshot accepts it)", { name: "night.ly" }],
])("GIVEN %s THEN check accepts it", async (_t, over) => {
  h = await startHarness();
  const r = await h.provider.check({}, { ...plain, ...over });
  expect(r.failures).toEqual([]);
});
