/**
 * Real Alibaba Cloud SDK clients pointed at a simulator. Shared by simulator, provider and engine tests.
 *
 * - ecsClient: @alicloud/ecs20140526 (openapi-core, ACS3-HMAC-SHA256 signature; RegionId is a request parameter).
 * - kmsClient: @alicloud/kms20160120 1.2.0 (rpc-client, HMAC-SHA1 RPC signature). Its requests carry no RegionId,
 *   so the region goes in the endpoint path: endpoint "127.0.0.1:PORT/<region>" (the simulator reads it).
 * - popClient: @alicloud/pop-core (HMAC-SHA1 RPC signature), ECS API version.
 */
import Ecs from "@alicloud/ecs20140526";
import Kms from "@alicloud/kms20160120";
import OpenApi, { $OpenApiUtil } from "@alicloud/openapi-core";
import * as $dara from "@darabonba/typescript";
import RPCClient from "@alicloud/pop-core";
import { Config as RpcConfig } from "@alicloud/rpc-client";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../simulator";

/** Credentials; defaults to the simulator's default account. */
export interface Creds {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/** Anything with the simulator's `host` ("127.0.0.1:PORT"). */
export interface SimLike {
  host: string;
  endpoint: string;
}

const defaults: Creds = { accessKeyId: DEFAULT_ACCESS_KEY_ID, accessKeySecret: DEFAULT_ACCESS_KEY_SECRET };

/** ECS client over plain HTTP to the simulator. */
export function ecsClient(sim: SimLike, region = "cn-hangzhou", creds: Creds = defaults): Ecs {
  return new Ecs(
    new $OpenApiUtil.Config({ ...creds, endpoint: sim.host, protocol: "http", regionId: region }),
  );
}

/** KMS client for one region (the region travels in the endpoint path, see above). */
export function kmsClient(sim: SimLike, region = "cn-hangzhou", creds: Creds = defaults): Kms {
  return new Kms(
    new RpcConfig({ ...creds, endpoint: `${sim.host}/${region}`, protocol: "http", regionId: region }),
  );
}

/**
 * A V3 (ACS3-HMAC-SHA256) KMS client, as alibabacloud-kms20160120 builds it on openapi-core: RPC style, no RegionId,
 * no region path — the region is the host's. Point it at `await sim.kmsHost(region)`. Returns `call(action, query)`.
 */
export function kmsV3Client(
  host: string,
  creds: Creds = defaults,
): (action: string, query: Record<string, string>) => Promise<unknown> {
  const client = new OpenApi(new $OpenApiUtil.Config({ ...creds, endpoint: host, protocol: "http" }));
  return async (action, query) =>
    (
      await client.callApi(
        new $OpenApiUtil.Params({
          action,
          version: "2016-01-20",
          protocol: "HTTP",
          pathname: "/",
          method: "POST",
          authType: "AK",
          style: "RPC",
          reqBodyType: "formData",
          bodyType: "json",
        }),
        new $OpenApiUtil.OpenApiRequest({ query }),
        new $dara.RuntimeOptions({}),
      )
    ).body;
}

/** pop-core client for the ECS API (call `request(action, params, { method: "POST" })`). */
export function popClient(sim: SimLike, creds: Creds = defaults): RPCClient {
  return new RPCClient({ ...creds, endpoint: sim.endpoint, apiVersion: "2014-05-26" });
}

/** KMS 2016-01-20 through pop-core (an RPC client that signs HMAC-SHA1). */
export function popKmsClient(sim: SimLike, creds: Creds = defaults): RPCClient {
  return new RPCClient({ ...creds, endpoint: sim.endpoint, apiVersion: "2016-01-20" });
}

/** Code and HTTP status of an API error, whichever client threw it. */
export interface ApiErrorInfo {
  code: string;
  status: number;
  requestId?: string;
}

/**
 * Normalizes how each client reports an API error:
 * - openapi-core (ecs20140526): `e.code` = Code, `e.statusCode` = HTTP status, `e.requestId`, `e.data` = body.
 * - rpc-client (kms20160120): `e.code` = Code + "Error" (e.g. "Forbidden.KeyNotFoundError"), no status property;
 *   the status is only in `e.message` ("code: 404, ..."); `e.data` = body (Code, RequestId, ...).
 * - pop-core: `e.code` = Code, `e.data` = body, status in `e.entry.response.statusCode`.
 */
export function apiError(e: unknown): ApiErrorInfo {
  const x = e as {
    code?: string;
    statusCode?: number;
    message?: string;
    data?: { Code?: string; RequestId?: string };
    entry?: { response?: { statusCode?: number } };
  };
  const code = x.data?.Code ?? String(x.code ?? "");
  const status =
    x.statusCode ?? x.entry?.response?.statusCode ?? Number(/code: (\d{3})/.exec(x.message ?? "")?.[1] ?? 0);
  return { code, status, requestId: x.data?.RequestId };
}

/** Runs the call and returns its API error; fails the test if it succeeds. */
export async function expectApiError(call: Promise<unknown>): Promise<ApiErrorInfo> {
  try {
    await call;
  } catch (e) {
    return apiError(e);
  }
  throw new Error("expected the call to fail with an API error");
}
