/**
 * Waits whose status checks fail, and waits for copies deleted outside the stack, on virtual time.
 * - A non-retryable answer (credentials that stopped working) ends the wait at once with Alibaba's code.
 * - Transient failures that never end (HTTP 500 for good) cannot keep a wait past its deadline or stall limit.
 * - A copy the stack knows exists and DescribeSnapshots no longer returns fails the wait promptly.
 * s-sim0010 is about 477 GiB: a four-hour copy, so it is surely still running during these waits.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { CopiesReadyProviderImpl } from "../../provider/lifecycle";
import { checkReadyInputs } from "../../provider/rules/checkCopiesReady";
import { createError, startHarness, type Harness } from "./harness";

const MIN = 60_000;
const long = {
  sourceSnapshotId: "s-sim0010",
  sourceRegionId: "cn-hangzhou",
  destinationRegionId: "eu-central-1",
  resourceKey: "proj/dev/big-copy",
};

let h: Harness;
afterEach(async () => {
  await h?.close();
});

/** From virtual minute `at` on, every matching call answers with `kind`. */
function failFrom(at: number, kind: "tokenExpired" | "internal", action?: string): Promise<void> {
  return h.clock.sleep(at * MIN).then(() => h.sim.admin.setFaults({ rules: [{ kind, action, rate: 1 }] }));
}

const failingLines = () => h.logs.filter((l) => /status checks failing since/.test(l));

describe("GIVEN the STS token stops working at virtual minute 4", () => {
  test.each([
    ["with timeoutMinutes 15", { timeoutMinutes: 15 }],
    ["without timeoutMinutes", {}],
  ])(
    "%s WHEN the wait's next status check gets InvalidSecurityToken.Expired THEN the wait ends at once, quoting the code and message",
    async (_, extra) => {
      h = await startHarness();
      const start = h.clock.now();
      const expired = failFrom(4, "tokenExpired");

      const err = await createError(h, { ...long, ...extra });
      await expired;

      expect(err.message).toContain("InvalidSecurityToken.Expired: Specified SecurityToken is expired.");
      expect(err.message).toMatch(/retrying cannot fix/);
      // At once: the next look after minute 4 (a heartbeat is at most pollMaxSeconds away), not the deadline.
      expect(h.clock.now() - start).toBeLessThan(6 * MIN);
      // One failed status check is enough: no storm of failing calls.
      expect(h.sim.admin.count({ action: "DescribeSnapshots", status: 400 })).toBeLessThanOrEqual(3);
    },
  );
});

test("GIVEN DescribeSnapshots answers HTTP 500 for good from minute 2 and timeoutMinutes 15 THEN the wait ends at about 15 virtual minutes with a timeout that names the failing checks", async () => {
  h = await startHarness();
  const start = h.clock.now();
  const failing = failFrom(2, "internal", "DescribeSnapshots");

  const err = await createError(h, { ...long, timeoutMinutes: 15 });
  await failing;

  expect(err.message).toMatch(/the timeout of 15m 0s was reached/);
  expect(err.message).toMatch(/status checks failing since .*InternalError/);
  // The wait ended at its deadline; then cancelling the copy spends at most the 3-minute retry window of a
  // one-off look (its DescribeSnapshots fails too).
  expect(h.clock.now() - start).toBeLessThan(15 * MIN + 4 * MIN);
  expect(failingLines().length).toBeGreaterThan(0);
  expect(failingLines()[0]).toMatch(
    /\(\d+ failed\): DescribeSnapshots in eu-central-1 failed: InternalError.*next look in about \d+s/,
  );
  // Every attempt is counted against the region's budget (default 100 a minute), and the retry quota stops the
  // early retries: calls stay far below the budget over 13 minutes of failures.
  expect(h.sim.admin.count({ action: "DescribeSnapshots", status: 500 })).toBeLessThan(13 * 100);
  // Every call, create's tag look-up for a copy an interrupted run left included, went through the loop.
  expect(h.sim.admin.count({ action: "DescribeSnapshots" })).toBe(h.watcher.describeCalls());
});

test("GIVEN no timeout and DescribeSnapshots answering HTTP 500 for good from minute 2 THEN the stall limit still ends the wait", async () => {
  h = await startHarness();
  const start = h.clock.now();
  const failing = failFrom(2, "internal", "DescribeSnapshots");

  const err = await createError(h, { ...long, stallTimeoutMinutes: 30 });
  await failing;

  expect(err.message).toMatch(/progress has not advanced at \d+% progress for 3\dm/);
  expect(err.message).toMatch(/status checks failing since/);
  const elapsed = h.clock.now() - start;
  expect(elapsed).toBeGreaterThan(30 * MIN);
  expect(elapsed).toBeLessThan(2 * MIN + 30 * MIN + 5 * MIN);
});

describe("GIVEN a copy the stack records, deleted outside the stack", () => {
  const deleteOutside = (id: string, region: string) =>
    ecsClient(h.sim, region).deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id }));

  test("WHEN SnapshotCopiesReady waits for it and another copy THEN it fails promptly, naming the copy and saying refresh then up", async () => {
    h = await startHarness();
    const made = await Promise.all(
      ["s-sim0010", "s-sim0011"].map((src, i) =>
        h.create({ ...long, sourceSnapshotId: src, waitForCompletion: false, resourceKey: `p/s/c${i}` }),
      ),
    );
    const copies = made.map((m) => ({ snapshotId: m.id, regionId: "eu-central-1" }));
    await deleteOutside(copies[1].snapshotId, "eu-central-1");
    const ready = new CopiesReadyProviderImpl(h.provider.runtime, (l) => h.logs.push(l));
    const start = h.clock.now();

    const { inputs } = checkReadyInputs({ copies, resourceKey: "p/s/ready" });
    const err = await ready.create(inputs).then(
      () => undefined,
      (e: Error) => e,
    );

    expect(err?.message).toContain(`copy ${copies[1].snapshotId} in eu-central-1`);
    expect(err?.message).toMatch(/deleted outside this stack/);
    expect(err?.message).toMatch(/`pulumi refresh`.*then `pulumi up`/);
    expect(err?.message).not.toMatch(/stall|has not advanced/);
    expect(h.clock.now() - start).toBeLessThan(3 * MIN);
  });

  test("WHEN an onTimeout keep copy is deleted and the next up resumes the wait THEN the update fails promptly with refresh then up", async () => {
    h = await startHarness();
    const kept = await createError(h, { ...long, timeoutMinutes: 3, onTimeout: "keep" });
    const id = kept.id as string;
    await deleteOutside(id, "eu-central-1");
    const start = h.clock.now();

    const err = await h
      .update(id, kept.properties as Record<string, unknown>, {
        ...long,
        timeoutMinutes: 30,
        onTimeout: "keep",
      })
      .then(
        () => undefined,
        (e: Error) => e,
      );

    expect(err?.message).toContain(`the copy ${id} in eu-central-1 no longer exists`);
    expect(err?.message).toMatch(/`pulumi refresh`.*then `pulumi up`/);
    expect(err?.message).not.toMatch(/run `pulumi up` again to keep waiting/);
    expect(h.clock.now() - start).toBeLessThan(3 * MIN);
  });
});
