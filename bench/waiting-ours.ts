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
}

/** What the child reports. */
export interface OursResult extends StrategyRun {
  /** process.resourceUsage().maxRSS, bytes: peak over the whole process. */
  peakRssBytes: number;
  /** RSS once modules are loaded, before any copy starts (bytes). */
  baselineRssBytes: number;
  /** User + system CPU time of the whole process, and of the run alone (ms, real). */
  cpuMs: number;
  runCpuMs: number;
  /** DescribeSnapshots calls the provider's own counter saw (cross-check against the simulator). */
  describeCalls: number;
  refreshCalls: number;
}

type Props = Record<string, unknown>;

async function configured(
  msg: OursStart,
  clock: VirtualClock,
  seed: number,
): Promise<SnapshotCopyProviderImpl> {
  const p = createSnapshotCopyProvider({
    ...msg.deps,
    clock,
    random: seededRandom(seed),
    log: () => undefined,
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
  const baselineRssBytes = process.memoryUsage().rss;
  const cpu0 = process.cpuUsage();

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
  const describeCalls = api.callCount({ action: "DescribeSnapshots" });

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
    baselineRssBytes,
    cpuMs: (total.user + total.system) / 1000,
    runCpuMs: (cpu.user + cpu.system) / 1000,
    describeCalls,
    refreshCalls: refreshApi.callCount({ action: "DescribeSnapshots" }),
  };
  follower.done(result);
  process.disconnect();
}

process.once("message", (msg: OursStart) => {
  main(msg).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
});
