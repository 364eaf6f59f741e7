import * as $Kms from "@alicloud/kms20160120";
import { expectApiError, kmsClient } from "../helpers/sdk";
import { useSimulator } from "./fixture";

// KMS 2016-01-20 through @alicloud/kms20160120 1.2.0 (rpc-client, HMAC-SHA1). The region is in the endpoint path.
const t = useSimulator();
const kms = (region = "eu-central-1") => kmsClient(t.sim, region);
const state = async (keyId: string, region = "eu-central-1") =>
  (await kms(region).describeKey(new $Kms.DescribeKeyRequest({ keyId }))).keyMetadata?.keyState;

describe("KMS keys", () => {
  it("names a key by ID, ARN or alias, per region", async () => {
    const byAlias = await kms().describeKey(new $Kms.DescribeKeyRequest({ keyId: "alias/backup" }));
    expect(byAlias.keyMetadata).toMatchObject({
      keyId: "key-hzz65f1cb66fa42qo0002",
      keyState: "Enabled",
      arn: "acs:kms:eu-central-1:1234567890123456:key/key-hzz65f1cb66fa42qo0002",
    });
    const byArn = await kms().describeKey(new $Kms.DescribeKeyRequest({ keyId: byAlias.keyMetadata?.arn }));
    expect(byArn.keyMetadata?.keyId).toBe("key-hzz65f1cb66fa42qo0002");
    // The same alias names another key in another region.
    expect(
      (await kms("cn-shanghai").describeKey(new $Kms.DescribeKeyRequest({ keyId: "alias/backup" })))
        .keyMetadata?.keyId,
    ).toBe("key-hzz65f1cb66fa42qo0001");
  });

  it.each([
    ["a missing key ID", "key-missing", "Forbidden.KeyNotFound", 404],
    ["a key of another region", "key-hzz65f1cb66fa42qo0001", "Forbidden.KeyNotFound", 404],
    [
      "an ARN of another region",
      "acs:kms:cn-shanghai:1234567890123456:key/key-hzz65f1cb66fa42qo0001",
      "Forbidden.KeyNotFound",
      404,
    ],
    ["a missing alias", "alias/nope", "Forbidden.AliasNotFound", 404],
  ])("DescribeKey rejects %s", async (_why, keyId, code, status) => {
    expect(await expectApiError(kms().describeKey(new $Kms.DescribeKeyRequest({ keyId })))).toMatchObject({
      code,
      status,
    });
  });

  it("creates, disables, enables, schedules and cancels deletion", async () => {
    const created = await kms().createKey(new $Kms.CreateKeyRequest({ description: "backups" }));
    const keyId = created.keyMetadata?.keyId as string;
    expect(keyId).toMatch(/^key-hzz6/);
    expect(created.keyMetadata).toMatchObject({
      keyState: "Enabled",
      description: "backups",
      keySpec: "Aliyun_AES_256",
    });
    await kms().disableKey(new $Kms.DisableKeyRequest({ keyId }));
    expect(await state(keyId)).toBe("Disabled");
    await kms().enableKey(new $Kms.EnableKeyRequest({ keyId }));
    expect(await state(keyId)).toBe("Enabled");
    await kms().scheduleKeyDeletion(new $Kms.ScheduleKeyDeletionRequest({ keyId, pendingWindowInDays: 7 }));
    expect(await state(keyId)).toBe("PendingDeletion");
    expect((await kms().describeKey(new $Kms.DescribeKeyRequest({ keyId }))).keyMetadata?.deleteDate).toBe(
      "2026-12-03T12:00:00Z",
    );
    await kms().cancelKeyDeletion(new $Kms.CancelKeyDeletionRequest({ keyId }));
    expect(await state(keyId)).toBe("Disabled");
  });

  it.each([
    [
      "EnableKey on a key pending deletion",
      (id: string) => kms().enableKey(new $Kms.EnableKeyRequest({ keyId: id })),
      "Rejetced.PendingDeletion",
      409,
    ],
    [
      "DisableKey on a key pending deletion",
      (id: string) => kms().disableKey(new $Kms.DisableKeyRequest({ keyId: id })),
      "Rejetced.PendingDeletion",
      409,
    ],
    [
      "ScheduleKeyDeletion twice",
      (id: string) =>
        kms().scheduleKeyDeletion(new $Kms.ScheduleKeyDeletionRequest({ keyId: id, pendingWindowInDays: 7 })),
      "Rejetced.PendingDeletion",
      409,
    ],
  ])("rejects %s", async (_why, call, code, status) => {
    const keyId = (await kms().createKey(new $Kms.CreateKeyRequest({}))).keyMetadata?.keyId as string;
    await kms().scheduleKeyDeletion(new $Kms.ScheduleKeyDeletionRequest({ keyId, pendingWindowInDays: 30 }));
    expect(await expectApiError(call(keyId))).toMatchObject({ code, status });
  });

  it.each([
    [
      "CancelKeyDeletion on an Enabled key",
      () => kms().cancelKeyDeletion(new $Kms.CancelKeyDeletionRequest({ keyId: "alias/backup" })),
      "Rejected.StateModifiedFailed",
      409,
    ],
    [
      "a pending window of 6 days",
      () =>
        kms().scheduleKeyDeletion(
          new $Kms.ScheduleKeyDeletionRequest({ keyId: "alias/backup", pendingWindowInDays: 6 }),
        ),
      "InvalidParameter",
      400,
    ],
    [
      "EnableKey on a missing key",
      () => kms().enableKey(new $Kms.EnableKeyRequest({ keyId: "key-missing" })),
      "Forbidden.KeyNotFound",
      404,
    ],
  ])("rejects %s", async (_why, call, code, status) => {
    expect(await expectApiError(call())).toMatchObject({ code, status });
  });

  it("rejects EnableKey on a key waiting for imported material", async () => {
    const keyId = (await kms().createKey(new $Kms.CreateKeyRequest({ origin: "EXTERNAL" }))).keyMetadata
      ?.keyId as string;
    expect(await state(keyId)).toBe("PendingImport");
    expect(await expectApiError(kms().enableKey(new $Kms.EnableKeyRequest({ keyId })))).toMatchObject({
      code: "Rejected.PendingImport",
      status: 409,
    });
  });

  it("lists the region's keys with their ARNs", async () => {
    const r = await kms().listKeys(new $Kms.ListKeysRequest({ pageSize: 100 }));
    expect(r.keys?.key?.map((k) => k.keyArn)).toEqual([
      "acs:kms:eu-central-1:1234567890123456:key/key-hzz65f1cb66fa42qo0002",
      "acs:kms:eu-central-1:1234567890123456:key/key-hzz65f1cb66fa42qo0003",
    ]);
    expect(r).toMatchObject({ totalCount: 2, pageNumber: 1, pageSize: 100 });
  });
});

describe("KMS aliases", () => {
  it("creates an alias that then names the key, and lists aliases", async () => {
    await kms().createAlias(
      new $Kms.CreateAliasRequest({ aliasName: "alias/eu-copies", keyId: "key-hzz65f1cb66fa42qo0002" }),
    );
    expect(await state("alias/eu-copies")).toBe("Enabled");
    const r = await kms().listAliases(new $Kms.ListAliasesRequest({ pageSize: 50 }));
    expect(r.aliases?.alias?.map((a) => `${a.aliasName}->${a.keyId}`)).toEqual([
      "alias/backup->key-hzz65f1cb66fa42qo0002",
      "alias/disabled->key-hzz65f1cb66fa42qo0003",
      "alias/eu-copies->key-hzz65f1cb66fa42qo0002",
    ]);
    expect(r.aliases?.alias?.[2].aliasArn).toBe("acs:kms:eu-central-1:1234567890123456:alias/eu-copies");
  });

  it.each([
    ["an existing alias", "alias/backup", "key-hzz65f1cb66fa42qo0002", "AliasAlreadyExists", 400],
    ["a name without alias/", "eu-copies", "key-hzz65f1cb66fa42qo0002", "InvalidParameter", 400],
    ["a missing key", "alias/x", "key-missing", "Forbidden.KeyNotFound", 404],
  ])("CreateAlias rejects %s", async (_why, aliasName, keyId, code, status) => {
    expect(
      await expectApiError(kms().createAlias(new $Kms.CreateAliasRequest({ aliasName, keyId }))),
    ).toMatchObject({ code, status });
  });
});
