/**
 * Engine-test harness: the real `pulumi` CLI through the Automation API (LocalWorkspace over the workDir
 * program in ./program, never an inline program, so the provider runs in the CLI's own dynamic-provider
 * process), a temporary `file://` backend, a passphrase, and an in-process simulator on a fast virtual clock.
 *
 * The provider reaches the simulator over HTTP through stack config only — `alicloud:accessKey`,
 * `alicloud:secretKey`, `alicloud:securityToken` (secrets), `alicloud:region`, `snapshotCopy:ecsEndpoint`,
 * `snapshotCopy:kmsEndpoint` — exactly as a user's stack would configure it.
 *
 * The Pulumi environment (PATH with `pulumi`, PULUMI_HOME, offline switches) comes from ./globalSetup.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  LocalWorkspace,
  type ConfigMap,
  type DestroyResult,
  type EngineEvent,
  type PreviewResult,
  type RefreshResult,
  type Stack,
  type UpResult,
} from "@pulumi/pulumi/automation";
import { defaultSeed, startSimulator, VirtualClock, type CopyModel, type Simulator } from "../../simulator";
import type { SnapshotCopyArgs } from "../../provider";
import { PROGRAM_DIR } from "./paths";

const execFileP = promisify(execFile);

/** The type token every SnapshotCopy has (provider/snapshotCopy.ts). */
export const SNAPSHOT_COPY_TYPE = "pulumi-nodejs:dynamic/alicloud:SnapshotCopy";

/** API actions that change something in the cloud. */
export const MUTATING_ACTIONS = [
  "CopySnapshot",
  "DeleteSnapshot",
  "ModifySnapshotAttribute",
  "TagResources",
  "UntagResources",
  "JoinResourceGroup",
];

/** One entry of the program's `copies` config: a resource name plus SnapshotCopyArgs (plain values). */
export type CopySpec = { resourceName: string; parentName?: string } & {
  [K in keyof SnapshotCopyArgs]?: unknown;
} & { sourceSnapshotId: string; destinationRegionId: string };

/** The credentials of the account the tests seed: random per run, so a leak check cannot pass by accident. */
export interface TestCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
}

/** A simulator for engine tests: scaled virtual clock (default 600x), default seed plus an STS-style account. */
export async function startEngineSimulator(
  opts: { speed?: number; copyModel?: Partial<CopyModel> } = {},
): Promise<{ sim: Simulator; creds: TestCredentials }> {
  const creds: TestCredentials = {
    accessKeyId: `LTAI5tEngine${randomBytes(6).toString("hex")}`,
    accessKeySecret: `EngineSecret${randomBytes(12).toString("hex")}`,
    securityToken: `EngineToken${randomBytes(16).toString("hex")}`,
  };
  const seed = defaultSeed();
  seed.accounts = [...(seed.accounts ?? []), { ...creds, accountId: "1234567890123456" }];
  const sim = await startSimulator({
    seed,
    clock: new VirtualClock({ mode: "scaled", speed: opts.speed ?? 600 }),
    copyModel: opts.copyModel,
  });
  return { sim, creds };
}

/** A valid copy named "bad" that reliability.badInput.test.ts breaks one input at a time. */
export const VALID_COPY: CopySpec = {
  resourceName: "bad",
  sourceSnapshotId: "s-sim0001",
  destinationRegionId: "eu-central-1",
};

/** One more tag than CopySnapshot allows (Tag.N: at most 20). */
export const TAGS_21 = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`key${i}`, `value${i}`]));

/** Copies in the simulator (snapshots that have a source snapshot), optionally in one region. */
export function simCopies(sim: Simulator, region?: string) {
  return sim.admin.snapshots(region).filter((s) => s.SourceSnapshotId);
}

/** Calls of mutating actions the simulator has counted. */
export function mutatingCalls(sim: Simulator): number {
  return MUTATING_ACTIONS.reduce((n, action) => n + sim.admin.count({ action }), 0);
}

/** Collects what an engine operation prints and emits; pass one in to keep it when the operation fails. */
export class Recording {
  /** Engine events (the Automation API's event log). */
  readonly events: EngineEvent[] = [];
  /** The CLI's human-readable output: what a user sees in a terminal. */
  output = "";
  readonly onEvent = (e: EngineEvent): void => {
    this.events.push(e);
  };
  readonly onOutput = (o: string): void => {
    this.output += o;
  };
}

/** What one engine operation produced: its result plus the recording. */
export type Run<R> = { result: R } & Recording;

/** Awaits an operation that must fail and returns its error. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the engine operation to fail, but it succeeded");
}

/** Steps (resource pre-events) of a given type, as { op, urn, type, name }. */
export function steps(events: EngineEvent[], type = SNAPSHOT_COPY_TYPE) {
  return events
    .filter((e) => e.resourcePreEvent && e.resourcePreEvent.metadata.type === type)
    .map((e) => {
      const m = e.resourcePreEvent!.metadata;
      return { op: m.op, urn: m.urn, type: m.type, name: m.urn.split("::").pop()! };
    });
}

/** Diagnostic messages (plugin stderr lands here, see README of this folder) as plain text lines. */
export function diagnostics(events: EngineEvent[]): { severity: string; urn?: string; message: string }[] {
  return events
    .filter((e) => e.diagnosticEvent)
    .map((e) => ({
      severity: e.diagnosticEvent!.severity,
      urn: e.diagnosticEvent!.urn,
      message: e.diagnosticEvent!.message,
    }));
}

/**
 * One stack of the test program in a private `file://` backend. `dispose()` destroys what is left, removes
 * the stack (and with it its Pulumi.<stack>.yaml beside the program) and deletes the backend directory.
 */
export class EngineStack {
  private constructor(
    readonly stack: Stack,
    readonly name: string,
    private readonly backendDir: string,
    readonly workDir: string,
  ) {}

  /**
   * Creates the stack (of the program in `opts.workDir`, default ./program) and sets its config: credentials as secrets, region, the simulator's endpoints, `copies`. */
  static async create(
    sim: Simulator,
    creds: TestCredentials,
    copies: CopySpec[],
    opts: { name?: string; region?: string; workDir?: string } = {},
  ): Promise<EngineStack> {
    const workDir = opts.workDir ?? PROGRAM_DIR;
    const backendDir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-copy-engine-"));
    const name = opts.name ?? `t${process.pid}-${randomBytes(3).toString("hex")}`;
    const envVars: Record<string, string> = {
      PULUMI_BACKEND_URL: `file://${backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
    };
    requirePulumiEnv();
    const stack = await LocalWorkspace.createStack({ stackName: name, workDir }, { envVars });
    const config: ConfigMap = {
      "alicloud:accessKey": { value: creds.accessKeyId, secret: true },
      "alicloud:secretKey": { value: creds.accessKeySecret, secret: true },
      "alicloud:securityToken": { value: creds.securityToken, secret: true },
      "alicloud:region": { value: opts.region ?? "cn-hangzhou" },
      "snapshotCopy:ecsEndpoint": { value: sim.endpoint },
      "snapshotCopy:kmsEndpoint": { value: sim.endpoint },
      copies: { value: JSON.stringify(copies) },
    };
    await stack.setAllConfig(config);
    return new EngineStack(stack, name, backendDir, workDir);
  }

  /** Replaces the `copies` config (the next operation declares exactly these). */
  async setCopies(copies: CopySpec[]): Promise<void> {
    await this.stack.setConfig("copies", { value: JSON.stringify(copies) });
  }

  /** Sets the `copySets` config: the program declares one SnapshotCopySet per entry (`resourceName` + args). */
  async setCopySets(sets: ({ resourceName: string } & Record<string, unknown>)[]): Promise<void> {
    await this.stack.setConfig("copySets", { value: JSON.stringify(sets) });
  }

  preview(opts: { expectNoChanges?: boolean } = {}, rec = new Recording()): Promise<Run<PreviewResult>> {
    return record(rec, this.stack.preview({ ...opts, ...sinks(rec) }));
  }

  up(rec = new Recording()): Promise<Run<UpResult>> {
    return record(rec, this.stack.up(sinks(rec)));
  }

  refresh(opts: { expectNoChanges?: boolean } = {}, rec = new Recording()): Promise<Run<RefreshResult>> {
    return record(rec, this.stack.refresh({ ...opts, ...sinks(rec) }));
  }

  destroy(rec = new Recording()): Promise<Run<DestroyResult>> {
    return record(rec, this.stack.destroy(sinks(rec)));
  }

  /**
   * `pulumi stack export` as a user runs it (the Automation API's exportStack adds --show-secrets, which
   * would print config secrets in plaintext and prove nothing), plus the raw state file of the backend.
   */
  async exportState(): Promise<{ exported: string; stateFile: string }> {
    const { stdout } = await execFileP("pulumi", ["stack", "export", "--stack", this.name], {
      cwd: this.workDir,
      env: { ...process.env, ...this.stack.workspace.envVars },
      maxBuffer: 64 * 1024 * 1024,
    });
    const stacksDir = path.join(this.backendDir, ".pulumi/stacks");
    const files = fs
      .readdirSync(stacksDir, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(`${this.name}.json`));
    if (files.length !== 1) throw new Error(`expected one state file for ${this.name} under ${stacksDir}`);
    return { exported: stdout, stateFile: fs.readFileSync(path.join(stacksDir, files[0]), "utf8") };
  }

  /** Destroys what is left (best effort), removes the stack and its config file, deletes the backend. */
  async dispose(): Promise<void> {
    try {
      await this.stack.destroy({ color: "never" });
    } catch {
      // Nothing to destroy, or the test already failed for a reason it reported.
    }
    try {
      await this.stack.workspace.removeStack(this.name, { force: true });
    } finally {
      fs.rmSync(path.join(this.workDir, `Pulumi.${this.name}.yaml`), { force: true });
      fs.rmSync(this.backendDir, { recursive: true, force: true });
    }
  }
}

function sinks(rec: Recording) {
  return { onEvent: rec.onEvent, onOutput: rec.onOutput, color: "never" as const };
}

async function record<R>(rec: Recording, p: Promise<R>): Promise<Run<R>> {
  const result = await p;
  return Object.assign(rec, { result });
}

/** Fails loudly when globalSetup did not make `pulumi` available (never a skip). */
function requirePulumiEnv(): void {
  const dirs = (process.env.PATH ?? "").split(path.delimiter);
  if (!dirs.some((d) => fs.existsSync(path.join(d, "pulumi")))) {
    throw new Error(
      "engine tests: no `pulumi` on PATH; tests/engine/globalSetup.ts should have installed it",
    );
  }
  if (process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION !== "true" || !process.env.PULUMI_HOME) {
    throw new Error(
      "engine tests: the offline Pulumi environment is not set; run them through the jest engine project",
    );
  }
}
