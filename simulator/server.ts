import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as realSleep } from "node:timers/promises";
import type { ActionContext } from "./actions/context";
import type { Params } from "./actions/params";
import type { SimCore } from "./core";
import { checkContract } from "./actions/contract";
import { InternalError, InvalidActionNotFound, SimError } from "./errors";
import { httpStatus } from "./errorStatus";
import { route } from "./router";

/** @internal */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** @internal */
export function sendJson(res: ServerResponse, status: number, body: unknown, requestId?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json;charset=utf-8",
    "content-length": Buffer.byteLength(text),
  };
  if (requestId) headers["x-acs-request-id"] = requestId;
  res.writeHead(status, headers);
  res.end(text);
}

function hostId(product: string, region: string): string {
  const p = product.toLowerCase();
  return region ? `${p}.${region}.aliyuncs.com` : `${p}.aliyuncs.com`;
}

/** "kms.eu-central-1.aliyuncs.com", "kms.eu-central-1.localhost:8787", "kms-vpc.eu-central-1…" -> "eu-central-1". */
const KMS_HOST = /^kms(?:-vpc)?\.([a-z]+-[a-z]+(?:-\d+)?)\./;

/**
 * The region of a KMS call. The real service takes it from the host the call is sent to
 * (kms.<region>.aliyuncs.com, the endpoints of the KMS entry in the API metadata's products.json); V3 clients
 * (alibabacloud-kms20160120, ACS3) send nothing else. The simulator reads, in order: a Host of that form (any
 * suffix, e.g. "kms.eu-central-1.localhost:PORT" where *.localhost resolves), the per-region listener the call
 * arrived on (`Simulator.kmsHost(region)`), a RegionId parameter (pop-core callers), the endpoint path
 * ("/eu-central-1/", rpc-client 1.2.0 pointed at "127.0.0.1:PORT/eu-central-1").
 */
function kmsRegion(
  host: string,
  listenerRegion: string | undefined,
  params: Params,
  path: string,
): string | undefined {
  return (
    KMS_HOST.exec(host)?.[1] ??
    listenerRegion ??
    params.RegionId ??
    /^\/([a-z]+-[a-z]+(?:-\d+)?)\/?$/.exec(path)?.[1]
  );
}

/**
 * Handles one RPC call: parse (query + form body), route, authenticate, apply faults (before the action, so a
 * throttled call changes nothing), run the action, persist if it mutated, answer, count.
 * @internal
 */
export async function handleRpc(
  core: SimCore,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  listenerRegion?: string,
): Promise<void> {
  const body = await readBody(req);
  const query: Params = Object.fromEntries(url.searchParams);
  const isForm = (req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
  const params: Params = isForm
    ? { ...query, ...Object.fromEntries(new URLSearchParams(body.toString("utf8"))) }
    : query;
  // Route on the action the signature covers: under ACS3 the signed x-acs-action header, under the RPC
  // signature the signed Action parameter. pop-core also sends an unsigned x-acs-action header with the caller's
  // spelling ("describeRegions") while it signs Action=DescribeRegions, so that header must not win there.
  const acs3 = String(req.headers.authorization ?? "").startsWith("ACS3-");
  const action = (acs3 ? (req.headers["x-acs-action"] as string | undefined) : params.Action) ?? "";
  const version = (acs3 ? (req.headers["x-acs-version"] as string | undefined) : params.Version) ?? "";
  const r = route(version, action);
  const kmsHint =
    r?.product === "Kms"
      ? kmsRegion(String(req.headers.host ?? ""), listenerRegion, params, url.pathname)
      : undefined;
  const region =
    (r?.product === "Kms"
      ? kmsHint
      : (params.RegionId ?? core.ecs.regionOf(params.SnapshotId ?? params.DiskId ?? params.ResourceId))) ??
    "";
  const requestId = randomUUID().toUpperCase();
  let status = 200;
  try {
    if (!r) throw new InvalidActionNotFound(action);
    const accessKeyId = r.anonymous
      ? ""
      : core.auth.verify({
          method: req.method ?? "GET",
          path: url.pathname,
          query,
          params,
          headers: req.headers,
          body,
        });
    core.noteSigner(action, accessKeyId);
    const decision = core.faults.decide(action, region);
    if (decision.latencyMs > 0) await realSleep(decision.latencyMs);
    if (decision.reset) {
      status = 0;
      req.socket.destroy();
      return;
    }
    if (decision.error) throw decision.error;
    // STS has no entry in the API metadata the contract is generated from (simulator/contract/); its handlers
    // check their parameters themselves (actions/sts.ts).
    if (r.product !== "Sts")
      checkContract(r.product, action, params, (a, p) => core.contractProblems.push({ action: a, ...p }));
    const ctx: ActionContext = {
      params,
      accessKeyId,
      regionHint: kmsHint,
      ecs: core.ecs,
      kms: core.kms,
      sts: core.sts,
    };
    const out = r.handler(ctx);
    if (r.mutates) core.save();
    sendJson(res, 200, { RequestId: requestId, ...out }, requestId);
  } catch (e) {
    const err = e instanceof SimError ? e : new InternalError();
    if (!(e instanceof SimError)) console.error("alibaba-sim: unexpected error", e);
    status = httpStatus(action, err.code);
    const product =
      r?.product ?? (version === "2016-01-20" ? "Kms" : version === "2015-04-01" ? "Sts" : "Ecs");
    sendJson(
      res,
      status,
      {
        RequestId: requestId,
        HostId: hostId(product, region),
        Code: err.code,
        Message: err.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=${product}&requestId=${requestId}`,
      },
      requestId,
    );
  } finally {
    core.counters.add(action, region, status);
  }
}
