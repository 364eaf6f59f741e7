import fc from "fast-check";
import { checkInputs } from "../../provider/rules/check";
import {
  changedFields,
  diffCopy,
  REPLACE_PROPS,
  SETTING_PROPS,
  UPDATE_PROPS,
} from "../../provider/rules/diff";
import { INPUT_KEYS, UNKNOWN, type CopyInputs } from "../../provider/rules/types";

const keyId = "key-hzz62f1cb66fa42qo1234";

/** Checked inputs, as the host passes them to diff. */
function inputs(over: Record<string, unknown> = {}): CopyInputs {
  const { inputs: checked, failures } = checkInputs(
    {},
    {
      sourceSnapshotId: "s-bp67acfmxazb4p1234",
      sourceRegionId: "cn-hangzhou",
      destinationRegionId: "eu-central-1",
      encrypted: true,
      kmsKeyId: keyId,
      name: "db-backup-eu",
      description: "nightly copy",
      retentionDays: 30,
      tags: { team: "platform", env: "prod" },
      resourceGroupId: "rg-acfmzw2jz2z1234",
      resourceKey: "proj/dev/db-backup-eu",
      ...over,
    },
  );
  expect(failures).toEqual([]);
  return checked;
}

/** State after create: the inputs plus what the copy reports. */
const state = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  ...inputs(),
  snapshotId: "s-gw8copy0001",
  status: "accomplished",
  progress: 100,
  available: true,
  kmsKeyId: keyId,
  kmsKeyAliases: ["alias/backup-eu"],
  sourceDiskId: "d-bp1disk",
  sourceDiskSize: 40,
  creationTime: "2024-05-01T10:00:00Z",
  arn: "acs:ecs:eu-central-1:1234567890:snapshot/s-gw8copy0001",
  ...over,
});

const noChange = { changes: false, replaces: [] };

describe("diff: every input has one kind", () => {
  it("replace, update-in-place and setting inputs together are exactly the inputs (plus the hidden resourceKey and ownerId)", () => {
    const sorted = [...REPLACE_PROPS, ...UPDATE_PROPS, ...SETTING_PROPS, "resourceKey", "ownerId"];
    expect([...sorted].sort()).toEqual([...INPUT_KEYS].sort());
    expect(new Set(sorted).size).toBe(sorted.length);
  });
});

describe("diff: nothing changed", () => {
  it("GIVEN the inputs the state was made from THEN no change, and nothing is replaced", () => {
    const d = diffCopy(state(), inputs());
    expect(d).toMatchObject(noChange);
    expect(d.deleteBeforeReplace).toBe(false);
    expect(d.stables).toEqual(expect.arrayContaining(["sourceSnapshotId", "snapshotId", "arn"]));
  });

  it("GIVEN a state from before the settings existed THEN defaults compare equal to missing settings", () => {
    const old = state();
    for (const k of [
      "stallTimeoutMinutes",
      "onTimeout",
      "waitForCompletion",
      "pollMinSeconds",
      "pollMaxSeconds",
    ]) {
      delete old[k];
    }
    expect(diffCopy(old, inputs())).toMatchObject(noChange);
  });

  it("ignores the hidden resourceKey (it only seeds the ClientToken at create)", () => {
    expect(diffCopy(state({ resourceKey: "old/stack/name" }), inputs())).toMatchObject(noChange);
  });
});

describe("diff: replace-on-change inputs", () => {
  it.each<[string, Record<string, unknown>]>([
    ["sourceSnapshotId", { sourceSnapshotId: "s-bp67other0001" }],
    ["sourceRegionId", { sourceRegionId: "cn-shanghai" }],
    ["destinationRegionId", { destinationRegionId: "eu-west-1" }],
    ["kmsKeyId", { kmsKeyId: "key-another0001" }],
  ])("GIVEN a new %s THEN the copy is replaced, new before old", (prop, over) => {
    const d = diffCopy(state(), inputs(over));
    expect(d).toEqual({
      changes: true,
      replaces: [prop],
      stables: REPLACE_PROPS.filter((p) => p !== prop),
      deleteBeforeReplace: false,
    });
  });

  it("GIVEN encryption turned on THEN the copy is replaced", () => {
    const old = state({ encrypted: false, kmsKeyId: undefined, kmsKeyAliases: undefined });
    expect(diffCopy(old, inputs({ kmsKeyId: undefined }))).toMatchObject({
      changes: true,
      replaces: ["encrypted"],
    });
    expect(diffCopy(old, inputs()).replaces).toEqual(["encrypted", "kmsKeyId"]);
  });

  it("GIVEN encryption turned off THEN nothing is replaced (false means 'do not add encryption')", () => {
    // A copy of an encrypted source is encrypted whatever the input says; replacing would repeat on every run.
    expect(diffCopy(state(), inputs({ encrypted: false, kmsKeyId: undefined }))).toMatchObject(noChange);
  });

  it("GIVEN several replace inputs changed THEN each is listed", () => {
    const d = diffCopy(state(), inputs({ sourceSnapshotId: "s-other1", destinationRegionId: "eu-west-1" }));
    expect(d.replaces).toEqual(["sourceSnapshotId", "destinationRegionId"]);
  });
});

describe("diff: KMS key identity (state recorded key ID and alias)", () => {
  it.each<[string, string | undefined, boolean]>([
    ["the key ID", keyId, false],
    ["the key ARN", `acs:kms:eu-central-1:1234567890:key/${keyId}`, false],
    ["the recorded alias", "alias/backup-eu", false],
    ["the recorded alias as an ARN", "acs:kms:eu-central-1:1234567890:alias/backup-eu", false],
    ["no key (keep the copy's key)", undefined, false],
    ["another key ID", "key-another0001", true],
    ["another alias", "alias/other", true],
    ["another key's ARN", "acs:kms:eu-central-1:1234567890:key/key-another0001", true],
  ])("GIVEN kmsKeyId as %s THEN replaced: %s", (_t, ref, replaced) => {
    const d = diffCopy(state(), inputs({ kmsKeyId: ref }));
    expect(d.replaces).toEqual(replaced ? ["kmsKeyId"] : []);
    expect(d.changes).toBe(replaced);
  });

  it("GIVEN the state recorded the alias the user gave THEN the same alias is no change", () => {
    const old = state({ kmsKeyId: "alias/backup-eu", kmsKeyAliases: undefined });
    expect(diffCopy(old, inputs({ kmsKeyId: "alias/backup-eu" }))).toMatchObject(noChange);
  });

  it("GIVEN an alias the state does not know THEN it is a replace (it cannot be proven to name the same key)", () => {
    const old = state({ kmsKeyAliases: undefined });
    expect(diffCopy(old, inputs({ kmsKeyId: "alias/backup-eu" })).replaces).toEqual(["kmsKeyId"]);
  });

  it("GIVEN the default service key recorded AND no kmsKeyId THEN no change (never a perpetual diff)", () => {
    const old = state({ kmsKeyId: "key-servicedefault01", kmsKeyAliases: undefined });
    expect(diffCopy(old, inputs({ kmsKeyId: undefined }))).toMatchObject(noChange);
  });
});

describe("diff: update-in-place inputs", () => {
  it.each<[string, Record<string, unknown>]>([
    ["name", { name: "db-backup-eu-2" }],
    ["description", { description: "weekly copy" }],
    ["retentionDays", { retentionDays: 60 }],
    ["tags (a value)", { tags: { team: "platform", env: "dev" } }],
    ["tags (one added)", { tags: { team: "platform", env: "prod", owner: "ops" } }],
    ["tags (one removed)", { tags: { team: "platform" } }],
    ["tags (all removed)", { tags: undefined }],
    ["resourceGroupId", { resourceGroupId: "rg-acfmother1234" }],
  ])("GIVEN a new %s THEN a change, updated in place", (_t, over) => {
    expect(diffCopy(state(), inputs(over))).toMatchObject({ changes: true, replaces: [] });
  });

  it.each(["name", "description", "resourceGroupId"])(
    "GIVEN %s unset THEN no change: the copy keeps what it has",
    (prop) => {
      expect(diffCopy(state(), inputs({ [prop]: undefined }))).toMatchObject(noChange);
    },
  );

  it("GIVEN the same tags in another order THEN no change", () => {
    expect(diffCopy(state(), inputs({ tags: { env: "prod", team: "platform" } }))).toMatchObject(noChange);
  });

  it("GIVEN no tags before or now THEN no change", () => {
    expect(diffCopy(state({ tags: undefined }), inputs({ tags: undefined }))).toMatchObject(noChange);
  });

  it("changedFields lists only what changed, so update makes only its own calls", () => {
    expect(
      changedFields(state(), inputs({ name: "renamed", tags: { team: "x" }, pollMaxSeconds: 300 })),
    ).toEqual({
      replaces: [],
      updates: ["name", "tags"],
      settings: ["pollMaxSeconds"],
    });
  });
});

describe("diff: wait and delete settings", () => {
  it.each<[string, unknown]>([
    ["timeoutMinutes", 600],
    ["stallTimeoutMinutes", 720],
    ["onTimeout", "keep"],
    ["waitForCompletion", false],
    ["pollMinSeconds", 10],
    ["pollMaxSeconds", 300],
    ["forceDelete", true],
  ])("GIVEN a new %s THEN a change (recorded in state) but no replace", (prop, v) => {
    expect(diffCopy(state(), inputs({ [prop]: v }))).toMatchObject({ changes: true, replaces: [] });
  });
});

describe("diff: adopting an existing copy", () => {
  it("GIVEN adoptSnapshotId naming the managed copy THEN only the setting is recorded", () => {
    const d = diffCopy(state(), inputs({ adoptSnapshotId: "s-gw8copy0001" }));
    expect(d).toMatchObject({ changes: true, replaces: [] });
  });

  it("GIVEN the adopted ID unchanged THEN no change", () => {
    const adopted = { adoptSnapshotId: "s-gw8copy0001" };
    expect(diffCopy(state(adopted), inputs(adopted))).toMatchObject(noChange);
  });

  it("GIVEN adoptSnapshotId naming another copy THEN the resource is replaced", () => {
    expect(diffCopy(state(), inputs({ adoptSnapshotId: "s-gw8copy0002" })).replaces).toEqual([
      "adoptSnapshotId",
    ]);
  });
});

describe("diff: a copy that failed", () => {
  it("GIVEN the state recorded a failed copy AND unchanged inputs THEN the copy is replaced (it can never be used)", () => {
    expect(diffCopy(state({ status: "failed", available: false }), inputs())).toMatchObject({
      changes: true,
      replaces: ["status"],
    });
  });

  it("GIVEN a copy still progressing AND unchanged inputs THEN no change (the wait resumes, nothing is replaced)", () => {
    expect(diffCopy(state({ status: "progressing", available: false }), inputs())).toMatchObject(noChange);
  });
});

describe("diff: values not known yet at preview", () => {
  it.each(["sourceSnapshotId", "sourceRegionId", "destinationRegionId", "kmsKeyId", "adoptSnapshotId"])(
    "GIVEN %s unknown THEN it is shown as a possible replace",
    (prop) => {
      const d = diffCopy(state(), { ...inputs(), [prop]: UNKNOWN });
      expect(d).toMatchObject({ changes: true, replaces: [prop] });
    },
  );

  it("GIVEN encrypted unknown on a copy that is not encrypted THEN it is shown as a possible replace", () => {
    const plain = state({ encrypted: false, kmsKeyId: null, kmsKeyAliases: undefined });
    const d = diffCopy(plain, {
      ...inputs(),
      encrypted: UNKNOWN,
      kmsKeyId: undefined,
    } as unknown as CopyInputs);
    expect(d).toMatchObject({ changes: true, replaces: ["encrypted"] });
  });

  it("GIVEN encrypted unknown on a copy that is already encrypted THEN no replace: no value could need one", () => {
    const d = diffCopy(state(), { ...inputs(), encrypted: UNKNOWN } as unknown as CopyInputs);
    expect(d.replaces).toEqual([]);
  });

  it.each<[string, unknown]>([
    ["name", UNKNOWN],
    ["retentionDays", UNKNOWN],
    ["tags", UNKNOWN],
    ["tags", { team: UNKNOWN, env: "prod" }],
    ["timeoutMinutes", UNKNOWN],
  ])("GIVEN %s unknown (%j) THEN a possible change, no replace", (prop, v) => {
    expect(diffCopy(state(), { ...inputs(), [prop]: v })).toMatchObject({ changes: true, replaces: [] });
  });
});

describe("diff: properties", () => {
  const arbitraryInputs = fc.record(
    {
      name: fc.stringMatching(/^[a-z][a-z0-9-]{1,20}$/),
      retentionDays: fc.integer({ min: 1, max: 65536 }),
      tags: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.string({ maxLength: 10 }), { maxKeys: 20 }),
      encrypted: fc.boolean(),
      timeoutMinutes: fc.integer({ min: 1, max: 10_000 }),
      onTimeout: fc.constantFrom("cancel", "keep"),
    },
    { requiredKeys: [] },
  );

  it("never a perpetual diff: state made from inputs diffs as no change against them", () => {
    fc.assert(
      fc.property(arbitraryInputs, (over) => {
        const i = inputs({ kmsKeyId: undefined, ...over });
        expect(diffCopy(state({ ...i, kmsKeyId: undefined }), i)).toMatchObject(noChange);
      }),
    );
  });

  it("changes is always a boolean and replaces only replace-on-change inputs", () => {
    fc.assert(
      fc.property(arbitraryInputs, arbitraryInputs, (a, b) => {
        const d = diffCopy(
          state({ ...inputs({ kmsKeyId: undefined, ...a }) }),
          inputs({ kmsKeyId: undefined, ...b }),
        );
        expect(typeof d.changes).toBe("boolean");
        expect(d.replaces.every((p) => (REPLACE_PROPS as readonly string[]).includes(p))).toBe(true);
        expect(d.changes || d.replaces.length === 0).toBe(true);
      }),
    );
  });
});
