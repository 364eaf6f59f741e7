import fc from "fast-check";
import { InvalidKeyRefError, parseKeyRef, sameKey, tryParseKeyRef } from "../../provider/rules/kmsKey";

const keyId = "key-hzz62f1cb66fa42qo1234";
const uuid = "0e478b7a-4262-4802-b8cb-00d3fb408888";

describe("parseKeyRef", () => {
  it.each([
    [keyId, { kind: "id", keyId, region: "eu-central-1" }],
    [uuid, { kind: "id", keyId: uuid, region: "eu-central-1" }],
    [
      `acs:kms:cn-hangzhou:1234567890:key/${keyId}`,
      { kind: "arn", keyId, region: "cn-hangzhou", accountId: "1234567890" },
    ],
    ["alias/backup-eu", { kind: "alias", alias: "alias/backup-eu", region: "eu-central-1" }],
    [
      "acs:kms:eu-central-1:1234567890:alias/backup-eu",
      { kind: "arn", alias: "alias/backup-eu", region: "eu-central-1", accountId: "1234567890" },
    ],
  ])("reads %s", (ref, parsed) => {
    expect(parseKeyRef(ref, "eu-central-1")).toEqual(parsed);
  });

  it.each([
    "",
    "my key",
    "alias/",
    "alias/has space",
    "acs:kms:eu-central-1:123:key/",
    "acs:ecs:eu-central-1:1:key/k",
  ])("rejects %j", (ref) => {
    expect(tryParseKeyRef(ref)).toBeUndefined();
    expect(() => parseKeyRef(ref)).toThrow(InvalidKeyRefError);
  });

  it("property: an ARN round-trips to its region, account and key ID", () => {
    const word = fc.stringMatching(/^[a-z]{2,6}$/);
    fc.assert(
      fc.property(
        fc.tuple(word, word, fc.integer({ min: 1, max: 9 })).map(([a, b, n]) => `${a}-${b}-${n}`),
        fc.stringMatching(/^\d{1,16}$/),
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,40}$/),
        (region, accountId, id) => {
          expect(parseKeyRef(`acs:kms:${region}:${accountId}:key/${id}`)).toEqual({
            kind: "arn",
            keyId: id,
            region,
            accountId,
          });
        },
      ),
    );
  });
});

describe("sameKey: an ID, ARN or alias naming the same key is the same key", () => {
  const known = { keyId, aliases: ["alias/backup-eu"] };
  const arn = `acs:kms:eu-central-1:1234567890:key/${keyId}`;
  const aliasArn = "acs:kms:eu-central-1:1234567890:alias/backup-eu";

  it.each<[string, string | undefined, string | undefined, typeof known | undefined, boolean]>([
    ["the same ID", keyId, keyId, undefined, true],
    ["ID vs its ARN", keyId, arn, undefined, true],
    ["ARN vs its ID", arn, keyId, undefined, true],
    ["ID vs a known alias", keyId, "alias/backup-eu", known, true],
    ["ID vs a known alias as an ARN", keyId, aliasArn, known, true],
    ["known alias vs the ID", "alias/backup-eu", keyId, known, true],
    ["ARN vs a known alias", arn, "alias/backup-eu", known, true],
    ["the same alias, nothing known", "alias/backup-eu", "alias/backup-eu", undefined, true],
    ["alias vs its ARN, nothing known", "alias/backup-eu", aliasArn, undefined, true],
    ["both unset", undefined, undefined, undefined, true],
    ["ID vs another ID", keyId, uuid, known, false],
    ["ID vs another alias", keyId, "alias/other", known, false],
    ["ID vs an alias not known to name it", keyId, "alias/backup-eu", undefined, false],
    [
      "the same key ID in ARNs of two regions",
      arn,
      `acs:kms:cn-hangzhou:1234567890:key/${keyId}`,
      undefined,
      false,
    ],
    ["a key vs none", keyId, undefined, known, false],
    ["unparseable spellings", "my key", "my  key", undefined, false],
  ])("%s -> %s", (_t, a, b, k, same) => {
    expect(sameKey(a, b, k)).toBe(same);
  });

  it("property: the relation is symmetric", () => {
    const ref = fc.constantFrom(keyId, uuid, arn, aliasArn, "alias/backup-eu", "alias/other", undefined);
    fc.assert(fc.property(ref, ref, (a, b) => sameKey(a, b, known) === sameKey(b, a, known)));
  });
});
