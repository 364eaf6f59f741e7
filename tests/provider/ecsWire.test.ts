/**
 * The provider calls ECS through openapi-core's generic client instead of @alicloud/ecs20140526
 * (docs/design.md §13: the SDK costs 36 MB resident). GIVEN the same call made through the SDK and through Outbound, against a server that
 * records each request, THEN the requests are the same: method, path, query (names, values and order), body and
 * headers — all but the per-request date, nonce and the signature over them. And the answers read the same.
 */
import * as http from "node:http";
import { AddressInfo } from "node:net";
import Ecs, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil } from "@alicloud/openapi-core";
import { Outbound } from "../../provider/cloud/outbound";
import type { ResolvedConfig } from "../../provider/cloud/config";

interface Recorded {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const PER_REQUEST = ["x-acs-date", "x-acs-signature-nonce", "authorization"];
const creds = { accessKeyId: "AKIDwire", accessKeySecret: "wire-secret", securityToken: "sts-wire" };

// Canned answers; the DescribeSnapshots one types some fields loosely (strings for boolean and integer fields),
// to check that Outbound reads them as the SDK's models would.
const answers: Record<string, object> = {
  CopySnapshot: { RequestId: "r-1", SnapshotId: "s-copy1" },
  DescribeSnapshots: {
    RequestId: "r-2",
    Snapshots: {
      Snapshot: [
        {
          SnapshotId: "s-copy1",
          Status: "progressing",
          Progress: "45%",
          RemainTime: "120",
          Available: "false",
          Encrypted: "true",
          RetentionDays: "7",
          SourceDiskSize: 40,
          Tags: { Tag: [{ TagKey: "team", TagValue: "platform" }] },
        },
      ],
    },
  },
  DescribeDisks: { RequestId: "r-3", Disks: { Disk: [{ DiskId: "d-1" }, { DiskId: "d-2" }] } },
};

let server: http.Server;
let host: string;
const recorded: Recorded[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const headers = { ...req.headers };
      for (const h of PER_REQUEST) delete headers[h];
      recorded.push({ method: req.method ?? "", url: req.url ?? "", headers, body });
      const action = String(req.headers["x-acs-action"]);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(answers[action] ?? { RequestId: "r-0" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sdk(region: string): Ecs {
  return new Ecs(
    new $OpenApiUtil.Config({
      ...creds,
      regionId: region,
      endpoint: host,
      protocol: "http",
      readTimeout: 30_000,
      connectTimeout: 10_000,
      globalParameters: new $OpenApiUtil.GlobalParameters({ queries: { RegionId: region } }),
    }),
  );
}

function outbound(): Outbound {
  const cfg: ResolvedConfig = {
    credentials: { kind: "static", ...creds },
    endpoints: { ecs: host },
    protocol: "http",
    describeCallsPerMinute: 1000,
    client: {},
    secrets: [],
    sources: {},
  };
  return new Outbound(cfg, { clock: { now: () => Date.now(), sleep: async () => {} }, random: Math.random });
}

/** Runs both, returns [the SDK's request, Outbound's request, the SDK's answer, Outbound's answer]. */
async function both<A, B>(
  viaSdk: () => Promise<A>,
  viaOutbound: () => Promise<B>,
): Promise<[Recorded, Recorded, A, B]> {
  recorded.length = 0;
  const a = await viaSdk();
  const b = await viaOutbound();
  expect(recorded).toHaveLength(2);
  return [recorded[0], recorded[1], a, b];
}

const tags = { team: "platform", "cost-center": "42" };

describe("ECS requests through openapi-core are the SDK's requests", () => {
  it.each<[string, (e: Ecs) => Promise<unknown>, (o: Outbound) => Promise<unknown>]>([
    [
      "CopySnapshot with every parameter",
      (e) =>
        e.copySnapshot(
          new $Ecs.CopySnapshotRequest({
            regionId: "cn-hangzhou",
            snapshotId: "s-src1",
            destinationRegionId: "eu-central-1",
            clientToken: "tok-1",
            destinationSnapshotName: "backup",
            destinationSnapshotDescription: "nightly, copied",
            retentionDays: 30,
            encrypted: true,
            KMSKeyId: "key-1",
            resourceGroupId: "rg-1",
            tag: Object.entries(tags).map(([key, value]) => new $Ecs.CopySnapshotRequestTag({ key, value })),
          }),
        ),
      (o) =>
        o.copySnapshot({
          sourceRegionId: "cn-hangzhou",
          sourceSnapshotId: "s-src1",
          destinationRegionId: "eu-central-1",
          clientToken: "tok-1",
          name: "backup",
          description: "nightly, copied",
          retentionDays: 30,
          encrypted: true,
          kmsKeyId: "key-1",
          resourceGroupId: "rg-1",
          tags,
        }),
    ],
    [
      "CopySnapshot with only the required parameters (the metadata requires name and description)",
      (e) =>
        e.copySnapshot(
          new $Ecs.CopySnapshotRequest({
            destinationSnapshotName: "made-outside",
            destinationSnapshotDescription: "made outside the stack",
            regionId: "cn-hangzhou",
            snapshotId: "s-src1",
            destinationRegionId: "eu-central-1",
            clientToken: "tok-2",
          }),
        ),
      (o) =>
        o.copySnapshot({
          sourceRegionId: "cn-hangzhou",
          sourceSnapshotId: "s-src1",
          destinationRegionId: "eu-central-1",
          clientToken: "tok-2",
          name: "made-outside",
          description: "made outside the stack",
        }),
    ],
    [
      "DescribeSnapshots",
      (e) =>
        e.describeSnapshots(
          new $Ecs.DescribeSnapshotsRequest({
            regionId: "eu-central-1",
            snapshotIds: JSON.stringify(["s-1", "s-2"]),
            maxResults: 100,
          }),
        ),
      (o) => o.describeSnapshots("eu-central-1", ["s-1", "s-2"]),
    ],
    [
      "DeleteSnapshot, forced",
      (e) => e.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-1", force: true })),
      (o) => o.deleteSnapshot("eu-central-1", "s-1", true),
    ],
    [
      "DeleteSnapshot",
      (e) => e.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: "s-1" })),
      (o) => o.deleteSnapshot("eu-central-1", "s-1", false),
    ],
    [
      "ModifySnapshotAttribute",
      (e) =>
        e.modifySnapshotAttribute(
          new $Ecs.ModifySnapshotAttributeRequest({
            snapshotId: "s-1",
            snapshotName: "renamed",
            description: "",
            retentionDays: 60,
          }),
        ),
      (o) =>
        o.modifySnapshotAttribute("eu-central-1", "s-1", {
          name: "renamed",
          description: "",
          retentionDays: 60,
        }),
    ],
    [
      "TagResources",
      (e) =>
        e.tagResources(
          new $Ecs.TagResourcesRequest({
            regionId: "eu-central-1",
            resourceType: "snapshot",
            resourceId: ["s-1"],
            tag: Object.entries(tags).map(([key, value]) => new $Ecs.TagResourcesRequestTag({ key, value })),
          }),
        ),
      (o) => o.tagResources("eu-central-1", "s-1", tags),
    ],
    [
      "UntagResources",
      (e) =>
        e.untagResources(
          new $Ecs.UntagResourcesRequest({
            regionId: "eu-central-1",
            resourceType: "snapshot",
            resourceId: ["s-1"],
            tagKey: ["team", "cost-center"],
          }),
        ),
      (o) => o.untagResources("eu-central-1", "s-1", ["team", "cost-center"]),
    ],
    [
      "JoinResourceGroup",
      (e) =>
        e.joinResourceGroup(
          new $Ecs.JoinResourceGroupRequest({
            regionId: "eu-central-1",
            resourceType: "snapshot",
            resourceId: "s-1",
            resourceGroupId: "rg-2",
          }),
        ),
      (o) => o.joinResourceGroup("eu-central-1", "s-1", "rg-2"),
    ],
    [
      "DescribeDisks",
      (e) =>
        e.describeDisks(
          new $Ecs.DescribeDisksRequest({ regionId: "eu-central-1", snapshotId: "s-1", maxResults: 100 }),
        ),
      (o) => o.disksCreatedFrom("eu-central-1", "s-1"),
    ],
  ])("%s", async (_name, viaSdk, viaOutbound) => {
    // The SDK client of the region the provider would use: the source region for CopySnapshot.
    const [fromSdk, fromOutbound] = await both(
      () => viaSdk(sdk(regionOf(_name))),
      () => viaOutbound(outbound()),
    );
    expect(fromOutbound).toEqual(fromSdk);
    expect(fromOutbound.url.length).toBeGreaterThan(2); // the parameters travel in the query string
  });
});

function regionOf(name: string): string {
  return name.startsWith("CopySnapshot") ? "cn-hangzhou" : "eu-central-1";
}

describe("ECS answers read the same as through the SDK's models", () => {
  it("DescribeSnapshots: loosely typed fields come back as the SDK's models type them", async () => {
    const [, , viaSdk, viaOutbound] = await both(
      () =>
        sdk("eu-central-1").describeSnapshots(
          new $Ecs.DescribeSnapshotsRequest({ regionId: "eu-central-1", snapshotIds: '["s-copy1"]' }),
        ),
      () => outbound().describeSnapshots("eu-central-1", ["s-copy1"]),
    );
    const model = (viaSdk.body?.toMap() as { Snapshots: { Snapshot: Record<string, unknown>[] } }).Snapshots
      .Snapshot[0];
    const ours = viaOutbound[0];
    for (const k of [
      "SnapshotId",
      "Status",
      "Progress",
      "RemainTime",
      "Available",
      "Encrypted",
      "RetentionDays",
    ])
      expect([k, ours[k]]).toEqual([k, model[k]]);
    expect(Number(ours.SourceDiskSize)).toBe(Number(model.SourceDiskSize));
    expect(ours.Tags).toEqual(model.Tags);
  });

  it("CopySnapshot returns the new copy's ID and DescribeDisks the disk IDs", async () => {
    const o = outbound();
    await expect(
      o.copySnapshot({
        sourceRegionId: "cn-hangzhou",
        sourceSnapshotId: "s-src1",
        destinationRegionId: "eu-central-1",
        clientToken: "tok-3",
      }),
    ).resolves.toBe("s-copy1");
    await expect(o.disksCreatedFrom("eu-central-1", "s-1")).resolves.toEqual(["d-1", "d-2"]);
  });
});
