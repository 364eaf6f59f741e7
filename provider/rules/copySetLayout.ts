/**
 * Where each copy of a SnapshotCopySet goes and what its child resource is called, and the set's input rules
 * that need no cloud: each a sentence naming the field. Pure. The per-copy rules (ID shapes, names, tags, same-
 * region copies) are SnapshotCopy's own check, which runs on each child at preview.
 */

/** One copy of the set: a snapshot (by its key) to one region, and the child resource that makes it. */
export interface CopySetPlace {
  /** The snapshot's key: its name in a `sourceSnapshotIds` map, or its ID in a list. */
  key: string;
  regionId: string;
  /** `<set name>-<key>-<region>`: stable while the key and region stay, whatever else is added or removed. */
  resourceName: string;
}

/** What the layout needs: plain values only (they name resources, so they must be known when the program runs). */
export interface CopySetShape {
  setName: string;
  /** The snapshot keys, with how they were given (for messages). */
  keys: { key: unknown; field: string }[];
  destinationRegionIds: unknown;
  encrypted: unknown;
  /** The regions `kmsKeyIds` names; undefined when it is unset. */
  kmsKeyRegions: string[] | undefined;
}

/** Every problem of a SnapshotCopySet's inputs, one sentence each, naming the field. */
export class CopySetInputError extends Error {
  constructor(
    setName: string,
    readonly problems: string[],
  ) {
    super(`SnapshotCopySet ${setName}: ${problems.join("; ")}`);
    this.name = "CopySetInputError";
  }
}

/** The copies, snapshot-major in the order given; throws {@link CopySetInputError} listing every problem. */
export function layoutCopySet(shape: CopySetShape): CopySetPlace[] {
  const problems: string[] = [];
  const keys = checkKeys(shape.keys, problems);
  const regions = checkRegions(shape.destinationRegionIds, problems);
  checkKmsKeys(shape, regions, problems);
  const places = keys.flatMap((key) =>
    regions.map((regionId) => ({ key, regionId, resourceName: `${shape.setName}-${key}-${regionId}` })),
  );
  const byName = new Map<string, CopySetPlace>();
  for (const p of places) {
    const other = byName.get(p.resourceName);
    if (other)
      problems.push(
        `snapshot "${p.key}" to ${p.regionId} and snapshot "${other.key}" to ${other.regionId} would both be ` +
          `the child resource "${p.resourceName}"; rename one of the keys of sourceSnapshotIds`,
      );
    byName.set(p.resourceName, p);
  }
  if (problems.length > 0) throw new CopySetInputError(shape.setName, problems);
  return places;
}

function checkKeys(keys: CopySetShape["keys"], problems: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { key, field } of keys) {
    if (typeof key !== "string" || key === "") {
      problems.push(
        `${field} must be a plain, non-empty string: it names the copy's resource, so it must be known when ` +
          "the program runs (for snapshot IDs that are Outputs, give a map { name: id } instead of a list)",
      );
    } else if (key.includes("::")) {
      problems.push(`${field} ("${key}") must not contain "::" (it is part of the copy's resource URN)`);
    } else if (seen.has(key)) {
      problems.push(`${field}: "${key}" is listed twice; give each snapshot once`);
    } else {
      seen.add(key);
      out.push(key);
    }
  }
  return out;
}

function checkRegions(regions: unknown, problems: string[]): string[] {
  if (!Array.isArray(regions) || regions.length === 0) {
    problems.push('destinationRegionIds must be a non-empty list of region IDs, e.g. ["eu-central-1"]');
    return [];
  }
  const out: string[] = [];
  regions.forEach((r, i) => {
    if (typeof r !== "string" || !/^[a-z0-9-]+$/.test(r))
      problems.push(
        `destinationRegionIds[${i}] must be a plain region ID such as "eu-central-1" (it names the copy's ` +
          "resource, so it must be known when the program runs)",
      );
    else if (out.includes(r)) problems.push(`destinationRegionIds lists ${r} twice; give each region once`);
    else out.push(r);
  });
  return out;
}

/** A KMS key serves only its own region (CopySnapshot.KMSKeyId: a key of DestinationRegionId). */
function checkKmsKeys(shape: CopySetShape, regions: string[], problems: string[]): void {
  const { encrypted, kmsKeyRegions } = shape;
  if (encrypted !== undefined && typeof encrypted !== "boolean")
    problems.push("encrypted must be a plain true or false (it decides which keys each region needs)");
  if (kmsKeyRegions === undefined) return;
  if (encrypted !== true) {
    problems.push(
      "kmsKeyIds needs encrypted: true (a key only encrypts; without encrypted the copies would not use it)",
    );
    return;
  }
  for (const r of kmsKeyRegions)
    if (!regions.includes(r))
      problems.push(
        `kmsKeyIds["${r}"] names a region that is not in destinationRegionIds; a KMS key serves only its own ` +
          "region: add the region, or remove the key",
      );
  for (const r of regions)
    if (!kmsKeyRegions.includes(r))
      problems.push(
        `kmsKeyIds has no key for ${r}; a KMS key serves only its own region, so give each destination region ` +
          "its key, or leave kmsKeyIds unset to use each region's default service key",
      );
}
