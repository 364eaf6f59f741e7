/**
 * Which host the ECS and KMS clients of a region call, when the configuration names none.
 *
 * ECS: the host `@alicloud/ecs20140526` picks from `regionId` (its `_endpointMap`, else openapi-core's regional
 * rule `ecs.<region>.aliyuncs.com`), except in two cases where Alibaba's endpoint list (API metadata,
 * products.json; carried into the repository in simulator/contract/api.generated.json) says otherwise:
 * - `network: "vpc"`: the SDK's map holds public hosts only, so for a mapped region (cn-hangzhou among them) the
 *   SDK would answer with a public host even when asked for a VPC one. We use the SDK's own rule with the network,
 *   `ecs-vpc.<region>.aliyuncs.com`: the list's VPC host in every region it gives one for.
 * - {@link LIST_OVER_SDK_MAP}: the regions whose public host in the list differs from the SDK map's entry. The
 *   list's host is also what the SDK's own regional rule gives, so it is the host both sources accept; the map's
 *   is only the map's.
 * tests/unit/endpoints.test.ts compares the host each client ends up with against the list for every region, and
 * prints the table of the regions where the SDK alone would differ, so a change of either source shows.
 *
 * KMS: `@alicloud/kms20160120` 1.2.0 never sets its product ID, so its own rule yields
 * `undefined.<region>.aliyuncs.com` (measured); we give it the rule's answer with the product, `kms[-vpc].<region>.aliyuncs.com`,
 * which is the list's host in every region.
 * @internal
 */
import { OpenApiUtil } from "@alicloud/openapi-core";

/** Public endpoints, or the endpoints reachable only from inside a VPC of the region. @internal */
export type Network = "public" | "vpc";

/**
 * Regions whose public ECS host in Alibaba's endpoint list (`ecs.<region>.aliyuncs.com`) is not the one in
 * `@alicloud/ecs20140526` 7.11.6's `_endpointMap` (`ecs-cn-hangzhou.aliyuncs.com` for all three). The list wins.
 */
const LIST_OVER_SDK_MAP: ReadonlySet<string> = new Set([
  "cn-hangzhou",
  "cn-shanghai-finance-1",
  "cn-shenzhen-finance-1",
]);

/** The openapi-core regional rule: `<product>[-<network>].<region>.aliyuncs.com`. */
const regional = (product: string, region: string, network: Network): string =>
  OpenApiUtil.getEndpointRules(product, region, "regional", network, "");

/**
 * The `endpoint` to give the ECS client of `region`: `override` when set (private endpoint, the simulator), else
 * the list's host where it differs from the SDK's choice, else undefined (the SDK picks).
 * @internal
 */
export function ecsEndpoint(region: string, network: Network, override?: string): string | undefined {
  if (override !== undefined) return override;
  if (network === "vpc" || LIST_OVER_SDK_MAP.has(region)) return regional("ecs", region, network);
  return undefined;
}

/** The `endpoint` to give the KMS client of `region`: `override` when set, else the regional host. @internal */
export function kmsEndpoint(region: string, network: Network, override?: string): string {
  return override ?? regional("kms", region, network);
}
