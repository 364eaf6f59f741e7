import fc from "fast-check";
import { checkCopyState, parseProgress, type SnapshotLike } from "../../provider/rules/copyState";

describe("checkCopyState: where a copy stands, from one DescribeSnapshots entry", () => {
  it.each<[string, SnapshotLike | undefined, ReturnType<typeof checkCopyState>]>([
    [
      "no entry",
      undefined,
      { state: "missing", progress: 0, reason: "DescribeSnapshots does not return the copy" },
    ],
    [
      "progressing at 45% with 10 min left (SDK model)",
      { status: "progressing", progress: "45%", remainTime: 600, available: false },
      { state: "progressing", progress: 45, remainSeconds: 600, reason: "copying: 45% done" },
    ],
    [
      "progressing at 45% (raw API JSON)",
      { Status: "progressing", Progress: "45%", RemainTime: "600", Available: false },
      { state: "progressing", progress: 45, remainSeconds: 600, reason: "copying: 45% done" },
    ],
    [
      "progressing with no progress yet",
      { status: "progressing" },
      { state: "progressing", progress: 0, reason: "copying: 0% done" },
    ],
    [
      "accomplished and available",
      { status: "accomplished", progress: "100%", available: true },
      { state: "available", progress: 100 },
    ],
    [
      "accomplished but not yet available",
      { status: "accomplished", progress: "100%", available: false },
      { state: "progressing", progress: 100, reason: "the copy is accomplished but not yet Available" },
    ],
    [
      "available but still progressing",
      { status: "progressing", progress: "99%", available: true },
      { state: "progressing", progress: 99, reason: "copying: 99% done" },
    ],
    [
      "failed",
      { status: "failed", progress: "30%" },
      { state: "failed", progress: 30, reason: 'the copy failed (Status "failed" at 30% progress)' },
    ],
    [
      "an unrecognised status",
      { status: "deleting", progress: "80%" },
      { state: "progressing", progress: 80, reason: 'unrecognised Status "deleting"; still waiting' },
    ],
    [
      "a negative RemainTime",
      { status: "progressing", progress: "5%", remainTime: -1 },
      { state: "progressing", progress: 5, reason: "copying: 5% done" },
    ],
  ])("GIVEN %s", (_t, snapshot, expected) => {
    expect(checkCopyState(snapshot)).toEqual(expected);
  });
});

describe("parseProgress", () => {
  it.each<[unknown, number]>([
    ["45%", 45],
    ["45", 45],
    [45, 45],
    ["100%", 100],
    ["", 0],
    [undefined, 0],
    ["n/a", 0],
    ["150%", 100],
    ["-3%", 0],
  ])("%j -> %d", (raw, n) => {
    expect(parseProgress(raw)).toBe(n);
  });

  it("property: any input gives a number in 0..100", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.constant(undefined)), (raw) => {
        const p = parseProgress(raw);
        return p >= 0 && p <= 100;
      }),
    );
  });
});
