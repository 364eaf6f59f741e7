/**
 * The SnapshotCopy provider methods (configure, check, diff, create, read, update, delete): thin. Each method
 * normalises its inputs with the pure rules (../rules), then hands the work to ../copying (start, adopt,
 * change, remove) and ../waiting (the wait); every network call goes through the runtime's one I/O seam.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CallOptions } from "../cloud/outbound";
import { adoptCopy } from "../copying/adopt";
import { applyAttributes } from "../copying/attributes";
import { cancelCopy, deleteAndWait } from "../copying/remove";
import { startCopy } from "../copying/startCopy";
import { failureCause, verifyKey } from "../copying/verifyKey";
import { checkInputs } from "../rules/check";
import { diffCopy } from "../rules/diff";
import { ResourceInitError } from "../rules/initError";
import { inputsOf, outputsOf, withoutNulls, type KeyInfo } from "../rules/outputs";
import type { CopyInputs } from "../rules/types";
import { compact, str, type Props } from "../rules/values";
import { copyLabel, ProgressReporter } from "../waiting/progress";
import { describeWaitFailure, isTimeout, lastSeen, waitForCopy } from "../waiting/waitForCopy";
import { ProviderRuntime, type ProviderDeps, type Runtime } from "./runtime";

export class SnapshotCopyProviderImpl implements pulumi.dynamic.ResourceProvider {
  readonly runtime: ProviderRuntime;

  constructor(deps: ProviderDeps | ProviderRuntime = {}) {
    this.runtime = deps instanceof ProviderRuntime ? deps : new ProviderRuntime(deps);
  }

  configure(req: { config: { get(key: string): string | undefined } }): Promise<void> {
    return this.runtime.configure(req);
  }

  /** Test and benchmark access to the seam and the watcher (counters). @internal */
  internals(): Promise<Runtime> {
    return this.runtime.get();
  }

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const rt = await this.runtime.get();
    const r = checkInputs(withoutNulls(olds ?? {}), withoutNulls(news), { defaultRegion: rt.cfg.region });
    return { inputs: compact(r.inputs), failures: r.failures };
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return diffCopy(olds, news as unknown as CopyInputs);
  }

  async create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const { rt, ins } = await this.normalise(props);
    const deadline = deadlineOf(rt, ins);
    const opts: CallOptions = { deadline, signal: rt.signal };
    const report = reporter(rt, ins);
    if (ins.adoptSnapshotId) return adoptCopy(rt, ins, props, opts, report);

    // (1) The key, before any CopySnapshot: a bad key fails here with a sentence, not as a failed copy.
    const key = ins.encrypted && ins.kmsKeyId ? await verifyKey(rt, ins, opts) : undefined;
    // (2) Start (or find) the copy.
    const { id, snap } = await startCopy(rt, ins, key, opts, report);
    if (!ins.waitForCompletion) return { id, outs: outputsOf(ins, id, snap, key) };

    // (3) Wait until it is usable; on any failure, cancel it (or keep it, when asked) before throwing.
    try {
      const done = await waitForCopy(rt, ins, id, report, deadline, { initial: snap });
      report.say("100%, available");
      return { id, outs: outputsOf(ins, id, done, key) };
    } catch (err) {
      const why = describeWaitFailure(err) + (await failureCause(rt, ins, err, opts));
      if (isTimeout(err) && ins.onTimeout === "keep") {
        const message =
          `${copyLabel(ins)}: ${why}. The copy ${id} is kept (onTimeout: "keep") and recorded in the stack; ` +
          `run \`pulumi up\` again to keep waiting, or \`pulumi destroy\` to cancel it.`;
        report.say(message);
        const outs = outputsOf(ins, id, lastSeen(err) ?? snap, key);
        throw new ResourceInitError(message, id, { ...outs, __provider: props.__provider }, [message]);
      }
      const cleanup = await cancelCopy(rt, ins.destinationRegionId, id);
      throw new Error(`${copyLabel(ins)}: ${why}. ${cleanup}`);
    }
  }

  /**
   * Refresh: one coalesced DescribeSnapshots observation. A copy that is gone returns no ID, so refresh drops
   * it. Returns inputs as well as outputs, built the same way as create's, so an untouched copy shows no change.
   */
  async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
    const rt = await this.runtime.get();
    const region = regionOf(id, props, "read");
    const s = await rt.watcher.observe(region, id, { signal: rt.signal });
    if (!s) return {};
    const { ins } = await this.normalise(props);
    const outs = outputsOf(ins, id, s, undefined, props, true);
    return { id, props: outs, inputs: compact(inputsOf(outs as unknown as Props)) };
  }

  /**
   * In-place changes, each API call only when its field changed. Also resumes waiting for a copy still in
   * progress (the engine calls update on a resource recorded with init errors — the keep-on-timeout path).
   */
  async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const { rt, ins } = await this.normalise(news, olds);
    const deadline = deadlineOf(rt, ins);
    await applyAttributes(rt, id, olds, ins, { deadline, signal: rt.signal });

    const key: KeyInfo | undefined = str(olds.kmsKeyId)
      ? {
          keyId: String(olds.kmsKeyId),
          aliases: Array.isArray(olds.kmsKeyAliases) ? (olds.kmsKeyAliases as string[]) : undefined,
        }
      : undefined;
    // Keep the recorded key spelling: diff compared the new spelling by identity.
    const recorded = { ...ins, kmsKeyId: str(olds.kmsKeyId) ?? ins.kmsKeyId };
    const usable = olds.status === "accomplished" && olds.available === true;
    if (usable || !ins.waitForCompletion) {
      return { outs: outputsOf(recorded, id, undefined, key, olds) };
    }
    const report = reporter(rt, ins);
    report.say(`resuming the wait for ${id}`);
    try {
      const done = await waitForCopy(rt, ins, id, report, deadline, { exists: true });
      report.say("100%, available");
      return { outs: outputsOf(recorded, id, done, key, olds) };
    } catch (err) {
      // The copy is in the stack already: record what we know and leave the decision to the user.
      const outs = outputsOf(recorded, id, lastSeen(err), key, olds);
      const next = isTimeout(err)
        ? "run `pulumi up` again to keep waiting, or `pulumi destroy` to cancel it"
        : "the copy cannot be used; the next `pulumi up` replaces it with a new copy, or `pulumi destroy` removes it";
      const message = `${copyLabel(ins)}: ${describeWaitFailure(err)}. The copy ${id} stays in the stack: ${next}.`;
      throw new ResourceInitError(message, id, { ...outs, __provider: news.__provider }, [message]);
    }
  }

  /**
   * DeleteSnapshot in the destination region (cancels a copy in progress), then waits until DescribeSnapshots
   * no longer returns it. Missing counts as success. A copy disks were created from is refused unless
   * forceDelete is set.
   */
  async delete(id: string, props: Props): Promise<void> {
    const rt = await this.runtime.get();
    await deleteAndWait(rt, regionOf(id, props, "delete"), id, props.forceDelete === true);
  }

  /** Inputs with defaults applied; a failure here means the host skipped `check`. */
  private async normalise(props: Props, olds: Props = {}): Promise<{ rt: Runtime; ins: CopyInputs }> {
    const rt = await this.runtime.get();
    const { inputs, failures } = checkInputs(inputsOf(olds), inputsOf(props), {
      defaultRegion: rt.cfg.region,
    });
    if (failures.length) {
      throw new Error(
        `invalid SnapshotCopy inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      );
    }
    return { rt, ins: inputs };
  }
}

function deadlineOf(rt: Runtime, ins: CopyInputs): number | undefined {
  return ins.timeoutMinutes !== undefined ? rt.clock.now() + ins.timeoutMinutes * 60_000 : undefined;
}

function reporter(rt: Runtime, ins: CopyInputs): ProgressReporter {
  return new ProgressReporter(copyLabel(ins), rt.log, rt.clock, rt.progressIntervalMs);
}

function regionOf(id: string, props: Props, what: "read" | "delete"): string {
  const region = str(props.destinationRegionId);
  if (!region)
    throw new Error(`SnapshotCopy ${id}: the state has no destinationRegionId; cannot ${what} the copy`);
  return region;
}
