/**
 * Which host the ECS and KMS clients of a region call, when the configuration names none.
 *
 * ECS: the host `@alicloud/ecs20140526` picks from `regionId` and `network` (its `_endpointMap`, else openapi-core's
 * regional rule `ecs[-vpc].<region>.aliyuncs.com`), except in {@link LIST_OVER_SDK_MAP}: the regions whose host in
 * Alibaba's endpoint list (API metadata, products.json; carried into the repository in
 * simulator/contract/api.generated.json) differs from the SDK map's entry. There the list's host is used: it is
 * also what the SDK's own regional rule gives, so both sources accept it, while the map's host is only the map's;
 * and the map holds public hosts only, so without this a VPC stack in cn-hangzhou would be sent to a public host.
 * tests/unit/endpoints.test.ts compares the host each client ends up with against the list for every region and
 * both networks, with the table of the regions where the SDK alone would differ, so a change of either source
 * shows.
 *
 * KMS: `@alicloud/kms20160120` 1.2.0 never sets its product ID, so its own rule yields
 * `undefined.<region>.aliyuncs.com` (measured); it is given the same rule's answer with the product,
 * `kms[-vpc].<region>.aliyuncs.com`, which is the list's host in every region.
 * @internal
 */
import { OpenApiUtil } from "@alicloud/openapi-core";

/** Public endpoints, or the endpoints reachable only from inside a VPC of the region. @internal */
export type Network = "public" | "vpc";

/**
 * Regions whose ECS hosts in Alibaba's endpoint list (`ecs.<region>.aliyuncs.com`, `ecs-vpc.<region>.aliyuncs.com`)
 * are not the one in `@alicloud/ecs20140526` 7.11.6's `_endpointMap` (`ecs-cn-hangzhou.aliyuncs.com` for all
 * three). The list wins.
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
 * The `endpoint` to give the ECS client of `region` (which is also given `network`): `override` when set (private
 * endpoint, the simulator), else the list's host where it differs from the SDK's choice, else undefined (the SDK
 * picks).
 * @internal
 */
export function ecsEndpoint(region: string, network: Network, override?: string): string | undefined {
  if (override !== undefined) return override;
  return LIST_OVER_SDK_MAP.has(region) ? regional("ecs", region, network) : undefined;
}

/** The `endpoint` to give the KMS client of `region`: `override` when set, else the regional host. @internal */
export function kmsEndpoint(region: string, network: Network, override?: string): string {
  return override ?? regional("kms", region, network);
}
