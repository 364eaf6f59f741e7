/** SnapshotCopiesReady's check: every rule, no API call; unknown values (preview) pass. Pure. */
import type * as pulumi from "@pulumi/pulumi";
import { checkWaitSettings, SNAPSHOT_ID } from "./fieldRules";
import { DEFAULTS, isUnknown } from "./types";
import { compact, type Props } from "./values";

/** The wait settings it takes, besides `copies`. */
export const READY_SETTINGS = [
  "timeoutMinutes",
  "stallTimeoutMinutes",
  "pollMinSeconds",
  "pollMaxSeconds",
] as const;
const KNOWN = new Set([
  "copies",
  ...READY_SETTINGS,
  "resourceKey",
  "snapshotIds",
  "readyCount",
  "__provider",
]);

export function checkReadyInputs(news: Props): {
  inputs: Props;
  failures: pulumi.dynamic.CheckFailure[];
} {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  for (const k of Object.keys(news))
    if (!KNOWN.has(k)) fail(k, `unknown input "${k}"; SnapshotCopiesReady takes copies and wait settings`);
  const copies = news.copies;
  if (!isUnknown(copies)) {
    if (!Array.isArray(copies))
      fail("copies", "give a list of { snapshotId, regionId } (e.g. from SnapshotCopy)");
    else
      copies.forEach((c, i) => {
        const at = `copies[${i}]`;
        if (isUnknown(c)) return;
        if (typeof c !== "object" || c === null) return fail(at, "give { snapshotId, regionId }");
        const { snapshotId, regionId, name } = c as Props;
        if (!isUnknown(snapshotId) && (typeof snapshotId !== "string" || !SNAPSHOT_ID.test(snapshotId)))
          fail(`${at}.snapshotId`, `a copy's snapshot ID looks like "s-..." (a SnapshotCopy's snapshotId)`);
        if (!isUnknown(regionId) && (typeof regionId !== "string" || regionId === ""))
          fail(`${at}.regionId`, "the region the copy is in (a SnapshotCopy's destinationRegionId)");
        if (name !== undefined && !isUnknown(name) && typeof name !== "string")
          fail(`${at}.name`, "a name for messages, e.g. the SnapshotCopy's resource name (a string)");
      });
  }
  checkWaitSettings(news, fail);
  const inputs: Props = {
    ...news,
    stallTimeoutMinutes: news.stallTimeoutMinutes ?? DEFAULTS.stallTimeoutMinutes,
    pollMinSeconds: news.pollMinSeconds ?? DEFAULTS.pollMinSeconds,
    pollMaxSeconds: news.pollMaxSeconds ?? DEFAULTS.pollMaxSeconds,
  };
  delete inputs.snapshotIds;
  delete inputs.readyCount;
  return { inputs: compact(inputs), failures };
}
