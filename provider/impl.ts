/**
 * The provider methods (configure, check, diff, create, read, update, delete) — how SnapshotCopy talks to the
 * cloud. Pure rules come from CORE's modules (check, diff, copyState, waiter, kmsKey); every network call goes
 * through ./outbound; status polling is coalesced by ./statusWatcher; clock, sleep and randomness are injected.
 *
 * The shim Pulumi serializes (./shim) loads this module by package name and uses {@link provider}, one
 * instance per provider process, so all copies in a deployment share one status loop per region.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { checkInputs } from "./check";
import { resolveConfig, type ConfigGetter, type ResolvedConfig } from "./config";
import { checkCopyState, parseProgress, type CopyStateResult } from "./copyState";
import { changedFields, diffCopy } from "./diff";
import { tryParseKeyRef } from "./kmsKey";
import { AlibabaApiError, Outbound, type ApiSnapshot, type CallOptions } from "./outbound";
import type { Clock } from "./retry";
import { CopiesReadyProviderImpl } from "./copiesReady";
import { StatusWatcher } from "./statusWatcher";
import { DEFAULTS, INPUT_KEYS, type CopyInputs, type CopyOutputs, type SnapshotStatus } from "./types";
import {
  backoffDelay,
  formatDuration,
  systemClock,
  waitUntil,
  WaiterAbortedError,
  WaiterFailureError,
  WaiterStalledError,
  WaiterTimeoutError,
} from "./waiter";

/** What tests (and benchmarks) may inject. Every field is optional; production uses the defaults. */
export interface ProviderDeps {
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: () => number;
  /** Where progress and retry lines go. @default a line on stderr (the engine shows plugin output in `pulumi up`) */
  log?: (line: string) => void;
  /** Environment for credentials and region fallbacks. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** Aborts every operation in flight (create then cleans up what it started). */
  signal?: AbortSignal;
  /** Shortest time between two status ticks of a region (ms). @default 200 */
  tickMs?: number;
  /** Status-watcher heartbeat: each copy being waited on earns one shared look per this period (ms). @default 120_000 */
  lookPerCopyMs?: number;
  /** A status look asked for at t may come up to this late, to share a tick (ms). @default 500 */
  slackMs?: number;
  /**
   * How long a copy CopySnapshot just returned may stay absent from DescribeSnapshots (eventual consistency)
   * before we conclude the ClientToken maps to a copy deleted earlier. @default 20_000
   */
  visibilityGraceMs?: number;
  /** Longest wait for a deleted copy to disappear. @default 1_800_000 (30 min) */
  deleteTimeoutMs?: number;
  /** Shortest gap between two progress lines that do not cross a 10% step. @default 30_000 */
  progressIntervalMs?: number;
  /** Socket timeouts (real ms). */
  readTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** API retry backoff bounds (ms). @default 500 / 20_000 */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
}

/** Error codes meaning "that snapshot does not exist" (ECS API reference). */
const NOT_FOUND = new Set([
  "InvalidSnapshotId.NotFound",
  "InvalidSnapshot.NotFound",
  "InvalidResourceId.NotFound",
]);
/** DeleteSnapshot refusals because disks or images were created from the snapshot (ECS API reference). */
const IN_USE = new Set(["SnapshotCreatedDisk", "SnapshotCreatedImage"]);
/** KMS DescribeKey codes for a key (or alias) that does not exist (KMS API reference: Forbidden.KeyNotFound, 404). */
const KEY_NOT_FOUND = new Set(["Forbidden.KeyNotFound", "Forbidden.AliasNotFound", "EntityNotExist.Key"]);
/** CopySnapshot: another copy of the same disk to the same region is unfinished (one per disk and region). */
const DISK_BUSY = "InvalidOperation.DiskHasUnfinishedSnapshotCopy";
/** CopySnapshot: the ClientToken was used with different parameters (an earlier attempt with other attributes). */
const TOKEN_MISMATCH = "IdempotentParameterMismatch";
/**
 * How long a copy CopySnapshot just returned may stay invisible before we conclude its ClientToken is bound to
 * a copy deleted earlier (e.g. `destroy` then `up` of the same resource) and try the next token. Every such
 * cycle costs this much once, so it is kept short: ECS's read-after-write lag is seconds, not minutes.
 */
const DEFAULT_VISIBILITY_GRACE_MS = 20_000;

/** What each KMS key state means for the user (KMS DescribeKey KeyState). */
const KEY_STATE_ADVICE: Record<string, string> = {
  Disabled: "enable it (KMS EnableKey / alicloud.kms.Key isEnabled) or choose another key",
  PendingDeletion: "cancel its deletion (KMS CancelKeyDeletion) or choose another key",
  PendingImport: "import its key material first or choose another key",
};

type Props = Record<string, unknown>;
interface Runtime {
  cfg: ResolvedConfig;
  api: Outbound;
  watcher: StatusWatcher;
}
interface KeyInfo {
  keyId: string;
  aliases?: string[];
  accountId?: string;
}

/** The create-but-failed error shape the dynamic-provider host records (ErrorResourceInitFailed). */
export class ResourceInitError extends Error {
  override name = "ResourceInitError";
  constructor(
    message: string,
    public readonly id: string,
    public readonly properties: Props,
    public readonly reasons: string[],
  ) {
    super(message);
  }
}

/** Drops undefined values: the host turns results into protobuf Structs, which reject undefined. */
function compact<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

/**
 * The deterministic ClientToken (CopySnapshot: at most 64 ASCII characters). It hashes the resource key
 * (`project/stack/name`, so resources and stacks never share a token) and the inputs a copy cannot change
 * (source, regions, encryption, key), so a retried or re-run create of the same copy presents the same token
 * and the API returns the copy a lost response already started.
 *
 * The API keeps a token's record after its copy is deleted (as far as we know; the simulator models it so), so
 * after `destroy` (or a copy deleted out of band) the same token names a copy that no longer exists. Then create
 * falls back, once, to a fresh token: the deterministic one plus `fresh` (a timestamp taken once per create, so
 * the SDK's own retries of that request still share it).
 * @internal exported for tests
 */
export function clientTokenFor(ins: CopyInputs, resolvedKeyId?: string, fresh?: string): string {
  const seed = JSON.stringify([
    ins.resourceKey ?? "",
    ins.sourceSnapshotId,
    ins.sourceRegionId,
    ins.destinationRegionId,
    ins.encrypted,
    resolvedKeyId ?? ins.kmsKeyId ?? "",
  ]);
  const base = `sc-${createHash("sha256").update(seed).digest("hex").slice(0, 40)}`;
  return fresh === undefined ? base : `${base}-${fresh}`;
}

/** "about 12 min left", "about 2 h 5 min left", "less than a minute left". */
function remaining(seconds: number | undefined): string {
  if (seconds === undefined) return "";
  if (seconds < 60) return " (less than a minute left)";
  const min = Math.round(seconds / 60);
  if (min < 60) return ` (about ${min} min left)`;
  return ` (about ${Math.floor(min / 60)} h ${min % 60} min left)`;
}

/**
 * Progress lines for one copy: on the first observation, at every 10% step, and otherwise at most every
 * `intervalMs` while progress moves (plus a heartbeat every 10 intervals when it does not).
 */
class ProgressReporter {
  private lastAt?: number;
  private lastProgress = -1;
  constructor(
    private readonly prefix: string,
    private readonly log: (line: string) => void,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  report(st: CopyStateResult): void {
    const now = this.clock.now();
    const p = Math.floor(st.progress);
    const first = this.lastAt === undefined;
    const step = Math.floor(p / 10) > Math.floor(this.lastProgress / 10);
    const since = first ? Infinity : now - this.lastAt!;
    const moved = p !== this.lastProgress;
    if (!(first || step || (moved && since >= this.intervalMs) || since >= 10 * this.intervalMs)) return;
    this.lastAt = now;
    this.lastProgress = p;
    const what =
      st.state === "missing" ? "waiting for the copy to appear" : `${p}%${remaining(st.remainSeconds)}`;
    this.log(`${this.prefix} ${what}`);
  }

  say(text: string): void {
    this.log(`${this.prefix} ${text}`);
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function tagsOf(s: ApiSnapshot | undefined): Record<string, string> | undefined {
  if (!s?.Tags) return undefined;
  const out: Record<string, string> = {};
  // System tags (acs:...) are Alibaba's, not the user's (CopySnapshot Tag.N rules).
  for (const t of s.Tags.Tag ?? [])
    if (t.TagKey && !t.TagKey.startsWith("acs:")) out[t.TagKey] = t.TagValue ?? "";
  return out;
}

/** The failure reason to quote: the API's own words when it gives any. */
function failureReason(s: ApiSnapshot | undefined, st: CopyStateResult): string {
  const api = s && (str(s.FailedReason) ?? str(s.FailReason) ?? str(s.StatusDetail) ?? str(s.Reason));
  return api ? `the copy failed: ${api}` : (st.reason ?? "the copy failed");
}

/** null means unset: in Pulumi inputs, and in state, where outputsOf records unset optional outputs as null. */
function withoutNulls(p: Props): Props {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null));
}

/** The user's inputs out of a state record. */
function inputsOf(p: Props): Props {
  const out: Props = {};
  // null is how state records an unset optional output (see outputsOf): as an input it means unset.
  for (const k of INPUT_KEYS) if (p[k] !== undefined && p[k] !== null) out[k] = p[k];
  return out;
}

/**
 * State for a copy: the inputs as given, overlaid with what the copy reports. `cloudWins` (read/refresh)
 * takes name, description, retention, tags and resource group from the cloud so drift shows; create and
 * update keep the user's values (the copy was just given them).
 */
function outputsOf(
  ins: CopyInputs,
  id: string,
  s: ApiSnapshot | undefined,
  key: KeyInfo | undefined,
  prev: Props = {},
  cloudWins = false,
): CopyOutputs {
  const st = checkCopyState(s);
  const status = (str(s?.Status) ?? str(prev.status) ?? "progressing") as SnapshotStatus;
  const keyId = str(s?.KMSKeyId) ?? key?.keyId ?? str(prev.kmsKeyId) ?? ins.kmsKeyId;
  const aliases =
    key?.aliases ?? (Array.isArray(prev.kmsKeyAliases) ? (prev.kmsKeyAliases as string[]) : undefined);
  const accountId = key?.accountId ?? /^acs:ecs:[^:]*:(\d*):/.exec(String(prev.arn ?? ""))?.[1] ?? "";
  const size =
    s?.SourceDiskSize !== undefined ? Number(s.SourceDiskSize) : (prev.sourceDiskSize as number | undefined);
  const cloud = (field: keyof CopyInputs, v: unknown) => (cloudWins && v !== undefined ? v : ins[field]);
  const outs = compact({
    ...ins,
    name: cloud("name", str(s?.SnapshotName)),
    description: cloud("description", str(s?.Description)),
    retentionDays: cloud("retentionDays", typeof s?.RetentionDays === "number" ? s.RetentionDays : undefined),
    tags: cloud("tags", tagsOf(s)) as Record<string, string>,
    resourceGroupId: cloud("resourceGroupId", str(s?.ResourceGroupId)),
    snapshotId: id,
    status,
    progress: s ? st.progress : typeof prev.progress === "number" ? prev.progress : 0,
    available: s ? st.state === "available" : prev.available === true,
    encrypted: s?.Encrypted ?? ins.encrypted,
    kmsKeyId: keyId,
    kmsKeyAliases: aliases,
    sourceDiskId: str(s?.SourceDiskId) ?? str(prev.sourceDiskId),
    sourceDiskSize: Number.isFinite(size) ? size : undefined,
    creationTime: str(s?.CreationTime) ?? str(prev.creationTime),
    arn: `acs:ecs:${ins.destinationRegionId}:${accountId}:snapshot/${id}`,
  }) as Props;
  // An output missing from state reads as unknown in every preview (@pulumi/pulumi marks absent outputs unknown
  // during a dry run), so `export const key = copy.kmsKeyId` of a plain copy showed a change each time: unset
  // optional outputs are recorded as null instead.
  for (const k of OPTIONAL_OUTPUTS) outs[k] ??= null;
  return outs as unknown as CopyOutputs;
}

/** Outputs a copy may not have (a plain copy has no key; the API may omit the disk, name, ...). */
const OPTIONAL_OUTPUTS = [
  "kmsKeyId",
  "sourceDiskId",
  "sourceDiskSize",
  "name",
  "description",
  "retentionDays",
  "resourceGroupId",
  "creationTime",
] as const;

const isTimeout = (e: unknown) => e instanceof WaiterTimeoutError; // includes WaiterStalledError

/** The provider implementation. Create instances with {@link createSnapshotCopyProvider}. */
export class SnapshotCopyProviderImpl implements pulumi.dynamic.ResourceProvider {
  private runtimeP?: Promise<Runtime>;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly deps: ProviderDeps = {}) {
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.log = deps.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  /**
   * Reads region, credentials and endpoints from the stack config (see ./config for the keys). The host
   * calls it once per serialized provider before any other method; a method that starts before it finishes
   * awaits it (the host caches the provider before `configure` resolves, so concurrent requests can race it).
   */
  configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    if (!this.runtimeP) {
      const get: ConfigGetter = (k) => req.config.get(k);
      this.runtimeP = Promise.resolve().then(() =>
        this.build(resolveConfig(get, this.deps.env ?? process.env)),
      );
    }
    return this.runtimeP.then(() => undefined);
  }

  private build(cfg: ResolvedConfig): Runtime {
    const api = new Outbound(cfg, {
      clock: this.clock,
      random: this.random,
      log: this.log,
      readTimeoutMs: this.deps.readTimeoutMs,
      connectTimeoutMs: this.deps.connectTimeoutMs,
      retryBaseDelayMs: this.deps.retryBaseDelayMs,
      retryMaxDelayMs: this.deps.retryMaxDelayMs,
    });
    const watcher = new StatusWatcher({
      describe: (region, ids) => api.describeSnapshots(region, ids, { signal: this.deps.signal }),
      clock: this.clock,
      callsPerMinute: cfg.describeCallsPerMinute,
      tickMs: this.deps.tickMs,
      lookPerCopyMs: this.deps.lookPerCopyMs,
      slackMs: this.deps.slackMs,
    });
    return { cfg, api, watcher };
  }

  /** Without a `configure` call (direct use), fall back to the environment alone. */
  private runtime(): Promise<Runtime> {
    this.runtimeP ??= Promise.resolve().then(() =>
      this.build(resolveConfig(() => undefined, this.deps.env ?? process.env)),
    );
    return this.runtimeP;
  }

  /** Test and benchmark access to the seam and the watcher (counters). @internal */
  async internals(): Promise<Runtime> {
    return this.runtime();
  }

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const rt = await this.runtime();
    const r = checkInputs(withoutNulls(olds ?? {}), withoutNulls(news), { defaultRegion: rt.cfg.region });
    return { inputs: compact(r.inputs), failures: r.failures };
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return diffCopy(olds, news as unknown as CopyInputs);
  }

  /** Inputs with defaults applied; a failure here means the host skipped `check`. */
  private async normalise(props: Props, olds: Props = {}): Promise<{ rt: Runtime; ins: CopyInputs }> {
    const rt = await this.runtime();
    const { inputs, failures } = checkInputs(inputsOf(olds), inputsOf(props), {
      defaultRegion: rt.cfg.region,
    });
    if (failures.length) {
      throw new Error(
        `invalid SnapshotCopy inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      );
    }
    return { rt, ins: inputs };
  }

  private prefix(ins: CopyInputs): string {
    return `SnapshotCopy ${ins.resourceKey ?? ins.sourceSnapshotId}: ${ins.sourceSnapshotId} -> ${ins.destinationRegionId}`;
  }

  private reporter(ins: CopyInputs): ProgressReporter {
    return new ProgressReporter(
      this.prefix(ins),
      this.log,
      this.clock,
      this.deps.progressIntervalMs ?? 30_000,
    );
  }

  // ---------------------------------------------------------------------------------------------- create

  async create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const { rt, ins } = await this.normalise(props);
    const startedAt = this.clock.now();
    const deadline = ins.timeoutMinutes !== undefined ? startedAt + ins.timeoutMinutes * 60_000 : undefined;
    const opts: CallOptions = { deadline, signal: this.deps.signal };
    if (ins.adoptSnapshotId) return this.adopt(rt, ins, props, opts);

    // (1) The key, before any CopySnapshot: a bad key fails here with a sentence, not as a failed copy.
    const key = ins.encrypted && ins.kmsKeyId ? await this.verifyKey(rt, ins, opts) : undefined;

    // (2) Start (or find) the copy.
    const report = this.reporter(ins);
    const { id, snap } = await this.startCopy(rt, ins, key, opts, report);
    if (!ins.waitForCompletion) {
      return { id, outs: outputsOf(ins, id, snap, key) };
    }

    // (3) Wait until it is usable; on any failure, cancel it (or keep it, when asked) before throwing.
    try {
      const done = await this.waitForCopy(rt, ins, id, report, deadline, snap);
      report.say("100%, available");
      return { id, outs: outputsOf(ins, id, done, key) };
    } catch (err) {
      const why = this.describeFailure(err) + (await this.failureCause(rt, ins, err, opts));
      if (isTimeout(err) && ins.onTimeout === "keep") {
        const last = ((err as WaiterTimeoutError).lastValue as ApiSnapshot | undefined) ?? snap;
        const outs = outputsOf(ins, id, last, key);
        const message =
          `${this.prefix(ins)}: ${why}. The copy ${id} is kept (onTimeout: "keep") and recorded in the stack; ` +
          `run \`pulumi up\` again to keep waiting, or \`pulumi destroy\` to cancel it.`;
        report.say(message);
        throw new ResourceInitError(message, id, { ...outs, __provider: props.__provider }, [message]);
      }
      const cleanup = await this.cancelCopy(rt, ins.destinationRegionId, id);
      throw new Error(`${this.prefix(ins)}: ${why}. ${cleanup}`);
    }
  }

  private describeFailure(err: unknown): string {
    if (err instanceof WaiterFailureError) return err.reason;
    if (err instanceof WaiterStalledError) return err.message;
    if (err instanceof WaiterTimeoutError) return `${err.message} (timeoutMinutes)`;
    if (err instanceof WaiterAbortedError) return "the operation was aborted";
    return err instanceof Error ? err.message : String(err);
  }

  /**
   * DescribeSnapshots gives no reason for a failed copy, so look for the usual outside causes: the source
   * snapshot deleted while the copy ran, or the destination key disabled or scheduled for deletion meanwhile
   * (issue 6, "failures from outside"). Best effort: "" when nothing is found or the checks themselves fail.
   */
  private async failureCause(rt: Runtime, ins: CopyInputs, err: unknown, opts: CallOptions): Promise<string> {
    if (!(err instanceof WaiterFailureError)) return "";
    try {
      const [source] = await rt.api.describeSnapshots(ins.sourceRegionId, [ins.sourceSnapshotId], opts);
      if (!source) {
        return (
          `; the source snapshot ${ins.sourceSnapshotId} no longer exists in ${ins.sourceRegionId}: it was ` +
          `deleted while the copy ran. Point sourceSnapshotId at an existing snapshot`
        );
      }
      if (ins.encrypted && ins.kmsKeyId) {
        const key = await rt.api.describeKey(ins.destinationRegionId, ins.kmsKeyId, opts);
        if (key.KeyState !== "Enabled") {
          return `; the KMS key ${key.KeyId} (kmsKeyId "${ins.kmsKeyId}") is now ${key.KeyState}: ${KEY_STATE_ADVICE[key.KeyState] ?? "choose an Enabled key"}`;
        }
      }
    } catch {
      // The diagnosis is a courtesy; the failure itself is what we report.
    }
    return "";
  }

  /** Deletes a copy we started and waits until it is gone; says what happened, for the error message. */
  private async cancelCopy(rt: Runtime, region: string, id: string): Promise<string> {
    try {
      await this.deleteAndWait(rt, region, id, false);
      return `The copy ${id} was cancelled and deleted, so nothing is left behind.`;
    } catch (e) {
      return `Deleting the copy ${id} also failed (${e instanceof Error ? e.message : String(e)}); delete it by hand.`;
    }
  }

  /** KMS DescribeKey in the destination region: the key must exist and be Enabled. */
  private async verifyKey(rt: Runtime, ins: CopyInputs, opts: CallOptions): Promise<KeyInfo> {
    const ref = ins.kmsKeyId!;
    const region = ins.destinationRegionId;
    let key;
    try {
      key = await rt.api.describeKey(region, ref, opts);
    } catch (e) {
      if (e instanceof AlibabaApiError && (KEY_NOT_FOUND.has(e.code) || e.httpStatus === 404)) {
        throw new Error(
          `kmsKeyId "${ref}": no such KMS key in ${region} (${e.code}: ${e.apiMessage}` +
            `${e.requestId ? `, RequestId ${e.requestId}` : ""}). A copy is encrypted with a key in its ` +
            `destination region: create the key in ${region} or fix kmsKeyId. Nothing was copied.`,
        );
      }
      throw e;
    }
    if (key.KeyState !== "Enabled") {
      const advice = KEY_STATE_ADVICE[key.KeyState] ?? "choose an Enabled key";
      throw new Error(
        `kmsKeyId "${ref}" (key ${key.KeyId} in ${region}) is ${key.KeyState}; CopySnapshot needs an Enabled ` +
          `key: ${advice}. Nothing was copied.`,
      );
    }
    const parsed = tryParseKeyRef(ref, region);
    const arnAccount = key.Arn ? /^acs:kms:[^:]*:(\d*):/.exec(key.Arn)?.[1] : undefined;
    return {
      keyId: key.KeyId,
      aliases: parsed?.alias ? [parsed.alias] : undefined,
      accountId: arnAccount ?? parsed?.accountId,
    };
  }

  /**
   * CopySnapshot with the deterministic token, then make sure the returned copy exists. A token bound to a copy
   * deleted earlier returns that copy's ID, which never appears; that, or IdempotentParameterMismatch, makes
   * create try once more with a fresh token (see {@link clientTokenFor}). So a destroy-then-up costs at most
   * one visibility grace period, however often it happens.
   */
  private async startCopy(
    rt: Runtime,
    ins: CopyInputs,
    key: KeyInfo | undefined,
    opts: CallOptions,
    report: ProgressReporter,
  ): Promise<{ id: string; snap: ApiSnapshot }> {
    const fresh = this.clock.now().toString(36);
    for (const token of [clientTokenFor(ins, key?.keyId), clientTokenFor(ins, key?.keyId, fresh)]) {
      let id: string;
      try {
        id = await this.copyWhenDiskFree(rt, ins, token, opts, report);
      } catch (e) {
        if (e instanceof AlibabaApiError && e.code === TOKEN_MISMATCH) {
          report.say(`ClientToken ${token} was used with other parameters; trying a fresh token`);
          continue;
        }
        throw e;
      }
      const snap = await this.awaitVisible(rt, ins.destinationRegionId, id, ins, report);
      if (snap) {
        report.say(`copying as ${id}`);
        return { id, snap };
      }
      report.say(
        `CopySnapshot returned ${id} for ClientToken ${token}, but that copy does not exist (deleted earlier); ` +
          `trying a fresh token`,
      );
    }
    throw new Error(
      `${this.prefix(ins)}: CopySnapshot returned copies that do not exist, even for a fresh token`,
    );
  }

  /**
   * One CopySnapshot. While another copy of the same disk to the same region is unfinished
   * (InvalidOperation.DiskHasUnfinishedSnapshotCopy — e.g. another stack's), wait and retry within the
   * deadline (or the stall limit when there is none).
   */
  private async copyWhenDiskFree(
    rt: Runtime,
    ins: CopyInputs,
    clientToken: string,
    opts: CallOptions,
    report: ProgressReporter,
  ): Promise<string> {
    const limitMs =
      opts.deadline !== undefined ? opts.deadline - this.clock.now() : ins.stallTimeoutMinutes * 60_000;
    let said = false;
    try {
      return await waitUntil<string>(
        async () => {
          try {
            const id = await rt.api.copySnapshot(
              {
                sourceRegionId: ins.sourceRegionId,
                sourceSnapshotId: ins.sourceSnapshotId,
                destinationRegionId: ins.destinationRegionId,
                clientToken,
                name: ins.name,
                description: ins.description,
                retentionDays: ins.retentionDays,
                encrypted: ins.encrypted,
                kmsKeyId: ins.kmsKeyId,
                resourceGroupId: ins.resourceGroupId,
                tags: ins.tags,
              },
              opts,
            );
            return { state: "done", value: id };
          } catch (e) {
            if (!(e instanceof AlibabaApiError) || e.code !== DISK_BUSY) throw e;
            if (!said) {
              report.say(
                `waiting: another copy of this snapshot's disk to ${ins.destinationRegionId} is unfinished ` +
                  `(${DISK_BUSY}; maybe another stack's); CopySnapshot will be retried when it ends`,
              );
              said = true;
            }
            return { state: "retry" };
          }
        },
        {
          minDelayMs: ins.pollMinSeconds * 1000,
          maxDelayMs: ins.pollMaxSeconds * 1000,
          timeoutMs: Math.max(1, limitMs),
          clock: this.clock,
          random: this.random,
          signal: opts.signal,
        },
      );
    } catch (e) {
      if (isTimeout(e)) {
        throw new Error(
          `${this.prefix(ins)}: another copy of the same disk to ${ins.destinationRegionId} stayed unfinished for ` +
            `${formatDuration(limitMs)} (${DISK_BUSY}); nothing was copied. Retry when it has finished.`,
        );
      }
      throw e;
    }
  }

  /** Waits until DescribeSnapshots shows `id` (eventual consistency); undefined when it never does. */
  private async awaitVisible(
    rt: Runtime,
    region: string,
    id: string,
    ins: CopyInputs,
    report: ProgressReporter,
  ): Promise<ApiSnapshot | undefined> {
    const graceMs = this.deps.visibilityGraceMs ?? DEFAULT_VISIBILITY_GRACE_MS;
    let first = true;
    try {
      return await waitUntil<ApiSnapshot>(
        async () => {
          const s = await rt.watcher.observe(region, id, { signal: this.deps.signal });
          if (!s && first) {
            report.say(
              `CopySnapshot returned ${id}, which DescribeSnapshots does not show yet; waiting up to ` +
                `${formatDuration(graceMs)} for it (its ClientToken may name a copy deleted earlier)`,
            );
          }
          first = false;
          return s ? { state: "done", value: s } : { state: "retry" };
        },
        {
          minDelayMs: ins.pollMinSeconds * 1000,
          maxDelayMs: ins.pollMaxSeconds * 1000,
          timeoutMs: graceMs,
          clock: this.clock,
          random: this.random,
          signal: this.deps.signal,
        },
      );
    } catch (e) {
      if (isTimeout(e)) return undefined;
      throw e;
    }
  }

  /**
   * The one wait for a copy: coalesced DescribeSnapshots through the watcher, checkCopyState on each
   * observation, progress lines, a failed copy ending the wait at once, the stall limit always and the
   * deadline when one is set.
   *
   * Scheduling (issue 5, measured in bench/waiting.ts): the copy is watched, so every tick of its region looks at
   * it and a tick that sees it finished or failed ends the waiter's sleep at once. The waiter itself asks for a
   * look when DescribeSnapshots' RemainTime says the copy will be done (even sooner than pollMinSeconds: that
   * look costs at most one call, shared with every other copy in the region). When RemainTime is missing, or the
   * copy outlived it, it backs off from pollMinSeconds to pollMaxSeconds as before.
   */
  private async waitForCopy(
    rt: Runtime,
    ins: CopyInputs,
    id: string,
    report: ProgressReporter,
    deadline: number | undefined,
    initial?: ApiSnapshot,
    signal = this.deps.signal,
  ): Promise<ApiSnapshot> {
    const region = ins.destinationRegionId;
    let seen = initial !== undefined;
    const minMs = ins.pollMinSeconds * 1000;
    const maxMs = ins.pollMaxSeconds * 1000;
    const watch = rt.watcher.watch(region, id, {
      initial,
      maxGapMs: maxMs,
      wakeOn: (s) => {
        const state = checkCopyState(s).state;
        return state === "available" || state === "failed" || (seen && state === "missing");
      },
    });
    let predictedAt: number | undefined;
    let misses = 0;
    const timeoutMs = deadline === undefined ? undefined : Math.max(1, deadline - this.clock.now());
    try {
      return await waitUntil<ApiSnapshot>(
        async () => {
          const s = await watch.take(signal);
          const st = checkCopyState(s);
          // The caller announces "100%, available" itself; a bare "100%" line before it only repeats it.
          if (st.state !== "available") report.report(st);
          if (s) seen = true;
          switch (st.state) {
            case "available":
              return { state: "done", value: s! };
            case "failed":
              return { state: "failed", reason: failureReason(s, st), value: s };
            case "missing":
              return seen
                ? { state: "failed", reason: `the copy ${id} disappeared: it was deleted outside this stack` }
                : { state: "retry", nextCheckHintMs: minMs };
            default: {
              const now = this.clock.now();
              if (predictedAt !== undefined && now >= predictedAt) misses++; // it outlived its RemainTime
              const backoff = backoffDelay(misses + 1, minMs, maxMs, this.random);
              const remainMs = st.remainSeconds ? st.remainSeconds * 1000 : undefined;
              const hint = remainMs !== undefined && misses === 0 ? remainMs : backoff;
              predictedAt = remainMs !== undefined ? now + remainMs : undefined;
              watch.expect(misses === 0 ? predictedAt : undefined);
              return { state: "retry", value: s, nextCheckHintMs: hint };
            }
          }
        },
        {
          // Hints are clamped to [minDelayMs, maxDelayMs]; the floor is 1 s so a check can land when RemainTime
          // says the copy finishes. Checks without such a prediction use pollMinSeconds (the hints above).
          minDelayMs: Math.min(1000, minMs),
          maxDelayMs: maxMs,
          timeoutMs,
          stallTimeoutMs: ins.stallTimeoutMinutes * 60_000,
          progressOf: (s) => parseProgress(s.Progress),
          clock: watch.clock,
          random: this.random,
          signal,
        },
      );
    } finally {
      watch.close();
    }
  }

  /**
   * Waits until every copy is usable, all through the shared watcher (SnapshotCopiesReady, issue 5). The first
   * copy that fails (or times out, or stalls) ends the whole wait at once: the others are abandoned, and the
   * error names that copy and quotes the API's reason. `onReady` hears each copy as it becomes usable.
   * @internal
   */
  async waitForCopies(
    copies: { snapshotId: string; regionId: string }[],
    settings: Pick<
      CopyInputs,
      "timeoutMinutes" | "stallTimeoutMinutes" | "pollMinSeconds" | "pollMaxSeconds"
    >,
    onReady: (copy: { snapshotId: string; regionId: string }, done: number) => void = () => undefined,
  ): Promise<ApiSnapshot[]> {
    const rt = await this.runtime();
    const deadline =
      settings.timeoutMinutes !== undefined ? this.clock.now() + settings.timeoutMinutes * 60_000 : undefined;
    const abandon = new AbortController();
    const signal = this.deps.signal ? AbortSignal.any([this.deps.signal, abandon.signal]) : abandon.signal;
    const quiet = new ProgressReporter("", () => undefined, this.clock, Infinity);
    let done = 0;
    try {
      return await Promise.all(
        copies.map(async (c) => {
          const ins = { ...settings, destinationRegionId: c.regionId } as CopyInputs;
          try {
            const s = await this.waitForCopy(rt, ins, c.snapshotId, quiet, deadline, undefined, signal);
            onReady(c, ++done);
            return s;
          } catch (err) {
            if (err instanceof WaiterAbortedError && abandon.signal.aborted) throw err;
            throw new Error(`copy ${c.snapshotId} in ${c.regionId}: ${this.describeFailure(err)}`);
          }
        }),
      );
    } catch (err) {
      abandon.abort();
      throw err;
    }
  }

  /** adoptSnapshotId: put an existing copy under management without copying (`pulumi import` does not work for dynamic resources). */
  private async adopt(
    rt: Runtime,
    ins: CopyInputs,
    props: Props,
    opts: CallOptions,
  ): Promise<pulumi.dynamic.CreateResult> {
    const id = ins.adoptSnapshotId!;
    const region = ins.destinationRegionId;
    const [s] = await rt.api.describeSnapshots(region, [id], opts);
    if (!s) {
      throw new Error(
        `adoptSnapshotId "${id}": no such snapshot in ${region}; adopt a copy that exists in destinationRegionId`,
      );
    }
    if (s.SourceSnapshotId !== ins.sourceSnapshotId) {
      throw new Error(
        `adoptSnapshotId "${id}" is a copy of ${s.SourceSnapshotId ? `"${s.SourceSnapshotId}"` : "no snapshot"}, ` +
          `not of sourceSnapshotId "${ins.sourceSnapshotId}"; fix sourceSnapshotId or adopt the right copy`,
      );
    }
    const key = ins.encrypted && ins.kmsKeyId ? await this.verifyKey(rt, ins, opts) : undefined;
    if (key && s.KMSKeyId && key.keyId !== s.KMSKeyId) {
      throw new Error(
        `adoptSnapshotId "${id}" is encrypted with key ${s.KMSKeyId}, not with kmsKeyId "${ins.kmsKeyId}" (${key.keyId})`,
      );
    }
    // Apply the attributes the user declared, each only where the copy differs.
    const current: Props = {
      name: str(s.SnapshotName),
      description: str(s.Description),
      retentionDays: s.RetentionDays,
      tags: tagsOf(s) ?? {},
      resourceGroupId: str(s.ResourceGroupId),
    };
    await this.applyAttributes(rt, region, id, current, ins, opts);
    let snap = s;
    if (ins.waitForCompletion && checkCopyState(s).state !== "available") {
      try {
        snap = await this.waitForCopy(rt, ins, id, this.reporter(ins), opts.deadline);
      } catch (err) {
        // Not ours to delete: record it and let the next `up` keep waiting.
        const message = `${this.prefix(ins)}: adopted copy ${id}: ${this.describeFailure(err)}`;
        const last = (err as { lastValue?: ApiSnapshot }).lastValue ?? s;
        throw new ResourceInitError(
          message,
          id,
          { ...outputsOf(ins, id, last, key), __provider: props.__provider },
          [message],
        );
      }
    }
    return { id, outs: outputsOf(ins, id, snap, key) };
  }

  /**
   * ModifySnapshotAttribute (name, description, retention — only those that changed, in one call),
   * UntagResources / TagResources (only the delta), JoinResourceGroup; each only when its field changed.
   */
  private async applyAttributes(
    rt: Runtime,
    region: string,
    id: string,
    olds: Props,
    ins: CopyInputs,
    opts: CallOptions,
  ): Promise<void> {
    const { updates } = changedFields(olds, ins);
    const modify: { name?: string; description?: string; retentionDays?: number } = {};
    if (updates.includes("name")) modify.name = ins.name;
    if (updates.includes("description")) modify.description = ins.description;
    if (updates.includes("retentionDays")) modify.retentionDays = ins.retentionDays;
    if (Object.values(modify).some((v) => v !== undefined)) {
      await rt.api.modifySnapshotAttribute(region, id, modify, opts);
    }
    if (updates.includes("tags")) {
      const before = (olds.tags ?? {}) as Record<string, string>;
      const after = ins.tags ?? {};
      const removed = Object.keys(before).filter((k) => !(k in after));
      const changed = Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v));
      if (removed.length) await rt.api.untagResources(region, id, removed, opts);
      if (Object.keys(changed).length) await rt.api.tagResources(region, id, changed, opts);
    }
    if (updates.includes("resourceGroupId") && ins.resourceGroupId) {
      await rt.api.joinResourceGroup(region, id, ins.resourceGroupId, opts);
    }
  }

  // ------------------------------------------------------------------------------------------------ read

  /**
   * Refresh: one coalesced DescribeSnapshots observation. A copy that is gone returns no ID, so refresh drops
   * it. Returns inputs as well as outputs, built the same way as create's, so an untouched copy shows no change.
   */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const rt = await this.runtime();
    const region = str(props.destinationRegionId);
    if (!region)
      throw new Error(`SnapshotCopy ${id}: the state has no destinationRegionId; cannot read the copy`);
    const s = await rt.watcher.observe(region, id, { signal: this.deps.signal });
    if (!s) return {};
    const { ins } = await this.normalise(props);
    const outs = outputsOf(ins, id, s, undefined, props, true);
    return { id, props: outs, inputs: compact(inputsOf(outs as unknown as Props)) };
  }

  // ---------------------------------------------------------------------------------------------- update

  /**
   * In-place changes, each API call only when its field changed. Also resumes waiting for a copy still in
   * progress (the engine calls update on a resource recorded with init errors — the keep-on-timeout path).
   */
  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const { rt, ins } = await this.normalise(news, olds);
    const region = ins.destinationRegionId;
    const startedAt = this.clock.now();
    const deadline = ins.timeoutMinutes !== undefined ? startedAt + ins.timeoutMinutes * 60_000 : undefined;
    const opts: CallOptions = { deadline, signal: this.deps.signal };
    await this.applyAttributes(rt, region, id, olds, ins, opts);

    const key: KeyInfo | undefined = str(olds.kmsKeyId)
      ? {
          keyId: String(olds.kmsKeyId),
          aliases: Array.isArray(olds.kmsKeyAliases) ? (olds.kmsKeyAliases as string[]) : undefined,
        }
      : undefined;
    // Keep the recorded key spelling: diff compared the new spelling by identity.
    const recorded = { ...ins, kmsKeyId: str(olds.kmsKeyId) ?? ins.kmsKeyId };
    const usable = olds.status === "accomplished" && olds.available === true;
    if (usable || !ins.waitForCompletion) {
      return { outs: outputsOf(recorded, id, undefined, key, olds) };
    }
    const report = this.reporter(ins);
    report.say(`resuming the wait for ${id}`);
    try {
      const done = await this.waitForCopy(rt, ins, id, report, deadline);
      report.say("100%, available");
      return { outs: outputsOf(recorded, id, done, key, olds) };
    } catch (err) {
      // The copy is in the stack already: record what we know and leave the decision to the user.
      const last = (err as { lastValue?: ApiSnapshot }).lastValue;
      const outs = outputsOf(recorded, id, last, key, olds);
      const next = isTimeout(err)
        ? "run `pulumi up` again to keep waiting, or `pulumi destroy` to cancel it"
        : "the copy cannot be used; the next `pulumi up` replaces it with a new copy, or `pulumi destroy` removes it";
      const message = `${this.prefix(ins)}: ${this.describeFailure(err)}. The copy ${id} stays in the stack: ${next}.`;
      throw new ResourceInitError(message, id, { ...outs, __provider: news.__provider }, [message]);
    }
  }

  // ---------------------------------------------------------------------------------------------- delete

  /**
   * DeleteSnapshot in the destination region (cancels a copy in progress), then waits until DescribeSnapshots
   * no longer returns it. Missing counts as success. A copy disks were created from is refused unless
   * forceDelete is set.
   */
  async delete(id: string, props: Props): Promise<void> {
    const rt = await this.runtime();
    const region = str(props.destinationRegionId);
    if (!region)
      throw new Error(`SnapshotCopy ${id}: the state has no destinationRegionId; cannot delete the copy`);
    await this.deleteAndWait(rt, region, id, props.forceDelete === true);
  }

  private async deleteAndWait(rt: Runtime, region: string, id: string, force: boolean): Promise<void> {
    const timeoutMs = this.deps.deleteTimeoutMs ?? 30 * 60_000;
    const opts: CallOptions = { deadline: this.clock.now() + timeoutMs, signal: this.deps.signal };
    try {
      await rt.api.deleteSnapshot(region, id, force, opts);
    } catch (e) {
      if (e instanceof AlibabaApiError && NOT_FOUND.has(e.code)) return;
      if (e instanceof AlibabaApiError && IN_USE.has(e.code)) {
        const disks = await rt.api.disksCreatedFrom(region, id, opts).catch(() => undefined);
        const users = disks?.length
          ? `disks ${disks.join(", ")} were created from it`
          : e.code === "SnapshotCreatedImage"
            ? "images were created from it"
            : "disks were created from it";
        throw new Error(
          `cannot delete snapshot copy ${id} in ${region}: ${users} (${e.code}` +
            `${e.requestId ? `, RequestId ${e.requestId}` : ""}). Delete those first, or set forceDelete: true ` +
            `to delete the copy anyway (the disks keep working).`,
        );
      }
      throw e;
    }
    await waitUntil<true>(
      async () => {
        const s = await rt.watcher.observe(region, id, { signal: this.deps.signal });
        return s ? { state: "retry" } : { state: "done", value: true };
      },
      {
        minDelayMs: DEFAULTS.pollMinSeconds * 1000,
        maxDelayMs: DEFAULTS.pollMaxSeconds * 1000,
        timeoutMs,
        clock: this.clock,
        random: this.random,
        signal: this.deps.signal,
      },
    );
  }
}

/** A provider with injected dependencies (tests, benchmarks). */
export function createSnapshotCopyProvider(deps: ProviderDeps = {}): SnapshotCopyProviderImpl {
  return new SnapshotCopyProviderImpl(deps);
}

let singleton: SnapshotCopyProviderImpl | undefined;

/** The process-wide provider the serialized shim delegates to. */
export function provider(): SnapshotCopyProviderImpl {
  singleton ??= createSnapshotCopyProvider();
  return singleton;
}

let readySingleton: CopiesReadyProviderImpl | undefined;

/** The process-wide SnapshotCopiesReady provider: it shares {@link provider}'s runtime, so its status watcher. */
export function copiesReadyProvider(): CopiesReadyProviderImpl {
  readySingleton ??= new CopiesReadyProviderImpl(provider());
  return readySingleton;
}
