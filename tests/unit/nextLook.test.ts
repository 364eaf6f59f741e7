import fc from "fast-check";
import {
  AGREEING_READINGS,
  HEDGE,
  LATE_MS,
  LATE_SHARE,
  MIN_LOOK_MS,
  nextLook,
  type Readings,
} from "../../provider/waiting/nextLook";

const T0 = 1_000_000;
const none: Readings = { ends: [] };

describe("nextLook: when to look at a progressing copy again", () => {
  it("GIVEN a first reading THEN the next look is at two thirds of RemainTime (+ LATE_MS), not at its end", () => {
    const n = nextLook(none, T0, 600, 10);
    expect(n).toEqual({
      readings: {
        since: T0,
        ends: [T0 + 600_000],
        earliest: T0 + HEDGE * 600_000,
        change: { at: T0, progress: 10, ratePerMs: undefined },
      },
      lookInMs: HEDGE * 600_000 + LATE_MS,
      atEnd: false,
    });
  });

  it("GIVEN three readings that predict the same end THEN the next look is at that end", () => {
    let r = nextLook(none, T0, 600, 0).readings;
    r = nextLook(r, T0 + 400_000, 200, 66).readings;
    const n = nextLook(r, T0 + 500_000, 101, 83); // 1 s of rounding: still the same end
    expect(n).toMatchObject({ lookInMs: 101_000, atEnd: true });
    expect(n.readings.ends).toHaveLength(AGREEING_READINGS);
  });

  it("GIVEN readings that disagree THEN the look stays at two thirds until the last three agree again", () => {
    let r = nextLook(none, T0, 600, 0).readings;
    r = nextLook(r, T0 + 100_000, 900, 10).readings; // RemainTime went up
    expect(nextLook(r, T0 + 200_000, 400, 20)).toMatchObject({
      lookInMs: HEDGE * 400_000 + LATE_MS,
      atEnd: false,
    });
  });

  it.each([
    ["absent", undefined],
    ["0", 0],
  ])(
    "GIVEN RemainTime %s AND the last reading's earliest end ahead THEN the look is at that earliest end (+ LATE_MS)",
    (_, remain) => {
      const r = nextLook(none, T0 - 30_000, 180, 50).readings; // earliest end: T0 - 30 s + 120 s
      expect(nextLook(r, T0, remain, 60)).toMatchObject({ lookInMs: 90_000 + LATE_MS, atEnd: false });
    },
  );

  it("GIVEN RemainTime absent AND every prediction passed THEN Progress's rate at its last change estimates what is left, hedged", () => {
    const r: Readings = {
      since: T0 - 600_000,
      ends: [T0 - 5_000],
      change: { at: T0 - 20_000, progress: 90 },
    };
    // 5 % in 20 s: the last 5 % takes 20 s more.
    const n = nextLook(r, T0, undefined, 95);
    expect(n).toMatchObject({ lookInMs: HEDGE * 20_000 + LATE_MS, atEnd: false });
    // Still 95 % 8 s later: the same rate, counted from that change, leaves 12 s.
    expect(nextLook(n.readings, T0 + 8_000, undefined, 95).lookInMs).toBeCloseTo(HEDGE * 12_000 + LATE_MS);
  });

  it.each<[string, number, number, number]>([
    // [wait, first reading's RemainTime (s), reading at (s into the wait), its RemainTime (s)]
    ["20 s (engine bench's longest copy)", 19, 15, 4],
    ["10 s", 9, 6, 3],
    ["40 s or more: the full LATE_MS", 40, 30, 10],
  ])(
    "GIVEN a wait of %s THEN a look at the earliest end lands at most LATE_SHARE of the wait after it",
    (_, first, at, remain) => {
      const r = nextLook(none, T0, first, 0).readings;
      const waitMs = (at + remain) * 1000;
      const late = Math.min(LATE_MS, LATE_SHARE * waitMs);
      expect(nextLook(r, T0 + at * 1000, remain, 50).lookInMs).toBeCloseTo(HEDGE * remain * 1000 + late);
    },
  );

  it("GIVEN a 20 s copy read at its start and 4 s before its end THEN the next look lands within 1 s of its end (2 s before the allowance was a share)", () => {
    // bench/engine-parallel.ts: the last copy of a 100-copy set, RemainTime rounded up as the simulator does.
    const r = nextLook(none, T0, 19, 0).readings;
    const look = T0 + 15_600 + nextLook(r, T0 + 15_600, 4, 80).lookInMs!;
    expect(look - (T0 + 19_000)).toBeGreaterThan(0);
    expect(look - (T0 + 19_000)).toBeLessThanOrEqual(1_000);
  });

  it.each<[string, Readings, number]>([
    ["no reading at all", none, 40],
    [
      "predictions passed and no rate known",
      { ends: [T0 - 5_000], change: { at: T0 - 20_000, progress: 95 } },
      95,
    ],
  ])("GIVEN RemainTime absent AND %s THEN nothing is known ahead: the caller backs off", (_, r, progress) => {
    expect(nextLook(r, T0, undefined, progress).lookInMs).toBeUndefined();
  });

  it("never looks sooner than MIN_LOOK_MS, keeps at most AGREEING_READINGS predictions, and never looks more than LATE_MS past a RemainTime that overstates by up to 50 % unless readings agree", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 * 3600_000 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 10 * 3600 }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        (earlier, trueSeconds, e) => {
          const r: Readings = { ends: earlier.map((d) => T0 + d) };
          const reported = Math.max(1, Math.round(trueSeconds * (1 + e)));
          const n = nextLook(r, T0, reported, 50);
          expect(n.readings.ends.length).toBeLessThanOrEqual(AGREEING_READINGS);
          expect(n.lookInMs).toBeGreaterThanOrEqual(MIN_LOOK_MS);
          if (!n.atEnd) expect(n.lookInMs!).toBeLessThanOrEqual(trueSeconds * 1000 + 1000 + LATE_MS);
        },
      ),
    );
  });
});
