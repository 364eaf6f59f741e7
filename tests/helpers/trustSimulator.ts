/**
 * Makes this test process trust the simulator's self-signed certificate (simulator/tls.ts), so
 * `@alicloud/credentials` can reach `sim.stsHost()`.
 *
 * Why a patch: the library sends STS calls to `https://<stsEndpoint>` through httpx's own private `https.Agent`
 * and takes no CA option; a real process would be started with `NODE_EXTRA_CA_CERTS` (read once at start-up,
 * and jest's `process.env` is a copy Node's TLS never reads). So, for the test's lifetime, every HTTPS
 * connection that names no CA of its own (httpx passes `ca: null`) gets Node's root certificates plus the simulator's — what
 * `NODE_EXTRA_CA_CERTS` does. Certificate checks stay on: a wrong host name or an unknown CA still fails.
 */
import https from "node:https";
import { rootCertificates } from "node:tls";
import { SIMULATOR_TLS_CERT } from "../../simulator";

type CreateConnection = (this: https.Agent, options: Record<string, unknown>, cb?: unknown) => unknown;

/** Installs the trust in beforeAll and removes it in afterAll. */
export function trustSimulatorCertificate(): void {
  const proto = https.Agent.prototype as unknown as { createConnection: CreateConnection };
  const original = proto.createConnection;
  beforeAll(() => {
    const ca = [...rootCertificates, SIMULATOR_TLS_CERT];
    proto.createConnection = function (options, cb) {
      return original.call(this, options.ca ? options : { ...options, ca }, cb);
    };
  });
  afterAll(() => {
    proto.createConnection = original;
  });
}
