/**
 * `SnapshotCopiesReady`: waits until many snapshot copies are usable, in one resource operation.
 *
 * Why: `pulumi up` runs at most `--parallel` resource operations at once (default 4 × the CPU count: 8 on a
 * 2-core machine), and a SnapshotCopy's create holds one of those slots until its copy is usable — hours for a
 * big disk. 100 copies then finish in waves of 8. Give each SnapshotCopy `waitForCompletion: false` (its create
 * returns once the copy has started) and wait for all of them here: they copy side by side and `up` ends about
 * when the longest copy does. Status checks stay coalesced: one DescribeSnapshots call per region covers up to
 * 100 copies.
 */
import * as pulumi from "@pulumi/pulumi";
import { COPIES_READY_PROVIDER_TEXT } from "./providerText";
import type { SnapshotCopy } from "./snapshotCopy";
import type { WaitSettingsArgs } from "./waitSettings";

/**
 * A copy to wait for: a SnapshotCopy, or its snapshot ID and region, with an optional `name` (e.g. the
 * SnapshotCopy's resource name) that progress lines and errors give beside the ID.
 */
export type CopyToWaitFor =
  SnapshotCopy | { snapshotId: pulumi.Input<string>; regionId: pulumi.Input<string>; name?: string };

/** Inputs of {@link SnapshotCopiesReady}; the wait settings apply to each copy (their SnapshotCopy resources own the copies). */
export interface SnapshotCopiesReadyArgs extends WaitSettingsArgs {
  /**
   * The copies to wait for: SnapshotCopy resources (usually created with `waitForCompletion: false`), or
   * `{ snapshotId, regionId }` pairs naming copies in their destination regions. Changing the list waits for
   * the new list in place.
   */
  copies: CopyToWaitFor[];
}

/**
 * Waits, in a single resource operation, until every listed copy is usable; the first copy that fails ends the
 * wait at once with that copy's ID and the API's reason.
 *
 * ```ts
 * const copies = snapshots.map((s, i) => new SnapshotCopy(`backup-${i}`, {
 *     sourceSnapshotId: s.id,
 *     sourceRegionId: "cn-hangzhou",
 *     destinationRegionId: "eu-central-1",
 *     waitForCompletion: false,   // start the copy; SnapshotCopiesReady waits
 * }));
 * const ready = new SnapshotCopiesReady("backups-ready", { copies });
 * export const usableCopies = ready.snapshotIds;  // known once every copy is usable
 * ```
 */
export class SnapshotCopiesReady extends pulumi.CustomResource {
  /**
   * The type token: a dynamic resource's (`pulumi-nodejs:dynamic/<module>:<type>`, served with the `__provider`
   * text of ./providerText.ts), fixed for good: it is part of every URN.
   */
  public static readonly typeToken = "pulumi-nodejs:dynamic/alicloud:SnapshotCopiesReady";

  /** IDs of the copies, in the order given; known when all of them are usable. */
  declare public readonly snapshotIds: pulumi.Output<string[]>;
  /** How many copies were waited for. */
  declare public readonly readyCount: pulumi.Output<number>;

  constructor(name: string, args: SnapshotCopiesReadyArgs, opts?: pulumi.CustomResourceOptions) {
    const copies = args.copies.map((c) =>
      pulumi.Resource.isInstance(c)
        ? { snapshotId: (c as SnapshotCopy).snapshotId, regionId: (c as SnapshotCopy).destinationRegionId }
        : {
            snapshotId: c.snapshotId,
            regionId: c.regionId,
            ...(c.name === undefined ? {} : { name: c.name }),
          },
    );
    const resourceKey = `${pulumi.getProject()}/${pulumi.getStack()}/${name}`;
    const props = {
      ...args,
      copies,
      resourceKey,
      snapshotIds: undefined,
      readyCount: undefined,
      __provider: COPIES_READY_PROVIDER_TEXT,
    };
    super(SnapshotCopiesReady.typeToken, name, props, opts);
  }
}
