/**
 * SnapshotCopySet on the real engine (docs/design.md §10): one declaration copies several snapshots to two
 * regions, one set encrypted with each region's key; the copies run side by side, one summary reports them,
 * the first failed copy ends `up` at once with Alibaba's reason and the copy's name, and destroy leaves nothing.
 */
import type { Simulator } from "../../simulator";
import {
  EngineStack,
  failure,
  Recording,
  simCopies,
  SNAPSHOT_COPY_TYPE,
  startEngineSimulator,
  steps,
  type TestCredentials,
} from "./harness";

/** The simulator's default seed: an Enabled key in each destination region (alias/backup in both). */
const KEYS: Record<string, string> = {
  "eu-central-1": "key-hzz65f1cb66fa42qo0002",
  "cn-shanghai": "key-hzz65f1cb66fa42qo0001",
};
const REGIONS = ["eu-central-1", "cn-shanghai"];

type SetOutput = {
  copies: Record<string, Record<string, { snapshotId: string; status: string }>>;
  copyCount: number;
};

let sim: Simulator;
let creds: TestCredentials;
beforeAll(async () => {
  ({ sim, creds } = await startEngineSimulator());
});
afterAll(async () => {
  await sim?.stop();
});

const allCopies = () => REGIONS.flatMap((r) => simCopies(sim, r));

describe("GIVEN a plain set of two snapshots and an encrypted set of one, each to two regions", () => {
  let stack: EngineStack;
  let outputs: Record<string, SetOutput>;
  const up = new Recording();
  afterAll(async () => {
    await stack?.dispose();
  });

  test("WHEN up runs THEN six copies are usable, the encrypted ones with their region's key, one summary per set", async () => {
    stack = await EngineStack.create(sim, creds, []);
    await stack.setCopySets([
      {
        resourceName: "plain",
        sourceSnapshotIds: { orders: "s-sim0001", users: "s-sim0002" },
        sourceRegionId: "cn-hangzhou",
        destinationRegionIds: REGIONS,
        tags: { team: "platform" },
      },
      {
        resourceName: "sealed",
        sourceSnapshotIds: ["s-sim0003"],
        destinationRegionIds: REGIONS,
        encrypted: true,
        kmsKeyIds: { "eu-central-1": KEYS["eu-central-1"], "cn-shanghai": "alias/backup" },
      },
    ]);
    expect((await stack.up(up)).result.summary.result).toBe("succeeded");
    outputs = (await stack.stack.outputs()).copySets.value as Record<string, SetOutput>;

    expect(outputs.plain.copyCount).toBe(4);
    expect(outputs.sealed.copyCount).toBe(2);
    expect(allCopies()).toHaveLength(6);
    for (const [set, key] of [
      ["plain", "orders"],
      ["plain", "users"],
      ["sealed", "s-sim0003"],
    ] as const)
      for (const region of REGIONS) {
        const out = outputs[set].copies[key][region];
        expect(out.status).toBe("accomplished");
        const inSim = simCopies(sim, region).find((c) => c.SnapshotId === out.snapshotId);
        expect(inSim).toMatchObject({ Status: "accomplished", Available: true });
        if (set === "sealed") expect(inSim).toMatchObject({ Encrypted: true, KMSKeyId: KEYS[region] });
        else expect(inSim?.Encrypted).toBe(false);
      }
    // Each copy is a child of its set, named <set>-<key>-<region>.
    const created = steps(up.events, SNAPSHOT_COPY_TYPE).filter((s) => s.op === "create");
    expect(created.map((s) => s.name).sort()).toEqual(
      [
        "plain-orders-cn-shanghai",
        "plain-orders-eu-central-1",
        "plain-users-cn-shanghai",
        "plain-users-eu-central-1",
        "sealed-s-sim0003-cn-shanghai",
        "sealed-s-sim0003-eu-central-1",
      ].sort(),
    );
    expect(
      created.every((s) => s.urn.includes("SnapshotCopySet$pulumi-nodejs:dynamic/alicloud:SnapshotCopy::")),
    ).toBe(true);
    expect(up.output).toMatch(/SnapshotCopiesReady \S+\/plain-ready: 4\/4 copies usable/);
    expect(up.output).toMatch(/SnapshotCopiesReady \S+\/sealed-ready: 2\/2 copies usable/);
  });

  test("WHEN preview runs again THEN nothing changes", async () => {
    expect((await stack.preview({ expectNoChanges: true })).result.changeSummary).toMatchObject({ same: 11 }); // the stack, 2 sets, 6 copies, 2 ready children
  });

  test("WHEN destroy runs THEN the simulator holds no copy", async () => {
    expect((await stack.destroy()).result.summary.result).toBe("succeeded");
    expect(allCopies()).toEqual([]);
  });
});

describe("GIVEN a set of three snapshots, one of whose copies fails at 30% while a large one still runs", () => {
  let stack: EngineStack;
  afterAll(async () => {
    sim.admin.setFaults({ failCopies: [] });
    await stack?.dispose();
  });

  test("WHEN up runs THEN it fails at once, naming the failed copy and what the API says of it, before the large copy ends", async () => {
    sim.admin.setFaults({
      failCopies: [{ sourceSnapshotId: "s-sim0010", destinationRegionId: "cn-shanghai", atPercent: 30 }],
    });
    stack = await EngineStack.create(sim, creds, []);
    await stack.setCopySets([
      {
        resourceName: "nightly",
        // s-sim0040 is the seed's 2000 GiB disk: about 100 s at this clock; s-sim0010 fails about 8 s in.
        sourceSnapshotIds: { small: "s-sim0001", failing: "s-sim0010", large: "s-sim0040" },
        destinationRegionIds: REGIONS,
      },
    ]);
    const rec = new Recording();
    const err = await failure(stack.up(rec));

    const said = `${err.message}\n${rec.output}`;
    // DescribeSnapshots has no failure-reason field (ECS API reference): its Status and Progress are the reason.
    expect(said).toMatch(
      /copy nightly-failing-cn-shanghai \(s-\w+ in cn-shanghai\): the copy failed \(Status "failed" at 30% progress\)/,
    );
    const large = simCopies(sim).filter((c) => c.SourceSnapshotId === "s-sim0040");
    expect(large.length).toBe(2);
    expect(large.some((c) => c.Status === "progressing")).toBe(true);
  });

  test("WHEN destroy runs THEN every copy, failed, running or done, is gone", async () => {
    expect(allCopies().length).toBe(6);
    expect((await stack.destroy()).result.summary.result).toBe("succeeded");
    expect(allCopies()).toEqual([]);
  });
});
