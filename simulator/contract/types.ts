/** One request parameter as Alibaba's API metadata describes it. */
export interface ParamSpec {
  /** Wire name; a RepeatList "Tag" travels as "Tag.1.Key", "Tag.2.Key", …; a flat one "ResourceId" as "ResourceId.1". */
  name: string;
  /** Where it travels ("Query" for every RPC action here; form bodies carry the same names). */
  position: string;
  /** "String" | "Integer" | "Long" | "Boolean" | "RepeatList". */
  type: string;
  required: boolean;
  /** Fields of each element of a RepeatList of objects. */
  sub?: ParamSpec[];
}

/** One RPC action. */
export interface ActionSpec {
  product: "Ecs" | "Kms";
  version: string;
  action: string;
  /** HTTP methods the action accepts. */
  methods: string[];
  params: ParamSpec[];
}

/** A region's display name and endpoints (hosts), as Alibaba's endpoint list (products.json) gives them. */
export interface RegionSpec {
  /** Display name, e.g. "China (Hangzhou)" (DescribeRegions LocalName in English). */
  name: string;
  /** Public ECS host, e.g. "ecs.cn-hangzhou.aliyuncs.com". */
  ecs?: string;
  /** ECS host reachable only from inside a VPC of that region, e.g. "ecs-vpc.cn-hangzhou.aliyuncs.com"; unset when the list has none. */
  ecsVpc?: string;
  kms?: string;
  kmsVpc?: string;
}
