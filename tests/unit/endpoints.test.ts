/**
 * Which host the provider's ECS and KMS clients call in each region (provider/cloud/endpoints.ts), checked against
 * Alibaba's endpoint list (products.json of the API metadata, carried in simulator/contract/api.generated.json):
 * its public host, and with `snapshotCopy:network` = `vpc` its VPC host, for every region it lists.
 *
 * The hosts are read from the clients the provider builds (`Outbound.host`), so what is checked is what
 * `@alicloud/ecs20140526` and `@alicloud/kms20160120` end up calling, not a copy of their rule.
 */
import Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { resolveConfig } from "../../provider/cloud/config";
import { Outbound } from "../../provider/cloud/outbound";
import { REGIONS } from "../../simulator/contract/validate";

const keys = { "alicloud:accessKey": "AKIDendpoints", "alicloud:secretKey": "endpoints-secret" };

/** The provider's seam as configured by these stack config keys (no call is made). */
function outbound(config: Record<string, string> = {}): Outbound {
  const cfg = resolveConfig((k) => ({ ...keys, ...config })[k], {});
  return new Outbound(cfg, { clock: { now: () => 0, sleep: async () => {} }, random: () => 0.5 });
}

/** The host `@alicloud/ecs20140526` alone picks for a region and network (no endpoint given). */
const sdkAlone = (regionId: string, network?: string): string =>
  new Ecs(new $OpenApiUtil.Config({ accessKeyId: "ak", accessKeySecret: "sk", regionId, network }))._endpoint;

const listed = Object.entries(REGIONS);
const ecsRegions = listed.filter(([, r]) => r.ecs).map(([id]) => id);
const kmsRegions = listed.filter(([, r]) => r.kms).map(([id]) => id);
const ecsVpcRegions = listed.filter(([, r]) => r.ecsVpc).map(([id]) => id);
const kmsVpcRegions = listed.filter(([, r]) => r.kmsVpc).map(([id]) => id);

/**
 * Where `@alicloud/ecs20140526` 7.11.6 alone disagrees with Alibaba's endpoint list, and the host we use.
 * Source of the SDK column: its client's `_endpointMap` (dist/client.js), which wins over `network`; of the list
 * column: products.json. The list's host is what the SDK's own regional rule gives too, so both sources accept it;
 * where the list has no VPC host, the SDK's (the list's public host) is the one both name.
 */
// prettier-ignore
const KNOWN_DIFFERENCES: { region: string; network: "public" | "vpc"; sdk: string; list?: string; used: "list" | "sdk" }[] = [
  { region: "cn-hangzhou", network: "public", sdk: "ecs-cn-hangzhou.aliyuncs.com", list: "ecs.cn-hangzhou.aliyuncs.com", used: "list" },
  { region: "cn-shanghai-finance-1", network: "public", sdk: "ecs-cn-hangzhou.aliyuncs.com", list: "ecs.cn-shanghai-finance-1.aliyuncs.com", used: "list" },
  { region: "cn-shenzhen-finance-1", network: "public", sdk: "ecs-cn-hangzhou.aliyuncs.com", list: "ecs.cn-shenzhen-finance-1.aliyuncs.com", used: "list" },
  { region: "cn-hangzhou", network: "vpc", sdk: "ecs-cn-hangzhou.aliyuncs.com", list: "ecs-vpc.cn-hangzhou.aliyuncs.com", used: "list" },
  { region: "cn-hangzhou-finance", network: "vpc", sdk: "ecs.aliyuncs.com", list: undefined, used: "sdk" },
  { region: "cn-shanghai-finance-1", network: "vpc", sdk: "ecs-cn-hangzhou.aliyuncs.com", list: "ecs-vpc.cn-shanghai-finance-1.aliyuncs.com", used: "list" },
  { region: "cn-shenzhen-finance-1", network: "vpc", sdk: "ecs-cn-hangzhou.aliyuncs.com", list: "ecs-vpc.cn-shenzhen-finance-1.aliyuncs.com", used: "list" },
];

describe("ECS and KMS hosts against Alibaba's endpoint list", () => {
  test("GIVEN the endpoint list THEN it gives an ECS and a KMS host, public and VPC, for the regions a stack uses", () => {
    for (const region of ["cn-hangzhou", "cn-shanghai", "eu-central-1", "ap-southeast-1", "us-west-1"])
      expect(REGIONS[region]).toMatchObject({
        ecs: expect.any(String),
        ecsVpc: expect.any(String),
        kms: expect.any(String),
        kmsVpc: expect.any(String),
      });
  });

  test.each(ecsRegions)(
    "GIVEN the default network WHEN the provider calls ECS in %s THEN it calls the list's public host",
    (region) => {
      expect(outbound().host("ecs", region)).toBe(REGIONS[region].ecs);
    },
  );

  test.each(ecsVpcRegions)(
    "GIVEN snapshotCopy:network = vpc WHEN the provider calls ECS in %s THEN it calls the list's VPC host",
    (region) => {
      expect(outbound({ "snapshotCopy:network": "vpc" }).host("ecs", region)).toBe(REGIONS[region].ecsVpc);
    },
  );

  test.each(kmsRegions)(
    "GIVEN the default network WHEN the provider calls KMS in %s THEN it calls the list's public host",
    (region) => {
      expect(outbound().host("kms", region)).toBe(REGIONS[region].kms);
    },
  );

  test.each(kmsVpcRegions)(
    "GIVEN snapshotCopy:network = vpc WHEN the provider calls KMS in %s THEN it calls the list's VPC host",
    (region) => {
      expect(outbound({ "snapshotCopy:network": "VPC" }).host("kms", region)).toBe(REGIONS[region].kmsVpc);
    },
  );

  test("GIVEN the ECS SDK alone THEN it differs from the list exactly in the known regions, and the provider uses the host the table says", () => {
    const differences = (["public", "vpc"] as const).flatMap((network) =>
      ecsRegions
        .map((region) => {
          const list = network === "vpc" ? REGIONS[region].ecsVpc : REGIONS[region].ecs;
          const sdk = sdkAlone(region, network);
          return { region, network, sdk, list };
        })
        .filter((d) => d.sdk !== d.list),
    );
    expect(differences).toEqual(KNOWN_DIFFERENCES.map(({ used: _used, ...d }) => d));
    for (const d of KNOWN_DIFFERENCES) {
      const host = outbound({ "snapshotCopy:network": d.network }).host("ecs", d.region);
      expect([d.region, d.network, host]).toEqual([d.region, d.network, d.used === "list" ? d.list : d.sdk]);
    }
  });

  test.each([
    ["public", "snapshotCopy:ecsEndpoint", "127.0.0.1:8787"],
    ["vpc", "snapshotCopy:ecsEndpoint", "ecs.private.example:443"],
    ["vpc", "alicloud:endpoints", "ecs-vpc.cn-hangzhou.aliyuncs.com"],
  ])(
    "GIVEN network %s and an endpoint in %s THEN every region's ECS client calls that endpoint",
    (network, key, host) => {
      const value = key === "alicloud:endpoints" ? JSON.stringify([{ ecs: host }]) : host;
      const o = outbound({ "snapshotCopy:network": network, [key]: value });
      for (const region of ["cn-hangzhou", "eu-central-1"]) expect(o.host("ecs", region)).toBe(host);
    },
  );

  test("GIVEN snapshotCopy:network is neither public nor vpc THEN configuration fails naming the key and the values", () => {
    expect(() => resolveConfig((k) => ({ ...keys, "snapshotCopy:network": "intranet" })[k], {})).toThrow(
      /snapshotCopy:network must be "public" or "vpc".*got "intranet"/,
    );
  });
});
