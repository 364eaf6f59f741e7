import type { IncomingMessage, ServerResponse } from "node:http";
import type { Problem } from "./contract/validate";
import type { SimCore } from "./core";
import { readBody, sendJson } from "./server";
import type {
  CallCount,
  CallerCount,
  Faults,
  Seed,
  SimState,
  SnapshotView,
  StsSessionView,
  TagKeyAlone,
} from "./types";

/** Programmatic control of a running simulator (same operations as the /__sim/ HTTP API). */
export interface SimulatorAdmin {
  /** Adds accounts/disks/snapshots/keys. */
  seed(seed: Seed): void;
  /** Wipes all state (and counters, faults) then seeds. */
  reset(seed?: Seed): void;
  /** Replaces the given fault fields. */
  setFaults(f: Partial<Faults>): void;
  /** Removes all faults. */
  clearFaults(): void;
  /** One row per (action, region, status). */
  counters(): CallCount[];
  /** Sum of matching counter rows. */
  count(filter?: { action?: string; region?: string; status?: number }): number;
  /** Zeroes the counters. */
  resetCounters(): void;
  /** JSON-able full state, snapshots with live status computed now. */
  dump(): SimState & { snapshots: SnapshotView[] };
  /** All snapshots (incl. copies) as DescribeSnapshots shows them, invisible ones included. */
  snapshots(region?: string): SnapshotView[];
  /**
   * Each request's departures from Alibaba's API metadata since the start (or reset): missing required
   * parameters, wrong types, malformed repeat lists, and parameters the action does not have (which the API
   * ignores, so only this list shows them).
   */
  contractProblems(): ({ action: string } & Problem)[];
  /** Which AccessKeyId signed how many calls of each action (and its account): whose credentials did the work. */
  callers(): CallerCount[];
  /** The temporary credentials STS issued: role, session name, duration, policy, external ID, expiry. */
  stsSessions(): StsSessionView[];
  /**
   * STS knob: temporary credentials issued from now on live at most `ms` of real time, whatever DurationSeconds
   * asked (Expiration says so); undefined restores the asked duration. Cleared by reset.
   */
  setStsCredentialLifetime(ms: number | undefined): void;
  /**
   * ECS knob: how DescribeSnapshots reads a Tag.N.Key sent without its Tag.N.Value — "any" value (what ECS
   * documents for DescribeTags; the default) or only "empty" values (the other reading, which the
   * DescribeSnapshots reference does not rule out). Cleared by reset.
   */
  setTagKeyAlone(reading: TagKeyAlone): void;
}

/** @internal */
export function makeAdmin(core: SimCore): SimulatorAdmin {
  return {
    seed: (s) => core.seed(s),
    reset: (s) => core.reset(s),
    setFaults: (f) => core.setFaults(f),
    clearFaults: () => core.faults.clear(),
    counters: () => core.counters.list(),
    count: (f) => core.counters.count(f),
    resetCounters: () => core.counters.reset(),
    dump: () => core.dump(),
    snapshots: (r) => core.snapshots(r),
    contractProblems: () => [...core.contractProblems],
    callers: () => core.callers(),
    stsSessions: () => core.stsSessions(),
    setStsCredentialLifetime: (ms) => {
      core.stsLifetimeMs = ms;
    },
    setTagKeyAlone: (reading) => {
      core.tagKeyAlone = reading;
    },
  };
}

function clockInfo(core: SimCore): Record<string, unknown> {
  const now = core.clock.now();
  return { now, iso: new Date(now).toISOString(), mode: core.clock.mode, speed: core.clock.getSpeed() };
}

/**
 * Admin HTTP API under the reserved prefix /__sim/ (JSON in and out, no signature):
 * GET health ({ ok, cpuMs }), POST seed, POST reset, PUT|DELETE faults, GET|DELETE counters, GET state, GET|POST clock, GET health.
 * @internal
 */
export async function handleAdmin(
  core: SimCore,
  admin: SimulatorAdmin,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const raw = await readBody(req);
  let body: Record<string, unknown> = {};
  try {
    body = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as Record<string, unknown>) : {};
  } catch {
    sendJson(res, 400, { error: "body is not JSON" });
    return;
  }
  const key = `${req.method} ${path}`;
  try {
    switch (key) {
      case "GET /__sim/health": {
        // CPU used by the simulator process so far (benchmarks derive server-side cost per call from it).
        const cpu = process.cpuUsage();
        return sendJson(res, 200, { ok: true, cpuMs: Math.round((cpu.user + cpu.system) / 1000) });
      }
      case "POST /__sim/seed":
        admin.seed(body as Seed);
        return sendJson(res, 200, { ok: true });
      case "POST /__sim/reset":
        admin.reset(Object.keys(body).length > 0 ? (body as Seed) : undefined);
        return sendJson(res, 200, { ok: true });
      case "PUT /__sim/faults":
        admin.setFaults(body as Partial<Faults>);
        return sendJson(res, 200, core.faults.faults);
      case "DELETE /__sim/faults":
        admin.clearFaults();
        return sendJson(res, 200, core.faults.faults);
      case "GET /__sim/counters":
        return sendJson(res, 200, admin.counters());
      case "DELETE /__sim/counters":
        admin.resetCounters();
        return sendJson(res, 200, { ok: true });
      case "GET /__sim/state":
        return sendJson(res, 200, admin.dump());
      case "GET /__sim/callers":
        return sendJson(res, 200, admin.callers());
      case "GET /__sim/sts":
        return sendJson(res, 200, {
          credentialLifetimeMs: core.stsLifetimeMs ?? null,
          sessions: admin.stsSessions(),
        });
      case "PUT /__sim/sts": {
        const ms = body.credentialLifetimeMs;
        admin.setStsCredentialLifetime(typeof ms === "number" ? ms : undefined);
        return sendJson(res, 200, { credentialLifetimeMs: core.stsLifetimeMs ?? null });
      }
      case "GET /__sim/clock":
        return sendJson(res, 200, clockInfo(core));
      case "POST /__sim/clock": {
        if (typeof body.advanceMs === "number") core.clock.advance(body.advanceMs);
        if (typeof body.speed === "number") core.clock.setSpeed(body.speed);
        return sendJson(res, 200, clockInfo(core));
      }
      default:
        return sendJson(res, 404, { error: `no admin route ${key}` });
    }
  } catch (e) {
    sendJson(res, 400, { error: (e as Error).message });
  }
}
