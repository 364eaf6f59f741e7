import { VirtualClock } from "../../simulator";
import type { ApiSnapshot } from "../../provider/rules/snapshot";
import { ProgressReporter } from "../../provider/waiting/progress";
import { StatusWatcher } from "../../provider/waiting/statusWatcher";
import { waitForCopy } from "../../provider/waiting/waitForCopy";
import { autoAdvance } from "../helpers/virtualTime";

const START = Date.UTC(2026, 0, 1);
const MIN = 60_000;

/** A copy with exact hints: linear progress and a RemainTime (whole seconds) that is right. */
function exactCopy(clock: VirtualClock, id: string, endsAt: number): ApiSnapshot {
  const now = clock.now();
  if (now >= endsAt) return { SnapshotId: id, Status: "accomplished", Available: true, Progress: "100%" };
  const progress = Math.floor((100 * (now - START)) / (endsAt - START));
  return {
    SnapshotId: id,
    Status: "progressing",
    Available: false,
    Progress: `${progress}%`,
    RemainTime: Math.ceil((endsAt - now) / 1000),
  };
}

describe("waitForCopy", () => {
  // A waiter that sleeps until pollMaxSeconds may be woken by a heartbeat that looked earlier; the reading it takes
  // then is older than "now". RemainTime counts from when DescribeSnapshots answered, not from when the waiter
  // reads the answer: predicting from "now" put the next look as late as the reading was old.
  test.each([
    { pollMaxSeconds: 120, lookPerCopyMs: 120_000 },
    { pollMaxSeconds: 150, lookPerCopyMs: 120_000 },
    { pollMaxSeconds: 180, lookPerCopyMs: 120_000 },
    { pollMaxSeconds: 240, lookPerCopyMs: 90_000 },
  ])(
    "GIVEN exact hints and pollMaxSeconds $pollMaxSeconds with a $lookPerCopyMs ms heartbeat WHEN a 27-minute copy ends THEN the wait sees it within 2 s",
    async ({ pollMaxSeconds, lookPerCopyMs }) => {
      const clock = new VirtualClock({ start: START, mode: "manual" });
      const endsAt = START + 26 * MIN + 48_948;
      const calls: number[] = [];
      const watcher = new StatusWatcher({
        clock,
        random: () => 0.5,
        lookPerCopyMs,
        describe: async (_region, ids) => {
          calls.push(clock.now());
          return ids.map((id) => exactCopy(clock, id, endsAt));
        },
      });
      const time = autoAdvance(clock, () => 0);
      try {
        const settings = { pollMinSeconds: 15, pollMaxSeconds, stallTimeoutMinutes: 600 };
        const s = await waitForCopy(
          { watcher, clock, random: () => 0.5 },
          { ...settings, destinationRegionId: "r" },
          "s-1",
          ProgressReporter.quiet(clock),
          undefined,
          { exists: true, initial: exactCopy(clock, "s-1", endsAt) },
        );
        expect(s.Status).toBe("accomplished");
        expect(clock.now() - endsAt).toBeLessThanOrEqual(2000);
      } finally {
        await time.stop();
      }
    },
  );
});
