/**
 * How many DescribeSnapshots calls (100 IDs each) per second the simulator serves on this machine, over real
 * HTTP with the real V3 SDK client (@alicloud/ecs20140526) — so later performance figures are known not to be
 * bounded by the simulator. The simulator runs in its own process (the CLI), as in the demo, so the client's
 * CPU (SDK signing and parsing) does not share a core with it; the server's own CPU time per call is reported too.
 * Prints a markdown table and writes bench/results/simulator-throughput.json.
 *
 *   npx ts-node --transpile-only bench/simulator-throughput.ts [--seconds 5] [--concurrency 8]
 */
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../simulator";

/** Starts the simulator CLI in a child process and resolves with its endpoint. */
function startCli(seedPath: string): Promise<{ endpoint: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register/transpile-only",
      join(__dirname, "../simulator/cli.ts"),
      "--port",
      "0",
      "--seed",
      seedPath,
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ endpoint: m[1], stop: () => child.kill("SIGTERM") });
    });
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}`)));
  });
}

const serverCpuMs = async (endpoint: string): Promise<number> =>
  ((await (await fetch(`${endpoint}/__sim/health`)).json()) as { cpuMs: number }).cpuMs;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seconds: { type: "string", default: "5" }, concurrency: { type: "string", default: "8" } },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const disks = Array.from({ length: 100 }, (_, i) => ({
    diskId: `d-bench${i}`,
    regionId: "cn-hangzhou",
    sizeGiB: 40,
  }));
  const seedPath = join(tmpdir(), `sim-bench-seed-${process.pid}.json`);
  writeFileSync(
    seedPath,
    JSON.stringify({
      accounts: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }],
      disks,
      snapshots: disks.map((d, i) => ({ snapshotId: `s-bench${i}`, regionId: d.regionId, diskId: d.diskId })),
    }),
  );
  const sim = await startCli(seedPath);
  const host = sim.endpoint.slice("http://".length);
  // openapi-core's transport keeps connections alive (keepAlive agent) between calls of one client.
  const clients = Array.from(
    { length: concurrency },
    () =>
      new Ecs(
        new $OpenApiUtil.Config({
          accessKeyId: DEFAULT_ACCESS_KEY_ID,
          accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
          endpoint: host,
          protocol: "http",
          regionId: "cn-hangzhou",
        }),
      ),
  );
  const req = new $Ecs.DescribeSnapshotsRequest({
    regionId: "cn-hangzhou",
    snapshotIds: JSON.stringify(disks.map((_, i) => `s-bench${i}`)),
    maxResults: 100,
  });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const worker = async (ecs: Ecs): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const r = await ecs.describeSnapshots(req);
        if (r.body?.snapshots?.snapshot?.length !== 100) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const cpuBefore = await serverCpuMs(sim.endpoint);
  const start = performance.now();
  await Promise.all(clients.map(worker));
  const elapsed = (performance.now() - start) / 1000;
  const serverCpuSeconds = (await serverCpuMs(sim.endpoint)) - cpuBefore;
  sim.stop();
  latencies.sort((a, b) => a - b);
  const pct = (p: number): number =>
    Number(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2));
  const result = {
    benchmark: "simulator DescribeSnapshots, 100 IDs per call, real V3 SDK over HTTP",
    calls: latencies.length,
    errors,
    seconds: Number(elapsed.toFixed(2)),
    concurrency,
    callsPerSecond: Math.round(latencies.length / elapsed),
    snapshotsPerSecond: Math.round((latencies.length * 100) / elapsed),
    latencyMs: { p50: pct(0.5), p95: pct(0.95), p99: pct(0.99) },
    serverCpuUtilisation: Number((serverCpuSeconds / 1000 / elapsed).toFixed(2)),
    serverCpuMsPerCall: Number((serverCpuSeconds / latencies.length).toFixed(3)),
    serverCapacityCallsPerCpuSecond: Math.round(latencies.length / (serverCpuSeconds / 1000)),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
    at: new Date().toISOString(),
  };
  console.log("| metric | value |\n|---|---|");
  console.log(`| calls/s (100 IDs each) | ${result.callsPerSecond} |`);
  console.log(`| snapshots described/s | ${result.snapshotsPerSecond} |`);
  console.log(`| calls / errors | ${result.calls} / ${result.errors} |`);
  console.log(`| concurrency, seconds | ${concurrency}, ${result.seconds} |`);
  console.log(
    `| simulator CPU: utilisation / ms per call | ${result.serverCpuUtilisation} / ${result.serverCpuMsPerCall} |`,
  );
  console.log(`| simulator capacity (calls per CPU-second) | ${result.serverCapacityCallsPerCpuSecond} |`);
  console.log(
    `| latency p50 / p95 / p99 (ms) | ${result.latencyMs.p50} / ${result.latencyMs.p95} / ${result.latencyMs.p99} |`,
  );
  const out = join(__dirname, "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "simulator-throughput.json"), `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
