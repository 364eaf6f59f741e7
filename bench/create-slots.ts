/**
 * What one create costs when it starts a copy without waiting (`waitForCompletion: false`, as SnapshotCopySet's
 * children do), and so how fast N creates pass through the engine's `--parallel` slots — without the engine: the
 * provider's real create path (check, then create) driven `--slots` at a time against the in-process simulator,
 * real clock. Each create: the look for a copy an interrupted run left (DescribeSnapshots by tag), CopySnapshot,
 * one look through the status loop until the copy shows, TagResources; the figure per step shows which one the
 * create waits on.
 *
 *   npx ts-node --transpile-only bench/create-slots.ts [--n 100] [--slots 8] [--tick-ms 50] [--batch-ms 20]
 *
 * (--tick-ms / --batch-ms: the status loop's pace, ProviderDeps; unset = the provider process's defaults.)
 * Prints one line per run and the time per step; bench/README.md ("Engine parallelism") quotes it.
 */
import { parseArgs } from "node:util";
import { createSnapshotCopyProvider } from "../provider/lifecycle";
import type { Props } from "../provider/rules/values";
import { startSimulator, VirtualClock } from "../simulator";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../simulator/seed";
import { percentile, round } from "./lib/stats";

// The dynamic-provider host's Config class: get("alicloud:region") reads the raw stack config by its key.
const { Config } = require("@pulumi/pulumi/cmd/dynamic-provider/config") as {
  Config: new (raw: Record<string, string>, project: string) => { get(key: string): string | undefined };
};

const REGIONS = ["eu-central-1", "cn-shanghai"];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: "string", default: "100" },
      slots: { type: "string", default: "8" },
      "tick-ms": { type: "string" },
      "batch-ms": { type: "string" },
    },
  });
  const n = Number(values.n);
  const slots = Number(values.slots);
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const disks = Array.from({ length: n }, (_, i) => ({
    diskId: `d-${i}`,
    regionId: "cn-hangzhou",
    sizeGiB: 10,
  }));
  const sim = await startSimulator({
    clock: new VirtualClock({ mode: "scaled", speed: 1 }),
    seed: {
      accounts: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }],
      regions: ["cn-hangzhou", ...REGIONS],
      disks,
      snapshots: disks.map((d, i) => ({ snapshotId: `s-${i}`, regionId: "cn-hangzhou", diskId: d.diskId })),
    },
  });
  const p = createSnapshotCopyProvider({
    log: () => undefined,
    engineAddress: undefined,
    tickMs: num(values["tick-ms"]),
    batchMs: num(values["batch-ms"]),
  });
  await p.configure({
    config: new Config(
      {
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID,
        "alicloud:secretKey": DEFAULT_ACCESS_KEY_SECRET,
        "snapshotCopy:ecsEndpoint": sim.endpoint,
        "snapshotCopy:kmsEndpoint": sim.endpoint,
      },
      "bench",
    ),
  });
  // Time each step of a create: the seam's calls and the status loop's one-off look.
  const rt = await p.internals();
  const steps: Record<string, number[]> = {};
  const timeEach = (o: object, name: string, label: string) => {
    const obj = o as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const f = obj[name].bind(obj);
    obj[name] = async (...a: unknown[]) => {
      const t = performance.now();
      try {
        return await f(...a);
      } finally {
        (steps[label] ??= []).push(performance.now() - t);
      }
    };
  };
  timeEach(rt.api, "describeSnapshotsTagged", "DescribeSnapshots by tag");
  timeEach(rt.api, "copySnapshot", "CopySnapshot");
  timeEach(rt.watcher, "observe", "look until visible (status loop)");
  timeEach(rt.api, "tagResources", "TagResources");

  const creates: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: slots }, async () => {
      while (next < n) {
        const i = next++;
        const checked = await p.check({}, {
          sourceSnapshotId: `s-${i}`,
          sourceRegionId: "cn-hangzhou",
          destinationRegionId: REGIONS[i % REGIONS.length],
          waitForCompletion: false,
          resourceKey: `urn:pulumi:bench::slots::pulumi-nodejs:dynamic/alicloud:SnapshotCopy::copy-${i}`,
        } as Props);
        const t = performance.now();
        await p.create(checked.inputs as Props);
        creates.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - t0;
  const ms = (xs: number[], q: number) => round(percentile(xs, q) ?? 0, 0);
  const { tickMs, batchMs } = {
    tickMs: values["tick-ms"] ?? "default",
    batchMs: values["batch-ms"] ?? "default",
  };
  console.log(
    `${n} creates, ${slots} at a time, tickMs ${tickMs}, batchMs ${batchMs}: all in ${round(wall / 1000, 2)} s; ` +
      `create p50 ${ms(creates, 50)} ms, p95 ${ms(creates, 95)} ms; ` +
      `DescribeSnapshots calls ${sim.admin.count({ action: "DescribeSnapshots" })}`,
  );
  for (const [label, xs] of Object.entries(steps))
    console.log(`  ${label}: p50 ${ms(xs, 50)} ms, p95 ${ms(xs, 95)} ms (${xs.length})`);
  await sim.stop();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
