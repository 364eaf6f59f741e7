import fc from "fast-check";
import { VirtualClock } from "../../simulator";

describe("VirtualClock (manual)", () => {
  it("wakes sleepers in deadline order, at their deadline", async () => {
    const clock = new VirtualClock({ mode: "manual", start: 1000 });
    const woke: [string, number][] = [];
    const sleep = (name: string, ms: number) => clock.sleep(ms).then(() => woke.push([name, clock.now()]));
    const all = Promise.all([sleep("c", 300), sleep("a", 100), sleep("b", 200)]);
    expect(clock.pendingSleepers()).toBe(3);
    expect(clock.nextWakeup()).toBe(1100);
    clock.advance(250);
    await Promise.resolve();
    expect(clock.pendingSleepers()).toBe(1);
    clock.advanceTo(5000);
    await all;
    expect(woke.map(([n]) => n)).toEqual(["a", "b", "c"]);
    expect(clock.now()).toBe(5000);
  });

  it("rejects an aborted sleep with the signal's reason and forgets it", async () => {
    const clock = new VirtualClock({ mode: "manual", start: 0 });
    const ac = new AbortController();
    const p = clock.sleep(1000, ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
    expect(clock.pendingSleepers()).toBe(0);
  });

  it("never moves backwards, whatever the advances", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 100_000 })), (steps) => {
        const clock = new VirtualClock({ mode: "manual", start: 0 });
        let last = 0;
        for (const s of steps) {
          clock.advanceTo(s);
          expect(clock.now()).toBeGreaterThanOrEqual(last);
          last = clock.now();
        }
      }),
    );
  });
});

describe("VirtualClock (scaled)", () => {
  // Real time is faked (jest's timers also fake performance.now), so the figures are exact, not timed.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("runs faster than real time by its speed", async () => {
    const clock = new VirtualClock({ mode: "scaled", start: 0, speed: 1000 });
    const slept = clock.sleep(5_000); // 5 ms of real time
    await jest.advanceTimersByTimeAsync(5);
    await slept;
    expect(clock.now()).toBe(5_000);
  });

  it("GIVEN a speed change THEN virtual time continues from where it was, at the new pace", () => {
    const clock = new VirtualClock({ mode: "scaled", start: 0, speed: 1000 });
    jest.advanceTimersByTime(7);
    expect(clock.now()).toBe(7_000);
    clock.setSpeed(1);
    expect(clock.now()).toBe(7_000);
    jest.advanceTimersByTime(3);
    expect(clock.now()).toBe(7_003);
  });

  it("refuses manual advances", () => {
    const clock = new VirtualClock({ mode: "scaled", start: 0, speed: 10 });
    expect(() => clock.advance(1)).toThrow("manual");
  });
});
