/**
 * The pure layout of a SnapshotCopySet (provider/rules/copySetLayout.ts): each (snapshot, region) gets a child
 * named `<set>-<key>-<region>`, so what a user adds or removes never renames, and so never replaces, another copy.
 */
import fc from "fast-check";
import { CopySetInputError, layoutCopySet, type CopySetShape } from "../../provider/rules/copySetLayout";

const shape = (keys: string[], regions: string[]): CopySetShape => ({
  setName: "nightly",
  keys: keys.map((key) => ({ key, field: `sourceSnapshotIds["${key}"]` })),
  destinationRegionIds: regions,
  encrypted: undefined,
  kmsKeyRegions: undefined,
});
const names = (keys: string[], regions: string[]) =>
  new Map(layoutCopySet(shape(keys, regions)).map((p) => [`${p.key}|${p.regionId}`, p.resourceName]));

// Keys and regions without "-" cannot make two children share a name, so every generated set lays out.
const key = fc.stringMatching(/^[a-z0-9]{1,8}$/);
const region = fc.stringMatching(/^[a-z]{2,6}[0-9]?$/);
const keys = fc.uniqueArray(key, { minLength: 1, maxLength: 6 });
const regions = fc.uniqueArray(region, { minLength: 1, maxLength: 4 });

describe("layoutCopySet", () => {
  it("GIVEN two snapshots and two regions THEN four children, snapshot-major, named <set>-<key>-<region>", () => {
    expect(layoutCopySet(shape(["orders", "users"], ["eu-central-1", "cn-shanghai"]))).toEqual([
      { key: "orders", regionId: "eu-central-1", resourceName: "nightly-orders-eu-central-1" },
      { key: "orders", regionId: "cn-shanghai", resourceName: "nightly-orders-cn-shanghai" },
      { key: "users", regionId: "eu-central-1", resourceName: "nightly-users-eu-central-1" },
      { key: "users", regionId: "cn-shanghai", resourceName: "nightly-users-cn-shanghai" },
    ]);
  });

  it("GIVEN any set WHEN a snapshot or a region is added THEN no existing copy's child is renamed", () => {
    fc.assert(
      fc.property(keys, regions, key, region, (ks, rs, k, r) => {
        const before = names(ks, rs);
        const after = names(ks.includes(k) ? ks : [...ks, k], rs.includes(r) ? rs : [r, ...rs]);
        for (const [place, name] of before) expect(after.get(place)).toBe(name);
      }),
    );
  });

  it("GIVEN any set WHEN a snapshot is removed THEN the others keep their children's names", () => {
    fc.assert(
      fc.property(keys, regions, fc.nat(), (ks, rs, i) => {
        const before = names(ks, rs);
        const after = names(
          ks.filter((_, j) => j !== i % ks.length),
          rs,
        );
        for (const [place, name] of after) expect(before.get(place)).toBe(name);
      }),
    );
  });

  it("GIVEN any set THEN every child name is distinct", () => {
    fc.assert(
      fc.property(keys, regions, (ks, rs) => {
        const all = [...names(ks, rs).values()];
        expect(new Set(all).size).toBe(ks.length * rs.length);
      }),
    );
  });

  test.each<[string, Partial<CopySetShape>, RegExp]>([
    ["encrypted that is not a boolean", { encrypted: "yes" }, /encrypted must be a plain true or false/],
    ["keys for every region, encrypted", { encrypted: true, kmsKeyRegions: ["eu-central-1"] }, /^$/],
    [
      "a key for a region, not encrypted",
      { encrypted: false, kmsKeyRegions: ["eu-central-1"] },
      /kmsKeyIds needs encrypted: true/,
    ],
    ["no key for a region", { encrypted: true, kmsKeyRegions: [] }, /kmsKeyIds has no key for eu-central-1/],
    [
      "a region that is a number",
      { destinationRegionIds: [7] },
      /destinationRegionIds\[0\] must be a plain region ID/,
    ],
    [
      "no list of regions",
      { destinationRegionIds: "eu-central-1" },
      /destinationRegionIds must be a non-empty list/,
    ],
  ])("GIVEN %s THEN layoutCopySet names the field (nothing when valid)", (_what, change, problems) => {
    const s = { ...shape(["db"], ["eu-central-1"]), ...change };
    let said = "";
    try {
      layoutCopySet(s);
    } catch (e) {
      expect(e).toBeInstanceOf(CopySetInputError);
      said = (e as CopySetInputError).problems.join("; ");
    }
    expect(said).toMatch(problems);
  });
});
