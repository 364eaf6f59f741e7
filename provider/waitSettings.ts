/** The wait settings SnapshotCopy and SnapshotCopiesReady share: one set of fields, one TSDoc, one rule set. */
import type * as pulumi from "@pulumi/pulumi";

/** How long, and how often, a wait for a copy looks at it. */
export interface WaitSettingsArgs {
  /**
   * A fixed limit, in minutes (more than 0), on the wait: a SnapshotCopy's create waiting for its copy, or a
   * SnapshotCopiesReady waiting for all of its copies. Pulumi ignores `customTimeouts` for dynamic resources,
   * so the limit is an input.
   *
   * By default there is no fixed deadline: the wait gives up only when a copy's Progress has not advanced for
   * `stallTimeoutMinutes`. A copy of a large disk can take many hours across regions, and fixed short default
   * timeouts that kill healthy copies are the main complaint about peer resources. The limit holds even while
   * status checks fail.
   * @default unset (no fixed deadline)
   */
  timeoutMinutes?: pulumi.Input<number>;
  /**
   * The wait gives up when a copy's Progress has not advanced for this many minutes (more than 0); a healthy
   * copy, however slow, keeps the wait going.
   * @default 360 (6 hours)
   */
  stallTimeoutMinutes?: pulumi.Input<number>;
  /**
   * Shortest wait between status checks of a copy whose remaining time is unknown, in seconds (1 to 3600).
   * Checks back off exponentially with jitter from this to `pollMaxSeconds`; checks of all copies in a
   * deployment are batched per region.
   * @default 5
   */
  pollMinSeconds?: pulumi.Input<number>;
  /**
   * Longest wait between status checks, in seconds; at least `pollMinSeconds`, at most 3600. It also bounds how
   * late a failed copy is noticed when few copies are in flight (with k copies in a region, checks come about
   * every max(120 s, pollMaxSeconds) ÷ k anyway): lower it to notice failures sooner at the cost of more
   * DescribeSnapshots calls, raise it for fewer calls (bench/README.md shows the trade-off).
   * @default 120 (the AWS snapshot waiter's longest delay)
   */
  pollMaxSeconds?: pulumi.Input<number>;
}
