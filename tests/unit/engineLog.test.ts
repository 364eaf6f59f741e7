/**
 * The engine log (provider/lifecycle/engineLog.ts) against a real gRPC Engine server built from
 * `@pulumi/pulumi`'s own service definition: lines reach the engine in order with their URN and ephemeral flag;
 * an engine that is absent or refuses sends every line to the fallback, saying so once.
 */
import { createRequire } from "node:module";
import type * as grpcTypes from "@grpc/grpc-js";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { LogSeverity, type LogRequest } from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { EngineLog, engineAddressOf } from "../../provider/lifecycle/engineLog";
import { ProviderRuntime } from "../../provider/lifecycle/runtime";

const grpc = createRequire(require.resolve("@pulumi/pulumi/package.json"))(
  "@grpc/grpc-js",
) as typeof grpcTypes;

const URN = "urn:pulumi:dev::backups::pulumi-nodejs:dynamic/alicloud:SnapshotCopy::eu";

/** An Engine server whose Log records each request, or answers every call with `refuse`. */
async function startEngine(refuse?: grpcTypes.status) {
  const got: LogRequest.AsObject[] = [];
  const server = new grpc.Server();
  const unimplemented = (_call: unknown, cb: grpcTypes.sendUnaryData<never>) =>
    cb({ code: grpc.status.UNIMPLEMENTED });
  server.addService(EngineService, {
    log: (call: grpcTypes.ServerUnaryCall<LogRequest, Empty>, cb: grpcTypes.sendUnaryData<Empty>) => {
      if (refuse !== undefined) return cb({ code: refuse, details: "no logs here" });
      got.push(call.request.toObject());
      cb(null, new Empty());
    },
    getRootResource: unimplemented,
    setRootResource: unimplemented,
    startDebugging: unimplemented,
    requirePulumiVersion: unimplemented,
  } as unknown as grpcTypes.UntypedServiceImplementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { address: `127.0.0.1:${port}`, got, stop: () => server.forceShutdown() };
}

describe("engineAddressOf", () => {
  test.each([
    [["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:4321"], "127.0.0.1:4321"],
    [["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:9"], "127.0.0.1:9"],
    [["node", "C:\\p\\@pulumi\\pulumi\\cmd\\dynamic-provider\\index.js", "127.0.0.1:9"], "127.0.0.1:9"],
    [["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider"], undefined],
    [["node", "/p/node_modules/jest/bin/jest.js", "127.0.0.1:9"], undefined],
    [["node", "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "--flag"], undefined],
  ])("GIVEN argv %j THEN the engine address is %s", (argv, expected) => {
    expect(engineAddressOf(argv)).toBe(expected);
  });
});

describe("GIVEN an engine that takes Log calls", () => {
  let engine: Awaited<ReturnType<typeof startEngine>>;
  beforeAll(async () => (engine = await startEngine()));
  afterAll(() => engine.stop());

  test("WHEN lines are sent THEN the engine gets them in order, with the URN, the ephemeral flag and INFO, and none falls back", async () => {
    const fallback: string[] = [];
    const log = new EngineLog(engine.address, (l) => fallback.push(l));
    for (let p = 0; p <= 100; p += 10) log.send({ urn: URN, text: `${p}%`, ephemeral: true }, `x ${p}%`);
    log.send({ urn: URN, text: "100%, available", ephemeral: false }, "x 100%, available");
    await log.drained();
    log.close();

    expect(engine.got.map((r) => [r.urn, r.message, r.ephemeral, r.severity])).toEqual([
      ...Array.from({ length: 11 }, (_, i) => [URN, `${i * 10}%`, true, LogSeverity.INFO]),
      [URN, "100%, available", false, LogSeverity.INFO],
    ]);
    expect(fallback).toEqual([]);
    expect(log.connected).toBe(true);
  });

  test("WHEN the runtime logs a copy with a URN THEN the line goes to the engine; without one THEN a stderr-style line names the copy", async () => {
    engine.got.length = 0;
    const lines: string[] = [];
    const rt = new ProviderRuntime({ engineAddress: engine.address, log: (l) => lines.push(l) });
    const copy = { sourceSnapshotId: "s-1", destinationRegionId: "eu-central-1" };
    rt.resourceLog({ ...copy, resourceKey: URN })("s-1 -> eu-central-1 40%", true);
    rt.resourceLog(copy)("s-1 -> eu-central-1 50%", true);
    await rt.settled(copy, () => Promise.resolve());
    rt.engineLog.close();

    expect(engine.got).toEqual([
      expect.objectContaining({ urn: URN, message: "s-1 -> eu-central-1 40%", ephemeral: true }),
    ]);
    expect(lines).toEqual(["SnapshotCopy s-1: s-1 -> eu-central-1 50%"]);
  });
});

describe("GIVEN a runtime with an engine, WHEN the I/O seam retries a call", () => {
  test("THEN a retry made by a copy's operation is status on its row, and one made outside any operation a plain line", async () => {
    const engine = await startEngine();
    const lines: string[] = [];
    const rt = new ProviderRuntime({ engineAddress: engine.address, log: (l) => lines.push(l), env: {} });
    const { api } = await rt.get();
    const copy = { resourceKey: URN, sourceSnapshotId: "s-1", destinationRegionId: "eu-central-1" };
    await rt.settled(copy, async () => api.logRetry("CopySnapshot", "cn-hangzhou", "Throttling", 1, 500));
    api.logRetry("DescribeSnapshots", "eu-central-1", "Throttling", 2, 1000);
    rt.engineLog.close();
    engine.stop();

    expect(engine.got).toEqual([
      expect.objectContaining({
        urn: URN,
        message: "CopySnapshot in cn-hangzhou: Throttling, retry 1 in 0.5s",
        ephemeral: true,
      }),
    ]);
    expect(lines).toEqual(["DescribeSnapshots in eu-central-1: Throttling, retry 2 in 1s"]);
  });
});

describe("GIVEN an engine that cannot take the lines", () => {
  test.each([
    ["nothing listens at the address", undefined],
    ["the engine refuses Log (UNIMPLEMENTED)", grpc.status.UNIMPLEMENTED],
  ])("WHEN %s THEN it is said once and every line goes to the fallback, in order", async (_what, refuse) => {
    const engine = await startEngine(refuse);
    if (refuse === undefined) engine.stop();
    const fallback: string[] = [];
    const log = new EngineLog(engine.address, (l) => fallback.push(l));
    for (const p of [10, 20, 30]) log.send({ urn: URN, text: `${p}%`, ephemeral: true }, `copy ${p}%`);
    await log.drained();
    engine.stop();

    expect(fallback).toEqual([
      expect.stringMatching(
        new RegExp(
          `^SnapshotCopy: the Pulumi engine at ${engine.address} did not take a status line \\(.+\\); progress is shown on the stack's row from now on$`,
        ),
      ),
      "copy 10%",
      "copy 20%",
      "copy 30%",
    ]);
    expect(engine.got).toEqual([]);
    expect(log.connected).toBe(false);
  });

  test("WHEN there is no engine address THEN lines go straight to the fallback", async () => {
    const fallback: string[] = [];
    const log = new EngineLog(undefined, (l) => fallback.push(l));
    log.send({ urn: URN, text: "10%", ephemeral: true }, "copy 10%");
    await log.drained();
    expect(fallback).toEqual(["copy 10%"]);
  });
});
