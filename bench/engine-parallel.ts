/**
 * Engine-level figure (docs/design.md §10): the real `pulumi` CLI runs `pulumi up` of 20 and of 100
 * SnapshotCopy resources against the simulator with the engine's default parallelism, in two modes:
 * - wait: the default — each create waits until its copy is usable, holding one engine slot meanwhile;
 * - ready: each create only starts its copy (`waitForCompletion: false`), one SnapshotCopiesReady waits for all;
 * - parallel: like wait, with `pulumi up --parallel 1000` (the engine setting instead of the opt-in mode);
 * - set: one SnapshotCopySet of N/2 snapshots to both regions (the component that does "ready" for the user).
 * Each is reported against the ideal: the longest copy plus the `up` time of an empty stack.
 *
 * Time: the simulator runs in this process on a scaled clock at speed 1 (virtual = real time) with a fast copy
 * model, so copies take 6 to 20 real seconds. The provider process (started by the CLI) uses the real clock; a
 * speed above 1 would make DescribeSnapshots' RemainTime (virtual seconds) wrong by that factor for it.
 *
 *   npm run build && npx ts-node --transpile-only bench/engine-parallel.ts [--n 20,100] [--modes wait,ready,set]
 *     [--repeat 3]   (runs of ≤ 20 copies and the empty stack are repeated; the median `up` is reported)
 *     [--trace <dir>] (where each run's time goes: ./lib/engineTrace.ts; one JSON breakdown per run on stderr)
 *     [--calls-per-minute <n>] (snapshotCopy:describeCallsPerMinute; below the default 100, a burst of creates
 *       spends a region's budget: how the provider paces what is left of it, bench/README.md)
 *     [--largest-first] (the program declares its copies largest first: the same sizes, sorted)
 *   BENCH_UP_OUT=<file> keeps the CLI's output of the (last) measured `up` in <file>.
 *
 * Needs the Pulumi CLI (scripts/setup.sh builds it into .tools/pulumi/bin). Uses a temporary file:// backend
 * and the project-local PULUMI_HOME (.tools/pulumi-home). Prints a markdown table and writes
 * bench/results/engine-parallel.json.
 */
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startSimulator, VirtualClock, type CopyModel, type Seed, type Simulator } from "../simulator";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../simulator/seed";
import type { SnapshotRec } from "../simulator/models/records";
import { seededRandom } from "./lib/scenario";
import { countCalls, summarise, traceRun, writeMarks } from "./lib/engineTrace";
import { round } from "./lib/stats";

const ROOT = join(__dirname, "..");
const PROGRAM = join(__dirname, "engine");
const SPEED = 1;
/** Copies take 6..20 s: 1 s start latency, 60 GiB a minute. */
const COPY_MODEL: CopyModel = { startLatencyMs: 1_000, fullGiBPerMinute: 60, incrementalFraction: 0.1 };
const MIN_S = 6;
const MAX_S = 20;
const MAX_COPIES = 100;

/**
 * The world of one run. The first `sortedCount` snapshots (s-eng0000…) get the sizes they would otherwise
 * get, sorted largest first: the program then declares its longest copies first, as README advises for
 * SnapshotCopySet.
 */
function seed(sortedCount = 0): Seed {
  const random = seededRandom(2025);
  const drawn = Array.from({ length: MAX_COPIES }, () => MIN_S + random() * (MAX_S - MIN_S));
  const copySeconds = [...drawn.slice(0, sortedCount).sort((a, b) => b - a), ...drawn.slice(sortedCount)];
  const disks = Array.from({ length: MAX_COPIES }, (_, i) => {
    const seconds = copySeconds[i];
    const sizeGiB = Math.max(1, Math.round(((seconds - COPY_MODEL.startLatencyMs / 1000) / 60) * 60));
    return { diskId: `d-eng${String(i).padStart(4, "0")}`, regionId: "cn-hangzhou", sizeGiB };
  });
  return {
    accounts: [{ accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET }],
    regions: ["cn-hangzhou", "eu-central-1", "cn-shanghai"],
    disks,
    snapshots: disks.map((d, i) => ({
      snapshotId: `s-eng${String(i).padStart(4, "0")}`,
      regionId: "cn-hangzhou",
      diskId: d.diskId,
    })),
  };
}

/** The environment scripts/setup.sh's ensure_pulumi sets, with a throwaway backend. */
function pulumiEnv(backend: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${join(ROOT, ".tools/pulumi/bin")}:${process.env.PATH}`,
    PULUMI_HOME: process.env.PULUMI_HOME ?? join(ROOT, ".tools/pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "bench",
  };
}

/** Runs the CLI; resolves with its wall time in seconds. Output goes to `log` (kept for failures). */
function pulumi(args: string[], env: NodeJS.ProcessEnv, log: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const p = spawn("pulumi", args, { cwd: PROGRAM, env, stdio: ["ignore", "pipe", "pipe"] });
    p.stdout.on("data", (d: Buffer) => log.push(d.toString()));
    p.stderr.on("data", (d: Buffer) => log.push(d.toString()));
    p.on("error", reject);
    p.on("exit", (code) =>
      code === 0
        ? resolve((performance.now() - t0) / 1000)
        : reject(new Error(`pulumi ${args.join(" ")} exited ${code}:\n${log.join("").slice(-3000)}`)),
    );
  });
}

interface Run {
  mode: string;
  copies: number;
  upSeconds: number;
  longestCopySeconds: number;
  idealSeconds: number;
  overIdeal: number;
  describeCalls: number;
  firstCopyStartedAfter: number;
  lastCopyStartedAfter: number;
  upEndedAfterLastCopy: number;
}

/** The command line's settings every run shares. */
interface RunOptions {
  traceDir: string | undefined;
  callsPerMinute: string | undefined;
  largestFirst: boolean;
}

/** One `pulumi up` of a fresh stack against a fresh world; returns wall time and the longest copy. */
async function upOnce(
  sim: Simulator,
  env: NodeJS.ProcessEnv,
  mode: string,
  copies: number,
  { traceDir, callsPerMinute, largestFirst }: RunOptions,
): Promise<Omit<Run, "mode" | "copies" | "idealSeconds" | "overIdeal">> {
  // The snapshots the program copies (bench/engine/index.ts): a set copies the first ceil(N/2) to each region.
  const copied = mode === "set" ? Math.ceil(copies / 2) : copies;
  sim.admin.reset(seed(largestFirst ? copied : 0));
  const stack = `bench-${mode}-${copies}-${process.pid}`;
  // `stack init` writes Pulumi.<stack>.yaml (the passphrase's salt) beside Pulumi.yaml; the config goes after it.
  const configFile = join(PROGRAM, `Pulumi.${stack}.yaml`);
  const log: string[] = [];
  await pulumi(["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"], env, log);
  try {
    appendFileSync(
      configFile,
      [
        "config:",
        "  alicloud:region: cn-hangzhou",
        `  alicloud:accessKey: ${DEFAULT_ACCESS_KEY_ID}`,
        `  alicloud:secretKey: ${DEFAULT_ACCESS_KEY_SECRET}`,
        `  snapshotCopy:ecsEndpoint: ${sim.endpoint}`,
        `  snapshotCopy:kmsEndpoint: ${sim.endpoint}`,
        `  bench:copies: "${copies}"`,
        ...(callsPerMinute === undefined
          ? []
          : [`  snapshotCopy:describeCallsPerMinute: "${callsPerMinute}"`]),
        `  bench:mode: ${mode === "parallel" ? "wait" : mode}`,
        "",
      ].join("\n"),
    );
    const trace = traceDir === undefined ? undefined : traceRun(traceDir, mode, copies, env);
    const upStart = sim.clock.now();
    const upStartWall = Date.now();
    const stopCounting = trace ? countCalls(sim, trace.file) : () => undefined;
    const upSeconds = await pulumi(
      [
        ...["up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack],
        ...(mode === "parallel" ? ["--parallel", "1000"] : []),
      ],
      trace?.env ?? env,
      log,
    );
    const upEnd = sim.clock.now();
    // The CLI's output of the measured `up` (progress lines with the engine's elapsed seconds), when asked for.
    if (process.env.BENCH_UP_OUT) writeFileSync(process.env.BENCH_UP_OUT, log.join(""));
    stopCounting();
    const state = sim.admin.dump() as unknown as { world: { snapshots: SnapshotRec[] } };
    const plans = state.world.snapshots.filter((s) => s.copy).map((s) => s.copy!);
    if (plans.length !== copies) throw new Error(`expected ${copies} copies, found ${plans.length}`);
    const longest = Math.max(0, ...plans.map((c) => c.latencyMs + c.transferMs)) / 1000 / SPEED;
    const secs = (ms: number) => round(ms / 1000 / SPEED, 2)!;
    const lastDone = Math.max(upStart, ...plans.map((c) => c.startAt + c.latencyMs + c.transferMs));
    // Simulator times (virtual ms; speed 1) in wall-clock ms, for the trace.
    const wall = (simMs: number) => upStartWall + (simMs - upStart) / SPEED;
    if (trace) {
      writeMarks(trace.file, {
        upStart: upStartWall,
        upEnd: wall(upEnd),
        copies: plans.map((c) => ({
          startAt: wall(c.startAt),
          doneAt: wall(c.startAt + c.latencyMs + c.transferMs),
        })),
      });
      if (copies > 0) console.error(JSON.stringify(summarise(trace.file), null, 1));
    }
    return {
      upSeconds,
      longestCopySeconds: longest,
      describeCalls: sim.admin.count({ action: "DescribeSnapshots" }),
      // Where the time went: when the first and last copies started, and how long `up` ran after the last ended.
      firstCopyStartedAfter: secs(Math.min(upEnd, ...plans.map((c) => c.startAt)) - upStart),
      lastCopyStartedAfter: secs(Math.max(upStart, ...plans.map((c) => c.startAt)) - upStart),
      upEndedAfterLastCopy: secs(upEnd - lastDone),
    };
  } finally {
    await pulumi(["stack", "rm", stack, "--yes", "--force", "--non-interactive"], env, []).catch(() => 0);
    rmSync(configFile, { force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: "string", default: "20,100" },
      modes: { type: "string", default: "wait,ready,set" },
      repeat: { type: "string", default: "3" },
      out: { type: "string", default: join(__dirname, "results/engine-parallel.json") },
      trace: { type: "string" },
      "calls-per-minute": { type: "string" },
      "largest-first": { type: "boolean", default: false },
    },
  });
  const ns = values.n.split(",").map(Number);
  const modes = values.modes.split(",");
  const backend = mkdtempSync(join(tmpdir(), "bench-engine-backend-"));
  const env = pulumiEnv(backend);
  const version = execFileSync("pulumi", ["version"], { env }).toString().trim();
  const sim = await startSimulator({
    clock: new VirtualClock({ mode: "scaled", speed: SPEED }),
    seed: seed(),
    copyModel: COPY_MODEL,
  });
  try {
    const runOptions: RunOptions = {
      traceDir: values.trace,
      callsPerMinute: values["calls-per-minute"],
      largestFirst: values["largest-first"],
    };
    // The machine is shared: repeat the short runs and keep the median `up`.
    const repeats = (copies: number) => (copies <= 20 ? Number(values.repeat) : 1);
    const median = async (mode: string, copies: number) => {
      const all = [];
      for (let i = 0; i < repeats(copies); i++) all.push(await upOnce(sim, env, mode, copies, runOptions));
      return all.sort((a, b) => a.upSeconds - b.upSeconds)[Math.floor(all.length / 2)];
    };
    console.error("empty stack...");
    const empty = await median("wait", 0);
    const runs: Run[] = [];
    for (const copies of ns)
      for (const mode of modes) {
        console.error(`${mode}, ${copies} copies...`);
        const r = await median(mode, copies);
        const idealSeconds = r.longestCopySeconds + empty.upSeconds;
        runs.push({ mode, copies, ...r, idealSeconds, overIdeal: r.upSeconds / idealSeconds - 1 });
      }
    const pct = (x: number) => `${x >= 0 ? "+" : ""}${Math.round(x * 100)}%`;
    const lines = [
      `empty stack \`pulumi up\`: ${round(empty.upSeconds)} s; engine parallelism: default (${cpus().length} CPUs)`,
      "",
      "| copies | mode | `pulumi up` wall (s) | longest copy (s) | ideal (s) | vs ideal | first / last copy started (s) | `up` ended after last copy (s) | DescribeSnapshots calls |",
      "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
      ...runs.map(
        (r) =>
          `| ${r.copies} | ${r.mode} | ${round(r.upSeconds)} | ${round(r.longestCopySeconds)} | ${round(r.idealSeconds)} | ${pct(r.overIdeal)} | ${r.firstCopyStartedAfter} / ${r.lastCopyStartedAfter} | ${r.upEndedAfterLastCopy} | ${r.describeCalls} |`,
      ),
    ];
    const md = lines.join("\n");
    console.log(md);
    const json = {
      benchmark: "engine level: `pulumi up` of N copies, default parallelism, wall time vs ideal",
      modes: {
        wait: "SnapshotCopy default: each create waits until its copy is usable",
        ready: "SnapshotCopy waitForCompletion: false + one SnapshotCopiesReady",
        parallel: "SnapshotCopy default, `pulumi up --parallel 1000`",
        set: "one SnapshotCopySet of N/2 snapshots to 2 regions (children: SnapshotCopy waitForCompletion: false + one SnapshotCopiesReady)",
      },
      simulator: { speed: SPEED, copyModel: COPY_MODEL, copySeconds: [MIN_S, MAX_S] },
      describeCallsPerMinute: values["calls-per-minute"] ?? "the provider's default",
      largestFirst: values["largest-first"],
      emptyUpSeconds: round(empty.upSeconds, 2),
      repeatsUpTo20Copies: Number(values.repeat),
      runs: runs.map((r) => ({ ...r, upSeconds: round(r.upSeconds, 2), overIdeal: round(r.overIdeal, 3) })),
      table: md,
      pulumi: version,
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      at: new Date().toISOString(),
    };
    mkdirSync(join(values.out, ".."), { recursive: true });
    writeFileSync(values.out, `${JSON.stringify(json, null, 2)}\n`);
  } finally {
    await sim.stop();
    rmSync(backend, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
