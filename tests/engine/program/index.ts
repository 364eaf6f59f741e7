/**
 * The engine tests' Pulumi program: one SnapshotCopy per entry of the stack config `copies` (JSON), e.g.
 *
 *   copies: [{ "resourceName": "eu", "sourceSnapshotId": "s-sim0001", "destinationRegionId": "eu-central-1",
 *              "tags": { "team": "platform" } }]
 *
 * Each entry is `resourceName` plus SnapshotCopyArgs. Polling defaults to 1..2 s so waits are short in real
 * time (the simulator runs its clock fast); an entry may override it. The optional config `copySets` does the
 * same for SnapshotCopySet: a JSON list of `resourceName` plus SnapshotCopySetArgs (plain values).
 *
 * The package is loaded by its own name, as a user's program loads it: inside this repository Node finds it
 * by self-reference (package.json "exports" -> dist/), which is also how the serialized provider finds its
 * implementation. The types come from the source, because the type-check's classic module resolution does not
 * follow "exports".
 */
import * as pulumi from "@pulumi/pulumi";
import type * as lib from "../../../provider";

const { SnapshotCopy, SnapshotCopySet } = require("pulumi-alicloud-snapshot-copy") as typeof lib;

/**
 * One entry of the `copies` config; `parentName` puts the copy under a component of that name, whose type is
 * made from the name too (a URN names its parents' types, not their names, so same-named children need parents
 * of different types).
 */
type CopySpec = lib.SnapshotCopyArgs & { resourceName: string; parentName?: string };

const config = new pulumi.Config();
const specs = config.requireObject<CopySpec[]>("copies");
const setSpecs = config.getObject<(lib.SnapshotCopySetArgs & { resourceName: string })[]>("copySets") ?? [];

/** The components copies name as parents, one per name. */
const parents = new Map<string, pulumi.ComponentResource>();
const parentNamed = (name: string) => {
  if (!parents.has(name)) parents.set(name, new pulumi.ComponentResource(`test:index:Backups${name}`, name));
  return parents.get(name)!;
};

/** What each copy reports, keyed by resource name (tests read these stack outputs). */
export const copies = Object.fromEntries(
  specs.map(({ resourceName, parentName, ...args }) => {
    const parent = parentName === undefined ? undefined : parentNamed(parentName);
    const copy = new SnapshotCopy(
      resourceName,
      { pollMinSeconds: 1, pollMaxSeconds: 2, ...args },
      { parent },
    );
    return [
      parentName === undefined ? resourceName : `${parentName}/${resourceName}`,
      {
        snapshotId: copy.snapshotId,
        status: copy.status,
        progress: copy.progress,
        available: copy.available,
        destinationRegionId: copy.destinationRegionId,
        encrypted: copy.encrypted,
        kmsKeyId: copy.kmsKeyId,
        name: copy.name,
        description: copy.description,
        tags: copy.tags,
      },
    ];
  }),
);

/** What each SnapshotCopySet reports, keyed by resource name: its `copies` map and how many it waited for. */
export const copySets = Object.fromEntries(
  setSpecs.map(({ resourceName, ...args }) => {
    const set = new SnapshotCopySet(resourceName, { pollMinSeconds: 1, pollMaxSeconds: 2, ...args });
    return [resourceName, { copies: set.copies, copyCount: set.copyCount }];
  }),
);
