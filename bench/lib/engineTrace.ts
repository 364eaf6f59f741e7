/**
 * `bench/engine-parallel.ts --trace <dir>`: where the wall time of one `pulumi up` goes. ./traceHook.js, preloaded
 * into the program and the dynamic-provider host, logs process starts, registrations and each gRPC call the host
 * serves (and our part of it); this side adds the simulator's API calls (its counters, sampled every 20 ms) and
 * the copies' start and end. {@link summarise} turns one run's lines into the breakdown bench/README.md quotes.
 */
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Simulator } from "../../simulator";
import { percentile, round } from "./stats";

/** One line of a trace file (see ./traceHook.js). Times are wall-clock ms. */
interface TraceLine {
  proc?: "program" | "provider";
  pid?: number;
  ev: string;
  name?: string;
  t?: number;
  t0?: number;
  t1?: number;
  action?: string;
  upStart?: number;
  upEnd?: number;
  copies?: { startAt: number; doneAt: number }[];
}

/** The trace file of one run and the environment that makes the CLI's Node processes write it. */
export function traceRun(dir: string, mode: string, copies: number, env: NodeJS.ProcessEnv) {
  // The preloaded hook appends to the file: a missing directory would fail every Node process the CLI starts.
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${mode}-${copies}-${Date.now()}.jsonl`);
  const hook = join(__dirname, "traceHook.js");
  return {
    file,
    env: { ...env, BENCH_TRACE: file, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --require ${hook}`.trim() },
  };
}

/** Samples the simulator's call counters every 20 ms, one line per new call; returns the stop function. */
export function countCalls(sim: Simulator, file: string): () => void {
  const seen = new Map<string, number>();
  const sample = () => {
    const t = Date.now();
    const lines: string[] = [];
    for (const r of sim.admin.counters()) {
      const key = `${r.action}/${r.region}`;
      for (let i = seen.get(key) ?? 0; i < r.count; i++)
        lines.push(JSON.stringify({ ev: "call", action: r.action, t }));
      seen.set(key, r.count);
    }
    if (lines.length > 0) appendFileSync(file, `${lines.join("\n")}\n`);
  };
  sample();
  const timer = setInterval(sample, 20);
  return () => {
    clearInterval(timer);
    sample();
  };
}

/** The run's own marks: `up` start and end, and each copy's start and end (wall ms). */
export function writeMarks(file: string, marks: Omit<TraceLine, "ev">): void {
  appendFileSync(file, `${JSON.stringify({ ev: "marks", ...marks })}\n`);
}

/** Seconds from `up` start (or a duration), rounded. */
const s = (ms: number | undefined) => (ms === undefined ? undefined : round(ms / 1000, 2));

/** Median / p95 / total of durations in ms. */
function spread(ms: number[]) {
  return {
    n: ms.length,
    p50: round(percentile(ms, 50) ?? 0, 1),
    p95: round(percentile(ms, 95) ?? 0, 1),
    totalS: s(ms.reduce((a, b) => a + b, 0)),
  };
}

/** The breakdown of one traced run. */
export function summarise(file: string) {
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TraceLine);
  const marks = lines.find((l) => l.ev === "marks")!;
  const at = (t: number | undefined) => (t === undefined ? undefined : s(t - marks.upStart!));
  const spans = (ev: string, name: string) =>
    lines.filter((l) => l.ev === ev && l.name === name).sort((a, b) => a.t0! - b.t0!);
  const starts = (proc: string) => lines.filter((l) => l.ev === "start" && l.proc === proc).map((l) => l.t!);
  const registers = lines.filter((l) => l.ev === "register").map((l) => l.t!);
  const checks = spans("rpc", "check");
  const creates = spans("rpc", "create");
  const copyCreates = spans("impl", "provider.create");
  const readyCreate = spans("impl", "copiesReadyProvider.create")[0];
  const copyStarts = marks.copies!.map((c) => c.startAt);
  const lastDone = Math.max(...marks.copies!.map((c) => c.doneAt));
  const calls = (action: string) =>
    lines.filter((l) => l.ev === "call" && l.action === action && l.t! <= (readyCreate?.t0 ?? Infinity))
      .length;
  // Creates in flight at once, sampled at each create's start: how many engine slots our creates fill.
  const inFlight = copyCreates.map((c) => copyCreates.filter((o) => o.t0! <= c.t0! && o.t1! > c.t0!).length);
  return {
    upSeconds: s(marks.upEnd! - marks.upStart!),
    programStarted: at(Math.min(...starts("program"))),
    firstRegistration: at(Math.min(...registers)),
    lastRegistration: at(Math.max(...registers)),
    registrations: registers.length,
    providerStarted: at(Math.min(...starts("provider"))),
    firstCheck: at(checks[0]?.t0),
    lastCheckEnded: at(checks.at(-1)?.t1),
    checkRpcMs: spread(checks.map((c) => c.t1! - c.t0!)),
    checkImplMs: spread(spans("impl", "provider.check").map((c) => c.t1! - c.t0!)),
    firstCreate: at(creates[0]?.t0),
    lastCreateEnded: at(creates.filter((c) => c !== undefined).at(-1)?.t1),
    createRpcMs: spread(creates.map((c) => c.t1! - c.t0!)),
    createImplMs: spread(copyCreates.map((c) => c.t1! - c.t0!)),
    createsInFlightP50: percentile(inFlight, 50),
    firstCopyStarted: at(Math.min(...copyStarts)),
    lastCopyStarted: at(Math.max(...copyStarts)),
    readyCreateStarted: at(readyCreate?.t0),
    lastCopyDone: at(lastDone),
    readyCreateEnded: at(readyCreate?.t1),
    readyNoticedAfterLastCopyMs: readyCreate ? round(readyCreate.t1! - lastDone, 0) : undefined,
    upEndedAfterReadyMs: readyCreate ? round(marks.upEnd! - readyCreate.t1!, 0) : undefined,
    callsBeforeReady: Object.fromEntries(
      ["DescribeSnapshots", "CopySnapshot", "TagResources"].map((a) => [a, calls(a)]),
    ),
  };
}
