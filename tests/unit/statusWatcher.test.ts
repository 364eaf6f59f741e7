import { RetryQuota } from "../../provider/cloud/retry";
import type { Clock } from "../../provider/cloud/clock";
import type { ApiSnapshot } from "../../provider/rules/snapshot";
import {
  DEFAULT_TICKS_KEPT,
  StatusWatcher,
  type StatusWatcherDeps,
} from "../../provider/waiting/statusWatcher";

/** A clock that moves only when told; `advance` wakes sleepers in time order, letting promises settle between. */
function manualClock(start = 0) {
  let t = start;
  const sleepers: { at: number; resolve: () => void }[] = [];
  const settle = () => new Promise<void>((r) => setImmediate(r));
  const clock: Clock = {
    now: () => t,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const s = { at: t + ms, resolve };
        sleepers.push(s);
        signal?.addEventListener(
          "abort",
          () => {
            sleepers.splice(sleepers.indexOf(s), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      }),
  };
  async function advance(ms: number): Promise<void> {
    const end = t + ms;
    for (;;) {
      await settle();
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers[0];
      if (!next || next.at > end) break;
      sleepers.shift();
      t = Math.max(t, next.at);
      next.resolve();
    }
    t = end;
    await settle();
  }
  return { clock, advance };
}

const snap = (id: string, status = "progressing"): ApiSnapshot =>
  ({ SnapshotId: id, Status: status }) as ApiSnapshot;
const apiFailure = (retryable: boolean) =>
  Object.assign(new Error(retryable ? "InternalError" : "Expired"), { retryable });

/** A fake DescribeSnapshots: records calls; `fail` decides per call. */
function fakeDescribe(clock: Clock) {
  const calls: { at: number; ids: string[]; tag?: string }[] = [];
  const state = { fail: undefined as undefined | (() => unknown), status: "progressing" };
  const describe = async (_region: string, ids: string[]) => {
    calls.push({ at: clock.now(), ids });
    const err = state.fail?.();
    if (err) throw err;
    return ids.map((id) => snap(id, state.status));
  };
  return { calls, state, describe };
}

/**
 * A fake tagged DescribeSnapshots over `world`: the snapshots carrying the tag, newest first, `pageSize` a page;
 * records each call in `calls` like the status checks. The key alone matches any value, or (`keyAlone: "empty"`,
 * the other reading of an optional Tag.N.Value) only the empty value.
 */
function fakeTagged(clock: Clock, calls: { at: number; ids: string[]; tag?: string }[]) {
  const world: ApiSnapshot[] = [];
  const state = {
    pageSize: 100,
    keyAlone: "any" as "any" | "empty",
    fail: undefined as undefined | (() => unknown),
  };
  const wanted = (value?: string) => value ?? (state.keyAlone === "empty" ? "" : undefined);
  const describeTagged = async (_r: string, tag: { key: string; value?: string }, nextToken?: string) => {
    calls.push({
      at: clock.now(),
      ids: [],
      tag: tag.value === undefined ? tag.key : `${tag.key}=${tag.value}`,
    });
    const err = state.fail?.();
    if (err) throw err;
    const value = wanted(tag.value);
    const all = world.filter((s) =>
      s.Tags?.Tag?.some((t) => t.TagKey === tag.key && (value === undefined || t.TagValue === value)),
    );
    const start = Number(nextToken ?? 0);
    const end = start + state.pageSize;
    return { snapshots: all.slice(start, end), nextToken: end < all.length ? String(end) : undefined };
  };
  const add = (id: string, key: string, value: string) =>
    world.push({
      SnapshotId: id,
      Status: "progressing",
      Tags: { Tag: [{ TagKey: key, TagValue: value }] },
    } as ApiSnapshot);
  return { world, tagged: state, describeTagged, add };
}

function setup(deps: Partial<StatusWatcherDeps> = {}) {
  const { clock, advance } = manualClock(1_000_000);
  const d = fakeDescribe(clock);
  const t = fakeTagged(clock, d.calls);
  const watcher = new StatusWatcher({
    // A status look at a snapshot the tagged fake holds answers with it, tags included.
    describe: async (region, ids) =>
      (await d.describe(region, ids)).map((s) => t.world.find((w) => w.SnapshotId === s.SnapshotId) ?? s),
    describeTagged: t.describeTagged,
    clock,
    random: () => 0,
    ...deps,
  });
  return { clock, advance, ...d, ...t, watcher };
}

/** No sliding minute of `calls` holds more than `budget` calls. */
const withinBudget = (calls: { at: number }[], budget: number) =>
  calls.every((c) => calls.filter((x) => x.at > c.at - 60_000 && x.at <= c.at).length <= budget);
const never = () => false;

describe("StatusWatcher", () => {
  it("GIVEN one watched copy whose waiter sleeps long WHEN time passes THEN a heartbeat looks at it every maxGapMs", async () => {
    const { advance, calls, watcher, clock } = setup();
    const w = watcher.watch("r", "s-1", { wakeOn: never, maxGapMs: 30_000 });
    const sleep = w.clock.sleep(10 * 60_000);
    await advance(5 * 60_000);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i].at);
    expect(gaps.length).toBeGreaterThanOrEqual(9);
    expect(gaps.every((g) => g === 30_000)).toBe(true);
    w.close();
    await sleep.catch(() => undefined);
    expect(clock.now()).toBeGreaterThan(0);
  });

  it("GIVEN a sleeping waiter WHEN a check fails with a non-retryable error THEN the sleep ends at that tick and take throws it", async () => {
    const { advance, state, watcher, clock } = setup();
    const w = watcher.watch("r", "s-1", { wakeOn: never, maxGapMs: 30_000 });
    const start = clock.now();
    const expired = apiFailure(false);
    state.fail = () => expired;
    let woke = -1;
    const sleep = w.clock.sleep(60 * 60_000).then(() => (woke = clock.now()));
    await advance(2 * 60_000);
    await sleep;
    expect(woke - start).toBeLessThanOrEqual(30_000 + 1_000);
    await expect(w.take()).rejects.toBe(expired);
    w.close();
  });

  it("GIVEN a sleeping waiter WHEN checks keep failing transiently THEN it sleeps until its time, the loop retries sooner, and failing() says since when", async () => {
    const { advance, state, watcher, clock, calls } = setup({
      retryBaseDelayMs: 1_000,
      retryMaxDelayMs: 4_000,
    });
    const w = watcher.watch("r", "s-1", { wakeOn: never, maxGapMs: 60_000 });
    await advance(1_000); // first heartbeat succeeds
    const failedFrom = clock.now();
    state.fail = () => apiFailure(true);
    let woke = -1;
    const sleep = w.clock.sleep(90_000).then(() => (woke = clock.now()));
    const before = calls.length;
    await advance(120_000);
    await sleep;
    expect(woke).toBeGreaterThanOrEqual(failedFrom + 90_000); // not woken early by a transient failure
    expect(woke).toBeLessThan(failedFrom + 90_000 + 5_000); // but woken by the first tick after its time
    expect(calls.length - before).toBeGreaterThan(3); // retries between heartbeats
    const f = w.failing();
    expect(f!.since).toBeGreaterThanOrEqual(failedFrom);
    expect(f!.count).toBeGreaterThan(1);
    await expect(w.take()).rejects.toMatchObject({ retryable: true });
    w.close();
  });

  it("GIVEN a budget of 5 calls a minute WHEN 20 one-off looks arrive spread out THEN no sliding minute has more than 5 calls", async () => {
    const { advance, calls, watcher, clock } = setup({ callsPerMinute: 5 });
    const looks = Array.from({ length: 20 }, (_, i) =>
      watcher.observe("r", `s-${i}`, { notBefore: clock.now() + i * 3_000 }),
    );
    await advance(5 * 60_000);
    await Promise.all(looks);
    for (const c of calls)
      expect(calls.filter((x) => x.at > c.at - 60_000 && x.at <= c.at).length).toBeLessThanOrEqual(5);
  });

  it("GIVEN a budget of 100 calls a minute WHEN one-off looks 100 ms apart, a call each, would spend it in 10 s THEN a waiter's look asked for at 11 s comes within 3 s, not when the first call leaves the minute (measured: 0.6 s, was 49 s)", async () => {
    const { advance, calls, watcher, clock } = setup({ callsPerMinute: 100, tickMs: 50, batchMs: 20 });
    const start = clock.now();
    const looks = Array.from({ length: 100 }, (_, i) =>
      watcher.observe("r", `s-${i}`, { notBefore: start + i * 100 }),
    );
    await advance(11_000);
    const w = watcher.watch("r", "s-watched", { wakeOn: never, maxGapMs: 10 * 60_000 });
    let seenAt = -1;
    const take = w.take().then(() => (seenAt = clock.now()));
    await advance(60_000);
    await Promise.all([take, ...looks]);
    expect(seenAt - (start + 11_000)).toBeLessThanOrEqual(3_000);
    expect(withinBudget(calls, 100)).toBe(true);
    w.close();
  });

  it("GIVEN a copy expected to finish at E WHEN its waiter sleeps past the heartbeat horizon THEN a tick comes at E + slackMs", async () => {
    const { advance, calls, watcher, clock } = setup({ slackMs: 500 });
    const w = watcher.watch("r", "s-1", { wakeOn: never, maxGapMs: 10 * 60_000 });
    await advance(1_000);
    const e = clock.now() + 7_000;
    w.expect(e);
    const sleep = w.clock.sleep(7_000);
    await advance(10_000);
    await sleep;
    expect(calls.map((c) => c.at)).toContain(e + 500);
    w.close();
  });

  it("GIVEN an aborted one-off look THEN it rejects with the abort reason and no call is made for it", async () => {
    const { advance, calls, watcher } = setup();
    const ac = new AbortController();
    const look = watcher.observe("r", "s-1", { signal: ac.signal });
    ac.abort(new Error("stop"));
    await expect(look).rejects.toThrow("stop");
    await advance(10_000);
    expect(calls).toEqual([]);
  });

  it("GIVEN 250 watched copies WHEN a heartbeat ticks THEN it makes 3 calls of at most 100 IDs", async () => {
    const { advance, calls, watcher } = setup();
    const ws = Array.from({ length: 250 }, (_, i) => watcher.watch("r", `s-${i}`, { wakeOn: never }));
    await advance(1_000);
    expect(calls.map((c) => c.ids.length)).toEqual([100, 100, 50]);
    ws.forEach((w) => w.close());
  });

  it("GIVEN a one-off look WHEN a check fails transiently then recovers THEN the loop retries it and it resolves", async () => {
    const { advance, calls, watcher, state } = setup();
    let n = 0;
    state.fail = () => (n++ < 2 ? apiFailure(true) : undefined);
    const look = watcher.observe("r", "s-1");
    await advance(30_000);
    await expect(look).resolves.toMatchObject({ SnapshotId: "s-1" });
    expect(calls).toHaveLength(3); // every attempt is a tick, counted against the budget
    expect(watcher.describeCalls()).toBe(3);
  });

  describe("GIVEN an empty retry quota (no retry tick is paid for)", () => {
    const emptyQuota = () => {
      const quota = new RetryQuota(0);
      return setup({ retryQuota: () => quota, retryBaseDelayMs: 1_000, retryMaxDelayMs: 8_000 });
    };

    it("WHEN a one-off look's check fails transiently, then succeeds THEN the look resolves with the snapshot", async () => {
      const { advance, calls, watcher, state } = emptyQuota();
      let n = 0;
      state.fail = () => (n++ < 3 ? apiFailure(true) : undefined);
      const look = watcher.observe("r", "s-1");
      await advance(60_000);
      await expect(look).resolves.toMatchObject({ SnapshotId: "s-1" });
      expect(calls).toHaveLength(4);
      // Not a spin: each look again waits at least half the retry policy's (growing) backoff cap.
      const gaps = calls.slice(1).map((c, i) => c.at - calls[i].at);
      gaps.forEach((g, i) => expect(g).toBeGreaterThanOrEqual(Math.min(8_000, 1_000 * 2 ** i) / 2));
    });

    it("WHEN a tick's two calls fail transiently THEN each failed call is reported as a retry, though none is paid for", async () => {
      const heard: string[] = [];
      const quota = new RetryQuota(0);
      const { advance, watcher, state } = setup({
        retryQuota: () => quota,
        onRetry: (region, err, attempt) => heard.push(`${region} ${(err as Error).message} #${attempt}`),
      });
      let n = 0;
      state.fail = () => (n++ < 2 ? apiFailure(true) : undefined);
      // 150 looks: two calls of at most 100 IDs, both failing in the first tick.
      const looks = Array.from({ length: 150 }, (_, i) => watcher.observe("r", `s-${i}`));
      await advance(30_000);
      await Promise.all(looks);
      expect(heard).toEqual(["r InternalError #1", "r InternalError #1"]);
    });

    it("WHEN one shared call fails for 100 looks THEN every look is kept, and all resolve from the next call", async () => {
      const { advance, calls, watcher, state } = emptyQuota();
      let n = 0;
      state.fail = () => (n++ < 1 ? apiFailure(true) : undefined);
      const looks = Array.from({ length: 100 }, (_, i) => watcher.observe("r", `s-${i}`));
      await advance(30_000);
      const got = await Promise.all(looks);
      expect(got.map((s) => s?.SnapshotId)).toEqual(looks.map((_, i) => `s-${i}`));
      expect(calls.map((c) => c.ids.length)).toEqual([100, 100]);
    });

    it("WHEN checks keep failing transiently beyond observerRetryMs THEN the look rejects with the last error, no later", async () => {
      const { advance, calls, watcher, state, clock } = setup({
        retryQuota: () => new RetryQuota(0),
        observerRetryMs: 20_000,
        retryBaseDelayMs: 1_000,
        retryMaxDelayMs: 4_000,
      });
      let n = 0;
      const errors: unknown[] = [];
      state.fail = () => {
        const e = Object.assign(apiFailure(true), { n: n++ });
        errors.push(e);
        return e;
      };
      const start = clock.now();
      let settledAt = -1;
      const look = watcher.observe("r", "s-1").catch((e: unknown) => {
        settledAt = clock.now();
        return e;
      });
      await advance(60_000);
      expect(await look).toBe(errors[errors.length - 1]);
      const firstFailure = calls[0].at;
      expect(settledAt - firstFailure).toBeLessThan(20_000);
      expect(settledAt - start).toBeGreaterThan(20_000 - 4_000 - 1_000); // it kept looking for about the window
      expect(calls.length).toBeGreaterThan(3);
    });

    it("WHEN checks keep failing and the look's deadline comes first THEN it rejects by the deadline", async () => {
      const { advance, watcher, state, clock } = emptyQuota();
      state.fail = () => apiFailure(true);
      const deadline = clock.now() + 10_000;
      let settledAt = -1;
      const look = watcher.observe("r", "s-1", { deadline }).catch((e: unknown) => {
        settledAt = clock.now();
        return e;
      });
      await advance(60_000);
      expect(await look).toMatchObject({ retryable: true });
      expect(settledAt).toBeLessThanOrEqual(deadline);
    });

    it("WHEN checks fail transiently and the caller aborts THEN the look rejects with the abort reason and no more calls are made for it", async () => {
      const { advance, calls, watcher, state } = emptyQuota();
      state.fail = () => apiFailure(true);
      const ac = new AbortController();
      const look = watcher.observe("r", "s-1", { signal: ac.signal }).catch((e: unknown) => e);
      await advance(5_000);
      const made = calls.length;
      expect(made).toBeGreaterThan(0);
      ac.abort(new Error("stop"));
      expect(await look).toMatchObject({ message: "stop" });
      await advance(60_000);
      expect(calls.length).toBe(made);
    });

    it("WHEN a one-off look fails with a non-retryable error THEN it rejects at once with that error", async () => {
      const { advance, calls, watcher, state } = emptyQuota();
      const expired = apiFailure(false);
      state.fail = () => expired;
      const look = watcher.observe("r", "s-1").catch((e: unknown) => e);
      await advance(1_000);
      expect(await look).toBe(expired);
      expect(calls).toHaveLength(1);
    });

    it("WHEN 300 looks fail transiently for minutes under a budget of 5 calls a minute THEN no sliding minute has more than 5 calls", async () => {
      const quota = new RetryQuota(0);
      const { advance, calls, watcher, state } = setup({
        retryQuota: () => quota,
        callsPerMinute: 5,
        retryBaseDelayMs: 100,
        retryMaxDelayMs: 200,
      });
      let n = 0;
      state.fail = () => (n++ % 2 === 0 ? apiFailure(true) : undefined);
      const looks = Array.from({ length: 300 }, (_, i) => watcher.observe("r", `s-${i}`));
      await advance(10 * 60_000);
      await Promise.all(looks);
      for (const c of calls)
        expect(calls.filter((x) => x.at > c.at - 60_000 && x.at <= c.at).length).toBeLessThanOrEqual(5);
    });
  });

  describe("tagged look-ups (findTagged)", () => {
    const K = "sc:resource";

    it("GIVEN 30 creates in one region asking at once for 30 declarations' copies THEN one listing by the tag key answers them all, each only its own", async () => {
      const { advance, calls, watcher, add } = setup();
      add("s-left", K, "v7");
      add("s-other", K, "someone-else");
      add("s-untagged", "team", "v7");
      const finds = Array.from({ length: 30 }, (_, i) => watcher.findTagged("r", K, `v${i}`));
      await advance(1_000);
      const got = await Promise.all(finds);
      expect(got[7].map((s) => s.SnapshotId)).toEqual(["s-left"]);
      expect(got.filter((g, i) => i !== 7).every((g) => g.length === 0)).toBe(true);
      expect(calls.map((c) => c.tag)).toEqual([K]);
      expect(watcher.describeCalls()).toBe(1); // counted with the status checks
    });

    it("GIVEN an API that reads the key alone as 'the empty value' and a copy left for v7 WHEN 30 look-ups ask at once THEN the empty listing is not trusted: they are asked by value, one a tick until v7's answer shows a tagged copy, then a listing that comes back empty refutes the key alone and the rest are asked by value at once", async () => {
      const { advance, calls, watcher, add, tagged } = setup();
      tagged.keyAlone = "empty";
      add("s-left", K, "v7");
      const finds = Array.from({ length: 30 }, (_, i) => watcher.findTagged("r", K, `v${i}`));
      await advance(10_000);
      const got = await Promise.all(finds);
      expect(got[7].map((s) => s.SnapshotId)).toEqual(["s-left"]);
      expect(got.filter((g, i) => i !== 7).every((g) => g.length === 0)).toBe(true);
      const byValue = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) => `${K}=v${from + i}`);
      expect(calls.map((c) => c.tag)).toEqual([K, ...byValue(0, 8), K, ...byValue(8, 30)]);
    });

    it("GIVEN a region with no tagged copy yet WHEN six look-ups ask at once, and the create answered first starts its copy THEN one is asked by value a tick until the loop sees that copy (a tick that serves a one-off look asks none); then one listing proves the key alone and answers the rest, and later bursts too", async () => {
      const { advance, calls, watcher, add } = setup();
      const first = Array.from({ length: 6 }, (_, i) => watcher.findTagged("r", K, `v${i}`));
      let answered = false;
      void first[0].then(() => (answered = true));
      while (!answered) await advance(10);
      add("s-0", K, "v0"); // the create of v0 starts its copy and looks at it
      const look = watcher.observe("r", "s-0");
      await advance(2_000);
      expect((await look)?.Tags?.Tag).toEqual([{ TagKey: K, TagValue: "v0" }]);
      expect((await Promise.all(first)).every((g) => g.length === 0)).toBe(true);
      expect(calls.filter((c) => c.tag).map((c) => c.tag)).toEqual([K, `${K}=v0`, K]);

      const later = [6, 7, 8].map((i) => watcher.findTagged("r", K, `v${i}`));
      await advance(2_000);
      expect((await Promise.all(later)).every((g) => g.length === 0)).toBe(true);
      expect(calls.filter((c) => c.tag).map((c) => c.tag)).toEqual([K, `${K}=v0`, K, K]);
    });

    it("GIVEN the key alone proven WHEN a create's one-off look at its new copy and the next create's look-up fall in one tick THEN one listing answers both: no look by ID", async () => {
      const { advance, calls, watcher, add } = setup();
      add("s-0", K, "v0");
      const proof = Promise.all([watcher.findTagged("r", K, "v0"), watcher.findTagged("r", K, "v1")]);
      await advance(1_000);
      expect((await proof)[0].map((s) => s.SnapshotId)).toEqual(["s-0"]); // a listing of K: the key alone proven
      const before = calls.length;
      add("s-1", K, "v1"); // the create of v1 starts its copy and looks at it; the create of v2 asks for its own
      const look = watcher.observe("r", "s-1");
      const find = watcher.findTagged("r", K, "v2");
      await advance(2_000);
      expect((await look)?.SnapshotId).toBe("s-1");
      expect(await find).toEqual([]);
      expect(calls.slice(before)).toEqual([expect.objectContaining({ ids: [], tag: K })]);
    });

    it("GIVEN 101 watched copies WHEN a look-up by value lists one of them in the same tick THEN the other 100 go in one call, not in calls of 99 and 1", async () => {
      const { advance, calls, watcher, add } = setup();
      add("s-0", K, "v1");
      const ws = Array.from({ length: 101 }, (_, i) => watcher.watch("r", `s-${i}`, { wakeOn: never }));
      const found = watcher.findTagged("r", K, "v1");
      await advance(1_000);
      expect((await found).map((s) => s.SnapshotId)).toEqual(["s-0"]);
      expect(calls.map((c) => c.tag ?? c.ids.length)).toEqual([`${K}=v1`, 100]);
      expect(calls[1].ids).not.toContain("s-0"); // the listed one is not asked again
      ws.forEach((w) => w.close());
    });

    it("GIVEN a single look-up THEN it asks by key and value: one call", async () => {
      const { advance, calls, watcher, add } = setup();
      add("s-left", K, "v1");
      const found = watcher.findTagged("r", K, "v1");
      await advance(1_000);
      expect((await found).map((s) => s.SnapshotId)).toEqual(["s-left"]);
      expect(calls.map((c) => c.tag)).toEqual([`${K}=v1`]);
    });

    it("GIVEN the key's listing is longer than asking each of k values THEN it is cut after k - 1 pages, and the next tick asks by value", async () => {
      const { advance, calls, watcher, add, tagged } = setup();
      tagged.pageSize = 2;
      for (let i = 0; i < 20; i++) add(`s-${i}`, K, `old-${i}`);
      add("s-left", K, "v2");
      const finds = [0, 1, 2].map((i) => watcher.findTagged("r", K, `v${i}`));
      await advance(2_000);
      const got = await Promise.all(finds);
      expect(got.map((g) => g.map((s) => s.SnapshotId))).toEqual([[], [], ["s-left"]]);
      expect(calls.map((c) => c.tag)).toEqual([K, K, `${K}=v0`, `${K}=v1`, `${K}=v2`]);
      // Remembered: the next batch of 3 asks by value at once.
      const again = [3, 4, 5].map((i) => watcher.findTagged("r", K, `v${i}`));
      await advance(2_000);
      await Promise.all(again);
      expect(calls.slice(5).map((c) => c.tag)).toEqual([`${K}=v3`, `${K}=v4`, `${K}=v5`]);
    });

    it("GIVEN 300 look-ups asked by value under a budget of 5 calls a minute THEN all are answered and no sliding minute has more than 5 calls", async () => {
      const { advance, calls, watcher, add, tagged } = setup({ callsPerMinute: 5 });
      tagged.pageSize = 1;
      for (let i = 0; i < 400; i++) add(`s-${i}`, K, `old-${i}`); // a listing by key would take 400 pages
      const w = watcher.watch("r", "s-watched", { wakeOn: never, maxGapMs: 60_000 });
      const finds = Array.from({ length: 300 }, (_, i) => watcher.findTagged("r", K, `v${i}`));
      await advance(2 * 60 * 60_000);
      expect((await Promise.all(finds)).every((g) => g.length === 0)).toBe(true);
      expect(withinBudget(calls, 5)).toBe(true);
      expect(calls.filter((c) => c.tag === K).length).toBeLessThanOrEqual(4); // the one cut-short listing
      w.close();
    });

    it("GIVEN an empty retry quota WHEN a look-up's call fails transiently, then succeeds THEN it resolves; a non-retryable failure rejects at once", async () => {
      const quota = new RetryQuota(0);
      const { advance, watcher, add, tagged } = setup({ retryQuota: () => quota });
      add("s-left", K, "v1");
      let n = 0;
      tagged.fail = () => (n++ < 2 ? apiFailure(true) : undefined);
      const found = watcher.findTagged("r", K, "v1");
      await advance(30_000);
      expect((await found).map((s) => s.SnapshotId)).toEqual(["s-left"]);

      const expired = apiFailure(false);
      tagged.fail = () => expired;
      const refused = watcher.findTagged("r", K, "v1").catch((e: unknown) => e);
      await advance(1_000);
      expect(await refused).toBe(expired);
    });

    it("GIVEN failing look-up calls WHEN the caller aborts THEN it rejects with the abort reason and no more calls are made", async () => {
      const { advance, calls, watcher, tagged } = setup({ retryQuota: () => new RetryQuota(0) });
      tagged.fail = () => apiFailure(true);
      const ac = new AbortController();
      const found = watcher.findTagged("r", K, "v1", { signal: ac.signal }).catch((e: unknown) => e);
      await advance(5_000);
      const made = calls.length;
      ac.abort(new Error("stop"));
      expect(await found).toMatchObject({ message: "stop" });
      await advance(60_000);
      expect(calls.length).toBe(made);
    });
  });

  it("GIVEN many ticks WHEN keepTicks is off THEN the retained history stays bounded while the totals count every tick", async () => {
    const { advance, watcher } = setup({ tickMs: 200, callsPerMinute: 100_000 });
    const w = watcher.watch("r", "s-1", { wakeOn: never, maxGapMs: 200 });
    await advance(DEFAULT_TICKS_KEPT * 4 * 200);
    w.close();
    expect(watcher.tickCount()).toBeGreaterThan(DEFAULT_TICKS_KEPT * 3);
    expect(watcher.tickLog().length).toBe(DEFAULT_TICKS_KEPT);
    expect(watcher.describeCalls()).toBe(watcher.tickCount());
    const log = watcher.tickLog();
    expect(log.every((t, i) => i === 0 || t.at > log[i - 1].at)).toBe(true); // oldest first
    expect(watcher.maxStatusCallsPerInstant()).toEqual({ calls: 1, regions: 1 });
  });

  it("GIVEN keepTicks WHEN many ticks are made THEN every tick is retained (tests and benchmarks)", async () => {
    const { advance, watcher } = setup({ tickMs: 200, callsPerMinute: 100_000, keepTicks: true });
    const w = watcher.watch("r", "s-1", { wakeOn: never, maxGapMs: 200 });
    await advance(DEFAULT_TICKS_KEPT * 2 * 200);
    w.close();
    expect(watcher.tickLog().length).toBe(watcher.tickCount());
  });
});
