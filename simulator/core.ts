import { readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { Authenticator } from "./auth";
import type { VirtualClock } from "./clock";
import { Counters } from "./counters";
import type { Problem } from "./contract/validate";
import { FaultInjector } from "./faults";
import { DEFAULT_COPY_MODEL } from "./models/copyTiming";
import { EcsModel } from "./models/ecs";
import { KmsModel } from "./models/kms";
import { StsModel } from "./models/sts";
import { World } from "./models/world";
import type {
  CallerCount,
  CopyModel,
  Faults,
  Seed,
  SimState,
  SnapshotView,
  StsSessionView,
  TagKeyAlone,
} from "./types";

/** Everything behind the HTTP server: world, models, faults, counters, auth, persistence. @internal */
export class SimCore {
  world = new World();
  ecs!: EcsModel;
  kms!: KmsModel;
  sts!: StsModel;
  /** STS knob: every set of temporary credentials lives at most this long (real ms); undefined = as asked. */
  stsLifetimeMs: number | undefined;
  /** ECS knob: what DescribeSnapshots' Tag.N.Key without a value matches (SimulatorAdmin.setTagKeyAlone). */
  tagKeyAlone: TagKeyAlone = "any";
  /** "<action>|<AccessKeyId>" -> successful signature checks: which credentials each call was signed with. */
  readonly signers = new Map<string, number>();
  readonly faults = new FaultInjector();
  readonly counters = new Counters();
  /** Every request's departures from the API metadata, unknown parameters included (tests read them). */
  readonly contractProblems: ({ action: string } & Problem)[] = [];
  readonly auth = new Authenticator(() => this.world.accounts);
  readonly copyModel: CopyModel;

  constructor(
    readonly clock: VirtualClock,
    copyModel: Partial<CopyModel> | undefined,
    private readonly statePath: string | undefined,
  ) {
    this.copyModel = { ...DEFAULT_COPY_MODEL, ...copyModel };
    this.bindModels();
  }

  private bindModels(): void {
    this.kms = new KmsModel(this.world, this.clock);
    this.sts = new StsModel(this.world, () => this.stsLifetimeMs);
    this.ecs = new EcsModel(
      this.world,
      this.clock,
      this.copyModel,
      () => this.faults.faults,
      this.kms,
      () => this.tagKeyAlone,
    );
  }

  seed(seed: Seed): void {
    this.world.seed(seed, this.clock.now());
    this.save();
  }

  reset(seed?: Seed): void {
    this.world = new World();
    this.bindModels();
    this.faults.clear();
    this.counters.reset();
    this.signers.clear();
    this.stsLifetimeMs = undefined;
    this.tagKeyAlone = "any";
    this.contractProblems.length = 0;
    if (seed) this.world.seed(seed, this.clock.now());
    this.save();
  }

  /** Counts a call that passed authentication (anonymous calls are not counted). */
  noteSigner(action: string, accessKeyId: string): void {
    if (!accessKeyId) return;
    const key = `${action}|${accessKeyId}`;
    this.signers.set(key, (this.signers.get(key) ?? 0) + 1);
  }

  /** Who signed what: one row per (action, AccessKeyId), with the account the key belongs to. */
  callers(): CallerCount[] {
    return [...this.signers].map(([key, count]) => {
      const [action, accessKeyId] = key.split("|");
      const a = this.world.accounts.get(accessKeyId);
      return {
        action,
        accessKeyId,
        accountId: a?.accountId ?? "",
        temporary: a?.expiresAt !== undefined,
        count,
      };
    });
  }

  /** Every set of temporary credentials STS has issued and not yet forgotten (secrets left out). */
  stsSessions(): StsSessionView[] {
    return [...this.world.accounts.values()]
      .filter((a) => a.session)
      .map((a) => ({
        ...a.session!,
        accessKeyId: a.accessKeyId,
        accountId: a.accountId,
        expiresAt: a.expiresAt!,
      }));
  }

  setFaults(f: Partial<Faults>): void {
    this.faults.set(f);
    this.ecs.applyFailPlans();
    this.save();
  }

  snapshots(region?: string): SnapshotView[] {
    const now = this.clock.now();
    return [...this.world.snapshots.values()]
      .filter((s) => !region || s.regionId === region)
      .map((s) => this.ecs.view(s, now));
  }

  dump(): SimState & { snapshots: SnapshotView[] } {
    return {
      version: 1,
      clockNow: this.clock.now(),
      world: this.world.toData(),
      snapshots: this.snapshots(),
    };
  }

  /** Loads statePath if it exists (restoring virtual time too); returns whether it did. */
  load(): boolean {
    if (!this.statePath || !existsSync(this.statePath)) return false;
    const state = JSON.parse(readFileSync(this.statePath, "utf8")) as SimState;
    this.world = World.fromData(state.world);
    this.bindModels();
    this.clock.restoreTo(state.clockNow);
    return true;
  }

  /** Atomic save: write a temp file, then rename over the state file. */
  save(): void {
    if (!this.statePath) return;
    const state: SimState = { version: 1, clockNow: this.clock.now(), world: this.world.toData() };
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.statePath);
  }
}
