import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleAdmin, makeAdmin, type SimulatorAdmin } from "./admin";
import { VirtualClock } from "./clock";
import { SimCore } from "./core";
import { defaultSeed } from "./seed";
import { handleRpc, sendJson } from "./server";
import type { CopyModel, Seed } from "./types";

export { VirtualClock, type Clock } from "./clock";
export { defaultSeed, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "./seed";
export { DEFAULT_COPY_MODEL } from "./models/copyTiming";
export { ROUTES } from "./router";
export type { SimulatorAdmin } from "./admin";
export type { CallCount, CopyModel, FaultRule, Faults, Seed, SimState, SnapshotView } from "./types";

/** How to start a simulator. */
export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Initial world (ignored when statePath holds saved state). @default defaultSeed() */
  seed?: Seed;
  /** Virtual clock. @default new VirtualClock({ mode: "scaled", speed: 1 }) */
  clock?: VirtualClock;
  /** Load state from this file at start when present; save after every mutating call and on stop. */
  statePath?: string;
  /** Copy timing model. @default DEFAULT_COPY_MODEL */
  copyModel?: Partial<CopyModel>;
}

/** A running simulator. */
export interface Simulator {
  /** "http://127.0.0.1:PORT" */
  endpoint: string;
  /** "127.0.0.1:PORT" — what the SDKs' `endpoint` config wants (with protocol "http"). */
  host: string;
  /** Listening port. */
  port: number;
  /** The virtual clock snapshot progress is computed from. */
  clock: VirtualClock;
  /** HTTP requests being handled right now. */
  inFlight(): number;
  /** Seed, faults, counters, state. */
  admin: SimulatorAdmin;
  /** Closes the server (and saves state if statePath). */
  stop(): Promise<void>;
}

/** Starts an Alibaba Cloud ECS + KMS API simulator on 127.0.0.1. */
export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const clock = opts.clock ?? new VirtualClock({ mode: "scaled", speed: 1 });
  const core = new SimCore(clock, opts.copyModel, opts.statePath);
  if (!core.load()) core.seed(opts.seed ?? defaultSeed());
  const admin = makeAdmin(core);
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        inFlight--;
      }
    };
    // "close" fires when the response ends or its socket is destroyed (the reset fault).
    res.on("close", finish);
    const url = new URL(req.url ?? "/", "http://sim");
    const work = url.pathname.startsWith("/__sim/")
      ? handleAdmin(core, admin, req, res, url.pathname)
      : handleRpc(core, req, res, url);
    work.catch((e: unknown) => {
      console.error("alibaba-sim: request failed", e);
      if (!res.headersSent) sendJson(res, 500, { error: String(e) });
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host}:${port}`,
    host: `${host}:${port}`,
    port,
    clock,
    inFlight: () => inFlight,
    admin,
    async stop() {
      core.save();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
