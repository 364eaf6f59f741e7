import { InvalidParameter } from "../errors";
import { DEFAULT_KMS_REGION } from "../models/kms";
import type { Handler } from "./context";
import { int, required } from "./params";

// KMS 2016-01-20 handlers. Response shapes follow @alicloud/kms20160120 1.2.0 (flat responses, e.g.
// DescribeKeyResponse.KeyMetadata, ListKeysResponse.Keys.Key[]).

const region = (hint: string | undefined): string => hint ?? DEFAULT_KMS_REGION;

function page<T>(
  items: T[],
  p: Record<string, string>,
): { items: T[]; PageNumber: number; PageSize: number; TotalCount: number } {
  const PageNumber = int(p, "PageNumber") ?? 1;
  const PageSize = int(p, "PageSize") ?? 10;
  if (PageNumber < 1) throw new InvalidParameter("PageNumber");
  if (PageSize < 1 || PageSize > 100) throw new InvalidParameter("PageSize");
  return {
    items: items.slice((PageNumber - 1) * PageSize, PageNumber * PageSize),
    PageNumber,
    PageSize,
    TotalCount: items.length,
  };
}

export const createKey: Handler = ({ params: p, regionHint, kms }) => {
  const k = kms.createKey(region(regionHint), {
    description: p.Description,
    keyUsage: p.KeyUsage || undefined,
    keySpec: p.KeySpec || undefined,
    origin: p.Origin || undefined,
    protectionLevel: p.ProtectionLevel || undefined,
  });
  return { KeyMetadata: kms.metadata(k) };
};

export const describeKey: Handler = ({ params: p, regionHint, kms }) => ({
  KeyMetadata: kms.metadata(kms.get(regionHint, required(p, "KeyId"))),
});

export const enableKey: Handler = ({ params: p, regionHint, kms }) => {
  kms.enableKey(kms.get(regionHint, required(p, "KeyId")));
  return {};
};

export const disableKey: Handler = ({ params: p, regionHint, kms }) => {
  kms.disableKey(kms.get(regionHint, required(p, "KeyId")));
  return {};
};

export const scheduleKeyDeletion: Handler = ({ params: p, regionHint, kms }) => {
  const k = kms.get(regionHint, required(p, "KeyId"));
  kms.scheduleKeyDeletion(k, int(p, "PendingWindowInDays") ?? Number.NaN);
  return {};
};

export const cancelKeyDeletion: Handler = ({ params: p, regionHint, kms }) => {
  kms.cancelKeyDeletion(kms.get(regionHint, required(p, "KeyId")));
  return {};
};

export const listKeys: Handler = ({ params: p, regionHint, kms }) => {
  const r = page(kms.listKeys(region(regionHint)), p);
  return {
    Keys: { Key: r.items.map((k) => ({ KeyId: k.keyId, KeyArn: kms.arn(k) })) },
    PageNumber: r.PageNumber,
    PageSize: r.PageSize,
    TotalCount: r.TotalCount,
  };
};

export const createAlias: Handler = ({ params: p, regionHint, kms }) => {
  kms.createAlias(region(regionHint), p.AliasName, required(p, "KeyId"));
  return {};
};

export const listAliases: Handler = ({ params: p, regionHint, kms }) => {
  const r = page(kms.listAliases(region(regionHint)), p);
  return {
    Aliases: { Alias: r.items },
    PageNumber: r.PageNumber,
    PageSize: r.PageSize,
    TotalCount: r.TotalCount,
  };
};
