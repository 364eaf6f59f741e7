/**
 * The provider process's runtime: config resolved once, one I/O seam and one status watcher, shared by every
 * SnapshotCopy and SnapshotCopiesReady operation of the process (so all copies share one status loop per region).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { systemClock, type Clock } from "../cloud/clock";
import { resolveConfig, type ConfigGetter, type ResolvedConfig } from "../cloud/config";
import { Outbound } from "../cloud/outbound";
import type { CopyContext } from "../copying/context";
import { copyName, type Named, type ResourceLog } from "../waiting/progress";
import { StatusWatcher } from "../waiting/statusWatcher";
import { EngineLog, engineAddressOf } from "./engineLog";

/** What tests (and benchmarks) may inject. Every field is optional; production uses the defaults. */
export interface ProviderDeps {
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: () => number;
  /**
   * Where lines go that belong to no copy's operation (status-loop retries, delete, SnapshotCopiesReady), and
   * every line when there is no engine to take it.
   * @default a line on stderr (the engine shows plugin output in `pulumi up`, on the stack's row)
   */
  log?: (line: string) => void;
  /**
   * The Pulumi engine's `host:port`, which shows a copy's progress on the copy's own row (./engineLog.ts).
   * @default the address the dynamic-provider host was started with; none when the provider is driven directly
   */
  engineAddress?: string;
  /** Environment for credentials and region fallbacks. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Aborts every operation in flight (create then cleans up what it started). */
  signal?: AbortSignal;
  /** Shortest time between two status ticks of a region (ms). @default {@link PROCESS_TICK_MS} (50) */
  tickMs?: number;
  /**
   * How long a region's loop gathers a look nobody planned (a create's look at its new copy, a refresh) before
   * the call, so that looks asked for together share it (ms). @default {@link PROCESS_BATCH_MS} (20)
   */
  batchMs?: number;
  /** Status-watcher heartbeat: each copy being waited on earns one shared look per this period (ms). @default 120_000 */
  lookPerCopyMs?: number;
  /** A status look asked for at t may come up to this late, to share a tick (ms). @default 500 */
  slackMs?: number;
  /** Longest wait for a deleted copy to disappear. @default 1_800_000 (30 min) */
  deleteTimeoutMs?: number;
  /** Longest time a failed create spends cancelling its copy, retries included. @default 120_000 (2 min) */
  cancelTimeoutMs?: number;
  /** Shortest gap between two progress lines that do not cross a 10% step. @default 30_000 */
  progressIntervalMs?: number;
  /** Socket timeouts (real ms). */
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** API retry backoff bounds (ms). @default 500 / 20_000 */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Keep the status watcher's whole tick history (tests, benchmarks). @default false: a bounded ring */
  keepTicks?: boolean;
}

/**
 * The pace of the provider process's status loops. Every create looks once at its new copy before it returns
 * (visible after CopySnapshot?), through its region's loop, and holds one of the engine's `--parallel` slots
 * meanwhile. At the watcher's own pace (ticks ≥ 200 ms apart, each such look gathered 200 ms) that look was
 * 335 ms of a 394 ms create: 100 creates that start their copies without waiting took 4.8 s through 8 slots.
 * Ticks ≥ 50 ms apart with a 20 ms gather: 1.3 s, 123 against 129 DescribeSnapshots calls (`bench/create-slots.ts`).
 * Inside `pulumi up` the creates arrive ~40 ms apart, so fewer looks share a call: +50 calls per 100 creates
 * (bench/README.md, "Engine parallelism"). Planned looks (a copy's expected end, the heartbeat) are not gathered,
 * and the per-region call budget (`snapshotCopy:describeCallsPerMinute`) caps the calls whatever the pace.
 */
export const PROCESS_TICK_MS = 50;
/** See {@link PROCESS_TICK_MS}. */
export const PROCESS_BATCH_MS = 20;

/** Everything an operation needs, built once per process from the stack config. */
export interface Runtime extends CopyContext {
  cfg: ResolvedConfig;
  watcher: StatusWatcher;
  /** One copy's lines, on its own row when the engine takes them ({@link ProviderRuntime.resourceLog}). */
  resourceLog: ProviderRuntime["resourceLog"];
}

/** Builds the runtime on the first `configure` (or, for direct use, from the environment alone) and keeps it. */
export class ProviderRuntime {
  private runtimeP?: Promise<Runtime>;
  readonly clock: Clock;
  readonly random: () => number;
  readonly log: (line: string) => void;
  readonly engineLog: EngineLog;
  /** The copy whose operation runs in the current async context ({@link settled}). */
  private readonly operation = new AsyncLocalStorage<ResourceLog>();

  constructor(readonly deps: ProviderDeps = {}) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.log = deps.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.engineLog = new EngineLog(
      "engineAddress" in deps ? deps.engineAddress : engineAddressOf(),
      this.log,
    );
  }

  /**
   * One copy's lines: on its own row when the engine takes them (the URN is `resourceKey`, which SnapshotCopy
   * computes the way the engine does), else as lines of {@link log} that name the copy.
   */
  resourceLog(ins: Named): ResourceLog {
    const urn = ins.resourceKey?.startsWith("urn:pulumi:") ? ins.resourceKey : undefined;
    const name = copyName(ins);
    if (!urn) return (text) => this.log(`${name}: ${text}`);
    return (text, ephemeral) => this.engineLog.send({ urn, text, ephemeral }, `${name}: ${text}`);
  }

  /**
   * Runs one copy's operation. The I/O seam's retry lines made meanwhile go to the copy's row too (the seam does
   * not know the resource; the operation's async context does). Returns after the operation's lines have
   * arrived: the engine may end this process as soon as the last operation returns.
   */
  async settled<T>(copy: Named, op: () => Promise<T>): Promise<T> {
    try {
      return await this.operation.run(this.resourceLog(copy), op);
    } finally {
      await this.engineLog.drained();
    }
  }

  /** A retry line of the I/O seam: live status of the copy whose operation made the call, if any. */
  private seamLog(line: string): void {
    const copy = this.operation.getStore();
    if (copy) copy(line, true);
    else this.log(line);
  }

  /**
   * Reads region, credentials and endpoints from the stack config (see ../cloud/config.ts for the keys). The
   * host calls it once per serialized provider before any other method; a method that starts before it
   * finishes awaits it (the host caches the provider before `configure` resolves, so requests can race it).
   */
  configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    this.runtimeP ??= this.start((k) => req.config.get(k));
    return this.runtimeP.then(() => undefined);
  }

  /** The runtime; without a `configure` call (direct use), built from the environment alone. */
  get(): Promise<Runtime> {
    this.runtimeP ??= this.start(() => undefined);
    return this.runtimeP;
  }

  private start(get: ConfigGetter): Promise<Runtime> {
    return Promise.resolve().then(() => this.build(resolveConfig(get, this.deps.env ?? process.env)));
  }

  private build(cfg: ResolvedConfig): Runtime {
    const { deps, clock, random, log } = this;
    const api = new Outbound(cfg, {
      clock,
      random,
      log: (line) => this.seamLog(line),
      readTimeoutMs: deps.readTimeoutMs,
      connectTimeoutMs: deps.connectTimeoutMs,
      retryBaseDelayMs: deps.retryBaseDelayMs,
      retryMaxDelayMs: deps.retryMaxDelayMs,
    });
    const watcher = new StatusWatcher({
      // One attempt per call: the watcher owns status-check retries, so each attempt counts against its budget.
      describe: (region, ids) => api.describeSnapshots(region, ids, { signal: deps.signal, retries: false }),
      describeTagged: (region, tag, nextToken) =>
        api.describeSnapshotsTaggedPage(region, tag, nextToken, { signal: deps.signal, retries: false }),
      // A region's status loop serves every copy, though the operation that started it is its async context.
      onRetry: (region, err, attempt, delayMs) =>
        this.operation.exit(() => api.logRetry("DescribeSnapshots", region, err, attempt, delayMs)),
      clock,
      random,
      retryQuota: (region) => api.retryQuota(region),
      retryBaseDelayMs: deps.retryBaseDelayMs,
      retryMaxDelayMs: deps.retryMaxDelayMs,
      keepTicks: deps.keepTicks,
      callsPerMinute: cfg.describeCallsPerMinute,
      tickMs: deps.tickMs ?? PROCESS_TICK_MS,
      batchMs: deps.batchMs ?? PROCESS_BATCH_MS,
      lookPerCopyMs: deps.lookPerCopyMs,
      slackMs: deps.slackMs,
    });
    return {
      cfg,
      api,
      watcher,
      clock,
      random,
      log,
      resourceLog: (ins) => this.resourceLog(ins),
      signal: deps.signal,
      deleteTimeoutMs: deps.deleteTimeoutMs ?? 30 * 60_000,
      cancelTimeoutMs: deps.cancelTimeoutMs ?? 2 * 60_000,
      progressIntervalMs: deps.progressIntervalMs ?? 30_000,
    };
  }
}
