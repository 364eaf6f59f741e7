/**
 * Shared setup for provider tests: a simulator on a manual virtual clock, a provider configured the way the
 * dynamic-provider host configures it (a Config over namespaced stack-config keys), virtual time that runs
 * forward whenever both sides are idle, and host-like wrappers that pass results through protobuf Structs
 * exactly as @pulumi/pulumi's cmd/dynamic-provider does (so an `undefined` in a result fails like it would).
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  startSimulator,
  VirtualClock,
  type CopyModel,
  type Simulator,
} from "../../simulator";
import {
  createSnapshotCopyProvider,
  type ProviderDeps,
  type SnapshotCopyProviderImpl,
} from "../../provider/lifecycle";
import type { Outbound } from "../../provider/cloud/outbound";
import type { StatusWatcher } from "../../provider/waiting/statusWatcher";
import { autoAdvance, type AutoAdvance } from "../helpers/virtualTime";
import { mulberry32 } from "../../simulator/faults";

// The host's Config class: get("alicloud:region") reads the raw stack config by its namespaced key.
const { Config } = require("@pulumi/pulumi/cmd/dynamic-provider/config") as {
  Config: new (raw: Record<string, string>, project: string) => { get(key: string): string | undefined };
};

type Props = Record<string, unknown>;

/** Deterministic [0,1) source: the simulator's seeded fault dice. */
export function seededRandom(seed = 42): () => number {
  return mulberry32(seed);
}

/** What the host does with every result: JS -> protobuf Struct -> JS. */
export function viaStruct<T extends object>(o: T): T {
  return Struct.fromJavaScript(o as never).toJavaScript() as T;
}

/** The serialized-provider placeholder the host keeps next to the inputs. */
export const PROVIDER_TEXT = "exports.handler = __f0; /* test */";

export interface Harness {
  sim: Simulator;
  clock: VirtualClock;
  provider: SnapshotCopyProviderImpl;
  api: Outbound;
  watcher: StatusWatcher;
  logs: string[];
  time: AutoAdvance;
  /** The stack config the provider was configured with. */
  stackConfig: Record<string, string>;
  /** check({}, news) then create, like the host; returns the recorded id and outputs. */
  create(news: Props): Promise<{ id: string; outs: Props; inputs: Props }>;
  /** check(oldInputs, news), diff, then update, like the host. */
  update(
    id: string,
    state: Props,
    news: Props,
  ): Promise<{ outs: Props; diff: { changes?: boolean; replaces?: string[] } }>;
  read(id: string, state: Props): Promise<{ id?: string; props?: Props; inputs?: Props }>;
  delete(id: string, state: Props): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  deps?: ProviderDeps;
  copyModel?: Partial<CopyModel>;
  /** Extra or overriding stack config; a function when it needs the simulator (its STS host, say). */
  config?: Record<string, string> | ((sim: Simulator) => Promise<Record<string, string>>);
}

/** Fixed start so log lines and creation times are stable. */
export const START = Date.parse("2025-03-01T00:00:00Z");

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const clock = new VirtualClock({ mode: "manual", start: START });
  const sim = await startSimulator({ clock, copyModel: opts.copyModel });
  const logs: string[] = [];
  const provider = createSnapshotCopyProvider({
    clock,
    random: seededRandom(),
    log: (line) => logs.push(line),
    retryBaseDelayMs: 200,
    keepTicks: true, // scale tests read the whole tick history
    ...opts.deps,
  });
  const stackConfig: Record<string, string> = {
    "alicloud:region": "cn-hangzhou",
    "alicloud:accessKey": DEFAULT_ACCESS_KEY_ID,
    "alicloud:secretKey": DEFAULT_ACCESS_KEY_SECRET,
    "snapshotCopy:ecsEndpoint": sim.endpoint,
    "snapshotCopy:kmsEndpoint": sim.endpoint,
    ...(typeof opts.config === "function" ? await opts.config(sim) : opts.config),
  };
  await provider.configure({ config: new Config(stackConfig, "test-project") });
  const { api, watcher } = await provider.internals();
  const time = autoAdvance(clock, () => sim.inFlight() + api.inFlight());

  const h: Harness = {
    sim,
    clock,
    provider,
    api,
    watcher,
    logs,
    time,
    stackConfig,
    async create(news) {
      const checked = await provider.check({}, news);
      if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
      const inputs = viaStruct({ ...checked.inputs, __provider: PROVIDER_TEXT });
      const r = await provider.create(inputs);
      return { id: r.id, outs: viaStruct({ ...r.outs, __provider: PROVIDER_TEXT }), inputs };
    },
    async update(id, state, news) {
      const oldInputs = Object.fromEntries(Object.entries(state).filter(([k]) => k !== "__provider"));
      const checked = await provider.check(oldInputs, news);
      if (checked.failures?.length) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
      const inputs = viaStruct({ ...checked.inputs, __provider: PROVIDER_TEXT });
      const diff = await provider.diff(id, state, inputs);
      const r = await provider.update(id, state, inputs);
      return { outs: viaStruct({ ...r.outs, __provider: PROVIDER_TEXT }), diff };
    },
    async read(id, state) {
      const r = await provider.read(id, state);
      return {
        id: r.id,
        props: r.props ? viaStruct(r.props) : undefined,
        inputs: r.inputs ? viaStruct(r.inputs) : undefined,
      };
    },
    async delete(id, state) {
      await provider.delete(id, state);
    },
    async close() {
      await time.stop();
      await sim.stop();
    },
  };
  return h;
}

/** Snapshots (copies included) in a region, as DescribeSnapshots would list them. */
export function copiesIn(h: Harness, region: string): { SnapshotId: string; Status?: string }[] {
  return h.sim.admin.snapshots(region).filter((s) => (s as { SourceSnapshotId?: string }).SourceSnapshotId);
}

/** A create's error, or a test failure when it succeeds. */
export async function createError(h: Harness, news: Props): Promise<Error & Props> {
  try {
    await h.create(news);
  } catch (e) {
    return e as Error & Props;
  }
  throw new Error("expected create to fail");
}
