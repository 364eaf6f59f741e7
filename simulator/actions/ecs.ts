import {
  InvalidParameterMaxResults,
  InvalidResourceTypeNotSupported,
  InvalidSnapshotIdsMalformed,
  InvalidParameter,
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
  // SnapshotIds is a JSON array of up to 100 IDs (DescribeSnapshots reference).
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

function snapshotType(p: Params): void {
  const t = required(p, "ResourceType");
  if (t.toLowerCase() !== "snapshot") throw new InvalidResourceTypeNotSupported();
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
    status: p.Status || undefined,
    encrypted: bool(p, "Encrypted"),
    kmsKeyId: p.KMSKeyId || undefined,
    tags: tags(p),
    resourceGroupId: p.ResourceGroupId || undefined,
    diskId: p.DiskId || undefined,
    snapshotName: p.SnapshotName || undefined,
    paging: pg,
  });
  return {
    Snapshots: { Snapshot: r.items },
    TotalCount: r.totalCount,
    PageNumber: pg.kind === "page" ? pg.pageNumber : 1,
    PageSize: pg.kind === "page" ? pg.pageSize : pg.maxResults,
    NextToken: r.nextToken ?? "",
  };
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
  ecs.untagResources(
    required(p, "RegionId"),
    list(p, "ResourceId"),
    list(p, "TagKey"),
    bool(p, "All") ?? false,
  );
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

export const describeRegions: Handler = ({ ecs }) => ({
  Regions: {
    Region: ecs.regions().map((RegionId) => ({
      RegionId,
      LocalName: RegionId,
      RegionEndpoint: `ecs.${RegionId}.aliyuncs.com`,
      Status: "available",
    })),
  },
});
