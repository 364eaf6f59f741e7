import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as realSleep } from "node:timers/promises";
import type { ActionContext } from "./actions/context";
import type { Params } from "./actions/params";
import type { SimCore } from "./core";
import { InternalError, InvalidActionNotFound, SimError } from "./errors";
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
): Promise<void> {
  const body = await readBody(req);
  const query: Params = Object.fromEntries(url.searchParams);
  const isForm = (req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
  const params: Params = isForm
    ? { ...query, ...Object.fromEntries(new URLSearchParams(body.toString("utf8"))) }
    : query;
  const action = (req.headers["x-acs-action"] as string | undefined) ?? params.Action ?? "";
  const version = (req.headers["x-acs-version"] as string | undefined) ?? params.Version;
  const r = route(version, action);
  // KMS calls through @alicloud/rpc-client carry no RegionId; an endpoint path like "/eu-central-1/" names it.
  const pathRegion = /^\/([a-z]+-[a-z]+(?:-\d+)?)\/?$/.exec(url.pathname)?.[1];
  const region =
    params.RegionId ??
    (r?.product === "Kms"
      ? pathRegion
      : core.ecs.regionOf(params.SnapshotId ?? params.DiskId ?? params.ResourceId)) ??
    "";
  const requestId = randomUUID().toUpperCase();
  let status = 200;
  try {
    if (!r) throw new InvalidActionNotFound(action);
    const accessKeyId = core.auth.verify({
      method: req.method ?? "GET",
      path: url.pathname,
      query,
      params,
      headers: req.headers,
      body,
    });
    const decision = core.faults.decide(action, region);
    if (decision.latencyMs > 0) await realSleep(decision.latencyMs);
    if (decision.reset) {
      status = 0;
      req.socket.destroy();
      return;
    }
    if (decision.error) throw decision.error;
    const ctx: ActionContext = {
      params,
      accessKeyId,
      regionHint: params.RegionId ?? pathRegion,
      ecs: core.ecs,
      kms: core.kms,
    };
    const out = r.handler(ctx);
    if (r.mutates) core.save();
    sendJson(res, 200, { RequestId: requestId, ...out }, requestId);
  } catch (e) {
    const err = e instanceof SimError ? e : new InternalError();
    if (!(e instanceof SimError)) console.error("alibaba-sim: unexpected error", e);
    status = err.httpStatus;
    const product = r?.product ?? (version === "2016-01-20" ? "Kms" : "Ecs");
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
