#!/usr/bin/env node
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { VirtualClock } from "./clock";
import { SIMULATOR_TLS_CERT, startSimulator } from "./index";
import type { Seed } from "./types";

// alibaba-sim --port 8787 [--seed seed.json] [--state state.json] [--speed 60] [--host 127.0.0.1]
//             [--sts-ca-file ca.pem]
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      seed: { type: "string" },
      state: { type: "string" },
      speed: { type: "string", default: "1" },
      // Opens the HTTPS listener STS clients need and writes its certificate here (for NODE_EXTRA_CA_CERTS).
      "sts-ca-file": { type: "string" },
    },
  });
  const seed = values.seed ? (JSON.parse(readFileSync(values.seed, "utf8")) as Seed) : undefined;
  const sim = await startSimulator({
    port: Number(values.port),
    host: values.host,
    seed,
    statePath: values.state,
    clock: new VirtualClock({ mode: "scaled", speed: Number(values.speed) }),
  });
  console.log(`alibaba-sim listening on ${sim.endpoint}`);
  const caFile = values["sts-ca-file"];
  if (caFile) {
    writeFileSync(caFile, SIMULATOR_TLS_CERT);
    console.log(`alibaba-sim STS (HTTPS) on ${await sim.stsHost()}; trust ${caFile} (NODE_EXTRA_CA_CERTS)`);
  }
  const stop = (): void => {
    sim.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
