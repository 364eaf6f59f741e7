/**
 * The simulator answers as the API reference's error tables say, per action, through the real clients over HTTP.
 * Each row names the page whose error table gives the code and status.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ACTIONS, type ParamSpec } from "../../simulator/contract/validate";
import { httpStatus } from "../../simulator/errorStatus";
import {
  apiError,
  ecsClient,
  expectApiError,
  kmsV3Client,
  popClient,
  popKmsClient,
  type ApiErrorInfo,
} from "../helpers/sdk";
import { useSimulator } from "./fixture";
import RPCClient from "@alicloud/pop-core";

const t = useSimulator();
const ecs = () => ecsClient(t.sim);
const pop = () => popClient(t.sim);
const popKms = (): RPCClient => popKmsClient(t.sim);

const base = {
  regionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  snapshotId: "s-sim0001",
  destinationSnapshotName: "sim-copy",
  destinationSnapshotDescription: "simulator test copy",
};
const copy = (over: Partial<$Ecs.CopySnapshotRequest> = {}) =>
  ecs().copySnapshot(new $Ecs.CopySnapshotRequest({ ...base, ...over }));
const codeAndStatus = async (call: Promise<unknown>): Promise<[string, number]> => {
  const e = await expectApiError(call);
  return [e.code, e.status];
};

describe("CopySnapshot (CopySnapshot error table)", () => {
  it("requires DestinationSnapshotName and DestinationSnapshotDescription (metadata: required)", async () => {
    const { destinationSnapshotName: _n, destinationSnapshotDescription: _d, ...rest } = base;
    expect(await codeAndStatus(ecs().copySnapshot(new $Ecs.CopySnapshotRequest(rest)))).toEqual([
      "MissingParameter",
      400,
    ]);
    expect(await codeAndStatus(copy({ destinationSnapshotName: undefined }))).toEqual([
      "MissingParameter",
      400,
    ]);
    expect(await codeAndStatus(copy({ destinationSnapshotDescription: undefined }))).toEqual([
      "MissingParameter",
      400,
    ]);
  });

  it.each<[string, () => Promise<unknown>, string, number]>([
    [
      "a source that is still progressing",
      async () => {
        t.sim.admin.seed({
          snapshots: [
            { snapshotId: "s-prog", regionId: "cn-hangzhou", diskId: "d-sim0001", status: "progressing" },
          ],
        });
        return copy({ snapshotId: "s-prog" });
      },
      "InvalidSnapshotId.NotReady",
      403,
    ],
    [
      "KMSKeyId without Encrypted",
      () => copy({ KMSKeyId: "alias/backup" }),
      "InvalidEncrypted.NotMatchKmsKeyId",
      403,
    ],
    ["a missing snapshot", () => copy({ snapshotId: "s-missing" }), "InvalidSnapshotId.NotFound", 403],
    [
      "a missing KMS key",
      () => copy({ encrypted: true, KMSKeyId: "key-missing" }),
      "InvalidParameter.KMSKeyId.NotFound",
      403,
    ],
    [
      "a malformed name",
      () => copy({ destinationSnapshotName: "1bad" }),
      "InvalidSnapshotName.Malformed",
      403,
    ],
    [
      "a malformed description",
      () => copy({ destinationSnapshotDescription: "http://x" }),
      "InvalidDescription.Malformed",
      403,
    ],
    ["RetentionDays=0", () => copy({ retentionDays: 0 }), "InvalidRetentionDays.Malformed", 403],
    [
      "an unknown destination region of the right form",
      () => copy({ destinationRegionId: "xx-nowhere-9" }),
      "InvalidRegionId.NotExists",
      403,
    ],
    [
      "a malformed destination region",
      () => copy({ destinationRegionId: "Not_A_Region" }),
      "InvalidRegionId.MalFormed",
      400,
    ],
    [
      "a disk whose earlier copy to the region is unfinished",
      async () => {
        await copy();
        return copy();
      },
      "InvalidOperation.UnfinishedCrossRegionCopy",
      403,
    ],
    [
      "a disk whose earlier encrypted copy to the region is unfinished",
      async () => {
        await copy({ encrypted: true, KMSKeyId: "alias/backup" });
        return copy();
      },
      "InvalidOperation.UnfinishedEncryptedSnapshotCopy",
      403,
    ],
  ])("answers %s with the table's code and status", async (_what, call, code, status) => {
    expect(await codeAndStatus(call())).toEqual([code, status]);
  });
});

describe("the same code, another action, another status", () => {
  it("InvalidSnapshotId.NotFound is 404 in ModifySnapshotAttribute and DeleteSnapshot (their tables)", async () => {
    expect(
      await codeAndStatus(
        ecs().modifySnapshotAttribute(
          new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: "s-missing", snapshotName: "renamed" }),
        ),
      ),
    ).toEqual(["InvalidSnapshotId.NotFound", 404]);
    // DeleteSnapshot of a missing ID succeeds in the simulator (see README); its table's status is 404.
    expect(httpStatus("DeleteSnapshot", "InvalidSnapshotId.NotFound")).toBe(404);
    expect(httpStatus("CopySnapshot", "InvalidSnapshotId.NotFound")).toBe(403);
  });

  it("ModifySnapshotAttribute: shortening retention is InvalidOperation.DecreaseRetentionDaysUnsupported 400", async () => {
    await ecs().modifySnapshotAttribute(
      new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: "s-sim0001", retentionDays: 30 }),
    );
    expect(
      await codeAndStatus(
        ecs().modifySnapshotAttribute(
          new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: "s-sim0001", retentionDays: 10 }),
        ),
      ),
    ).toEqual(["InvalidOperation.DecreaseRetentionDaysUnsupported", 400]);
  });
});

describe("DescribeSnapshots (DescribeSnapshots error table)", () => {
  const describe1 = (r: Partial<$Ecs.DescribeSnapshotsRequest>) =>
    ecs().describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: "cn-hangzhou", ...r }));
  it("answers an unknown Status with InvalidStatus.NotFound 404", async () => {
    expect(await codeAndStatus(describe1({ status: "bogus" }))).toEqual(["InvalidStatus.NotFound", 404]);
  });
  it("answers 101 SnapshotIds with InvalidSnapshotIds.Malformed 403", async () => {
    const ids = JSON.stringify(Array.from({ length: 101 }, (_, i) => `s-${i}`));
    expect(await codeAndStatus(describe1({ snapshotIds: ids }))).toEqual([
      "InvalidSnapshotIds.Malformed",
      403,
    ]);
  });
});

describe("protocol", () => {
  it("SignatureDoesNotMatch under HMAC-SHA1 ends with ' server string to sign is:<string to sign>'", async () => {
    let e: unknown;
    try {
      await popClient(t.sim, { accessKeyId: "LTAI5tSimulatorKey0001", accessKeySecret: "wrong" }).request(
        "DescribeRegions",
        {},
        { method: "POST" },
      );
    } catch (x) {
      e = x;
    }
    const body = (e as { data: { Code: string; Message: string } }).data;
    expect(body.Code).toBe("SignatureDoesNotMatch");
    expect(body.Message).toMatch(
      /^Specified signature is not matched with our calculation\. server string to sign is:POST&%2F&AccessKeyId%3D/,
    );
    expect(apiError(e).status).toBe(400);
  });

  it("SignatureDoesNotMatch under ACS3 echoes the StringToSign and CanonicalRequest", async () => {
    let e: unknown;
    try {
      await ecsClient(t.sim, "cn-hangzhou", {
        accessKeyId: "LTAI5tSimulatorKey0001",
        accessKeySecret: "wrong",
      }).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    } catch (x) {
      e = x;
    }
    const info: ApiErrorInfo = apiError(e);
    expect([info.code, info.status]).toEqual(["SignatureDoesNotMatch", 400]);
    expect((e as { data: { Message: string } }).data.Message).toMatch(
      /^Specified signature does not match our calculation\. server StringToSign is \[ACS3-HMAC-SHA256\n[0-9a-f]{64}\] server CanonicalRequest is \[POST\n\/\n/,
    );
  });

  it("routes pop-core's lower-camel action spelling on the signed Action", async () => {
    const r = (await pop().request("describeRegions", {}, { method: "POST" })) as {
      Regions: { Region: { RegionId: string }[] };
    };
    expect(r.Regions.Region.map((x) => x.RegionId)).toContain("cn-hangzhou");
  });

  it("DescribeRegions answers LocalName with the display name", async () => {
    const r = await ecs().describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const hz = r.body?.regions?.region?.find((x) => x.regionId === "cn-hangzhou");
    expect(hz?.localName).toBe("China (Hangzhou)");
    expect(hz?.regionEndpoint).toBe("ecs.cn-hangzhou.aliyuncs.com");
  });

  it("a V3 (ACS3) KMS client pointed at the eu-central-1 KMS host finds the alias there", async () => {
    const kms = kmsV3Client(await t.sim.kmsHost("eu-central-1"));
    const r = (await kms("DescribeKey", { KeyId: "alias/backup" })) as { KeyMetadata: { KeyId: string } };
    expect(r.KeyMetadata.KeyId).toBe("key-hzz65f1cb66fa42qo0002");
    const hz = kmsV3Client(await t.sim.kmsHost("cn-hangzhou"));
    expect(apiError(await hz("DescribeKey", { KeyId: "alias/backup" }).catch((e: unknown) => e)).code).toBe(
      "Forbidden.AliasNotFound",
    );
  });
});

describe("DescribeDisks", () => {
  it("names the disks made from a copy (SnapshotId filter)", async () => {
    const id = (await copy()).body?.snapshotId as string;
    t.clock.advance(24 * 60 * 60_000);
    const eu = ecsClient(t.sim, "eu-central-1");
    const disk = (
      await eu.createDisk(new $Ecs.CreateDiskRequest({ regionId: "eu-central-1", snapshotId: id }))
    ).body?.diskId;
    const r = await eu.describeDisks(
      new $Ecs.DescribeDisksRequest({ regionId: "eu-central-1", snapshotId: id }),
    );
    expect(r.body?.disks?.disk?.map((d) => [d.diskId, d.sourceSnapshotId])).toEqual([[disk, id]]);
    expect(r.body?.totalCount).toBe(1);
  });
});

// ---- every action: a request without each required parameter, and one of each wrong type ----------------------

/** A value of the right type for a parameter, flattened as it travels. */
function fill(p: ParamSpec): Record<string, string> {
  if (p.type === "RepeatList")
    return p.sub
      ? Object.fromEntries(p.sub.map((s) => [`${p.name}.1.${s.name}`, "x"]))
      : { [`${p.name}.1`]: "x" };
  return { [p.name]: p.type === "Boolean" ? "true" : p.type === "Integer" || p.type === "Long" ? "1" : "x" };
}
const TAG_APIS: Record<string, string> = {
  RegionId: "MissingParameter.RegionId",
  ResourceType: "MissingParameter.ResourceType",
  ResourceId: "MissingParameter.ResourceIds",
  Tag: "MissingParameter.Tags",
};
const call = async (product: string, action: string, params: Record<string, string>) => {
  const client = product === "Kms" ? popKms() : pop();
  try {
    await client.request(action, product === "Kms" ? { RegionId: "eu-central-1", ...params } : params, {
      method: "POST",
    });
    return { code: "", status: 200 };
  } catch (e) {
    return apiError(e);
  }
};

const missingRows = ACTIONS.flatMap((a) =>
  a.params.filter((p) => p.required).map((p) => [a.product, a.action, p] as const),
);
const typeRows = ACTIONS.flatMap((a) =>
  a.params
    .filter((p) => ["Integer", "Long", "Boolean"].includes(p.type))
    .map((p) => [a.product, a.action, p] as const),
);

describe("every action checks its parameters against the metadata", () => {
  it.each(missingRows)("%s %s without %p", async (product, action, p) => {
    const spec = ACTIONS.find((a) => a.action === action)!;
    const params = Object.assign({}, ...spec.params.filter((q) => q.required && q !== p).map(fill));
    const tagApi = ["TagResources", "UntagResources", "ListTagResources"].includes(action);
    const code = tagApi ? (TAG_APIS[p.name] ?? "MissingParameter") : "MissingParameter";
    const e = await call(product, action, params);
    expect([e.code, e.status]).toEqual([code, tagApi && code !== "MissingParameter" ? 404 : 400]);
  });

  it.each(typeRows)("%s %s with a wrong type for %p", async (product, action, p) => {
    const spec = ACTIONS.find((a) => a.action === action)!;
    const params = Object.assign({}, ...spec.params.filter((q) => q.required).map(fill), {
      [p.name]: "not-a-value",
    });
    const e = await call(product, action, params);
    expect([e.code, e.status]).toEqual(["InvalidParameter", 400]);
  });

  it("answers a malformed repeat list with InvalidParameter 400", async () => {
    const e = await call("Ecs", "TagResources", {
      RegionId: "cn-hangzhou",
      ResourceType: "snapshot",
      "ResourceId.1": "s-sim0001",
      "Tag.0.Key": "k",
      "Tag.0.Value": "v",
    });
    expect([e.code, e.status]).toEqual(["InvalidParameter", 400]);
  });
});
