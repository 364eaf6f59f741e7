/**
 * SnapshotCopiesReady (docs/design.md §10): copies started with `waitForCompletion: false`, then one resource waits for all
 * of them through the shared status watcher, and fails fast on the first failed copy.
 */
import { getMaxListeners } from "node:events";
import { CopiesReadyProviderImpl } from "../../provider/lifecycle";
import { checkReadyInputs } from "../../provider/rules/checkCopiesReady";
import { RegionLoop } from "../../provider/waiting/regionLoop";
import { startHarness, type Harness } from "./harness";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const pad = (n: number) => String(n).padStart(4, "0");
const REGIONS = ["eu-central-1", "cn-shanghai"];

/** Starts n copies without waiting; returns their { snapshotId, regionId }. */
async function startCopies(n: number): Promise<{ snapshotId: string; regionId: string }[]> {
  const made = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      h.create({
        sourceSnapshotId: `s-sim${pad(i + 1)}`,
        sourceRegionId: "cn-hangzhou",
        destinationRegionId: REGIONS[i % 2],
        waitForCompletion: false,
        resourceKey: `proj/dev/copy-${i}`,
      }),
    ),
  );
  return made.map((m, i) => ({ snapshotId: m.id, regionId: REGIONS[i % 2] }));
}

test("GIVEN 8 copies started without waiting WHEN SnapshotCopiesReady waits THEN it returns once every copy is usable, checking each region once per tick", async () => {
  h = await startHarness();
  const copies = await startCopies(8);
  expect(h.sim.admin.snapshots("eu-central-1").some((s) => s.Status === "progressing")).toBe(true);
  const ready = new CopiesReadyProviderImpl(h.provider.runtime, (l) => h.logs.push(l));
  h.sim.admin.resetCounters();

  const { inputs } = checkReadyInputs({ copies, resourceKey: "proj/dev/ready" });
  const r = await ready.create(inputs);

  expect(r.outs.snapshotIds).toEqual(copies.map((c) => c.snapshotId));
  for (const region of REGIONS)
    for (const s of h.sim.admin
      .snapshots(region)
      .filter((x) => copies.some((c) => c.snapshotId === x.SnapshotId)))
      expect(s).toMatchObject({ Status: "accomplished", Available: true });
  expect(h.watcher.maxStatusCallsPerInstant().calls).toBeLessThanOrEqual(REGIONS.length);
  expect(h.logs.some((l) => /8\/8 copies usable/.test(l))).toBe(true);
  // While copies move, one summary line (not a line per copy): how many are usable, the others' mean and slowest.
  expect(h.logs).toContainEqual(
    expect.stringMatching(
      /^SnapshotCopiesReady proj\/dev\/ready: \d\/8 copies usable; the others at \d+% on average, the slowest copy s-\w+ in [a-z0-9-]+ at \d+%$/,
    ),
  );
});

test("GIVEN one of 6 copies fails halfway WHEN SnapshotCopiesReady waits THEN it fails at once with that copy's ID and reason while the others still run", async () => {
  h = await startHarness();
  h.sim.admin.setFaults({
    failCopies: [{ sourceSnapshotId: "s-sim0002", atPercent: 50, reason: "source disk I/O error" }],
  });
  const copies = (await startCopies(6)).map((c, i) => ({ ...c, name: `backups-${i}` }));
  const ready = new CopiesReadyProviderImpl(h.provider.runtime, (l) => h.logs.push(l));

  const { inputs } = checkReadyInputs({ copies });
  const err = await ready.create(inputs).then(
    () => undefined,
    (e: Error) => e,
  );

  expect(err?.message).toContain(
    // DescribeSnapshots has no failure-reason field (ECS API reference): its Status and Progress are the reason.
    `copy backups-1 (${copies[1].snapshotId} in ${copies[1].regionId}): the copy failed (Status "failed" at 50% progress)`,
  );
  const still = REGIONS.flatMap((r) => h.sim.admin.snapshots(r)).filter((s) => s.Status === "progressing");
  expect(still.length).toBeGreaterThan(0); // it did not wait for the rest
});

test.each([
  [{ copies: "s-1" }, "copies"],
  [{ copies: [{ snapshotId: "d-123", regionId: "eu-central-1" }] }, "copies[0].snapshotId"],
  [{ copies: [{ snapshotId: "s-123", regionId: "" }] }, "copies[0].regionId"],
  [{ copies: [{ snapshotId: "s-123", regionId: "eu-central-1", name: 7 }] }, "copies[0].name"],
  [{ copies: [], stallTimeoutMinutes: 0 }, "stallTimeoutMinutes"],
  [{ copies: [], pollMinSeconds: 30, pollMaxSeconds: 10 }, "pollMaxSeconds"],
  [{ copies: [], waitFor: true }, "waitFor"],
])("GIVEN %j THEN check fails on %s", (news, property) => {
  const { failures } = checkReadyInputs(news);
  expect(failures.map((f) => f.property)).toContain(property);
});

test("GIVEN copies not known yet (preview) THEN check passes", () => {
  const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  expect(checkReadyInputs({ copies: unknown }).failures).toEqual([]);
  expect(checkReadyInputs({ copies: [{ snapshotId: unknown, regionId: unknown }] }).failures).toEqual([]);
});

test("GIVEN 12 copies WHEN SnapshotCopiesReady waits THEN the abort signal all their waits listen on is exempt from Node's listener-leak warning (12 listeners by design, not a leak)", async () => {
  h = await startHarness();
  const copies = await startCopies(12);
  const ready = new CopiesReadyProviderImpl(h.provider.runtime, (l) => h.logs.push(l));
  // Node warns "MaxListenersExceededWarning: Possible EventTarget memory leak" on stderr (in the user's \`pulumi up\`)
  // when an AbortSignal has more than 10 listeners. jest's \`process\` does not see that warning, so the test reads
  // the signals the waits hand to the region loops, and each signal's listener limit.
  const wait = jest.spyOn(RegionLoop.prototype, "wait");
  await ready.create(checkReadyInputs({ copies }).inputs);
  const signals = new Map<AbortSignal, number>();
  for (const [, , , signal] of wait.mock.calls)
    if (signal) signals.set(signal, (signals.get(signal) ?? 0) + 1);
  wait.mockRestore();
  const shared = [...signals].filter(([, waits]) => waits > 10);
  expect(shared.length).toBeGreaterThan(0);
  for (const [signal] of shared) expect(getMaxListeners(signal)).toBe(Infinity);
});
