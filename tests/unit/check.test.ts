import { checkInputs } from "../../provider/rules/check";
import { INPUT_KEYS, UNKNOWN } from "../../provider/rules/types";

const base = {
  sourceSnapshotId: "s-bp67acfmxazb4p1234",
  sourceRegionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
};
const enc = { ...base, encrypted: true };
const tagsOf = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `v${i}`]));

function check(news: Record<string, unknown>, olds: Record<string, unknown> = {}, defaultRegion?: string) {
  return checkInputs(olds, news, { defaultRegion });
}

describe("check: valid inputs", () => {
  it("GIVEN the minimal inputs THEN there are no failures AND the defaults are applied", () => {
    const { inputs, failures } = check(base);
    expect(failures).toEqual([]);
    expect(inputs).toEqual({
      ...base,
      encrypted: false,
      tags: {},
      stallTimeoutMinutes: 360,
      onTimeout: "cancel",
      waitForCompletion: true,
      pollMinSeconds: 5,
      pollMaxSeconds: 120,
      forceDelete: false,
    });
    expect(inputs.timeoutMinutes).toBeUndefined();
  });

  it("GIVEN no sourceRegionId THEN it defaults to the provider's region", () => {
    const { inputs, failures } = check({ ...base, sourceRegionId: undefined }, {}, "cn-shanghai");
    expect(failures).toEqual([]);
    expect(inputs.sourceRegionId).toBe("cn-shanghai");
  });

  it("passes the hidden resourceKey through", () => {
    expect(check({ ...base, resourceKey: "proj/dev/copy" }).inputs.resourceKey).toBe("proj/dev/copy");
  });

  it.each<[string, Record<string, unknown>]>([
    ["a same-region copy that encrypts", { ...enc, destinationRegionId: "cn-hangzhou" }],
    ["a key ID", { ...enc, kmsKeyId: "0e478b7a-4262-4802-b8cb-00d3fb408888" }],
    [
      "a key ARN in the destination region",
      { ...enc, kmsKeyId: "acs:kms:eu-central-1:1234567890:key/key-abc123" },
    ],
    ["a key alias", { ...enc, kmsKeyId: "alias/backup-eu" }],
    ["a two-letter name", { ...base, name: "db" }],
    ["a 128-character name", { ...base, name: "a".repeat(128) }],
    ["a Chinese name", { ...base, name: "备份-eu:1_x.y" }],
    ["a 256-character description", { ...base, description: "d".repeat(256) }],
    ["retention 1", { ...base, retentionDays: 1 }],
    ["retention 65536", { ...base, retentionDays: 65536 }],
    ["18 tags (20 less the two that mark the copy's owner)", { ...base, tags: tagsOf(18) }],
    ["an empty tag value", { ...base, tags: { team: "" } }],
    ["a region with a number and three parts", { ...base, destinationRegionId: "cn-shanghai-finance-1" }],
    ["a resource group", { ...base, resourceGroupId: "rg-acfmzw2jz2z1234" }],
    ["a fractional timeout longer than the first poll", { ...base, timeoutMinutes: 0.5 }],
    ["equal poll bounds", { ...base, pollMinSeconds: 10, pollMaxSeconds: 10 }],
    ["keep on timeout", { ...base, onTimeout: "keep", waitForCompletion: false, forceDelete: true }],
    ["an adopted copy", { ...base, adoptSnapshotId: "s-gw8abcdef123" }],
  ])("accepts %s", (_title, news) => {
    expect(check(news).failures).toEqual([]);
  });
});

/** [what is wrong, inputs, the property the failure names, what the reason says] */
const invalid: [string, Record<string, unknown>, string, RegExp][] = [
  // Which snapshot, from where to where
  ["no source snapshot", { ...base, sourceSnapshotId: undefined }, "sourceSnapshotId", /is required/],
  [
    "a snapshot ID without s-",
    { ...base, sourceSnapshotId: "snap-1234" },
    "sourceSnapshotId",
    /"s-" followed/,
  ],
  ["a snapshot ID with _", { ...base, sourceSnapshotId: "s-abc_def" }, "sourceSnapshotId", /got "s-abc_def"/],
  ["a snapshot ID that is a number", { ...base, sourceSnapshotId: 42 }, "sourceSnapshotId", /got 42/],
  ["a capitalised region", { ...base, sourceRegionId: "Hangzhou" }, "sourceRegionId", /region ID such as/],
  [
    "a region with _",
    { ...base, sourceRegionId: "cn_hangzhou" },
    "sourceRegionId",
    /cn-hangzhou or eu-central-1/,
  ],
  ["no destination", { ...base, destinationRegionId: undefined }, "destinationRegionId", /is required/],
  [
    "a destination with a space",
    { ...base, destinationRegionId: "eu-central-1 " },
    "destinationRegionId",
    /region ID/,
  ],
  [
    "same region without encryption",
    { ...base, destinationRegionId: "cn-hangzhou" },
    "destinationRegionId",
    /NotSupportCopyInSameRegion.*set encrypted: true/,
  ],
  [
    "same region with encrypted false",
    { ...base, destinationRegionId: "cn-hangzhou", encrypted: false },
    "destinationRegionId",
    /only to encrypt it/,
  ],
  // Encryption
  [
    "a key without encrypted",
    { ...base, kmsKeyId: "key-abc123" },
    "kmsKeyId",
    /set encrypted: true, or remove/,
  ],
  ["a key with spaces", { ...enc, kmsKeyId: "my key" }, "kmsKeyId", /key ID .* ARN .* alias/],
  [
    "a key ARN in another region",
    { ...enc, kmsKeyId: "acs:kms:cn-hangzhou:1234567890:key/key-abc123" },
    "kmsKeyId",
    /key in cn-hangzhou, but the copy is made in eu-central-1/,
  ],
  ["a key that is a number", { ...enc, kmsKeyId: 123 }, "kmsKeyId", /must be a string/],
  ["encrypted given as a word", { ...base, encrypted: "yes" }, "encrypted", /true or false \(got "yes"\)/],
  // Attributes
  ["a one-letter name", { ...base, name: "a" }, "name", /2 to 128 characters long/],
  ["a 129-character name", { ...base, name: "a".repeat(129) }, "name", /2 to 128 characters long/],
  ["a name starting with a digit", { ...base, name: "1backup" }, "name", /start with a letter/],
  ["an http:// name", { ...base, name: "http://backup" }, "name", /must not start with http/],
  ["a name with a space", { ...base, name: "db backup" }, "name", /may only contain/],
  ["a name starting with auto", { ...base, name: "auto-copy" }, "name", /reserved for automatic snapshots/],
  ["a name that is a number", { ...base, name: 7 }, "name", /must be a string/],
  ["a one-character description", { ...base, description: "x" }, "description", /2 to 256 characters long/],
  ["a 257-character description", { ...base, description: "d".repeat(257) }, "description", /2 to 256/],
  ["an https:// description", { ...base, description: "https://x.example" }, "description", /must not start/],
  ["retention 0", { ...base, retentionDays: 0 }, "retentionDays", /whole number from 1 to 65536 \(got 0\)/],
  ["retention 65537", { ...base, retentionDays: 65537 }, "retentionDays", /got 65537/],
  ["fractional retention", { ...base, retentionDays: 1.5 }, "retentionDays", /whole number/],
  ["retention as a string", { ...base, retentionDays: "30" }, "retentionDays", /got "30"/],
  [
    "21 tags",
    { ...base, tags: tagsOf(21) },
    "tags",
    /has 21 entries.*at most 20 per snapshot.*owns the copy.*remove 3/,
  ],
  [
    "19 tags",
    { ...base, tags: tagsOf(19) },
    "tags",
    /has 19 entries.*at most 20 per snapshot.*owns the copy.*remove 1/,
  ],
  [
    "a tag key of our own ownership tags",
    { ...base, tags: { "pulumi-snapshot-copy:owner": "x" } },
    "tags",
    /mark which resource owns a copy/,
  ],
  [
    "an acs: tag key",
    { ...base, tags: { "acs:owner": "me" } },
    "tags",
    /tags\["acs:owner"\]: the key .*acs:/,
  ],
  ["an aliyun tag key", { ...base, tags: { aliyunTeam: "x" } }, "tags", /reserved by Alibaba Cloud/],
  ["a tag key with a link", { ...base, tags: { "see-http://x": "v" } }, "tags", /key must not contain http/],
  ["a 129-character tag key", { ...base, tags: { ["k".repeat(129)]: "v" } }, "tags", /1 to 128 characters/],
  ["an empty tag key", { ...base, tags: { "": "v" } }, "tags", /1 to 128 characters/],
  ["a 129-character tag value", { ...base, tags: { team: "v".repeat(129) } }, "tags", /at most 128/],
  ["an acs: tag value", { ...base, tags: { team: "acs:x" } }, "tags", /value must not start/],
  ["a tag value with a link", { ...base, tags: { site: "https://x" } }, "tags", /value must not contain/],
  ["a numeric tag value", { ...base, tags: { cost: 5 } }, "tags", /value must be a string \(got 5\)/],
  ["tags as a string", { ...base, tags: "team=platform" }, "tags", /must be an object/],
  ["tags as a list", { ...base, tags: ["team"] }, "tags", /got a list/],
  [
    "a resource group without rg-",
    { ...base, resourceGroupId: "group1" },
    "resourceGroupId",
    /"rg-" followed/,
  ],
  // Waiting and deleting
  ["a negative timeout", { ...base, timeoutMinutes: -5 }, "timeoutMinutes", /greater than 0 \(got -5\)/],
  ["a zero timeout", { ...base, timeoutMinutes: 0 }, "timeoutMinutes", /greater than 0/],
  ["a timeout as a string", { ...base, timeoutMinutes: "60" }, "timeoutMinutes", /got "60"/],
  [
    "a timeout shorter than one poll",
    { ...base, timeoutMinutes: 0.05 },
    "timeoutMinutes",
    /longer than pollMin/,
  ],
  ["a zero stall timeout", { ...base, stallTimeoutMinutes: 0 }, "stallTimeoutMinutes", /greater than 0/],
  ["an unknown onTimeout", { ...base, onTimeout: "abort" }, "onTimeout", /"cancel" .* or "keep"/],
  ["waitForCompletion as a word", { ...base, waitForCompletion: "no" }, "waitForCompletion", /true or false/],
  ["forceDelete as a number", { ...base, forceDelete: 1 }, "forceDelete", /true or false \(got 1\)/],
  ["polling faster than a second", { ...base, pollMinSeconds: 0.5 }, "pollMinSeconds", /from 1 to 3600/],
  [
    "a max poll below the min",
    { ...base, pollMinSeconds: 30, pollMaxSeconds: 10 },
    "pollMaxSeconds",
    /at least pollMinSeconds \(30\)/,
  ],
  ["polling slower than an hour", { ...base, pollMaxSeconds: 7200 }, "pollMaxSeconds", /from 1 to 3600/],
  ["an adopted ID without s-", { ...base, adoptSnapshotId: "snap" }, "adoptSnapshotId", /"s-" followed/],
  [
    "adopting the source itself",
    { ...base, adoptSnapshotId: base.sourceSnapshotId },
    "adoptSnapshotId",
    /not the source/,
  ],
  ["a misspelt input", { ...base, retentionDay: 30 }, "retentionDay", /not a SnapshotCopy input/],
  ["the hidden key set by hand", { ...base, resourceKey: 5 }, "resourceKey", /set by SnapshotCopy itself/],
];

describe("check: invalid inputs", () => {
  it("covers at least 25 invalid inputs", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(25);
  });

  it.each(invalid.map(([what, news, property, says]) => [what, property, news, says] as const))(
    "GIVEN %s THEN exactly one failure names %s and says what to do",
    (_what, property, news, says) => {
      const { failures } = check(news);
      expect(failures).toEqual([{ property, reason: expect.stringMatching(says) }]);
      // The reason names the property, so it reads on its own in the CLI output.
      expect(failures[0].reason).toContain(property);
    },
  );

  it("GIVEN no sourceRegionId AND no provider region THEN it says how to set either", () => {
    const { failures } = check({ ...base, sourceRegionId: undefined });
    expect(failures).toEqual([
      { property: "sourceRegionId", reason: expect.stringMatching(/pulumi config set alicloud:region/) },
    ]);
  });

  it("GIVEN an invalid provider region as the default THEN the failure says where the value came from", () => {
    const { failures } = check({ ...base, sourceRegionId: undefined }, {}, "Hangzhou");
    expect(failures).toEqual([
      { property: "sourceRegionId", reason: expect.stringMatching(/from the provider's alicloud:region/) },
    ]);
  });

  it("GIVEN many broken rules THEN every failure is reported, not just the first", () => {
    const { failures } = check({
      sourceSnapshotId: "bad",
      sourceRegionId: "cn-hangzhou",
      destinationRegionId: "cn-hangzhou",
      kmsKeyId: "alias/x",
      name: "1",
      retentionDays: 0,
      tags: { "acs:a": "x", b: "https://y" },
      timeoutMinutes: -1,
    });
    expect(failures.map((f) => f.property)).toEqual([
      "sourceSnapshotId",
      "destinationRegionId",
      "kmsKeyId",
      "name",
      "retentionDays",
      "tags",
      "tags",
      "timeoutMinutes",
    ]);
  });
});

describe("check: retention can only grow (ModifySnapshotAttribute)", () => {
  it.each<[string, unknown, unknown, RegExp | undefined]>([
    ["shrinking 30 -> 10", 30, 10, /cannot shrink from 30 to 10/],
    ["removing it", 30, undefined, /was 30 and cannot be removed/],
    ["keeping it", 30, 30, undefined],
    ["growing it", 30, 31, undefined],
    ["setting it for the first time", undefined, 5, undefined],
    ["an unknown new value at preview", 30, UNKNOWN, undefined],
  ])("%s", (_t, old, now, says) => {
    const { failures } = check({ ...base, retentionDays: now }, { ...base, retentionDays: old });
    expect(failures).toEqual(
      says ? [{ property: "retentionDays", reason: expect.stringMatching(says) }] : [],
    );
  });
});

describe("check: values not known yet at preview pass", () => {
  it("GIVEN every input unknown THEN there are no failures AND the placeholders pass through", () => {
    const news = Object.fromEntries(INPUT_KEYS.filter((k) => k !== "resourceKey").map((k) => [k, UNKNOWN]));
    const { inputs, failures } = check(news);
    expect(failures).toEqual([]);
    expect(inputs.sourceSnapshotId).toBe(UNKNOWN);
    expect(inputs.tags).toBe(UNKNOWN);
  });

  it.each<[string, Record<string, unknown>]>([
    ["an unknown source region", { ...base, sourceRegionId: UNKNOWN, destinationRegionId: UNKNOWN }],
    ["unknown encryption with a key", { ...base, encrypted: UNKNOWN, kmsKeyId: "key-abc" }],
    ["unknown encryption in one region", { ...base, destinationRegionId: "cn-hangzhou", encrypted: UNKNOWN }],
    ["an unknown tag value", { ...base, tags: { team: UNKNOWN } }],
    [
      "an unknown destination with a key ARN",
      { ...enc, destinationRegionId: UNKNOWN, kmsKeyId: "acs:kms:x-y:1:key/k" },
    ],
  ])("GIVEN %s THEN it passes", (_t, news) => {
    expect(check(news).failures).toEqual([]);
  });
});

describe("check makes no API call", () => {
  it("loads no Alibaba SDK or network module", () => {
    jest.isolateModules(() => {
      const before = new Set(Object.keys(require.cache));
      require("../../provider/rules/check");
      const loaded = Object.keys(require.cache).filter((k) => !before.has(k));
      expect(loaded.some((k) => k.includes("provider/rules/check"))).toBe(true);
      expect(loaded.filter((k) => /@alicloud|node_modules|outbound/.test(k))).toEqual([]);
    });
  });
});
