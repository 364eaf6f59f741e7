import fc from "fast-check";
import {
  afterTick,
  budgetAllows,
  chunk,
  dueAt,
  heartbeatDueAt,
  heartbeatMs,
  nextTickAt,
  planLookups,
  planTick,
  TICK_DEFAULTS,
  type FindView,
  type RegionView,
  type WatchView,
} from "../../provider/waiting/tickPlan";

const t = TICK_DEFAULTS;
const watch = (id: string, w: Partial<WatchView> = {}): WatchView => ({
  id,
  wantAt: Infinity,
  lookedAt: -Infinity,
  maxGapMs: 60_000,
  ...w,
});
const region = (v: Partial<RegionView> = {}): RegionView => ({
  now: 1_000_000,
  lastTick: -Infinity,
  lastHeartbeat: -Infinity,
  callTimes: [],
  watches: [],
  observers: [],
  ...v,
});

describe("chunk", () => {
  it("GIVEN any list of IDs THEN the chunks keep every ID in order, each at most 100", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 450 }), (ids) => {
        const cs = chunk(ids);
        return (
          cs.flat().join("\u0000") === ids.join("\u0000") && cs.every((c) => c.length > 0 && c.length <= 100)
        );
      }),
    );
  });
});

describe("budgetAllows", () => {
  it("GIVEN any call history THEN the earliest allowed time keeps the sliding minute within the budget", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120_000 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 3, max: 30 }),
        (raw, calls, budget) => {
          const now = 120_000;
          const times = [...raw].sort((a, b) => a - b);
          const at = budgetAllows(times, now, calls, budget);
          const inWindow = times.filter((x) => x > at - 60_000).length;
          return at >= now && inWindow + calls <= budget;
        },
      ),
    );
  });

  const now = 120_000;
  /** `n` calls evenly spread from `overMs` ago until just now. */
  const spread = (n: number, overMs: number) =>
    Array.from({ length: n }, (_, i) => now - overMs + (overMs * i) / (n - 1));
  it.each([
    ["no call yet", [], 1, now],
    [
      "74 calls in the last 4 s, one more: within the three quarters spent at once",
      spread(74, 4_000),
      1,
      now,
    ],
    [
      "75 calls in the last 4 s: the 25 left spread over the 56 s until the first leaves",
      spread(75, 4_000),
      1,
      now + 56_000 / 25,
    ],
    ["75 calls, a tick of 5 more: five shares of that pace", spread(75, 4_000), 5, now + (5 * 56_000) / 25],
    [
      "100 calls in the last 4 s: when the first leaves the minute",
      spread(100, 4_000),
      1,
      now - 4_000 + 60_000,
    ],
  ] as const)(
    "GIVEN %s THEN a budget of 100 allows the next call(s) at the time shown",
    (_, times, calls, at) => {
      expect(budgetAllows(times, now, calls, 100)).toBeCloseTo(at, 6);
    },
  );

  it("GIVEN any call history with room for a tick's calls THEN they are allowed before the minute's oldest call leaves it: a burst never silences a region for the rest of its minute", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 60_001, max: now }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 3, max: 100 }),
        (raw, calls, budget) => {
          const times = [...raw].sort((a, b) => a - b);
          fc.pre(times.length + calls <= budget);
          return budgetAllows(times, now, calls, budget) <= Math.max(now, times[0] + 60_000);
        },
      ),
    );
  });
});

describe("heartbeatDueAt", () => {
  const now = 1_000_000;
  it.each<[string, Partial<RegionView>, number]>([
    [
      "a region's first copy, seen just now (right after CopySnapshot)",
      { watches: [watch("s-1", { lookedAt: now })] },
      now + 60_000,
    ],
    ["a copy never looked at, no heartbeat yet", { watches: [watch("s-1")] }, -Infinity],
    [
      "every copy looked at since the last heartbeat",
      {
        lastHeartbeat: now - 50_000,
        watches: [watch("s-1", { lookedAt: now - 10_000 }), watch("s-2", { lookedAt: now - 20_000 })],
      },
      now - 20_000 + 60_000,
    ],
    [
      "a copy added since the last heartbeat, not looked at yet",
      { lastHeartbeat: now - 50_000, watches: [watch("s-1", { lookedAt: now - 10_000 }), watch("s-2")] },
      now - 50_000 + 60_000,
    ],
    ["no copies", {}, Infinity],
  ])("GIVEN %s THEN the heartbeat is due at the expected time", (_, v, expected) => {
    const r = region({ now, ...v });
    // One or two copies with maxGapMs 60 s: the period is that gap (lookPerCopyMs ÷ k is longer).
    expect(heartbeatDueAt(r, t)).toBe(expected);
  });
});

describe("heartbeatMs", () => {
  it.each([
    // copies, maxGapMs, expected: max(lookPerCopy, maxGap)·calls/k, never above half the budget, at most maxGap
    [1, 60_000, 60_000], // 120 s per copy, capped by the 60 s gap
    [1, 120_000, 120_000], // one copy pays for one call per 120 s
    [10, 120_000, 12_000], // ten copies share: one look every 12 s
    [1, 600_000, 600_000], // a waiter that allows 600 s gaps earns one look per 600 s
    [10, 600_000, 60_000], // ... shared by ten: every 60 s
    [200, 120_000, 2_400], // 2 calls per tick, half of 100 a minute: every 2.4 s
  ])("GIVEN %i watched copies with maxGapMs %i THEN the heartbeat is every %i ms", (k, gap, expected) => {
    const ws = Array.from({ length: k }, (_, i) => watch(`s-${i}`, { maxGapMs: gap }));
    expect(heartbeatMs(ws, t)).toBe(expected);
  });
});

describe("dueAt and nextTickAt", () => {
  it("GIVEN a sleeping copy expected to finish at E THEN a tick is due at E + slack, not before its waiter wakes", () => {
    const now = 1_000_000;
    const v = region({
      now,
      lastHeartbeat: now,
      watches: [watch("s-1", { pending: "sleep", wantAt: now + 5_000, expectedAt: now + 3_000 })],
    });
    expect(dueAt(v, t)).toBe(now + 5_000 + t.slackMs);
  });

  it("GIVEN a failed tick bought a retry THEN the retry time brings the next tick forward", () => {
    const now = 1_000_000;
    const v = region({
      now,
      lastTick: now,
      lastHeartbeat: now,
      retryAt: now + 1_500,
      watches: [watch("s-1")],
    });
    expect(nextTickAt(v, t).at).toBe(now + 1_500);
  });

  it("GIVEN the loop wakes from idle with a take due THEN it gathers for batchMs before the first call", () => {
    const now = 1_000_000;
    const v = region({ now, watches: [watch("s-1", { pending: "take", wantAt: now })] });
    expect(nextTickAt(v, t)).toEqual({ at: now + t.batchMs, batchUntil: now + t.batchMs });
  });

  it("GIVEN a heartbeat due after a quiet spell THEN it runs on time, not batchMs later", () => {
    const now = 1_000_000;
    const v = region({ now, lastTick: now - 60_000, lastHeartbeat: now - 60_000, watches: [watch("s-1")] });
    expect(nextTickAt(v, t).at).toBe(now);
  });

  it("GIVEN the minute's budget is spent THEN the next tick waits for the oldest call to leave the window", () => {
    const now = 1_000_000;
    const callTimes = Array.from({ length: 100 }, (_, i) => now - 50_000 + i);
    const v = region({
      now,
      lastTick: now - 1_000,
      batchUntil: now,
      callTimes,
      observers: [{ id: "s-1", dueAt: now }],
    });
    expect(nextTickAt(v, t).at).toBe(now - 50_000 + 60_000);
  });
});

describe("planTick", () => {
  it("GIVEN a heartbeat is due THEN the tick covers every watched copy, 100 IDs per call", () => {
    const ws = Array.from({ length: 250 }, (_, i) => watch(`s-${i}`));
    const p = planTick(region({ watches: ws }), t);
    expect(p.heartbeat).toBe(true);
    expect(p.chunks.map((c) => c.length)).toEqual([100, 100, 50]);
  });

  it("GIVEN no heartbeat due THEN the tick covers who asked plus riders, AND one that covers everyone counts as the heartbeat", () => {
    const now = 1_000_000;
    const ws = [
      watch("asked", { pending: "take", wantAt: now, lookedAt: now - 1 }),
      watch("old", { lookedAt: now - 50_000 }),
      watch("new", { lookedAt: now - 10 }),
    ];
    const p = planTick(region({ now, lastHeartbeat: now - 1, watches: ws }), t);
    expect(p.chunks).toEqual([["asked", "old", "new"]]); // all fit in the one call that is made anyway
    expect(p.heartbeat).toBe(true); // every copy was looked at: the next heartbeat is a full period away
  });

  it("GIVEN no heartbeat due AND more copies than fit THEN the least recently looked-at riders fill the call, and it is no heartbeat", () => {
    const now = 1_000_000;
    const ws = [
      watch("asked", { pending: "take", wantAt: now, lookedAt: now - 1 }),
      ...Array.from({ length: 150 }, (_, i) => watch(`s-${i}`, { lookedAt: now - 1000 - i })),
    ];
    const p = planTick(region({ now, lastHeartbeat: now - 1, watches: ws }), t);
    expect(p.heartbeat).toBe(false);
    expect(p.chunks).toHaveLength(1);
    expect(p.chunks[0]).toHaveLength(100);
    expect(p.chunks[0][0]).toBe("asked");
    expect(p.chunks[0]).toContain("s-149"); // the longest unseen ride along
    expect(p.chunks[0]).not.toContain("s-0");
  });

  it("GIVEN one-off looks THEN those due before the next possible tick are served now, later ones wait", () => {
    const now = 1_000_000;
    const v = region({
      now,
      observers: [
        { id: "soon", dueAt: now + t.tickMs },
        { id: "later", dueAt: now + 10_000 },
      ],
    });
    expect(planTick(v, t).chunks).toEqual([["soon"]]);
  });
});

describe("planLookups: tagged look-ups (DescribeSnapshots ANDs Tag.N, so one call asks one value, or the key alone)", () => {
  const finds = (...values: string[]): FindView[] => values.map((value) => ({ key: "k", value, dueAt: 0 }));
  const pages = (n?: number) => new Map(n === undefined ? [] : [["k", n]]);

  it.each([
    // [values due, pages the last listing by key took, room, queries planned, expected calls]
    [["a"], undefined, 100, [{ key: "k", value: "a", maxPages: Infinity, finds: [0] }], 1],
    [["a", "a"], undefined, 100, [{ key: "k", value: "a", maxPages: Infinity, finds: [0, 1] }], 1],
    [["a", "b", "c"], undefined, 100, [{ key: "k", maxPages: 2, finds: [0, 1, 2] }], 1],
    [["a", "b", "c"], 2, 100, [{ key: "k", maxPages: 2, finds: [0, 1, 2] }], 2],
    [
      ["a", "b", "c"],
      3,
      100,
      ["a", "b", "c"].map((value, i) => ({ key: "k", value, maxPages: Infinity, finds: [i] })),
      3,
    ],
    [
      ["a", "b", "c"],
      3,
      2,
      ["a", "b"].map((value, i) => ({ key: "k", value, maxPages: Infinity, finds: [i] })),
      2,
    ],
    [["a", "b", "c"], 1, 0, [{ key: "k", maxPages: 1, finds: [0, 1, 2] }], 1],
  ])(
    "GIVEN look-ups for %j, a last listing of %s pages and room for %s calls THEN it plans %j",
    (values, last, room, lookups, calls) => {
      expect(planLookups(finds(...values), pages(last), 0, room)).toEqual({ lookups, calls });
    },
  );

  it("GIVEN look-ups due later than the horizon THEN they wait", () => {
    const f = [...finds("a"), { key: "k", value: "b", dueAt: 5_000 }];
    expect(planLookups(f, pages(), 200, 100).lookups).toEqual([
      { key: "k", value: "a", maxPages: Infinity, finds: [0] },
    ]);
  });

  it.each([
    // [what the key's listings have shown, queries planned for look-ups a, b, c]
    ["nothing yet", undefined, [{ key: "k", maxPages: 2, finds: [0, 1, 2] }]],
    ["the key alone matching a value", "proven", [{ key: "k", maxPages: 2, finds: [0, 1, 2] }]],
    [
      "an empty listing, nothing tagged seen (waiting)",
      "waiting",
      [{ key: "k", value: "a", maxPages: Infinity, finds: [0] }],
    ],
    [
      "an empty listing though a tagged copy was seen (refuted)",
      "refuted",
      ["a", "b", "c"].map((value, i) => ({ key: "k", value, maxPages: Infinity, finds: [i] })),
    ],
  ] as const)(
    "GIVEN three look-ups of a key whose listings have shown %s THEN it plans the right queries",
    (_, reading, lookups) => {
      const keyAlone = new Map(reading === undefined ? [] : [["k", reading]]);
      expect(planLookups(finds("a", "b", "c"), pages(), 0, 100, keyAlone).lookups).toEqual(lookups);
    },
  );

  it("GIVEN look-ups of a waiting key in a tick that also serves one-off looks THEN none is asked: what the tick sees may let the next one list", () => {
    const keyAlone = new Map([["k", "waiting" as const]]);
    expect(planLookups(finds("a", "b", "c"), pages(), 0, 100, keyAlone, true)).toEqual({
      lookups: [],
      calls: 0,
    });
  });

  it.each([
    // [what the key's listings have shown, the tick also serves one-off looks, the query planned for one look-up]
    ["proven", true, { key: "k", maxPages: 1, finds: [0] }],
    ["proven", false, { key: "k", value: "a", maxPages: Infinity, finds: [0] }],
    [undefined, true, { key: "k", value: "a", maxPages: Infinity, finds: [0] }],
  ] as const)(
    "GIVEN one look-up of a key whose listings have shown %s AND one-off looks in the tick: %s THEN it plans %j (a one-page listing of a proven key costs what asking by value does, and may answer the one-off looks too)",
    (reading, servingOneOffLooks, lookup) => {
      const keyAlone = new Map(reading === undefined ? [] : [["k", reading]]);
      expect(planLookups(finds("a"), pages(), 0, 100, keyAlone, servingOneOffLooks)).toEqual({
        lookups: [lookup],
        calls: 1,
      });
    },
  );

  it("GIVEN any look-ups, history, reading and room THEN a tick's look-up calls, a listing's most pages included, are no more than asking each value, and within the room (at least one)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "b", "c", "d", "e", "f"), { minLength: 1, maxLength: 30 }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        fc.integer({ min: -5, max: 20 }),
        fc.constantFrom(undefined, "proven" as const),
        fc.boolean(),
        (values, last, room, reading, servingOneOffLooks) => {
          const k = new Set(values).size;
          const keyAlone = new Map(reading === undefined ? [] : [["k", reading]]);
          const { lookups, calls } = planLookups(
            finds(...values),
            pages(last),
            0,
            room,
            keyAlone,
            servingOneOffLooks,
          );
          const mostCalls = lookups.reduce((n, l) => n + (l.value === undefined ? l.maxPages : 1), 0);
          const served = lookups.flatMap((l) => l.finds);
          return (
            calls >= 1 &&
            calls <= k &&
            mostCalls <= k &&
            mostCalls <= Math.max(1, room) &&
            new Set(served).size === served.length
          );
        },
      ),
    );
  });

  it("GIVEN look-ups in a region whose minute budget is nearly spent THEN planTick counts them in the tick's calls, within the room", () => {
    const now = 1_000_000;
    const v = region({
      now,
      callTimes: Array.from({ length: 97 }, () => now - 1_000),
      finds: Array.from({ length: 10 }, (_, i) => ({ key: "k", value: `v${i}`, dueAt: now })),
      keyPages: new Map([["k", 20]]),
    });
    const plan = planTick(v, t);
    expect(plan.lookups.map((l) => l.value)).toEqual(["v0", "v1", "v2"]);
    expect(plan.calls).toBe(3);
  });

  it.each([
    {
      serving: "a one-off look (a create's look at its new copy)",
      extra: { observers: [{ id: "s-new", dueAt: 0 }] },
      asked: "none",
      values: [],
    },
    {
      serving: "a watched copy that asks",
      extra: { watches: [watch("s-old", { pending: "take" })] },
      asked: "one",
      values: ["v0"],
    },
  ])(
    "GIVEN look-ups of a waiting key in a tick that also serves $serving THEN planTick asks $asked of them by value",
    ({ extra, values }) => {
      const v = region({
        finds: ["v0", "v1"].map((value) => ({ key: "k", value, dueAt: 0 })),
        keyAlone: new Map([["k", "waiting" as const]]),
        ...extra,
      });
      expect(planTick(v, t).lookups.map((l) => l.value)).toEqual(values);
    },
  );
});

describe("afterTick: what a tick does to a waiter", () => {
  const now = 1_000;
  it.each([
    ["a take", "take", now + 9_999, { ok: true, wakes: false }, "settle"],
    ["a take", "take", now + 9_999, { ok: false, retryable: true }, "settle"],
    ["a sleep whose time has come", "sleep", now, { ok: true, wakes: false }, "settle"],
    ["a sleep whose time has come", "sleep", now, { ok: false, retryable: true }, "settle"],
    ["an early sleep", "sleep", now + 1, { ok: true, wakes: true }, "settle"],
    ["an early sleep", "sleep", now + 1, { ok: true, wakes: false }, "keep"],
    ["an early sleep", "sleep", now + 1, { ok: false, retryable: true }, "keep"],
    ["an early sleep", "sleep", now + 1, { ok: false, retryable: false }, "settle"],
    ["no waiter", undefined, Infinity, { ok: false, retryable: false }, "keep"],
  ] as const)(
    "GIVEN %s (%s until %d) WHEN the tick's outcome is %j THEN it is %s",
    (_, pending, wantAt, outcome, expected) => {
      expect(afterTick(pending, wantAt, now, outcome)).toBe(expected);
    },
  );
});
