import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as $Ecs from "@alicloud/ecs20140526";
import { defaultSeed, startSimulator, VirtualClock } from "../../simulator";
import { ecsClient } from "../helpers/sdk";
import { T0 } from "./fixture";

const dir = mkdtempSync(join(tmpdir(), "alibaba-sim-"));
const copyReq = new $Ecs.CopySnapshotRequest({
  regionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  snapshotId: "s-sim0001",
  destinationSnapshotName: "sim-copy",
  destinationSnapshotDescription: "simulator test copy",
  clientToken: "persist-1",
});

describe("persistence", () => {
  it("GIVEN a statePath WHEN the simulator restarts THEN snapshots, tokens and virtual time come back, so copies keep their progress", async () => {
    const statePath = join(dir, "state.json");
    const first = await startSimulator({ statePath, clock: new VirtualClock({ mode: "manual", start: T0 }) });
    const id = (await ecsClient(first).copySnapshot(copyReq)).body?.snapshotId as string;
    first.clock.advance(30_000 + 5 * 60_000);
    await first.stop();
    expect(JSON.parse(readFileSync(statePath, "utf8")).clockNow).toBe(T0 + 330_000);

    const second = await startSimulator({
      statePath,
      clock: new VirtualClock({ mode: "manual", start: T0 }),
    });
    try {
      expect(second.clock.now()).toBe(T0 + 330_000);
      const look = async () =>
        (
          await ecsClient(second).describeSnapshots(
            new $Ecs.DescribeSnapshotsRequest({
              regionId: "eu-central-1",
              snapshotIds: JSON.stringify([id]),
            }),
          )
        ).body?.snapshots?.snapshot?.[0];
      expect(await look()).toMatchObject({ status: "progressing", progress: "50%" });
      expect((await ecsClient(second).copySnapshot(copyReq)).body?.snapshotId).toBe(id);
      second.clock.advance(5 * 60_000);
      expect(await look()).toMatchObject({ status: "accomplished", available: true });
    } finally {
      await second.stop();
    }
  });

  it("saves after every mutating call, atomically (no temp file left behind)", async () => {
    const statePath = join(dir, "live.json");
    const sim = await startSimulator({ statePath, clock: new VirtualClock({ mode: "manual", start: T0 }) });
    try {
      const id = (await ecsClient(sim).copySnapshot(copyReq)).body?.snapshotId as string;
      const saved = JSON.parse(readFileSync(statePath, "utf8")) as {
        world: { snapshots: { snapshotId: string }[] };
      };
      expect(saved.world.snapshots.map((s) => s.snapshotId)).toContain(id);
      expect(existsSync(`${statePath}.${process.pid}.tmp`)).toBe(false);
    } finally {
      await sim.stop();
    }
  });
});

describe("admin HTTP API under /__sim/", () => {
  it("seeds, sets faults, counts, dumps, moves the clock and resets", async () => {
    const sim = await startSimulator({ clock: new VirtualClock({ mode: "manual", start: T0 }) });
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(`${sim.endpoint}/__sim/${path}`, {
        method,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, json: (await r.json()) as Record<string, unknown> & unknown[] };
    };
    try {
      expect(await call("GET", "health")).toMatchObject({
        status: 200,
        json: { ok: true, cpuMs: expect.any(Number) },
      });
      await call("POST", "seed", {
        disks: [{ diskId: "d-http", regionId: "cn-beijing", sizeGiB: 5 }],
        snapshots: [{ snapshotId: "s-http", regionId: "cn-beijing", diskId: "d-http" }],
      });
      const state = await call("GET", "state");
      expect((state.json.snapshots as { SnapshotId: string }[]).map((s) => s.SnapshotId)).toContain("s-http");

      expect(
        (await call("PUT", "faults", { rules: [{ kind: "throttle", action: "DescribeRegions", rate: 1 }] }))
          .json.rules,
      ).toHaveLength(1);
      await ecsClient(sim)
        .describeRegions(new $Ecs.DescribeRegionsRequest({}))
        .catch(() => undefined);
      expect((await call("GET", "counters")).json).toEqual([
        { action: "DescribeRegions", region: "", status: 400, count: 1 },
      ]);
      await call("DELETE", "faults");
      await call("DELETE", "counters");
      await ecsClient(sim).describeRegions(new $Ecs.DescribeRegionsRequest({}));
      expect((await call("GET", "counters")).json).toEqual([
        { action: "DescribeRegions", region: "", status: 200, count: 1 },
      ]);

      expect((await call("POST", "clock", { advanceMs: 60_000 })).json).toMatchObject({
        now: T0 + 60_000,
        mode: "manual",
      });
      expect((await call("GET", "clock")).json.iso).toBe("2026-11-26T12:01:00.000Z");

      await call("POST", "reset", { regions: ["cn-hangzhou"], accounts: defaultSeed().accounts });
      expect(sim.admin.snapshots()).toHaveLength(0);
      expect((await call("GET", "nope")).status).toBe(404);
    } finally {
      await sim.stop();
    }
  });
});

describe("CLI", () => {
  it("prints its ready line, serves the seed file, and saves state and exits 0 on SIGTERM", async () => {
    const seedPath = join(dir, "seed.json");
    const statePath = join(dir, "cli-state.json");
    writeFileSync(seedPath, JSON.stringify({ ...defaultSeed(), regions: ["cn-hangzhou", "eu-central-1"] }));
    const child = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        "simulator/cli.ts",
        "--port",
        "0",
        "--seed",
        seedPath,
        "--state",
        statePath,
        "--speed",
        "60",
      ],
      {
        cwd: join(__dirname, "../.."),
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const endpoint = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /alibaba-sim listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once("exit", (code) => reject(new Error(`cli exited early with ${code}: ${out}`)));
    });
    const regions = await ecsClient({ endpoint, host: endpoint.slice("http://".length) }).describeRegions(
      new $Ecs.DescribeRegionsRequest({}),
    );
    expect(regions.body?.regions?.region?.map((r) => r.regionId)).toEqual(["cn-hangzhou", "eu-central-1"]);
    const clock = (await (await fetch(`${endpoint}/__sim/clock`)).json()) as { speed: number };
    expect(clock.speed).toBe(60);
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(existsSync(statePath)).toBe(true);
  });
});
