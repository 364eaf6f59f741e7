/**
 * `SnapshotCopySet`: one declaration for "copy these snapshots to these regions, optionally encrypted". A
 * component whose children are one SnapshotCopy per (snapshot, region), each started without waiting, and one
 * SnapshotCopiesReady that waits for all of them: many copies run side by side instead of in waves of the
 * engine's `--parallel` slots (docs/design.md §10), with one progress summary and the first failed copy
 * ending `up` at once.
 */
import * as pulumi from "@pulumi/pulumi";
import { CopySetInputError, layoutCopySet } from "./rules/copySetLayout";
import { SnapshotCopiesReady } from "./snapshotCopiesReady";
import { SnapshotCopy } from "./snapshotCopy";
import type { SnapshotStatus } from "./rules/types";
import type { WaitSettingsArgs } from "./waitSettings";

/** One copy of a set, as the per-copy functions of {@link SnapshotCopySetArgs} see it. */
export interface SnapshotCopySetPlace {
  /** The snapshot's key: its name in the `sourceSnapshotIds` map, or its ID when a list was given. */
  key: string;
  /** The snapshot's ID (as given: it may be an Output). */
  sourceSnapshotId: pulumi.Input<string>;
  /** The destination region of this copy. */
  regionId: string;
}

/** A value shared by every copy, or a function giving each copy its own. */
export type PerCopy<T> = T | ((copy: SnapshotCopySetPlace) => T);

/** Inputs of {@link SnapshotCopySet}. The wait settings apply to starting each copy and to the wait for all. */
export interface SnapshotCopySetArgs extends WaitSettingsArgs {
  /**
   * The snapshots to copy: a map `{ <key>: <snapshot ID> }` (the IDs may be Outputs, e.g. an
   * `alicloud.ecs.EcsSnapshot`'s `id`), or a list of plain snapshot IDs (each ID is then its own key). The key
   * names each copy's child resource, `<set name>-<key>-<region>`, so adding or removing a snapshot leaves the
   * other copies untouched; changing a key's ID replaces that key's copies. Keys must be plain strings without
   * `::`; a list must not hold Outputs (give a map instead). An empty map or list makes no copy.
   *
   * Order: the copies are declared in the order given (each snapshot to every region, then the next; a list
   * keeps its order, and in a map keys that are whole numbers, e.g. "0" or "42", come first in numeric
   * order). The engine starts them one after another, mostly in that order, 100 copies over ~4 s: list first
   * the snapshots whose copies take longest (usually the largest), and `pulumi up` ends sooner
   * (bench/README.md, "Largest first").
   */
  sourceSnapshotIds: Record<string, pulumi.Input<string>> | string[];
  /**
   * Region of the source snapshots, e.g. `cn-hangzhou` (API: CopySnapshot.RegionId).
   * @default the provider's region, `alicloud:region` in the stack config (then `ALICLOUD_REGION`)
   */
  sourceRegionId?: pulumi.Input<string>;
  /**
   * Regions to copy every snapshot to, e.g. `["eu-central-1", "cn-shanghai"]`: plain region IDs, each once, at
   * least one (API: CopySnapshot.DestinationRegionId). A region may be the source region only when `encrypted`
   * is true (Alibaba copies within a region only to encrypt). Adding a region adds copies; removing one deletes
   * that region's copies.
   */
  destinationRegionIds: string[];
  /**
   * Encrypt every copy (API: CopySnapshot.Encrypted), with the region's key from `kmsKeyIds`, or each region's
   * default service key when `kmsKeyIds` is unset. A plain boolean: it decides which keys each region needs.
   * @default false
   */
  encrypted?: boolean;
  /**
   * The KMS key of each destination region, `{ <region>: <key ID, ARN or alias> }` (API: CopySnapshot.KMSKeyId).
   * A KMS key serves only its own region, so when set it needs `encrypted: true` and must give a key for every
   * region of `destinationRegionIds` and no other (an error at construction names the region otherwise). Each
   * key must be Enabled; its spellings (ID, ARN, alias) are the same key and never replace a copy.
   * @default unset: each region's default service key (when `encrypted`)
   */
  kmsKeyIds?: Record<string, pulumi.Input<string>>;
  /**
   * Name of each copy (the SnapshotCopy `name` rules: 2 to 128 characters, starting with a letter), shared or
   * per copy: `({ key, regionId }) => \`${key}-backup\``. Changed in place.
   * @default each child's auto-name, `<set name>-<key>-<region>-<7 hex characters>`
   */
  name?: PerCopy<pulumi.Input<string>>;
  /**
   * Description of each copy (2 to 256 characters), shared or per copy. Changed in place.
   * @default "Copy of <sourceSnapshotId> from <sourceRegionId>, made by Pulumi"
   */
  description?: PerCopy<pulumi.Input<string>>;
  /**
   * Days Alibaba keeps each copy, 1 to 65536, shared or per copy; can only grow (see SnapshotCopy).
   * @default unset: kept until deleted
   */
  retentionDays?: PerCopy<pulumi.Input<number>>;
  /**
   * Tags of each copy (at most 18, SnapshotCopy's tag rules), shared or per copy. Changed in place.
   * @default {}
   */
  tags?: PerCopy<pulumi.Input<Record<string, pulumi.Input<string>>>>;
  /**
   * Resource group of each copy, `rg-...`, shared or per copy. Changed in place.
   * @default unset: the account's default resource group
   */
  resourceGroupId?: PerCopy<pulumi.Input<string>>;
  /**
   * Delete copies even when disks or images were created from them (API: DeleteSnapshot.Force).
   * @default false
   */
  forceDelete?: pulumi.Input<boolean>;
}

/** What the set reports about one copy. */
export interface SnapshotCopySetCopy {
  /** ID of the copy in its region. */
  snapshotId: string;
  /** ID of the snapshot it copies. */
  sourceSnapshotId: string;
  /** The region the copy is in. */
  regionId: string;
  /** `accomplished` once the set's wait has seen the copy usable (always, when the set's outputs are known). */
  status: SnapshotStatus;
  /** Whether the copy is encrypted. */
  encrypted: boolean;
  /** ID of the KMS key the copy reports; unset when not encrypted. */
  kmsKeyId?: string;
}

/**
 * Copies every snapshot of `sourceSnapshotIds` to every region of `destinationRegionIds`, optionally encrypted
 * with each region's KMS key, and waits until all copies are usable.
 *
 * Each copy is a child SnapshotCopy named `<set name>-<key>-<region>` that only starts its copy
 * (`waitForCompletion: false`), so the copies run side by side however many there are; one child
 * SnapshotCopiesReady, `<set name>-ready`, waits for all of them (one summary line per 10% of the copies) and
 * fails `up` at once when a copy fails, naming it and quoting Alibaba's reason. Destroy deletes each copy
 * (cancelling one still in progress), as SnapshotCopy does.
 *
 * @example
 * ```ts
 * const backups = new SnapshotCopySet("nightly", {
 *     sourceSnapshotIds: { orders: ordersSnap.id, users: usersSnap.id },
 *     sourceRegionId: "cn-hangzhou",
 *     destinationRegionIds: ["eu-central-1", "cn-shanghai"],
 *     encrypted: true,
 *     kmsKeyIds: { "eu-central-1": euKey.id, "cn-shanghai": shKey.id },
 *     retentionDays: 30,
 *     tags: { team: "platform" },
 * });
 * export const euOrders = backups.copies.apply((c) => c.orders["eu-central-1"].snapshotId);
 * ```
 */
export class SnapshotCopySet extends pulumi.ComponentResource {
  /** The component's type token, fixed for good: it is part of every child's URN. */
  public static readonly typeToken = "pulumi-alicloud-snapshot-copy:index:SnapshotCopySet";

  /**
   * Every copy, `copies[<key>][<region>]`; known once every copy is usable (after the set's wait), so a
   * resource that uses it starts only then.
   */
  public readonly copies: pulumi.Output<Record<string, Record<string, SnapshotCopySetCopy>>>;
  /** How many copies the set holds and waited for. */
  public readonly copyCount: pulumi.Output<number>;
  /** The child SnapshotCopy resources, `copyResources[<key>][<region>]` (e.g. for `dependsOn`). */
  public readonly copyResources: Record<string, Record<string, SnapshotCopy>>;
  /** The child that waits for all copies; unset when the set is empty. */
  public readonly ready: SnapshotCopiesReady | undefined;

  constructor(name: string, args: SnapshotCopySetArgs, opts?: pulumi.ComponentResourceOptions) {
    // Every input error before anything registers: the message names the field, and no half-made set exists.
    const sources = sourcesOf(name, args.sourceSnapshotIds);
    const places = layoutCopySet({
      setName: name,
      keys: sources.map(([key, , field]) => ({ key, field })),
      destinationRegionIds: args.destinationRegionIds,
      encrypted: args.encrypted,
      kmsKeyRegions: args.kmsKeyIds === undefined ? undefined : Object.keys(args.kmsKeyIds),
    });
    super(SnapshotCopySet.typeToken, name, {}, opts);
    const idOf = new Map(sources.map(([key, id]) => [key, id]));
    const wait = {
      timeoutMinutes: args.timeoutMinutes,
      stallTimeoutMinutes: args.stallTimeoutMinutes,
      pollMinSeconds: args.pollMinSeconds,
      pollMaxSeconds: args.pollMaxSeconds,
    };

    const children = places.map((p) => {
      const at: SnapshotCopySetPlace = {
        key: p.key,
        regionId: p.regionId,
        sourceSnapshotId: idOf.get(p.key)!,
      };
      const copy = new SnapshotCopy(
        p.resourceName,
        {
          sourceSnapshotId: at.sourceSnapshotId,
          sourceRegionId: args.sourceRegionId,
          destinationRegionId: p.regionId,
          encrypted: args.encrypted,
          kmsKeyId: args.kmsKeyIds?.[p.regionId],
          name: perCopy(args.name, at),
          description: perCopy(args.description, at),
          retentionDays: perCopy(args.retentionDays, at),
          tags: perCopy(args.tags, at),
          resourceGroupId: perCopy(args.resourceGroupId, at),
          forceDelete: args.forceDelete,
          ...wait,
          // The set waits for all copies at once (its `ready` child): a create that waited would hold one of
          // the engine's --parallel slots for the whole copy.
          waitForCompletion: false,
        },
        { parent: this },
      );
      return { place: p, copy };
    });

    this.copyResources = {};
    for (const { place, copy } of children) (this.copyResources[place.key] ??= {})[place.regionId] = copy;
    this.ready =
      children.length === 0
        ? undefined
        : new SnapshotCopiesReady(
            `${name}-ready`,
            {
              copies: children.map(({ place, copy }) => ({
                snapshotId: copy.snapshotId,
                regionId: place.regionId,
                name: place.resourceName,
              })),
              ...wait,
            },
            { parent: this, dependsOn: children.map((c) => c.copy) },
          );

    const readyIds = this.ready?.snapshotIds ?? pulumi.output([] as string[]);
    const rows = children.map(({ place, copy }) =>
      pulumi
        .all([copy.snapshotId, copy.sourceSnapshotId, copy.status, copy.encrypted, copy.kmsKeyId, readyIds])
        .apply(([snapshotId, sourceSnapshotId, status, encrypted, kmsKeyId, ids]) => ({
          key: place.key,
          copy: {
            snapshotId,
            sourceSnapshotId,
            regionId: place.regionId,
            // The ready child's wait ended with this copy usable; the child's own status is from its create.
            status: ids.includes(snapshotId) ? ("accomplished" as const) : status,
            encrypted,
            ...(kmsKeyId ? { kmsKeyId } : {}),
          },
        })),
    );
    this.copies = pulumi.all(rows).apply((all) => {
      const out: Record<string, Record<string, SnapshotCopySetCopy>> = {};
      for (const { key, copy } of all) (out[key] ??= {})[copy.regionId] = copy;
      return out;
    });
    this.copyCount = this.ready?.readyCount ?? pulumi.output(0);
    this.registerOutputs({ copies: this.copies, copyCount: this.copyCount });
  }
}

/** [key, id, field for messages] of each source snapshot. */
function sourcesOf(
  setName: string,
  ids: SnapshotCopySetArgs["sourceSnapshotIds"],
): [unknown, pulumi.Input<string>, string][] {
  if (Array.isArray(ids)) return ids.map((id, i) => [id, id, `sourceSnapshotIds[${i}]`]);
  if (typeof ids !== "object" || ids === null || pulumi.Output.isInstance(ids))
    throw new CopySetInputError(setName, [
      "sourceSnapshotIds must be a plain map { name: snapshot ID } or a list of snapshot IDs, known when the " +
        "program runs (the IDs in a map may be Outputs)",
    ]);
  return Object.entries(ids).map(([key, id]) => [key, id, `sourceSnapshotIds["${key}"]`]);
}

function perCopy<T>(v: PerCopy<T> | undefined, at: SnapshotCopySetPlace): T | undefined {
  return typeof v === "function" ? (v as (c: SnapshotCopySetPlace) => T)(at) : v;
}
