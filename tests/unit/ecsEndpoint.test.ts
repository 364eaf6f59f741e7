/**
 * The provider picks the ECS host itself (provider/cloud/ecsEndpoint.ts) since it no longer loads @alicloud/ecs20140526
 * (docs/design.md §13). GIVEN any region, THEN it picks the host the SDK's client would: the SDK's endpoint map for the
 * regions in it, `ecs.<region>.aliyuncs.com` for the rest, and the override whenever one is set.
 */
import Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { ECS_MAPPED_REGIONS, ecsEndpoint } from "../../provider/cloud/ecsEndpoint";

const sdkEndpoint = (regionId: string, endpoint?: string): string =>
  new Ecs(new $OpenApiUtil.Config({ accessKeyId: "ak", accessKeySecret: "sk", regionId, endpoint }))
    ._endpoint;

const regional = ["eu-central-1", "cn-shanghai", "ap-southeast-1", "us-west-1", "cn-beijing", "me-east-1"];

describe("ecsEndpoint", () => {
  it.each([...ECS_MAPPED_REGIONS, ...regional])("picks the SDK's host for %s", (region) => {
    expect(ecsEndpoint(region)).toBe(sdkEndpoint(region));
  });

  it.each([
    ["cn-hangzhou", "ecs-cn-hangzhou.aliyuncs.com"],
    ["eu-central-1", "ecs.eu-central-1.aliyuncs.com"],
  ])("for %s is %s", (region, host) => {
    expect(ecsEndpoint(region)).toBe(host);
  });

  it.each(["cn-hangzhou", "eu-central-1"])("lets an override win in %s, as the SDK does", (region) => {
    expect(ecsEndpoint(region, "127.0.0.1:8080")).toBe(sdkEndpoint(region, "127.0.0.1:8080"));
    expect(ecsEndpoint(region, "127.0.0.1:8080")).toBe("127.0.0.1:8080");
  });
});
