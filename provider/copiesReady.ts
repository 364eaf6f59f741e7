/**
 * The provider methods of SnapshotCopiesReady (./snapshotCopiesReady.ts): one resource that waits until many
 * copies, started by SnapshotCopy resources with `waitForCompletion: false`, are all usable (issue 5, "Engine
 * parallelism"). The engine runs at most 4 × CPU resource operations at once, and a create that waits for its
 * copy holds a slot the whole time, so 100 waiting creates queue in waves; here the creates only start their
 * copies and this one operation waits for all of them, through the same coalesced status watcher.
 *
 * It owns nothing in the cloud: delete does nothing, read returns what was recorded.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { SNAPSHOT_ID } from "./check";
import type { SnapshotCopyProviderImpl } from "./impl";
import { DEFAULTS, isUnknown } from "./types";

type Props = Record<string, unknown>;

/** One copy to wait for. */
export interface CopyRef {
  snapshotId: string;
  regionId: string;
}

/** Inputs as the provider sees them, defaults applied. @internal */
export interface CopiesReadyInputs {
  copies: CopyRef[];
  timeoutMinutes?: number;
  stallTimeoutMinutes: number;
  pollMinSeconds: number;
  pollMaxSeconds: number;
  resourceKey?: string;
}

const SETTINGS = ["timeoutMinutes", "stallTimeoutMinutes", "pollMinSeconds", "pollMaxSeconds"] as const;
const KNOWN = new Set(["copies", ...SETTINGS, "resourceKey", "snapshotIds", "readyCount", "__provider"]);

const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Every rule, no API call; unknown values (preview) pass. @internal */
export function checkReadyInputs(news: Props): {
  inputs: Props;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const k of Object.keys(news))
    if (!KNOWN.has(k)) fail(k, `unknown input "${k}"; SnapshotCopiesReady takes copies and wait settings`);
  const copies = news.copies;
  if (!isUnknown(copies)) {
    if (!Array.isArray(copies))
      fail("copies", "give a list of { snapshotId, regionId } (e.g. from SnapshotCopy)");
    else
      copies.forEach((c, i) => {
        const at = `copies[${i}]`;
        if (isUnknown(c)) return;
        if (typeof c !== "object" || c === null) return fail(at, "give { snapshotId, regionId }");
        const { snapshotId, regionId } = c as Props;
        if (!isUnknown(snapshotId) && (typeof snapshotId !== "string" || !SNAPSHOT_ID.test(snapshotId)))
          fail(`${at}.snapshotId`, `a copy's snapshot ID looks like "s-..." (a SnapshotCopy's snapshotId)`);
        if (!isUnknown(regionId) && (typeof regionId !== "string" || regionId === ""))
          fail(`${at}.regionId`, "the region the copy is in (a SnapshotCopy's destinationRegionId)");
      });
  }
  const positive = (k: string, min: number, max = Infinity) => {
    const v = news[k];
    if (v === undefined || isUnknown(v)) return;
    if (!isNum(v) || v < min || v > max) fail(k, `must be a number from ${min} to ${max}`);
  };
  positive("timeoutMinutes", 1);
  positive("stallTimeoutMinutes", 1);
  positive("pollMinSeconds", 1, 3600);
  positive("pollMaxSeconds", 1, 3600);
  const min = news.pollMinSeconds ?? DEFAULTS.pollMinSeconds;
  const max = news.pollMaxSeconds ?? DEFAULTS.pollMaxSeconds;
  if (isNum(min) && isNum(max) && max < min) fail("pollMaxSeconds", "must be at least pollMinSeconds");
  const inputs: Props = {
    ...news,
    stallTimeoutMinutes: news.stallTimeoutMinutes ?? DEFAULTS.stallTimeoutMinutes,
    pollMinSeconds: min,
    pollMaxSeconds: max,
  };
  delete inputs.snapshotIds;
  delete inputs.readyCount;
  return { inputs: JSON.parse(JSON.stringify(inputs)) as Props, failures };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The provider. Create it with impl's `copiesReadyProvider()`, which shares the copies' status watcher. */
export class CopiesReadyProviderImpl implements pulumi.dynamic.ResourceProvider {
  constructor(
    private readonly copies: SnapshotCopyProviderImpl,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {}

  configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    return this.copies.configure(req);
  }

  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return checkReadyInputs(news);
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const changed = ["copies", ...SETTINGS].filter((k) => !same(olds[k], news[k]));
    // Nothing to replace: a new list is waited for in place.
    return { changes: changed.length > 0, replaces: [], deleteBeforeReplace: false };
  }

  async create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const ins = props as unknown as CopiesReadyInputs;
    const outs = await this.waitAll(ins);
    const digest = createHash("sha256")
      .update(JSON.stringify([ins.resourceKey ?? "", ins.copies]))
      .digest("hex");
    return { id: `ready-${digest.slice(0, 16)}`, outs };
  }

  async update(_id: string, _olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    return { outs: await this.waitAll(news as unknown as CopiesReadyInputs) };
  }

  /** Nothing of its own in the cloud: the recorded state stands. */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    return { id, props };
  }

  async delete(): Promise<void> {}

  private async waitAll(ins: CopiesReadyInputs): Promise<Props> {
    const label = `SnapshotCopiesReady ${ins.resourceKey ?? ""}`.trim();
    const total = ins.copies.length;
    let step = 0;
    this.log(`${label}: waiting for ${total} copies`);
    try {
      await this.copies.waitForCopies(ins.copies, ins, (c, done) => {
        // A line per 10% of the copies, and for the last one.
        const tenth = Math.floor((done * 10) / total);
        if (tenth > step || done === total) {
          step = tenth;
          this.log(`${label}: ${done}/${total} copies usable (latest ${c.snapshotId} in ${c.regionId})`);
        }
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        `${label}: ${why}. The copies stay in the stack (their SnapshotCopy resources own them); ` +
          "`pulumi up --refresh` replaces a failed one.",
      );
    }
    return { ...ins, snapshotIds: ins.copies.map((c) => c.snapshotId), readyCount: total };
  }
}
