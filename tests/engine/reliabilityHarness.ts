/**
 * Helpers the reliability tests need beyond ./harness: running the `pulumi` CLI itself (a crash test
 * must own the process to kill it), killing a process tree, reading the exported state, waiting on a condition.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startSimulator, VirtualClock, type CopyModel, type Simulator } from "../../simulator";
import { startEngineSimulator, type EngineStack, type TestCredentials } from "./harness";
import { PROGRAM_DIR } from "./paths";

/** The environment the Automation API gives the CLI for this stack: ours plus the stack's backend and passphrase. */
export function cliEnv(stack: EngineStack, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...(stack.stack.workspace as LocalWorkspace).envVars, ...extra };
}

/** What one CLI run printed and how it ended. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `pulumi <args> --stack <name> --non-interactive` in the program directory and resolves when it exits
 * (never rejects: tests assert on the code). Asynchronous on purpose: the simulator runs in this process and
 * must keep answering while the CLI runs.
 */
export function pulumi(stack: EngineStack, args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      "pulumi",
      [...args, "--stack", stack.name, "--non-interactive", "--color", "never"],
      { cwd: PROGRAM_DIR, env: env ?? cliEnv(stack), maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** A CLI run we own: started detached (its own process group), output collected. */
export interface OwnedRun {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `pulumi <args>` detached, so the test can kill it and everything it started. */
export function spawnPulumi(stack: EngineStack, args: string[]): OwnedRun {
  const child = spawn("pulumi", [...args, "--stack", stack.name, "--non-interactive", "--color", "never"], {
    cwd: PROGRAM_DIR,
    env: cliEnv(stack),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Every process below `pid` (children, grandchildren, ...), from `ps`. */
export function descendants(pid: number): number[] {
  const rows = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

/**
 * SIGKILLs `pid` and all its descendants, each by its ID. Killing the process group is not enough: the CLI
 * starts its plugins (language host, the dynamic provider) in process groups of their own
 * (Pulumi's cmdutil.RegisterProcessGroup sets Setpgid), so they would survive it. Returns the killed IDs.
 */
export function killTree(pid: number): number[] {
  const all = [pid, ...descendants(pid)];
  for (const p of all) {
    try {
      process.kill(p, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  return all;
}

/** Which of `pids` still run (zombies, awaiting a reaper, count as gone). */
export function stillRunning(pids: number[]): number[] {
  return pids.filter((p) => {
    try {
      const stat = execFileSync("ps", ["-o", "stat=", "-p", String(p)], { encoding: "utf8" }).trim();
      return stat !== "" && !stat.startsWith("Z");
    } catch {
      return false; // ps exits 1 when the process does not exist
    }
  });
}

/** The state file's deployment, as `pulumi stack export` shows it. */
export interface Deployment {
  resources?: {
    urn: string;
    type: string;
    id?: string;
    outputs?: Record<string, unknown>;
    initErrors?: string[];
  }[];
  pending_operations?: { type: string; resource: { urn: string } }[];
}

export async function deployment(stack: EngineStack): Promise<Deployment> {
  return (await stack.stack.exportStack()).deployment as Deployment;
}

/** One entry of the program's `copies` stack output. */
export interface CopyOutput {
  snapshotId: string;
  status: string;
  progress: number;
  available: boolean;
  destinationRegionId: string;
  encrypted: boolean;
  kmsKeyId?: string;
}

/** The program's `copies` output, keyed by resource name ({} when the stack has none). */
export async function copyOutputs(stack: EngineStack): Promise<Record<string, CopyOutput>> {
  const outs = await stack.stack.outputs();
  return (outs.copies?.value ?? {}) as Record<string, CopyOutput>;
}

/** Polls `cond` every 50 ms until it holds; fails after `timeoutMs` naming `what`. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Real-time sleep. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A simulator that can go away and come back (an outage): it saves its state to a file, and `restart()` starts
 * a new one on the same port from that file, so the provider, which only knows the endpoint, finds the same
 * cloud again.
 */
export interface RestartableSimulator {
  /** The simulator currently running (replaced by `restart()`). */
  sim: Simulator;
  creds: TestCredentials;
  /** Stops the current simulator (saving its state). */
  stop(): Promise<void>;
  /** Starts a new simulator on the same port from the saved state. */
  restart(): Promise<Simulator>;
  /** Stops it and deletes the state file. */
  dispose(): Promise<void>;
}

export async function startRestartableSimulator(
  opts: { speed?: number; copyModel?: Partial<CopyModel> } = {},
): Promise<RestartableSimulator> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snapshot-copy-outage-"));
  const statePath = path.join(dir, "state.json");
  // The engine harness makes the seed and credentials; the state file then carries them across restarts.
  const first = await startEngineSimulator(opts);
  await first.sim.stop();
  const clock = () => new VirtualClock({ mode: "scaled", speed: opts.speed ?? 600 });
  fs.writeFileSync(statePath, JSON.stringify(first.sim.admin.dump()));
  let running = true;
  const r: RestartableSimulator = {
    sim: await startSimulator({ port: first.sim.port, statePath, clock: clock(), copyModel: opts.copyModel }),
    creds: first.creds,
    async stop() {
      running = false;
      await r.sim.stop();
    },
    async restart() {
      r.sim = await startSimulator({
        port: first.sim.port,
        statePath,
        clock: clock(),
        copyModel: opts.copyModel,
      });
      running = true;
      return r.sim;
    },
    async dispose() {
      if (running) await r.sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return r;
}
