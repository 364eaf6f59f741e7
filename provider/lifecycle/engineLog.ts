/**
 * Lines about one resource, sent to the Pulumi engine so they show on that resource's own row — the engine's
 * `Log` RPC, which native providers use for live status. The second I/O seam of the provider process (the
 * first, ../cloud/outbound.ts, talks to Alibaba): this one talks only to the engine that started the process.
 *
 * Why not stderr: a dynamic provider's stderr reaches `pulumi up` as `info#err` diagnostics with no URN, shown
 * on the stack's row. The engine's `Log` takes a URN and an `ephemeral` flag: an ephemeral line is status that
 * the next replaces on the resource's row, never counted or repeated under "Diagnostics:"; a non-ephemeral line
 * is a message listed under the resource (Pulumi v3.248 pkg/host/host_server.go `Log`: ephemeral → the host's
 * `LogStatus`; pkg/backend/display/rows.go: the row's info column shows the last diagnostic, ephemeral ones are
 * not counted; progress.go: ephemeral ones are not printed under "Diagnostics:").
 *
 * Where the engine is: `@pulumi/pulumi`'s dynamic-provider host is started as
 * `node …/cmd/dynamic-provider/index.js <engine address>` (its `main(process.argv.slice(2))`), and keeps no
 * engine client of its own, so this module dials that address. No address (the provider driven directly by
 * tests or benchmarks), or an engine that refuses the first call: every line goes to the fallback (stderr)
 * instead, the way it did before, and the switch is said once.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import type { EngineClient } from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as enginePb from "@pulumi/pulumi/proto/engine_pb";

/** A line about one resource: its URN, the text, and whether it is live status (ephemeral) or a message. */
export interface EngineLine {
  urn: string;
  text: string;
  ephemeral: boolean;
}

/** The engine's address when this process is `@pulumi/pulumi`'s dynamic-provider host, else undefined. */
export function engineAddressOf(argv: readonly string[] = process.argv): string | undefined {
  // Node resolves argv[1] (the script) to an absolute path; the host is started by its directory or its file.
  const host = /[\\/]cmd[\\/]dynamic-provider([\\/]index\.js)?$/.test(argv[1] ?? "");
  const address = argv[2];
  return host && address && /^[^\s]+:\d+$/.test(address) ? address : undefined;
}

/** Longest wait for the engine to take one line, before the line (and every later one) goes to the fallback. */
const CALL_TIMEOUT_MS = 5_000;

/**
 * Sends lines to the engine one at a time, in order (a status line must never overtake the one it replaces).
 * The first failed call switches to the fallback for good: it is said once, with the reason, and the line that
 * failed is given to the fallback too, so nothing is lost.
 */
export class EngineLog {
  private rpc?: Rpc;
  private broken: boolean;
  private queue: Promise<void> = Promise.resolve();

  /**
   * @param address the engine's `host:port` ({@link engineAddressOf}); undefined: every line goes to `fallback`.
   * @param fallback where a line goes when the engine cannot take it (its text already names the resource).
   */
  constructor(
    private readonly address: string | undefined,
    private readonly fallback: (line: string) => void,
  ) {
    this.broken = address === undefined;
  }

  /** True while lines go to the engine (tests; the provider's choice of wording). */
  get connected(): boolean {
    return !this.broken;
  }

  /**
   * Queues one line for the engine. `fallbackLine` is what the fallback prints instead: it names the resource,
   * because a line on the stack's row has no row of its own.
   */
  send(line: EngineLine, fallbackLine: string): void {
    if (this.broken) return this.fallback(fallbackLine);
    this.queue = this.queue.then(() => this.deliver(line, fallbackLine));
  }

  /** Resolves when every queued line has reached the engine or the fallback (before an operation returns). */
  drained(): Promise<void> {
    return this.queue;
  }

  /** Closes the channel (tests; the provider process ends with its host). */
  close(): void {
    this.rpc?.client.close();
    this.rpc = undefined;
  }

  private async deliver(line: EngineLine, fallbackLine: string): Promise<void> {
    if (this.broken) return this.fallback(fallbackLine);
    try {
      await this.call(line);
    } catch (err) {
      this.broken = true;
      this.close();
      const why = err instanceof Error ? err.message : String(err);
      this.fallback(
        `SnapshotCopy: the Pulumi engine at ${this.address} did not take a status line (${why}); ` +
          `progress is shown on the stack's row from now on`,
      );
      this.fallback(fallbackLine);
    }
  }

  private call(line: EngineLine): Promise<void> {
    const { client, pb, grpc } = this.connect();
    const req = new pb.LogRequest()
      .setSeverity(pb.LogSeverity.INFO)
      .setUrn(line.urn)
      .setMessage(line.text)
      .setEphemeral(line.ephemeral);
    return new Promise((resolve, reject) =>
      client.log(req, new grpc.Metadata(), { deadline: Date.now() + CALL_TIMEOUT_MS }, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
  }

  private connect(): Rpc {
    this.rpc ??= dial(this.address!);
    return this.rpc;
  }
}

interface Rpc {
  client: EngineClient;
  pb: typeof enginePb;
  grpc: typeof grpcTypes;
}

/**
 * An engine client. `@grpc/grpc-js` is loaded as `@pulumi/pulumi` (our peer dependency) loads it: the generated
 * client accepts only credentials made by its own copy of the library.
 */
function dial(address: string): Rpc {
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = fromPulumi("@grpc/grpc-js") as typeof grpcTypes;
  const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb") as {
    EngineClient: new (address: string, credentials: grpcTypes.ChannelCredentials) => EngineClient;
  };
  const pb = require("@pulumi/pulumi/proto/engine_pb") as typeof enginePb;
  return { client: new EngineClient(address, grpc.credentials.createInsecure()), pb, grpc };
}
