/**
 * Failures from outside the stack, at the provider level through the real SDK clients: the source
 * snapshot deleted while its copy runs. The API says only "failed"; create names the cause and leaves nothing.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { copiesIn, createError, startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

test("GIVEN a running copy WHEN its source snapshot is deleted THEN create fails naming the deleted source, and no copy is left", async () => {
  h = await startHarness();
  // s-sim0010 is about 477 GiB: a four-hour copy, so it is surely still running 10 virtual minutes in.
  const deleted = h.clock
    .sleep(10 * 60_000)
    .then(() => ecsClient(h.sim).deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-sim0010" })));

  const err = await createError(h, {
    sourceSnapshotId: "s-sim0010",
    sourceRegionId: "cn-hangzhou",
    destinationRegionId: "eu-central-1",
    resourceKey: "proj/dev/db-backup-eu",
  });
  await deleted;

  expect(err.message).toContain("SnapshotCopy proj/dev/db-backup-eu: s-sim0010 -> eu-central-1");
  expect(err.message).toMatch(/the copy failed \(Status "failed" at \d+% progress\)/);
  expect(err.message).toContain(
    "the source snapshot s-sim0010 no longer exists in cn-hangzhou: it was deleted while the copy ran",
  );
  expect(err.message).toMatch(/was cancelled and deleted, so nothing is left behind/);
  expect(copiesIn(h, "eu-central-1")).toEqual([]);
});
