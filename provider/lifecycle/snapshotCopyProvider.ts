/**
 * The SnapshotCopy provider methods (configure, check, diff, create, read, update, delete): thin. Each method
 * normalises its inputs with the pure rules (../rules), then hands the work to ../copying (start, adopt,
 * change, remove) and ../waiting (the wait); every network call goes through the runtime's one I/O seam.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CallOptions } from "../cloud/outbound";
import { adoptCopy } from "../copying/adopt";
import { applyAttributes } from "../copying/attributes";
import { isApiError, SNAPSHOT_NOT_FOUND } from "../cloud/apiError";
import { cancelCopy, deleteOwnCopy } from "../copying/remove";
import { markRecorded, startCopy } from "../copying/startCopy";
import { failureCause, verifyKey } from "../copying/verifyKey";
import { checkInputs } from "../rules/check";
import { diffCopy } from "../rules/diff";
import { ResourceInitError } from "../rules/initError";
import { newOwnerId } from "../rules/ownership";
import type { ApiSnapshot } from "../rules/snapshot";
import { inputsOf, outputsOf, withoutNulls, type KeyInfo } from "../rules/outputs";
import { tryParseKeyRef } from "../rules/kmsKey";
import { isUnknown, type CopyInputs } from "../rules/types";
import { compact, str, type Props } from "../rules/values";
import { copyLabel, copyRoute, ProgressReporter, type Named } from "../waiting/progress";
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
    const r = checkInputs(withoutNulls(olds ?? {}), withoutNulls(news), {
      defaultRegion: rt.cfg.region,
      newOwnerId: () => newOwnerId(rt.random),
    });
    return { inputs: compact(r.inputs), failures: r.failures };
  }

  /**
   * Pure, but for one case: a new spelling of the key (an alias, where the copy was made with the key's ID or
   * ARN) that the recorded aliases cannot vouch for. Then one KMS DescribeKey resolves it, and if it names the
   * copy's key, it is no change: any spelling of the same key is the same copy.
   */
  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const ins = news as unknown as CopyInputs;
    const d = diffCopy(olds, ins);
    if (!d.replaces.includes("kmsKeyId")) return d;
    const rt = await this.runtime.get();
    const alias = await resolvesToRecordedKey(rt, olds, ins);
    if (!alias) return d;
    const known = Array.isArray(olds.kmsKeyAliases) ? (olds.kmsKeyAliases as string[]) : [];
    return diffCopy({ ...olds, kmsKeyAliases: [...known, alias] }, ins);
  }

  create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    return this.runtime.settled(named(props), () => this.createCopy(props));
  }

  private async createCopy(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const { rt, ins: checked } = await this.normalise(props, {}, true);
    const ins = { ...checked, ownerId: checked.ownerId ?? newOwnerId(rt.random) };
    const deadline = deadlineOf(rt, ins);
    const opts: CallOptions = { deadline, signal: rt.signal };
    const report = reporter(rt, ins);
    if (ins.adoptSnapshotId) return adoptCopy(rt, ins, props, opts, report);

    // (1) The key, before any CopySnapshot: a bad key fails here with a sentence, not as a failed copy.
    const key = ins.encrypted && ins.kmsKeyId ? await verifyKey(rt, ins, opts) : undefined;
    const record = (id: string, s?: ApiSnapshot) => ({
      ...outputsOf(ins, id, s, key),
      __provider: props.__provider,
    });
    // (2) Start (or resume) this generation's copy.
    const { id, snap } = await startCopy(rt, ins, key, opts, report, (id) => record(id));
    if (!ins.waitForCompletion) {
      await markRecorded(rt, ins, id, report);
      return { id, outs: outputsOf(ins, id, snap, key) };
    }

    // (3) Wait until it is usable; on any failure, cancel it (or keep it, when asked) before throwing.
    try {
      const done = await waitForCopy(rt, ins, id, report, deadline, { initial: snap });
      await markRecorded(rt, ins, id, report);
      report.say("100%, available");
      return { id, outs: outputsOf(ins, id, done, key) };
    } catch (err) {
      const why = describeWaitFailure(err) + (await failureCause(rt, ins, err, opts));
      const keep = isTimeout(err) && ins.onTimeout === "keep";
      const cleanup = keep ? undefined : await cancelCopy(rt, ins.destinationRegionId, id);
      if (cleanup?.cancelled) throw new Error(`${copyLabel(ins)}: ${why}. ${cleanup.message}`);
      // Kept, or the cancel did not finish: the copy exists, so the stack records it (never untracked).
      await markRecorded(rt, ins, id, report);
      const message = keep
        ? `${copyLabel(ins)}: ${why}. The copy ${id} is kept (onTimeout: "keep") and recorded in the stack; ` +
          `run \`pulumi up\` again to keep waiting, or \`pulumi destroy\` to cancel it.`
        : `${copyLabel(ins)}: ${why}. ${cleanup!.message} The copy is recorded in the stack: ` +
          `\`pulumi destroy\` (or the next \`pulumi up\`, which replaces it) deletes it.`;
      report.say(message);
      throw new ResourceInitError(message, id, record(id, lastSeen(err) ?? snap), [message]);
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
  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    return this.runtime.settled(named(news), () => this.updateCopy(id, olds, news));
  }

  private async updateCopy(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const { rt, ins } = await this.normalise(news, olds);
    const deadline = deadlineOf(rt, ins);
    try {
      await applyAttributes(rt, id, olds, ins, { deadline, signal: rt.signal });
    } catch (e) {
      if (!isApiError(e, SNAPSHOT_NOT_FOUND)) throw e;
      throw new Error(
        `${copyLabel(ins)}: the copy ${id} no longer exists in ${ins.destinationRegionId}: it was deleted outside ` +
          `this stack (${e.code}). Run \`pulumi refresh\` (it drops the copy from the stack), then \`pulumi up\` ` +
          `to make it again.`,
      );
    }

    const key: KeyInfo | undefined = str(olds.kmsKeyId)
      ? {
          keyId: String(olds.kmsKeyId),
          aliases: Array.isArray(olds.kmsKeyAliases) ? (olds.kmsKeyAliases as string[]) : undefined,
        }
      : undefined;
    // Keep the recorded key spelling (diff compared the new one by identity), and remember a new alias spelling
    // so the next diff needs no KMS call.
    const recorded = { ...ins, kmsKeyId: str(olds.kmsKeyId) ?? ins.kmsKeyId };
    const alias = ins.kmsKeyId ? tryParseKeyRef(ins.kmsKeyId)?.alias : undefined;
    if (key && alias && !key.aliases?.includes(alias)) key.aliases = [...(key.aliases ?? []), alias];
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
    await deleteOwnCopy(
      rt,
      regionOf(id, props, "delete"),
      id,
      props.forceDelete === true,
      str(props.ownerId),
    );
  }

  /**
   * Inputs with defaults applied. Only `create` insists they pass check (a failure there means the host skipped
   * `check`); read and update see recorded values, and what the cloud holds is a fact, not an input error.
   */
  private async normalise(
    props: Props,
    olds: Props = {},
    strict = false,
  ): Promise<{ rt: Runtime; ins: CopyInputs }> {
    const rt = await this.runtime.get();
    const { inputs, failures } = checkInputs(inputsOf(olds), inputsOf(props), {
      defaultRegion: rt.cfg.region,
    });
    if (strict && failures.length) {
      throw new Error(
        `invalid SnapshotCopy inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`,
      );
    }
    return { rt, ins: inputs };
  }
}

/** The alias `ins.kmsKeyId` spells, when KMS says it names the copy's recorded key; else undefined. */
async function resolvesToRecordedKey(rt: Runtime, olds: Props, ins: CopyInputs): Promise<string | undefined> {
  const recorded = str(olds.kmsKeyId);
  const region = str(olds.destinationRegionId);
  const ref = ins.kmsKeyId && !isUnknown(ins.kmsKeyId) ? tryParseKeyRef(ins.kmsKeyId) : undefined;
  if (!recorded || !region || !ref?.alias || region !== ins.destinationRegionId) return undefined;
  try {
    const key = await rt.api.describeKey(region, ins.kmsKeyId!, { signal: rt.signal });
    return key.KeyId === (tryParseKeyRef(recorded)?.keyId ?? recorded) ? ref.alias : undefined;
  } catch {
    return undefined; // unresolvable: the diff stands as the rules gave it
  }
}

/** What names a copy in its lines, from raw inputs (before check's defaults). */
function named(props: Props): Named {
  return {
    resourceKey: str(props.resourceKey),
    sourceSnapshotId: str(props.sourceSnapshotId) ?? "",
    destinationRegionId: str(props.destinationRegionId) ?? "",
  };
}

function deadlineOf(rt: Runtime, ins: CopyInputs): number | undefined {
  return ins.timeoutMinutes !== undefined ? rt.clock.now() + ins.timeoutMinutes * 60_000 : undefined;
}

function reporter(rt: Runtime, ins: CopyInputs): ProgressReporter {
  return new ProgressReporter(copyRoute(ins), rt.resourceLog(ins), rt.clock, rt.progressIntervalMs);
}

function regionOf(id: string, props: Props, what: "read" | "delete"): string {
  const region = str(props.destinationRegionId);
  if (!region)
    throw new Error(`SnapshotCopy ${id}: the state has no destinationRegionId; cannot ${what} the copy`);
  return region;
}
