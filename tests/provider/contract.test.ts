/**
 * The contract test: every request the provider sends satisfies Alibaba's published API metadata
 * (simulator/contract: required parameters present, types right, repeat lists well formed, and no parameter the
 * action does not have — which the real API would silently ignore). One scenario drives every action the
 * provider calls; the simulator notes each request's departures from the metadata.
 */
import * as $Ecs from "@alicloud/ecs20140526";
import { ecsClient } from "../helpers/sdk";
import { startHarness, type Harness } from "./harness";

const PROVIDER_ACTIONS = [
  "CopySnapshot",
  "DescribeSnapshots",
  "DescribeKey",
  "ModifySnapshotAttribute",
  "TagResources",
  "UntagResources",
  "JoinResourceGroup",
  "DeleteSnapshot",
  "DescribeDisks",
];

let h: Harness;
afterAll(async () => {
  await h?.close();
});

test("GIVEN a create, an update of every attribute, a refresh and deletes WHEN the provider calls each of its actions THEN no request departs from the API metadata", async () => {
  h = await startHarness();
  const args = {
    sourceSnapshotId: "s-sim0001",
    sourceRegionId: "cn-hangzhou",
    destinationRegionId: "eu-central-1",
    encrypted: true,
    kmsKeyId: "alias/backup",
    retentionDays: 7,
    tags: { team: "platform", env: "prod" },
    resourceGroupId: "rg-acfmzw2jz2z1234",
    resourceKey: "urn:pulumi:dev::backups::pulumi-nodejs:dynamic/alicloud:SnapshotCopy::contract",
  };
  const { id, outs } = await h.create(args);
  const changed = {
    ...args,
    name: "renamed-copy",
    description: "a new description",
    retentionDays: 30,
    tags: { team: "platform", owner: "ops" },
    resourceGroupId: "rg-acfmzw2jz2z5678",
  };
  const { outs: updated } = await h.update(id, outs, changed);
  await h.read(id, updated);
  await ecsClient(h.sim, "eu-central-1").createDisk(
    new $Ecs.CreateDiskRequest({ regionId: "eu-central-1", zoneId: "eu-central-1a", snapshotId: id }),
  );
  await h.delete(id, updated).catch(() => undefined); // refused: a disk was made from it (DescribeDisks names it)
  await h.delete(id, { ...updated, forceDelete: true });

  const called = new Set(h.sim.admin.counters().map((c) => c.action));
  expect(PROVIDER_ACTIONS.filter((a) => !called.has(a))).toEqual([]);
  expect(h.sim.admin.contractProblems().filter((p) => p.action !== "CreateDisk")).toEqual([]);
});
