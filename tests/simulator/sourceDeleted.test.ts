/**
 * A source snapshot deleted while a copy of it is still running (a failure from outside the provider): the copy
 * turns `failed` where it was; finished copies of that source are untouched. See failCopiesOf in
 * simulator/models/ecs.ts for why the simulator models the race this way.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { useSimulator } from "./fixture";

const t = useSimulator();
const ecs = (region = "cn-hangzhou") => ecsClient(t.sim, region);
const copyOf = async (snapshotId: string, destinationRegionId: string) =>
  (
    await ecs().copySnapshot(
      new $Ecs.CopySnapshotRequest({
        regionId: "cn-hangzhou",
        snapshotId,
        destinationRegionId,
        destinationSnapshotName: "sim-copy",
        destinationSnapshotDescription: "simulator test copy",
      }),
    )
  ).body?.snapshotId as string;
const byId = async (region: string, id: string) =>
  (
    await ecs(region).describeSnapshots(
      new $Ecs.DescribeSnapshotsRequest({ regionId: region, snapshotIds: JSON.stringify([id]) }),
    )
  ).body?.snapshots?.snapshot?.[0];

test("GIVEN a copy at 40% WHEN its source snapshot is deleted THEN the copy ends failed at 40%; a finished copy stays", async () => {
  const finished = await copyOf("s-sim0001", "cn-shanghai");
  t.clock.advance(30_000 + 10 * 60_000); // 20 GiB at 2 GiB/min: done
  const running = await copyOf("s-sim0001", "eu-central-1");
  t.clock.advance(30_000 + 4 * 60_000); // 4 of 10 minutes: 40 %

  await ecs().deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-sim0001" }));
  t.clock.advance(60 * 60_000);

  expect(await byId("eu-central-1", running)).toMatchObject({
    status: "failed",
    progress: "40%",
    available: false,
  });
  expect(await byId("cn-shanghai", finished)).toMatchObject({ status: "accomplished", available: true });
});
