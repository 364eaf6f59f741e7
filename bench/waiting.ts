/**
 * Waiting strategies side by side (docs/design.md §6): the provider's coalesced waiting ("ours") against a per-resource
 * smithy waiter (peer A, AWS's snapshot-completed settings) and a per-resource fixed 5-second poll (peer B,
 * Terraform alicloud's), on the same scenarios, under ONE virtual clock. Every time figure is virtual seconds.
 *
 * Each strategy gets its own simulator (same seed, same copy model, same faults, all on the one clock), so the
 * simulators' counters are exactly that strategy's API calls and a copy's timing cannot depend on the others.
 * Peers run in this process; ours runs in a child process (compiled to JavaScript first) so its peak RSS and CPU
 * time are the provider's own. Time moves only when every party is idle (./lib/lockstep).
 *
 * Two scenarios (--hints): "exact", where the simulator's RemainTime is right and progress linear, and "noisy",
 * where RemainTime is off by up to ±50 %, sometimes absent or 0, sometimes going up, and progress is uneven with
 * pauses (the simulator's copy-model noise). Copies end at the same moments in both.
 *
 *   npx ts-node --transpile-only bench/waiting.ts [--n 1,10,100,1000] [--hints exact,noisy]
 *     [--config snapshotCopy:key=value ...] [--inputs '{"pollMaxSeconds":120}'] [--deps '{"lookPerCopyMs":60000}']
 *
 * Prints, per scenario, one markdown table of figures and one of the targets, and writes the same to
 * bench/results/waiting.json.
 */
import { execFileSync, fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startSimulator, VirtualClock, type Simulator } from "../simulator";
import type { SnapshotRec } from "../simulator/models/records";
import { TimeMaster } from "./lib/lockstep";
import {
  PEER_A,
  PEER_B_INTERVAL_MS,
  PeerClient,
  peerAWait,
  peerBWait,
  runPeer,
  type StrategyRun,
} from "./lib/peers";
import {
  copyModel,
  HINTS,
  REGIONS,
  scenario,
  seededRandom,
  settledAt,
  START,
  type Hints,
  type Scenario,
} from "./lib/scenario";
import { smithyOnClock } from "./lib/smithyVirtual";
import { growthExponent, peakInWindow, percentile, round } from "./lib/stats";
import type { OursResult, OursStart } from "./waiting-ours";

const ROOT = join(__dirname, "..");
/**
 * Above this N, peer B runs on one copy in ten (plus the failing one) and its call counts are scaled by ten:
 * at N = 1000 it would make ~830 000 real SDK calls, most of this machine's time budget. A per-copy poller's
 * copies do not interact (no throttling in the scenario), so the sample's latencies are its figures and its
 * call counts scale. Marked "≈" in the table.
 */
const SAMPLE_ABOVE = 100;
const SAMPLE_ONE_IN = 10;
const STRATEGIES = ["ours", "peerA", "peerB"] as const;
type Strategy = (typeof STRATEGIES)[number];

/** Figures of one strategy at one N. Times in virtual seconds. */
interface Figures {
  detectionP50?: number;
  detectionP95?: number;
  detectionMax?: number;
  failureDetection?: number;
  /** Copies whose create ended differently from the simulator's verdict (should be 0). */
  wrongOutcomes: number;
  /** Ran on 1 copy in this many; call counts are scaled up by it (see SAMPLE_ABOVE). */
  sampledOneIn?: number;
  describeCalls: number;
  peakCallsPerRegionMinute: number;
  refreshCalls: number;
  /** Ours only: calls ÷ peer A's, and ÷ (peer B's ÷ 20). Targets: ≤ 1. */
  callsVsPeerA?: number;
  callsVsPeerBOver20?: number;
  /** Refresh calls per destination region. Target: ≤ 1 per 100 copies in the region (SnapshotIds takes ≤ 100). */
  refreshPerRegion?: number;
  /** Refresh calls ÷ the fewest possible (one per region per 100 copies). Target: ≤ 1. */
  refreshVsFewest?: number;
  peakRssMB?: number;
  /** Peak RSS until every create returned (the refresh's new provider not started yet). */
  peakRssBeforeRefreshMB?: number;
  /** Fixed cost: modules loaded, provider configured, first call made; after a forced GC. */
  fixedRssMB?: number;
  fixedHeapMB?: number;
  /**
   * Heap per watched copy (KB): (heap at the probe − fixed heap) ÷ copies watched, both after a forced GC. It
   * includes one-off costs of the first copies (lazily built objects, compiled code); {@link marginalKB} does not.
   */
  heapPerCopyKB?: number;
  /** Heap at the probe (bytes) and copies watched then. */
  probeHeapBytes?: number;
  probeWatched?: number;
  /** Marginal heap per watched copy (KB): slope of the probe heap against copies watched, from the previous N. */
  marginalKB?: number;
  /** Peak RSS − fixed RSS (MB). Target at N = 1000: ≤ 60. */
  peakOverFixedMB?: number;
  cpuSeconds?: number;
  runCpuSeconds?: number;
}

interface NResult {
  n: number;
  hints: Hints;
  figures: Record<Strategy, Figures>;
  virtualHours: number;
  realSeconds: number;
  jumps: number;
}

/** What every create of ours gets besides the scenario. */
type ChildOptions = Pick<OursStart, "config" | "deps" | "inputs">;

/** Compiles the child to plain JavaScript (no TypeScript compiler in its RSS). Returns its path. */
function compileChild(): string {
  // Under this worktree's dist/ (git-ignored): node_modules may be shared between checkouts, and the child
  // resolves its packages by walking up from here.
  const out = join(ROOT, "dist/bench-waiting");
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  execFileSync(
    process.execPath,
    [
      tsc,
      ...["--outDir", out, "--rootDir", ROOT, "--module", "commonjs", "--target", "ES2022"],
      ...["--moduleResolution", "node", "--esModuleInterop", "--skipLibCheck", "--types", "node"],
      ...["--strict", "--resolveJsonModule"], // as tsconfig.json: narrowing needs strict null checks
      join(ROOT, "bench/waiting-ours.ts"),
    ],
    { stdio: "inherit" },
  );
  return join(out, "bench/waiting-ours.js");
}

/** Runs all three strategies on one scenario. */
async function runN(sc: Scenario, childJs: string, opts: ChildOptions): Promise<NResult> {
  const real0 = performance.now();
  const clock = new VirtualClock({ mode: "manual", start: START });
  const sims = {} as Record<Strategy, Simulator>;
  for (const s of STRATEGIES) {
    sims[s] = await startSimulator({ clock, seed: sc.seed, copyModel: sc.copyModel });
    sims[s].admin.setFaults(sc.faults);
  }
  const clientA = new PeerClient(sims.peerA);
  const clientB = new PeerClient(sims.peerB);
  const busy = () =>
    STRATEGIES.reduce((n, s) => n + sims[s].inFlight(), 0) + clientA.inFlight + clientB.inFlight;

  // Per strategy and region: [virtual time, DescribeSnapshots calls at that instant], from the simulators'
  // counters, sampled at every settled instant (the clock does not move while calls are in flight).
  const samples = Object.fromEntries(
    STRATEGIES.map((s) => [s, Object.fromEntries(REGIONS.map((r) => [r, [] as [number, number][]]))]),
  ) as Record<Strategy, Record<string, [number, number][]>>;
  const last = new Map<string, number>();
  const master = new TimeMaster(clock, busy, (t) => {
    for (const s of STRATEGIES)
      for (const region of REGIONS) {
        const key = `${s}/${region}`;
        const now = sims[s].admin.count({ action: "DescribeSnapshots", region });
        if (now !== (last.get(key) ?? 0)) samples[s][region].push([t, now - (last.get(key) ?? 0)]);
        last.set(key, now);
      }
  });

  const child = fork(childJs, [], {
    // --expose-gc: the child measures its heap after a forced GC (fixed cost, cost per watched copy).
    execArgv: ["--expose-gc", ...(process.env.BENCH_CHILD_NODE_ARGS ?? "").split(" ").filter(Boolean)],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const start: OursStart = {
    type: "start",
    start: START,
    endpoint: sims.ours.endpoint,
    copies: sc.copies,
    ...opts,
  };
  child.send(start);
  const smithy = smithyOnClock(clock, seededRandom(11));
  const oneIn = sc.n > SAMPLE_ABOVE ? SAMPLE_ONE_IN : 1;
  const peerBCopies = sc.copies.filter((c, i) => i % oneIn === 0 || c.fails);
  // BENCH_ONLY_OURS=1 (investigations of ours alone, e.g. memory): the peers make no copies; ratios are void.
  const peers = process.env.BENCH_ONLY_OURS ? { a: [], b: [] } : { a: sc.copies, b: peerBCopies };
  let finished = false;
  const all = Promise.all([
    master.follow(child) as Promise<OursResult>,
    runPeer(clock, clientA, peers.a, peerAWait(smithy)),
    runPeer(clock, clientB, peers.b, peerBWait(clock)),
  ]).finally(() => (finished = true));
  await master.run(() => finished);
  const [ours, peerA, peerB] = await all;
  const runs: Record<Strategy, StrategyRun> = { ours, peerA, peerB };

  const figures = {} as Record<Strategy, Figures>;
  for (const s of STRATEGIES) {
    const run = runs[s];
    const recs = new Map(
      (sims[s].admin.dump() as unknown as { world: { snapshots: SnapshotRec[] } }).world.snapshots.map(
        (r) => [r.snapshotId, r],
      ),
    );
    const detections: number[] = [];
    const failures: number[] = [];
    let wrongOutcomes = 0;
    for (const o of run.outcomes) {
      const spec = sc.copies.find((c) => c.name === o.name)!;
      const settled = settledAt(o.copyId ? recs.get(o.copyId) : undefined, {
        startedAt: o.startedAt,
        spec,
        model: sc.copyModel,
      });
      if ((settled.state === "accomplished") !== o.ok && wrongOutcomes++ < 3)
        console.error(`${s}: ${o.name} ended ${o.ok ? "ok" : `with: ${o.error}`}; the copy ${settled.state}`);
      (settled.state === "accomplished" ? detections : failures).push((o.returnedAt - settled.at) / 1000);
      if (process.env.BENCH_LOG && s === "ours")
        console.error(
          `${o.name}: settled ${new Date(settled.at).toISOString()}, +${(o.returnedAt - settled.at) / 1000} s`,
        );
    }
    const before = (xs: [number, number][]) => xs.filter(([t]) => t < run.refreshAt);
    const after = (xs: [number, number][]) => xs.filter(([t]) => t >= run.refreshAt);
    const sum = (xs: [number, number][]) => xs.reduce((n, [, c]) => n + c, 0);
    const byRegion = REGIONS.map((r) => samples[s][r]);
    const scale = s === "peerB" ? oneIn : 1;
    figures[s] = {
      detectionP50: round(percentile(detections, 50)),
      detectionP95: round(percentile(detections, 95)),
      detectionMax: round(percentile(detections, 100)),
      failureDetection: round(percentile(failures, 100)),
      wrongOutcomes,
      describeCalls: scale * byRegion.reduce((n, xs) => n + sum(before(xs)), 0),
      peakCallsPerRegionMinute: scale * Math.max(...byRegion.map((xs) => peakInWindow(before(xs)))),
      refreshCalls: scale * byRegion.reduce((n, xs) => n + sum(after(xs)), 0),
      ...(scale > 1 ? { sampledOneIn: scale } : {}),
    };
  }
  const mb = (b: number, digits = 0) => round(b / 2 ** 20, digits);
  const calls = (s: Strategy) => figures[s].describeCalls;
  Object.assign(figures.ours, {
    callsVsPeerA: round(calls("ours") / calls("peerA"), 2),
    callsVsPeerBOver20: round(calls("ours") / (calls("peerB") / 20), 2),
    refreshPerRegion: round(figures.ours.refreshCalls / REGIONS.length, 1),
    refreshVsFewest: round(
      figures.ours.refreshCalls /
        REGIONS.reduce(
          (n, r) => n + Math.ceil(sc.copies.filter((c) => c.destinationRegionId === r).length / 100),
          0,
        ),
      2,
    ),
    peakRssMB: mb(ours.peakRssBytes),
    peakRssBeforeRefreshMB: mb(ours.peakRssBeforeRefreshBytes),
    fixedRssMB: mb(ours.fixedRssBytes),
    fixedHeapMB: mb(ours.fixedHeapBytes, 1),
    heapPerCopyKB: round(
      (ours.probeHeapBytes - ours.fixedHeapBytes) / Math.max(1, ours.probeWatched) / 1024,
      1,
    ),
    probeHeapBytes: ours.probeHeapBytes,
    probeWatched: ours.probeWatched,
    peakOverFixedMB: mb(ours.peakRssBytes - ours.fixedRssBytes),
    cpuSeconds: round(ours.cpuMs / 1000, 2),
    runCpuSeconds: round(ours.runCpuMs / 1000, 2),
  });
  // Cross-check with the provider's own counter. It counts attempts, so it may exceed the simulator's count by
  // connection-level retries (a reused keep-alive socket the server had closed) that never reached the server.
  const counted = ours.describeCalls + ours.refreshCalls;
  const served = figures.ours.describeCalls + figures.ours.refreshCalls;
  if (counted < served || counted > served * 1.01)
    console.error(`warning: provider counted ${counted} DescribeSnapshots attempts, the simulator ${served}`);

  const virtualHours = (clock.now() - START) / 3_600_000;
  for (const s of STRATEGIES) await sims[s].stop();
  return {
    n: sc.n,
    hints: sc.hints,
    figures,
    virtualHours,
    realSeconds: (performance.now() - real0) / 1000,
    jumps: master.jumps,
  };
}

/** Table rows: label, strategies it applies to, how to read it. */
const ROWS: { key: keyof Figures; label: string; only?: Strategy[] }[] = [
  { key: "detectionP50", label: "detection latency p50 (s)" },
  { key: "detectionP95", label: "detection latency p95 (s)" },
  { key: "detectionMax", label: "detection latency max (s)" },
  { key: "failureDetection", label: "failure detection latency (s)" },
  { key: "describeCalls", label: "DescribeSnapshots calls while waiting" },
  { key: "peakCallsPerRegionMinute", label: "peak DescribeSnapshots per region per minute" },
  { key: "refreshCalls", label: "refresh of N copies: DescribeSnapshots calls" },
  { key: "callsVsPeerA", label: "calls while waiting ÷ peer A's", only: ["ours"] },
  { key: "callsVsPeerBOver20", label: "calls while waiting ÷ (peer B's ÷ 20)", only: ["ours"] },
  { key: "refreshPerRegion", label: "refresh calls per region", only: ["ours"] },
  { key: "fixedRssMB", label: "provider fixed cost: RSS after load + first call (MB)", only: ["ours"] },
  {
    key: "heapPerCopyKB",
    label: "provider heap per watched copy, one-off costs included (KB)",
    only: ["ours"],
  },
  {
    key: "marginalKB",
    label: "provider heap per watched copy, marginal from the previous N (KB)",
    only: ["ours"],
  },
  {
    key: "peakRssBeforeRefreshMB",
    label: "provider process peak RSS until the refresh (MB)",
    only: ["ours"],
  },
  { key: "peakRssMB", label: "provider process peak RSS (MB)", only: ["ours"] },
  { key: "peakOverFixedMB", label: "provider peak RSS − fixed cost (MB)", only: ["ours"] },
  { key: "cpuSeconds", label: "provider process CPU time (s, real)", only: ["ours"] },
  { key: "wrongOutcomes", label: "creates ending unlike the copy (bug check)" },
];

function table(results: NResult[]): string {
  const ns = results.map((r) => r.n);
  const g = (a: number, b: number) => (ns.includes(a) && ns.includes(b) ? [a, b] : undefined);
  const span = g(100, 1000) ?? g(10, 100) ?? [ns[0], ns[ns.length - 1]];
  const lines = [
    `| figure | strategy | ${ns.map((n) => `N=${n}`).join(" | ")} | growth N=${span[0]}→${span[1]} (exponent) |`,
    `|---|---|${ns.map(() => "---:").join("|")}|---:|`,
  ];
  for (const row of ROWS)
    for (const s of row.only ?? STRATEGIES) {
      const vals = results.map((r) => r.figures[s]);
      const at = (n: number) => results.find((r) => r.n === n)?.figures[s][row.key];
      const exp =
        span[0] === span[1] ? undefined : growthExponent(span[0], at(span[0]), span[1], at(span[1]));
      const cell = (v: number | undefined) => (v === undefined ? "—" : String(v));
      const sampled = (f: Figures) => (f.sampledOneIn && row.key !== "wrongOutcomes" ? "≈" : "");
      const cells = vals.map((f) => sampled(f) + cell(f[row.key]));
      lines.push(`| ${row.label} | ${s} | ${cells.join(" | ")} | ${cell(round(exp, 2))} |`);
    }
  if (results.some((r) => r.figures.peerB.sampledOneIn))
    lines.push(
      `| ≈: peer B ran on 1 copy in ${SAMPLE_ONE_IN} (and the failing one) above N=${SAMPLE_ABOVE}; counts scaled | | ${ns.map(() => "").join(" | ")} | |`,
    );
  lines.push(
    `| virtual hours simulated | all | ${results.map((r) => round(r.virtualHours, 1)).join(" | ")} | |`,
    `| real seconds for the run | all | ${results.map((r) => round(r.realSeconds, 0)).join(" | ")} | |`,
  );
  return lines.join("\n");
}

/** The targets, judged on ours at each N (docs: bench/README.md "Against the targets"). */
const TARGETS: { label: string; value: (f: Figures) => number | undefined; ok: (v: number) => boolean }[] = [
  { label: "detection p95 ≤ 5 s", value: (f) => f.detectionP95, ok: (v) => v <= 5 },
  { label: "failure detection ≤ 5 s", value: (f) => f.failureDetection, ok: (v) => v <= 5 },
  { label: "calls ≤ peer A's (ratio)", value: (f) => f.callsVsPeerA, ok: (v) => v <= 1 },
  { label: "calls ≤ peer B's ÷ 20 (ratio)", value: (f) => f.callsVsPeerBOver20, ok: (v) => v <= 1 },
  {
    label: "refresh ≤ 1 call per region per 100 copies (ratio)",
    value: (f) => f.refreshVsFewest,
    ok: (v) => v <= 1,
  },
  { label: "heap per watched copy ≤ 50 KB", value: (f) => f.marginalKB, ok: (v) => v <= 50 },
  { label: "peak RSS ≤ fixed cost + 60 MB", value: (f) => f.peakOverFixedMB, ok: (v) => v <= 60 },
];

function targetTable(results: NResult[]): string {
  const lines = [
    `| target (ours) | ${results.map((r) => `N=${r.n}`).join(" | ")} |`,
    `|---|${results.map(() => "---:").join("|")}|`,
  ];
  for (const t of TARGETS) {
    const cells = results.map((r) => {
      const v = t.value(r.figures.ours);
      return v === undefined ? "—" : `${v} ${t.ok(v) ? "met" : "**missed**"}`;
    });
    lines.push(`| ${t.label} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      n: { type: "string", default: "1,10,100,1000" },
      hints: { type: "string", default: HINTS.join(",") },
      config: { type: "string", multiple: true, default: [] },
      deps: { type: "string", default: "{}" },
      inputs: { type: "string", default: "{}" },
      out: { type: "string", default: join(__dirname, "results/waiting.json") },
    },
  });
  const ns = values.n.split(",").map(Number);
  const config = Object.fromEntries(values.config.map((kv) => kv.split(/=(.*)/s).slice(0, 2)));
  const deps = JSON.parse(values.deps) as Record<string, number>;
  const inputs = JSON.parse(values.inputs) as Record<string, number>;
  const hintsList = values.hints.split(",") as Hints[];
  for (const h of hintsList) if (!HINTS.includes(h)) throw new Error(`--hints: ${h} is not one of ${HINTS}`);
  console.error("compiling the provider process...");
  const childJs = compileChild();
  const results: NResult[] = [];
  const tables: Partial<Record<Hints, string>> = {};
  for (const hints of hintsList) {
    const these: NResult[] = [];
    for (const n of ns) {
      console.error(`${hints} hints, N=${n}...`);
      const r = await runN(scenario(n, hints), childJs, { config, deps, inputs });
      const prev = these.at(-1)?.figures.ours;
      const cur = r.figures.ours;
      if (prev && cur.probeWatched! > prev.probeWatched!)
        cur.marginalKB = round(
          (cur.probeHeapBytes! - prev.probeHeapBytes!) / (cur.probeWatched! - prev.probeWatched!) / 1024,
          1,
        );
      console.error(`${hints} hints, N=${n}: ${round(r.realSeconds, 0)} s real, ${r.jumps} clock jumps`);
      these.push(r);
    }
    results.push(...these);
    tables[hints] = `${table(these)}\n\n${targetTable(these)}`;
    console.log(`\n### ${hints} hints\n\n${tables[hints]}`);
  }
  const md = hintsList.map((h) => `### ${h} hints\n\n${tables[h]}`).join("\n\n");
  const json = {
    benchmark: "waiting strategies side by side, virtual seconds",
    strategies: {
      ours: "provider create path (createSnapshotCopyProvider, injected clock, coalesced DescribeSnapshots)",
      peerA: `per-resource @smithy/util-waiter createWaiter, minDelay ${PEER_A.minDelay} s, maxDelay ${PEER_A.maxDelay} s`,
      peerB: `per-resource fixed ${PEER_B_INTERVAL_MS / 1000} s poll`,
    },
    scenario: {
      regions: REGIONS,
      durations:
        "log-uniform 2 min .. 6 h (stratified), one copy in five starts late (≤ 30 min), one fails at 50%",
      copyModels: Object.fromEntries(hintsList.map((h) => [h, copyModel(h)])),
      providerConfig: config,
      providerDeps: deps,
      providerInputs: inputs,
    },
    results,
    tables: md,
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memGiB: round(totalmem() / 2 ** 30, 0),
      node: process.version,
    },
    at: new Date().toISOString(),
  };
  mkdirSync(join(values.out, ".."), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(json, null, 2)}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
