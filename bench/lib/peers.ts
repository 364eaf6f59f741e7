/**
 * The two peer waiting strategies of bench/waiting.ts, each polling one copy per DescribeSnapshots call through the real
 * ECS SDK (@alicloud/ecs20140526, over HTTP to the simulator):
 * - peer A: the AWS SDK's snapshot-completed waiter — smithy's createWaiter with minDelay 15 s, maxDelay 120 s
 *   (jittered exponential backoff), success when the copy is accomplished and Available, failure when failed;
 * - peer B: the Terraform alicloud provider's fixed 5-second poll per snapshot.
 * A create is CopySnapshot, then that wait. Refresh is one DescribeSnapshots per resource.
 */
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import type { Simulator } from "../../simulator";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET } from "../../simulator/seed";
import type { Clock } from "../../simulator/clock";
import { REFRESH_GAP_MS, SOURCE_REGION, type CopySpec } from "./scenario";
import type { SmithyWaiter } from "./smithyVirtual";

/** What every strategy reports per copy. */
export interface CopyOutcome {
  name: string;
  copyId?: string;
  /** Virtual time the create began (CopySnapshot ran at this instant). */
  startedAt: number;
  /** Virtual time create returned or threw. */
  returnedAt: number;
  ok: boolean;
  error?: string;
}

export interface StrategyRun {
  outcomes: CopyOutcome[];
  /** Virtual time the refresh began (after every create returned, plus a gap). */
  refreshAt: number;
  refreshedIds: number;
}

/** AWS SDK waitUntilSnapshotCompleted's delays (seconds) and a wait long enough for a 6-hour copy. */
export const PEER_A = { minDelay: 15, maxDelay: 120, maxWaitTime: 24 * 3600 };
/** Terraform alicloud's poll interval for snapshots (ms). */
export const PEER_B_INTERVAL_MS = 5_000;

type Snap = $Ecs.DescribeSnapshotsResponseBodySnapshotsSnapshot;

/** An SDK client for one strategy, counting its requests in flight for the virtual-time driver. */
export class PeerClient {
  private readonly ecs: Ecs;
  inFlight = 0;

  constructor(sim: Simulator) {
    this.ecs = new Ecs(
      new $OpenApiUtil.Config({
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
        accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
        endpoint: sim.host,
        protocol: "http",
        regionId: SOURCE_REGION,
        // Real-time socket timeouts mean nothing under the virtual clock; with a thousand waiters in one process
        // a busy machine can delay an answer past the SDK's defaults, which would end a peer's wait with an
        // error no real run would see.
        readTimeout: 600_000,
        connectTimeout: 600_000,
      }),
    );
  }

  private async counted<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
    }
  }

  copy(spec: CopySpec): Promise<string> {
    return this.counted(async () => {
      const r = await this.ecs.copySnapshot(
        new $Ecs.CopySnapshotRequest({
          destinationSnapshotDescription: "made outside the stack",
          regionId: SOURCE_REGION,
          snapshotId: spec.sourceSnapshotId,
          destinationRegionId: spec.destinationRegionId,
          destinationSnapshotName: spec.name,
        }),
      );
      return r.body!.snapshotId!;
    });
  }

  /** DescribeSnapshots for one ID. */
  describe(region: string, id: string): Promise<Snap | undefined> {
    return this.counted(async () => {
      const r = await this.ecs.describeSnapshots(
        new $Ecs.DescribeSnapshotsRequest({ regionId: region, snapshotIds: JSON.stringify([id]) }),
      );
      return r.body?.snapshots?.snapshot?.[0];
    });
  }
}

type Wait = (client: PeerClient, region: string, id: string) => Promise<void>;

/** Peer A: smithy's waiter, as the AWS SDK's waitUntilSnapshotCompleted builds it. */
export function peerAWait(smithy: SmithyWaiter): Wait {
  return async (client, region, id) => {
    const result = await smithy.createWaiter(
      { client, ...PEER_A },
      { region, id },
      async (c: PeerClient, input: { region: string; id: string }) => {
        const s = await c.describe(input.region, input.id);
        if (s?.status === "accomplished" && s.available) return { state: "SUCCESS" as never, reason: s };
        if (s?.status === "failed") return { state: "FAILURE" as never, reason: s };
        return { state: "RETRY" as never, reason: s };
      },
    );
    smithy.checkExceptions(result);
  };
}

/** Peer B: DescribeSnapshots at once, then every 5 s, until accomplished and Available, or failed. */
export function peerBWait(clock: Clock): Wait {
  return async (client, region, id) => {
    for (;;) {
      const s = await client.describe(region, id);
      if (s?.status === "accomplished" && s.available) return;
      if (s?.status === "failed") throw new Error(`copy ${id} failed`);
      await clock.sleep(PEER_B_INTERVAL_MS);
    }
  };
}

/** Runs every create of the scenario with one peer strategy, then a refresh of every copy it made. */
export async function runPeer(
  clock: Clock,
  client: PeerClient,
  copies: CopySpec[],
  wait: Wait,
): Promise<StrategyRun> {
  const outcomes = await Promise.all(
    copies.map(async (spec): Promise<CopyOutcome> => {
      if (spec.startDelayMs > 0) await clock.sleep(spec.startDelayMs);
      const startedAt = clock.now();
      let copyId: string | undefined;
      try {
        copyId = await client.copy(spec);
        await wait(client, spec.destinationRegionId, copyId);
        return { name: spec.name, copyId, startedAt, returnedAt: clock.now(), ok: true };
      } catch (e) {
        const error = e instanceof Error ? e.message.slice(0, 200) : String(e);
        return { name: spec.name, copyId, startedAt, returnedAt: clock.now(), ok: false, error };
      }
    }),
  );
  await clock.sleep(REFRESH_GAP_MS);
  const refreshAt = clock.now();
  const made = outcomes.filter((o) => o.copyId);
  const byName = new Map(copies.map((c) => [c.name, c]));
  const seen = await Promise.all(
    made.map((o) => client.describe(byName.get(o.name)!.destinationRegionId, o.copyId!)),
  );
  return { outcomes, refreshAt, refreshedIds: seen.filter(Boolean).length };
}
