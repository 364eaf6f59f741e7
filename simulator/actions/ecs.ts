import { regionSpec } from "../contract/validate";
import {
  InvalidParameter,
  InvalidParameterMaxResults,
  InvalidResourceTypeNotFound,
  InvalidSnapshotIdsMalformed,
  InvalidStatusNotFound,
  ParamConflict,
} from "../errors";
import type { DescribeFilter } from "../models/ecs";
import type { Handler } from "./context";
import { bool, int, list, type Params, required, tags } from "./params";

// ECS 2014-05-26 handlers. Parameter names and response shapes follow @alicloud/ecs20140526's request and
// response models (e.g. DescribeSnapshotsResponseBody.Snapshots.Snapshot[]).

function snapshotIds(p: Params): string[] | undefined {
  const raw = p.SnapshotIds;
  if (raw === undefined || raw === "") return undefined;
  let ids: unknown;
  try {
    ids = JSON.parse(raw);
  } catch {
    throw new InvalidSnapshotIdsMalformed();
  }
  // SnapshotIds is a JSON array of up to 100 IDs (DescribeSnapshots parameter table); more is
  // InvalidSnapshotIds.Malformed, "The amount of specified specified snapshot Ids exceeds the limit." (error table).
  if (!Array.isArray(ids) || ids.length > 100 || ids.some((x) => typeof x !== "string"))
    throw new InvalidSnapshotIdsMalformed();
  return ids as string[];
}

function paging(p: Params): DescribeFilter["paging"] {
  if (p.MaxResults !== undefined || p.NextToken !== undefined) {
    const maxResults = int(p, "MaxResults") ?? 10;
    if (maxResults < 1 || maxResults > 100) throw new InvalidParameterMaxResults();
    return { kind: "token", maxResults, nextToken: p.NextToken || undefined };
  }
  const pageNumber = int(p, "PageNumber") ?? 1;
  const pageSize = int(p, "PageSize") ?? 10;
  if (pageNumber < 1) throw new InvalidParameter("PageNumber");
  if (pageSize < 1 || pageSize > 100) throw new InvalidParameter("PageSize");
  return { kind: "page", pageNumber, pageSize };
}

/** Only snapshots are simulated; another type answers as an unknown one (TagResources table, 404). */
/** TotalCount, PageNumber, PageSize and NextToken of a listing answer. */
function pageFields(
  pg: DescribeFilter["paging"],
  r: { totalCount: number; nextToken?: string },
): Record<string, unknown> {
  return {
    TotalCount: r.totalCount,
    PageNumber: pg.kind === "page" ? pg.pageNumber : 1,
    PageSize: pg.kind === "page" ? pg.pageSize : pg.maxResults,
    NextToken: r.nextToken ?? "",
  };
}

function snapshotType(p: Params): void {
  if (required(p, "ResourceType").toLowerCase() !== "snapshot") throw new InvalidResourceTypeNotFound();
}

/** DescribeSnapshots Status: the parameter table's values; another is InvalidStatus.NotFound (error table). */
const SNAPSHOT_STATUSES = new Set(["progressing", "accomplished", "failed", "all"]);

function snapshotStatus(p: Params): string | undefined {
  const s = p.Status || undefined;
  if (s !== undefined && !SNAPSHOT_STATUSES.has(s)) throw new InvalidStatusNotFound();
  return s;
}

export const copySnapshot: Handler = ({ params: p, accessKeyId, ecs }) => ({
  SnapshotId: ecs.copySnapshot({
    accessKeyId,
    regionId: required(p, "RegionId"),
    destinationRegionId: required(p, "DestinationRegionId"),
    snapshotId: required(p, "SnapshotId"),
    name: p.DestinationSnapshotName,
    description: p.DestinationSnapshotDescription,
    retentionDays: p.RetentionDays,
    encrypted: bool(p, "Encrypted") ?? false,
    kmsKeyId: p.KMSKeyId || undefined,
    tags: tags(p),
    clientToken: p.ClientToken,
    resourceGroupId: p.ResourceGroupId || undefined,
  }),
});

export const describeSnapshots: Handler = ({ params: p, ecs }) => {
  const pg = paging(p);
  const r = ecs.describeSnapshots({
    regionId: required(p, "RegionId"),
    snapshotIds: snapshotIds(p),
    status: snapshotStatus(p),
    encrypted: bool(p, "Encrypted"),
    kmsKeyId: p.KMSKeyId || undefined,
    tags: tags(p),
    resourceGroupId: p.ResourceGroupId || undefined,
    diskId: p.DiskId || undefined,
    snapshotName: p.SnapshotName || undefined,
    paging: pg,
  });
  return { Snapshots: { Snapshot: r.items }, ...pageFields(pg, r) };
};

export const deleteSnapshot: Handler = ({ params: p, ecs }) => {
  ecs.deleteSnapshot(required(p, "SnapshotId"), bool(p, "Force") ?? false);
  return {};
};

export const modifySnapshotAttribute: Handler = ({ params: p, ecs }) => {
  ecs.modifySnapshotAttribute(required(p, "SnapshotId"), p.SnapshotName, p.Description, p.RetentionDays);
  return {};
};

export const tagResources: Handler = ({ params: p, ecs }) => {
  snapshotType(p);
  ecs.tagResources(required(p, "RegionId"), list(p, "ResourceId"), tags(p));
  return {};
};

export const untagResources: Handler = ({ params: p, ecs }) => {
  snapshotType(p);
  const keys = list(p, "TagKey");
  const all = bool(p, "All") ?? false;
  // UntagResources error table: Param.Conflict, "The specified all is true, but the specified TagKey.N is not empty."
  if (all && keys.length > 0) throw new ParamConflict();
  ecs.untagResources(required(p, "RegionId"), list(p, "ResourceId"), keys, all);
  return {};
};

export const listTagResources: Handler = ({ params: p, ecs }) => {
  snapshotType(p);
  const r = ecs.listTagResources(
    required(p, "RegionId"),
    list(p, "ResourceId"),
    tags(p),
    p.NextToken || undefined,
  );
  return { TagResources: { TagResource: r.rows }, NextToken: r.nextToken ?? "" };
};

export const joinResourceGroup: Handler = ({ params: p, ecs }) => {
  snapshotType(p);
  ecs.joinResourceGroup(required(p, "RegionId"), required(p, "ResourceId"), required(p, "ResourceGroupId"));
  return {};
};

export const createDisk: Handler = ({ params: p, ecs }) => ({
  DiskId: ecs.createDisk(required(p, "RegionId"), {
    sizeGiB: int(p, "Size"),
    snapshotId: p.SnapshotId || undefined,
    category: p.DiskCategory || undefined,
    name: p.DiskName || undefined,
  }),
  OrderId: "",
});

export const createSnapshot: Handler = ({ params: p, ecs }) => ({
  SnapshotId: ecs.createSnapshot({
    diskId: required(p, "DiskId"),
    name: p.SnapshotName,
    description: p.Description,
    retentionDays: p.RetentionDays,
    tags: tags(p),
  }),
});

/** DescribeDisks: the disks of a region, filtered by SnapshotId (the snapshot they were created from) or DiskIds. */
export const describeDisks: Handler = ({ params: p, ecs }) => {
  let diskIds: string[] | undefined;
  if (p.DiskIds) {
    try {
      diskIds = JSON.parse(p.DiskIds) as string[];
    } catch {
      throw new InvalidParameter("DiskIds", "A JSON array of disk IDs.");
    }
  }
  const pg = paging(p);
  const r = ecs.describeDisks(required(p, "RegionId"), {
    snapshotId: p.SnapshotId || undefined,
    diskIds,
    paging: pg,
  });
  return { Disks: { Disk: r.items }, ...pageFields(pg, r) };
};

/**
 * LocalName is the region's display name ("China (Hangzhou)") and RegionEndpoint its ECS endpoint, both from the
 * products.json of Alibaba's API metadata (English names: the simulator answers as with AcceptLanguage=en-US).
 */
export const describeRegions: Handler = ({ ecs }) => ({
  Regions: {
    Region: ecs.regions().map((RegionId) => ({
      RegionId,
      LocalName: regionSpec(RegionId)?.name ?? RegionId,
      RegionEndpoint: regionSpec(RegionId)?.ecs ?? `ecs.${RegionId}.aliyuncs.com`,
      Status: "available",
    })),
  },
});
