import type { Handler } from "./actions/context";
import * as ecs from "./actions/ecs";
import * as kms from "./actions/kms";
import * as sts from "./actions/sts";

/**
 * One route: the handler and whether a success changes state (then it is persisted). `anonymous`: the action
 * takes no signature (STS AssumeRoleWithOIDC: the OIDC token is the proof, per its API reference page). @internal
 */
export interface Route {
  product: "Ecs" | "Kms" | "Sts";
  handler: Handler;
  mutates: boolean;
  anonymous?: boolean;
}

const ECS = "2014-05-26";
const KMS = "2016-01-20";
const STS = "2015-04-01";
const r = (product: Route["product"], handler: Handler, mutates: boolean): Route => ({
  product,
  handler,
  mutates,
});

/** THE routing table: "<version>/<action>" -> route. Everything the simulator answers is listed here. @internal */
export const ROUTES: ReadonlyMap<string, Route> = new Map([
  [`${ECS}/CopySnapshot`, r("Ecs", ecs.copySnapshot, true)],
  [`${ECS}/DescribeSnapshots`, r("Ecs", ecs.describeSnapshots, false)],
  [`${ECS}/DeleteSnapshot`, r("Ecs", ecs.deleteSnapshot, true)],
  [`${ECS}/ModifySnapshotAttribute`, r("Ecs", ecs.modifySnapshotAttribute, true)],
  [`${ECS}/TagResources`, r("Ecs", ecs.tagResources, true)],
  [`${ECS}/UntagResources`, r("Ecs", ecs.untagResources, true)],
  [`${ECS}/ListTagResources`, r("Ecs", ecs.listTagResources, false)],
  [`${ECS}/JoinResourceGroup`, r("Ecs", ecs.joinResourceGroup, true)],
  [`${ECS}/DescribeRegions`, r("Ecs", ecs.describeRegions, false)],
  [`${ECS}/DescribeDisks`, r("Ecs", ecs.describeDisks, false)],
  [`${ECS}/CreateDisk`, r("Ecs", ecs.createDisk, true)],
  [`${ECS}/CreateSnapshot`, r("Ecs", ecs.createSnapshot, true)],
  [`${KMS}/CreateKey`, r("Kms", kms.createKey, true)],
  [`${KMS}/DescribeKey`, r("Kms", kms.describeKey, false)],
  [`${KMS}/EnableKey`, r("Kms", kms.enableKey, true)],
  [`${KMS}/DisableKey`, r("Kms", kms.disableKey, true)],
  [`${KMS}/ScheduleKeyDeletion`, r("Kms", kms.scheduleKeyDeletion, true)],
  [`${KMS}/CancelKeyDeletion`, r("Kms", kms.cancelKeyDeletion, true)],
  [`${KMS}/ListKeys`, r("Kms", kms.listKeys, false)],
  [`${KMS}/CreateAlias`, r("Kms", kms.createAlias, true)],
  [`${KMS}/ListAliases`, r("Kms", kms.listAliases, false)],
  [`${STS}/AssumeRole`, r("Sts", sts.assumeRole, true)],
  [`${STS}/AssumeRoleWithOIDC`, { ...r("Sts", sts.assumeRoleWithOidc, true), anonymous: true }],
]);

/** Looks a call up by version and action. @internal */
export function route(version: string | undefined, action: string | undefined): Route | undefined {
  return ROUTES.get(`${version}/${action}`);
}
