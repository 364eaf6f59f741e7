/**
 * The provider methods of SnapshotCopiesReady (../snapshotCopiesReady.ts): one resource that waits until many
 * copies, started by SnapshotCopy resources with `waitForCompletion: false`, are all usable. The engine runs a
 * limited number of resource operations at once, and a create that waits for its copy holds a slot the whole
 * time, so 100 waiting creates queue in waves; here the creates only start their copies and this one operation
 * waits for all of them, through the same coalesced status watcher (the runtime is shared).
 *
 * It owns nothing in the cloud: delete does nothing, read returns what was recorded.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { checkReadyInputs, READY_SETTINGS } from "../rules/checkCopiesReady";
import type { WaitSettings } from "../rules/types";
import type { Props } from "../rules/values";
import { copyRefLabel, waitForCopies, type CopyRef } from "../waiting/waitForCopy";
import type { ProviderRuntime } from "./runtime";

/** Inputs as the provider sees them, defaults applied. @internal */
export interface CopiesReadyInputs extends WaitSettings {
  copies: CopyRef[];
  resourceKey?: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The provider. Give it the SnapshotCopy provider's runtime, so both share the status watcher. */
export class CopiesReadyProviderImpl implements pulumi.dynamic.ResourceProvider {
  constructor(
    private readonly runtime: ProviderRuntime,
    private readonly log: (line: string) => void = runtime.log,
  ) {}

  configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    return this.runtime.configure(req);
  }

  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return checkReadyInputs(news);
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const changed = ["copies", ...READY_SETTINGS].filter((k) => !same(olds[k], news[k]));
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
    const rt = await this.runtime.get();
    const summary = new CopiesSummary(total);
    let step = 0;
    let saidAt = rt.clock.now();
    this.log(`${label}: waiting for ${total} copies`);
    try {
      await waitForCopies(
        rt,
        ins.copies,
        ins,
        (c, done) => {
          summary.ready(c);
          // A line per 10% of the copies, and for the last one.
          const tenth = Math.floor((done * 10) / total);
          if (tenth > step || done === total) {
            step = tenth;
            saidAt = rt.clock.now();
            this.log(`${label}: ${done}/${total} copies usable (latest: ${copyRefLabel(c)})`);
          }
        },
        (c, st) => {
          summary.progress(c, st.progress);
          // Between those lines, while copies move: one summary line at most every progress interval.
          if (rt.clock.now() - saidAt < rt.progressIntervalMs) return;
          saidAt = rt.clock.now();
          this.log(`${label}: ${summary.line()}`);
        },
      );
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

/** Where many copies stand: how many are usable, the others' mean progress, and the slowest. */
class CopiesSummary {
  private readonly percent = new Map<string, { copy: CopyRef; progress: number }>();
  private done = 0;
  constructor(private readonly total: number) {}

  ready(c: CopyRef): void {
    this.percent.delete(c.snapshotId);
    this.done++;
  }

  progress(c: CopyRef, progress: number): void {
    this.percent.set(c.snapshotId, { copy: c, progress });
  }

  /** "3/100 copies usable; the others at 45% on average, the slowest copy s-1 in eu-central-1 at 12%". */
  line(): string {
    const head = `${this.done}/${this.total} copies usable`;
    const rest = [...this.percent.values()];
    if (rest.length === 0) return head;
    const mean = Math.floor(rest.reduce((n, r) => n + r.progress, 0) / rest.length);
    const slowest = rest.reduce((a, b) => (b.progress < a.progress ? b : a));
    return `${head}; the others at ${mean}% on average, the slowest ${copyRefLabel(slowest.copy)} at ${Math.floor(slowest.progress)}%`;
  }
}
