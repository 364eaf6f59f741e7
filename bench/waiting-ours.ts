/**
 * "ours" for bench/waiting.ts, in its own process so its peak RSS and CPU time are the provider's: the
 * provider's real create path (createSnapshotCopyProvider with the injected virtual clock, over HTTP to the
 * parent's simulator) for every copy of the scenario, then a refresh (read of every copy, concurrently) by a
 * fresh provider, as a later `pulumi refresh` would run. Time follows the parent's clock (./lib/lockstep).
 *
 * Started by bench/waiting.ts (compiled to plain JavaScript first, so no TypeScript compiler sits in the RSS).
 */
import { VirtualClock } from "../simulator/clock";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../simulator/seed";
import { createSnapshotCopyProvider, type SnapshotCopyProviderImpl } from "../provider/lifecycle";
import { Follower } from "./lib/lockstep";
import type { CopyOutcome, StrategyRun } from "./lib/peers";
import { memoryTimeline } from "./lib/memoryTimeline";
import { promotedProfile } from "./lib/promotedProfile";
import { REFRESH_GAP_MS, seededRandom, SOURCE_REGION, type CopySpec } from "./lib/scenario";

/** The parent's first message. */
export interface OursStart {
  type: "start";
  start: number;
  endpoint: string;
  copies: CopySpec[];
  /** Extra stack config (e.g. snapshotCopy:describeCallsPerMinute). */
  config?: Record<string, string>;
  /** Provider tuning for experiments (ProviderDeps numbers such as lookPerCopyMs). */
  deps?: Record<string, number>;
  /** Extra SnapshotCopy inputs for every copy (e.g. pollMaxSeconds), for trade-off sweeps. */
  inputs?: Record<string, number>;
}

/** When the per-copy memory is measured: this long after the run starts, every on-time copy is watched. */
export const MEMORY_PROBE_AFTER_MS = 60_000;

/** What the child reports. */
export interface OursResult extends StrategyRun {
  /** process.resourceUsage().maxRSS, bytes: peak over the whole process, and up to the refresh. */
  peakRssBytes: number;
  peakRssBeforeRefreshBytes: number;
  /**
   * Fixed cost: RSS and V8 heap in use after the modules are loaded, the provider configured and its first
   * DescribeSnapshots call made (so its client exists), after a forced GC (bytes).
   */
  fixedRssBytes: number;
  fixedHeapBytes: number;
  /** At MEMORY_PROBE_AFTER_MS, after a forced GC: heap in use (bytes) and copies being watched. */
  probeHeapBytes: number;
  probeWatched: number;
  /** User + system CPU time of the whole process, and of the run alone (ms, real). */
  cpuMs: number;
  runCpuMs: number;
  /** DescribeSnapshots calls the provider's own counter saw (cross-check against the simulator). */
  describeCalls: number;
  refreshCalls: number;
}

type Props = Record<string, unknown>;

/**
 * The provider's socket read timeout (real ms): production's 30 s, or BENCH_READ_TIMEOUT_MS for memory runs. The
 * SDK's HTTP layer (httpx 2.3.3) arms a read timer per request that openapi-core's own body reader never clears,
 * so each request and its answer stay reachable until the timer fires, readTimeout after the call. In production
 * that is the last 30 s of calls (at most ~50 a region under the call budget, ~12 KB each). Here hours of virtual
 * time pass in minutes of real time, so 30 real seconds hold thousands of calls and the heap measures the
 * compression, not the provider: memory runs of ours alone (BENCH_ONLY_OURS=1) set 5000. Not with the peers in
 * the parent: a busy parent can then answer later than 5 s, and the timeouts would fail creates.
 */
const BENCH_READ_TIMEOUT_MS = Number(process.env.BENCH_READ_TIMEOUT_MS ?? 30_000);

async function configured(
  msg: OursStart,
  clock: VirtualClock,
  seed: number,
): Promise<SnapshotCopyProviderImpl> {
  const p = createSnapshotCopyProvider({
    readTimeoutMs: BENCH_READ_TIMEOUT_MS,
    ...msg.deps,
    clock,
    random: seededRandom(seed),
    // BENCH_LOG=1 prints the provider's progress lines with virtual time, to see why a wait took what it took.
    log: process.env.BENCH_LOG
      ? (line) => console.error(`${new Date(clock.now()).toISOString()} ${line}`)
      : () => undefined,
  });
  const cfg: Record<string, string> = {
    "alicloud:region": SOURCE_REGION,
    "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID,
    "alicloud:secretKey": DEFAULT_ACCESS_KEY_SECRET,
    "snapshotCopy:ecsEndpoint": msg.endpoint,
    "snapshotCopy:kmsEndpoint": msg.endpoint,
    ...msg.config,
  };
  await p.configure({ config: { get: (k: string) => cfg[k] } });
  return p;
}

async function main(msg: OursStart): Promise<void> {
  const clock = new VirtualClock({ mode: "manual", start: msg.start });
  const provider = await configured(msg, clock, 7);
  const { api } = await provider.internals();
  // The refresh's provider, once it exists: its calls count as work in flight too.
  const later: { api?: typeof api } = {};
  const follower = new Follower(clock, () => api.inFlight() + (later.api?.inFlight() ?? 0));
  // The first client and call are part of the fixed cost. In the source region: the bench counts the
  // destination regions' calls only.
  await api.describeSnapshots(SOURCE_REGION, [msg.copies[0].sourceSnapshotId], { retries: false });
  const warmCalls = api.callCount({ action: "DescribeSnapshots" });
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc: the bench measures memory after a forced GC");
  gc();
  const fixedRssBytes = process.memoryUsage().rss;
  const fixedHeapBytes = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const { watcher } = await provider.internals();
  const probe = { heap: 0, watched: 0 };
  if (process.env.BENCH_LOG)
    void (async () => {
      for (;;) {
        await clock.sleep(20 * 60_000);
        const before = process.memoryUsage();
        gc();
        const m = process.memoryUsage();
        const MB = (b: number) => Math.round(b / 2 ** 20);
        console.error(
          `t+${(clock.now() - msg.start) / 60_000} min: watching ${watcher.watching()}, heap ${MB(before.heapUsed)} → ${MB(m.heapUsed)} MB after GC (total ${MB(m.heapTotal)}), rss ${MB(m.rss)}, ext ${MB(m.external)} ab ${MB(m.arrayBuffers)}`,
        );
        if (watcher.watching() === 0) {
          if (process.env.BENCH_HEAPSNAP) require("node:v8").writeHeapSnapshot(process.env.BENCH_HEAPSNAP);
          return;
        }
      }
    })();
  // BENCH_PROMOTED=1: allocation sites of what outlives the young generation, printed at the end.
  const promoted = process.env.BENCH_PROMOTED ? promotedProfile() : undefined;
  const timeline = process.env.BENCH_MEMLINE
    ? memoryTimeline(clock, msg.start, () => ({ watching: watcher.watching(), inFlight: api.inFlight() }))
    : undefined;
  void clock.sleep(MEMORY_PROBE_AFTER_MS).then(() => {
    if (process.env.BENCH_LOG)
      console.error(`probe: maxRSS so far ${process.resourceUsage().maxRSS / 1024} MB`);
    gc();
    probe.heap = process.memoryUsage().heapUsed;
    probe.watched = watcher.watching();
    // BENCH_HEAPSNAP_PROBE=<file>: what the watched copies retain, for a heap-snapshot viewer.
    if (process.env.BENCH_HEAPSNAP_PROBE)
      require("node:v8").writeHeapSnapshot(process.env.BENCH_HEAPSNAP_PROBE);
  });

  const states = new Map<string, { id: string; outs: Props }>();
  const created = Promise.all(
    msg.copies.map(async (spec): Promise<CopyOutcome> => {
      if (spec.startDelayMs > 0) await clock.sleep(spec.startDelayMs);
      const startedAt = clock.now();
      const news = {
        sourceSnapshotId: spec.sourceSnapshotId,
        sourceRegionId: SOURCE_REGION,
        destinationRegionId: spec.destinationRegionId,
        resourceKey: `bench/dev/${spec.name}`,
        ...msg.inputs,
      };
      try {
        // As the dynamic-provider host does: check, then create with the checked inputs.
        const { inputs } = await provider.check({}, news);
        const r = await provider.create({ ...inputs, __provider: "bench" });
        states.set(spec.name, { id: r.id, outs: { ...r.outs, __provider: "bench" } });
        return { name: spec.name, copyId: r.id, startedAt, returnedAt: clock.now(), ok: true };
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        const copyId = /copy (s-[\w-]+)/.exec(error)?.[1];
        return {
          name: spec.name,
          copyId,
          startedAt,
          returnedAt: clock.now(),
          ok: false,
          error: error.slice(0, 300),
        };
      }
    }),
  );
  follower.ready();
  const outcomes = await created;
  const rssAfterCreatesBytes = process.resourceUsage().maxRSS * 1024;
  const describeCalls = api.callCount({ action: "DescribeSnapshots" }) - warmCalls;

  // A later `pulumi refresh`: a new provider process reading every copy at once.
  await clock.sleep(REFRESH_GAP_MS);
  const refreshAt = clock.now();
  const refresher = await configured(msg, clock, 8);
  const refreshApi = (later.api = (await refresher.internals()).api);
  const reads = await Promise.all([...states.values()].map((s) => refresher.read(s.id, s.outs)));
  const cpu = process.cpuUsage(cpu0);
  const total = process.cpuUsage();
  const result: OursResult = {
    outcomes,
    refreshAt,
    refreshedIds: reads.filter((r) => r.id).length,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    peakRssBeforeRefreshBytes: rssAfterCreatesBytes,
    fixedRssBytes,
    fixedHeapBytes,
    probeHeapBytes: probe.heap,
    probeWatched: probe.watched,
    cpuMs: (total.user + total.system) / 1000,
    runCpuMs: (cpu.user + cpu.system) / 1000,
    describeCalls,
    refreshCalls: refreshApi.callCount({ action: "DescribeSnapshots" }),
  };
  timeline?.print();
  if (promoted) for (const line of await promoted.stop()) console.error(`promoted ${line}`);
  follower.done(result);
  process.disconnect();
}

process.once("message", (msg: OursStart) => {
  main(msg).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
});
