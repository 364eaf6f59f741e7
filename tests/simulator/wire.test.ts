import * as $Ecs from "@alicloud/ecs20140526";
import * as $Kms from "@alicloud/kms20160120";
import RPCClient from "@alicloud/pop-core";
import { apiError, ecsClient, expectApiError, kmsClient, popClient, popKmsClient } from "../helpers/sdk";
import { useSimulator } from "./fixture";

// Wire format: every field the simulator sends must exist in the SDK response model with the model's type
// (numbers are numbers, booleans are booleans). Raw JSON comes from pop-core, which does not cast anything.
const t = useSimulator();

interface ModelClass {
  names(): Record<string, string>;
  types(): Record<string, unknown>;
}

/** Lists every raw JSON field that is unknown to the model or has the wrong JSON type. */
function mismatches(json: unknown, model: ModelClass, path = ""): string[] {
  const out: string[] = [];
  const names = model.names();
  const types = model.types();
  const fieldOf = new Map(Object.entries(names).map(([field, wire]) => [wire, field]));
  for (const [wire, value] of Object.entries(json as Record<string, unknown>)) {
    const field = fieldOf.get(wire);
    if (!field) {
      out.push(`${path}${wire}: not in ${(model as unknown as { name: string }).name}`);
      continue;
    }
    out.push(...typeMismatch(value, types[field], `${path}${wire}`));
  }
  return out;
}

function typeMismatch(value: unknown, type: unknown, path: string): string[] {
  if (typeof type === "string") {
    const want = type === "any" ? typeof value : type;
    return typeof value === want ? [] : [`${path}: ${typeof value}, model says ${type}`];
  }
  if (type && typeof type === "object" && (type as { type?: string }).type === "array") {
    if (!Array.isArray(value)) return [`${path}: not an array`];
    return value.flatMap((v, i) =>
      typeMismatch(v, (type as { itemType: unknown }).itemType, `${path}[${i}]`),
    );
  }
  if (typeof type === "function") return mismatches(value, type as unknown as ModelClass, `${path}.`);
  return [`${path}: unhandled model type`];
}

const pop = () => popClient(t.sim);
const popKms = (): RPCClient => popKmsClient(t.sim);

describe("every response field matches the SDK model type", () => {
  beforeEach(async () => {
    // Give the world copies in every state, tags, retention and a disk made from a snapshot.
    t.sim.admin.setFaults({ failCopies: [{ sourceSnapshotId: "s-sim0003", atPercent: 10 }] });
    for (const id of ["s-sim0001", "s-sim0002", "s-sim0003"]) {
      await pop().request(
        "CopySnapshot",
        {
          RegionId: "cn-hangzhou",
          DestinationRegionId: "eu-central-1",
          SnapshotId: id,
          DestinationSnapshotName: "sim-copy",
          DestinationSnapshotDescription: "simulator test copy",
          RetentionDays: 9,
          "Tag.1.Key": "k",
          "Tag.1.Value": "v",
          Encrypted: true,
          KMSKeyId: "alias/backup",
        },
        { method: "POST" },
      );
    }
    t.clock.advance(10 * 60_000 + 30_000);
    await pop().request(
      "CreateDisk",
      { RegionId: "cn-hangzhou", SnapshotId: "s-sim0004" },
      { method: "POST" },
    );
  });

  const ecsCases: [string, Record<string, unknown>, ModelClass][] = [
    ["DescribeSnapshots", { RegionId: "eu-central-1" }, $Ecs.DescribeSnapshotsResponseBody],
    ["DescribeSnapshots", { RegionId: "cn-hangzhou", PageSize: 50 }, $Ecs.DescribeSnapshotsResponseBody],
    ["DescribeSnapshots", { RegionId: "cn-hangzhou", MaxResults: 20 }, $Ecs.DescribeSnapshotsResponseBody],
    [
      "CopySnapshot",
      {
        RegionId: "cn-hangzhou",
        DestinationRegionId: "cn-shanghai",
        SnapshotId: "s-sim0005",
        DestinationSnapshotName: "sim-copy",
        DestinationSnapshotDescription: "simulator test copy",
      },
      $Ecs.CopySnapshotResponseBody,
    ],
    ["CreateSnapshot", { DiskId: "d-sim0006" }, $Ecs.CreateSnapshotResponseBody],
    ["CreateDisk", { RegionId: "cn-hangzhou", Size: 20 }, $Ecs.CreateDiskResponseBody],
    [
      "ModifySnapshotAttribute",
      { SnapshotId: "s-sim0001", SnapshotName: "renamed" },
      $Ecs.ModifySnapshotAttributeResponseBody,
    ],
    [
      "TagResources",
      {
        RegionId: "cn-hangzhou",
        ResourceType: "snapshot",
        "ResourceId.1": "s-sim0001",
        "Tag.1.Key": "a",
        "Tag.1.Value": "b",
      },
      $Ecs.TagResourcesResponseBody,
    ],
    [
      "ListTagResources",
      { RegionId: "eu-central-1", ResourceType: "snapshot" },
      $Ecs.ListTagResourcesResponseBody,
    ],
    [
      "UntagResources",
      { RegionId: "cn-hangzhou", ResourceType: "snapshot", "ResourceId.1": "s-sim0001", "TagKey.1": "a" },
      $Ecs.UntagResourcesResponseBody,
    ],
    [
      "JoinResourceGroup",
      { RegionId: "cn-hangzhou", ResourceType: "snapshot", ResourceId: "s-sim0001", ResourceGroupId: "rg-1" },
      $Ecs.JoinResourceGroupResponseBody,
    ],
    ["DescribeRegions", {}, $Ecs.DescribeRegionsResponseBody],
    ["DeleteSnapshot", { SnapshotId: "s-sim0007" }, $Ecs.DeleteSnapshotResponseBody],
  ];
  it.each(ecsCases)("WHEN ECS %s gets %j THEN its answer fits the model", async (action, params, model) => {
    const raw = await pop().request(action, params, { method: "POST" });
    expect(mismatches(raw, model)).toEqual([]);
  });

  it("covers copies in every status with the typed fields the provider reads", async () => {
    const raw = (await pop().request(
      "DescribeSnapshots",
      { RegionId: "eu-central-1" },
      { method: "POST" },
    )) as { Snapshots: { Snapshot: Record<string, unknown>[] } };
    expect(new Set(raw.Snapshots.Snapshot.map((s) => s.Status))).toEqual(
      new Set(["accomplished", "failed", "progressing"]),
    );
    for (const s of raw.Snapshots.Snapshot) {
      expect(typeof s.RemainTime).toBe("number");
      expect(typeof s.Available).toBe("boolean");
      expect(typeof s.Encrypted).toBe("boolean");
      expect(typeof s.RetentionDays).toBe("number");
      expect(s.Progress).toMatch(/^\d{1,3}%$/);
      expect(s.CreationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  const kmsCases: [string, Record<string, unknown>, ModelClass][] = [
    ["DescribeKey", { RegionId: "eu-central-1", KeyId: "alias/backup" }, $Kms.DescribeKeyResponse],
    ["CreateKey", { RegionId: "eu-central-1", Description: "x" }, $Kms.CreateKeyResponse],
    ["ListKeys", { RegionId: "eu-central-1" }, $Kms.ListKeysResponse],
    ["ListAliases", { RegionId: "eu-central-1" }, $Kms.ListAliasesResponse],
    [
      "CreateAlias",
      { RegionId: "eu-central-1", AliasName: "alias/new", KeyId: "alias/backup" },
      $Kms.CreateAliasResponse,
    ],
    ["DisableKey", { RegionId: "eu-central-1", KeyId: "alias/backup" }, $Kms.DisableKeyResponse],
    ["EnableKey", { RegionId: "eu-central-1", KeyId: "alias/disabled" }, $Kms.EnableKeyResponse],
    [
      "ScheduleKeyDeletion",
      { RegionId: "cn-shanghai", KeyId: "alias/backup", PendingWindowInDays: 7 },
      $Kms.ScheduleKeyDeletionResponse,
    ],
  ];
  it.each(kmsCases)("WHEN KMS %s gets %j THEN its answer fits the model", async (action, params, model) => {
    const raw = await popKms().request(action, params, { method: "POST" });
    expect(mismatches(raw, model)).toEqual([]);
  });
});

describe("the model type checker", () => {
  it("flags a number where the model declares a string, and an unknown field", () => {
    expect(mismatches({ SnapshotId: 5, Bogus: true }, $Ecs.CopySnapshotResponseBody)).toEqual([
      "SnapshotId: number, model says string",
      "Bogus: not in CopySnapshotResponseBody",
    ]);
  });
});

describe("pop-core (HMAC-SHA1) drives the copy lifecycle", () => {
  it("copies, describes and deletes", async () => {
    const { SnapshotId } = (await pop().request(
      "CopySnapshot",
      {
        RegionId: "cn-hangzhou",
        DestinationRegionId: "ap-southeast-1",
        SnapshotId: "s-sim0008",
        DestinationSnapshotName: "pop-copy",
        DestinationSnapshotDescription: "copied through pop-core",
        ClientToken: "pop-1",
      },
      { method: "POST" },
    )) as { SnapshotId: string };
    const again = (await pop().request(
      "CopySnapshot",
      {
        RegionId: "cn-hangzhou",
        DestinationRegionId: "ap-southeast-1",
        SnapshotId: "s-sim0008",
        DestinationSnapshotName: "pop-copy",
        DestinationSnapshotDescription: "copied through pop-core",
        ClientToken: "pop-1",
      },
      { method: "GET" },
    )) as {
      SnapshotId: string;
    };
    expect(again.SnapshotId).toBe(SnapshotId);
    const d = (await pop().request(
      "DescribeSnapshots",
      { RegionId: "ap-southeast-1", SnapshotIds: JSON.stringify([SnapshotId]) },
      { method: "GET" },
    )) as { Snapshots: { Snapshot: { SnapshotName: string }[] } };
    expect(d.Snapshots.Snapshot[0].SnapshotName).toBe("pop-copy");
    await pop().request("DeleteSnapshot", { SnapshotId }, { method: "POST" });
    expect(t.sim.admin.snapshots("ap-southeast-1")).toHaveLength(0);
  });
});

describe("how each client reports an API error", () => {
  it("openapi-core (ecs20140526): code, statusCode, requestId and data", async () => {
    const e = (await ecsClient(t.sim)
      .describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: "xx-nowhere-1" }))
      .catch((x: unknown) => x)) as {
      code: string;
      statusCode: number;
      requestId: string;
      data: Record<string, unknown>;
    };
    expect(e.code).toBe("InvalidRegionId.NotFound");
    expect(e.statusCode).toBe(404);
    expect(e.requestId).toMatch(/^[0-9A-F-]{36}$/);
    expect(Object.keys(e.data).sort()).toEqual(["Code", "HostId", "Message", "Recommend", "RequestId"]);
  });

  it("rpc-client (kms20160120): code gets an 'Error' suffix, the status is only in the message", async () => {
    const e = (await kmsClient(t.sim, "eu-central-1")
      .describeKey(new $Kms.DescribeKeyRequest({ keyId: "key-missing" }))
      .catch((x: unknown) => x)) as {
      code: string;
      message: string;
      data: Record<string, unknown>;
      statusCode?: number;
    };
    expect(e.code).toBe("Forbidden.KeyNotFoundError");
    expect(e.statusCode).toBeUndefined();
    expect(e.message).toContain("code: 404");
    expect(e.data.Code).toBe("Forbidden.KeyNotFound");
    expect(apiError(e)).toMatchObject({ code: "Forbidden.KeyNotFound", status: 404 });
  });

  it("pop-core: code, data, and the status in entry.response.statusCode", async () => {
    const e = (await pop()
      .request("DescribeSnapshots", { RegionId: "xx-nowhere-1" }, { method: "POST" })
      .catch((x: unknown) => x)) as {
      code: string;
      data: Record<string, unknown>;
      entry: { response: { statusCode: number } };
    };
    expect(e.code).toBe("InvalidRegionId.NotFound");
    expect(e.entry.response.statusCode).toBe(404);
    expect(e.data.HostId).toBe("ecs.xx-nowhere-1.aliyuncs.com");
  });

  it("answers an unknown action with InvalidAction.NotFound (404)", async () => {
    expect(
      await expectApiError(pop().request("RunInstances", { RegionId: "cn-hangzhou" }, { method: "POST" })),
    ).toMatchObject({ code: "InvalidAction.NotFound", status: 404 });
  });
});
