import {
  defaultSeed,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
  VirtualClock,
} from "../../simulator";

/** 2026-11-26T12:00:00Z: a fixed virtual start so CreationTime values are predictable. */
export const T0 = Date.parse("2026-11-26T12:00:00Z");

/** Starts one simulator per test file on a manual clock; every test starts from the default seed. */
export function useSimulator(opts: SimulatorOptions = {}): { sim: Simulator; clock: VirtualClock } {
  const ctx = {} as { sim: Simulator; clock: VirtualClock };
  beforeAll(async () => {
    ctx.clock = new VirtualClock({ mode: "manual", start: T0 });
    ctx.sim = await startSimulator({ clock: ctx.clock, ...opts });
  });
  beforeEach(() => ctx.sim.admin.reset(defaultSeed()));
  afterAll(async () => ctx.sim.stop());
  return ctx;
}
