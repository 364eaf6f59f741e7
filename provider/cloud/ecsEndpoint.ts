/**
 * The ECS host for a region — the same rule `@alicloud/ecs20140526`'s client constructor applies (7.11.6,
 * dist/client.js `getEndpoint`): an endpoint override wins; else the SDK's `_endpointMap` entry for the region;
 * else openapi-core's regional rule, `ecs.<region>.aliyuncs.com`. The provider calls ECS through
 * `@alicloud/openapi-core`'s generic client (./outbound.ts), which has no map of its own, so the map is copied
 * here verbatim; tests/unit/ecsEndpoint.test.ts checks it against the SDK for every region in it.
 * @internal
 */
import { OpenApiUtil } from "@alicloud/openapi-core";

/** `_endpointMap` of `@alicloud/ecs20140526` 7.11.6's client (regions whose ECS host is not the regional one). */
const ECS_ENDPOINT_MAP: Readonly<Record<string, string>> = {
  "cn-hangzhou": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shanghai-finance-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shenzhen-finance-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-north-2-gov-1": "ecs.aliyuncs.com",
  "ap-northeast-2-pop": "ecs.aliyuncs.com",
  "cn-beijing-finance-pop": "ecs.aliyuncs.com",
  "cn-beijing-gov-1": "ecs.aliyuncs.com",
  "cn-beijing-nu16-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-edge-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
  "cn-fujian": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-haidian-cm12-c01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-bj-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-finance": "ecs.aliyuncs.com",
  "cn-hangzhou-internal-prod-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-internal-test-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-internal-test-2": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-internal-test-3": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hangzhou-test-306": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-hongkong-finance-pop": "ecs.aliyuncs.com",
  "cn-huhehaote-nebula-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
  "cn-shanghai-et15-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shanghai-et2-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shanghai-inner": "ecs.aliyuncs.com",
  "cn-shanghai-internal-test-1": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shenzhen-inner": "ecs.aliyuncs.com",
  "cn-shenzhen-st4-d01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-shenzhen-su18-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-wuhan": "ecs.aliyuncs.com",
  "cn-yushanfang": "ecs.aliyuncs.com",
  "cn-zhangbei": "ecs.aliyuncs.com",
  "cn-zhangbei-na61-b01": "ecs-cn-hangzhou.aliyuncs.com",
  "cn-zhangjiakou-na62-a01": "ecs.cn-zhangjiakou.aliyuncs.com",
  "cn-zhengzhou-nebula-1": "ecs.cn-qingdao-nebula.aliyuncs.com",
  "eu-west-1-oxs": "ecs.cn-shenzhen-cloudstone.aliyuncs.com",
  "rus-west-1-pop": "ecs.aliyuncs.com",
};

/** Regions the SDK's endpoint map covers (tests compare each against the SDK). @internal */
export const ECS_MAPPED_REGIONS: readonly string[] = Object.keys(ECS_ENDPOINT_MAP);

/**
 * ECS host for `region`; `override` (private endpoint, the simulator) wins when set. The SDK tests the override
 * with `isNull` (null or undefined), so an empty string would win too — config.ts never passes one.
 * @internal
 */
export function ecsEndpoint(region: string, override?: string): string {
  if (override !== undefined) return override;
  // network and suffix: unset in our config, as in the SDK's (the Config fields `network`, `suffix`).
  return ECS_ENDPOINT_MAP[region] ?? OpenApiUtil.getEndpointRules("ecs", region, "regional", "", "");
}
