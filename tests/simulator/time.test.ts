import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { useSimulator } from "./fixture";

// Copy timing with the default model: 30 s start latency, then 2 GiB/min (full) or 10 % of the disk (incremental).
const t = useSimulator();
const ecs = () => ecsClient(t.sim);
const MIN = 60_000;

const copy = async (snapshotId = "s-sim0001", destinationRegionId = "eu-central-1"): Promise<string> =>
  (
    await ecs().copySnapshot(
      new $Ecs.CopySnapshotRequest({
        regionId: "cn-hangzhou",
        destinationRegionId,
        snapshotId,
        destinationSnapshotName: "sim-copy",
        destinationSnapshotDescription: "simulator test copy",
      }),
    )
  ).body?.snapshotId as string;
const look = async (id: string, region = "eu-central-1") =>
  (
    await ecs().describeSnapshots(
      new $Ecs.DescribeSnapshotsRequest({ regionId: region, snapshotIds: JSON.stringify([id]) }),
    )
  ).body?.snapshots?.snapshot?.[0];

describe("a copy over virtual time", () => {
  it("GIVEN a 20 GiB disk WHEN time passes THEN progress is 0 during the latency, linear after, accomplished at the end", async () => {
    const id = await copy(); // d-sim0001 is 20 GiB: 10 minutes at 2 GiB/min after 30 s.
    expect(await look(id)).toMatchObject({
      status: "progressing",
      progress: "0%",
      remainTime: 630,
      available: false,
    });
    t.clock.advance(30_000);
    expect(await look(id)).toMatchObject({ progress: "0%", remainTime: 600 });
    t.clock.advance(4.5 * MIN);
    expect(await look(id)).toMatchObject({
      status: "progressing",
      progress: "45%",
      remainTime: 330,
      available: false,
    });
    t.clock.advance(5.5 * MIN);
    expect(await look(id)).toMatchObject({
      status: "accomplished",
      progress: "100%",
      remainTime: 0,
      available: true,
    });
  });

  it("runs hours of copying in milliseconds of test time", async () => {
    const id = await copy("s-sim0040"); // 2000 GiB: 1000 minutes.
    t.clock.advance(500 * MIN);
    expect((await look(id))?.progress).toBe("49%");
    t.clock.advance(501 * MIN);
    expect((await look(id))?.status).toBe("accomplished");
  });

  it("makes a later copy of the same disk to the same region incremental and faster", async () => {
    const first = await copy("s-sim0010");
    const full = (await look(first))?.remainTime as number;
    t.clock.advance(full * 1000);
    expect((await look(first))?.status).toBe("accomplished");
    const second = await copy("s-sim0010");
    const incremental = (await look(second))?.remainTime as number;
    expect(incremental).toBeLessThan(full);
    expect(incremental).toBe(30 + Math.ceil(full - 30) / 10);
    // A different destination region gets a full copy again.
    const elsewhere = await copy("s-sim0010", "cn-shanghai");
    expect((await look(elsewhere, "cn-shanghai"))?.remainTime).toBe(full);
  });

  it("cancels a copy in progress when it is deleted, which frees the disk for a new copy", async () => {
    const id = await copy();
    t.clock.advance(2 * MIN);
    await ecs().deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id }));
    expect(await look(id)).toBeUndefined();
    expect(t.sim.admin.snapshots("eu-central-1")).toHaveLength(0);
    await expect(copy()).resolves.toMatch(/^s-/);
  });

  it("lets a new copy start once the previous one of the same disk has finished", async () => {
    const id = await copy();
    t.clock.advance(11 * MIN);
    expect((await look(id))?.status).toBe("accomplished");
    await expect(copy()).resolves.not.toBe(id);
  });
});
