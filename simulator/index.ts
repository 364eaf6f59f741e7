import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { handleAdmin, makeAdmin, type SimulatorAdmin } from "./admin";
import { VirtualClock } from "./clock";
import { SimCore } from "./core";
import { defaultSeed } from "./seed";
import { handleRpc, sendJson } from "./server";
import { SIMULATOR_TLS_CERT, SIMULATOR_TLS_KEY } from "./tls";
import type { CopyModel, Seed } from "./types";

export { VirtualClock, type Clock } from "./clock";
export {
  defaultSeed,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_OIDC_PROVIDER_ARN,
  DEFAULT_OIDC_TOKEN,
  DEFAULT_ROLE_ARN,
} from "./seed";
export { SIMULATOR_TLS_CERT } from "./tls";
export { DEFAULT_COPY_MODEL } from "./models/copyTiming";
export { ROUTES } from "./router";
export { validateRequest, actionSpec, regionSpec, type Problem } from "./contract/validate";
export type { SimulatorAdmin } from "./admin";
export type {
  CallCount,
  CallerCount,
  CopyModel,
  FaultRule,
  Faults,
  Seed,
  SimState,
  SnapshotView,
  StsSessionView,
  TagKeyAlone,
} from "./types";

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
  /**
   * "127.0.0.1:PORT2": a listener that answers as KMS in `region` (opened on first use). The real KMS takes the
   * region from the host name (kms.<region>.aliyuncs.com); clients that send no RegionId and no region path, such
   * as the V3 (ACS3) alibabacloud-kms20160120 client, are pointed here. A Host header "kms.<region>.…" (e.g.
   * "kms.eu-central-1.localhost:PORT" where *.localhost resolves) works on the main port too.
   */
  kmsHost(region: string): Promise<string>;
  /**
   * "127.0.0.1:PORT3": an HTTPS listener (opened on first use) answering every action, for STS clients:
   * `@alicloud/credentials` sends AssumeRole and AssumeRoleWithOIDC to `https://<stsEndpoint>` only. Its
   * certificate is {@link SIMULATOR_TLS_CERT}, which the client must be told to trust.
   */
  stsHost(): Promise<string>;
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
  const handler = (listenerRegion?: string) => (req: IncomingMessage, res: ServerResponse) => {
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
      : handleRpc(core, req, res, url, listenerRegion);
    work.catch((e: unknown) => {
      console.error("alibaba-sim: request failed", e);
      if (!res.headersSent) sendJson(res, 500, { error: String(e) });
    });
  };
  const host = opts.host ?? "127.0.0.1";
  const listen = async (port: number, region?: string, tls = false): Promise<Server> => {
    const s = tls
      ? createTlsServer({ cert: SIMULATOR_TLS_CERT, key: SIMULATOR_TLS_KEY }, handler(region))
      : createServer(handler(region));
    s.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, host, () => resolve());
    });
    return s;
  };
  const server = await listen(opts.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  const kmsServers = new Map<string, Promise<Server>>();
  let stsServer: Promise<Server> | undefined;
  const close = (s: Server) =>
    new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  return {
    endpoint: `http://${host}:${port}`,
    host: `${host}:${port}`,
    port,
    clock,
    inFlight: () => inFlight,
    async kmsHost(region: string) {
      let s = kmsServers.get(region);
      if (!s) kmsServers.set(region, (s = listen(0, region)));
      return `${host}:${((await s).address() as AddressInfo).port}`;
    },
    async stsHost() {
      stsServer ??= listen(0, undefined, true);
      return `${host}:${((await stsServer).address() as AddressInfo).port}`;
    },
    admin,
    async stop() {
      core.save();
      const extra = [...kmsServers.values(), ...(stsServer ? [stsServer] : [])];
      await Promise.all([close(server), ...extra.map(async (s) => close(await s))]);
    },
  };
}
