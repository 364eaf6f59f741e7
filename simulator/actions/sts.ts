import { expiration, type SessionRequest } from "../models/sts";
import type { AccountRec } from "../models/records";
import type { Handler } from "./context";
import { int, required, type Params } from "./params";

// STS 2015-04-01 handlers. Parameters: the RAM API reference pages "AssumeRole" and "AssumeRoleWithOIDC" (RoleArn,
// RoleSessionName, DurationSeconds, Policy, ExternalId; OIDCProviderArn, OIDCToken). The OIDC page marks its
// parameters required in older revisions and optional in newer ones (RoleSessionName required in both); a call
// without them cannot succeed either way, so they are required here. Response shape: @alicloud/sts20150401's AssumeRoleResponseBody
// (RequestId, AssumedRoleUser { Arn, AssumedRoleId }, Credentials { AccessKeyId, AccessKeySecret,
// SecurityToken, Expiration }).

function sessionRequest(p: Params): SessionRequest {
  return {
    roleArn: required(p, "RoleArn"),
    roleSessionName: required(p, "RoleSessionName"),
    durationSeconds: int(p, "DurationSeconds"),
    policy: p.Policy || undefined,
    externalId: p.ExternalId || undefined,
  };
}

function answer(rec: AccountRec, assumedRoleArn: string): Record<string, unknown> {
  return {
    AssumedRoleUser: {
      Arn: assumedRoleArn,
      AssumedRoleId: `3${rec.accessKeyId.slice(4, 20)}:${rec.session?.roleSessionName ?? ""}`,
    },
    Credentials: {
      AccessKeyId: rec.accessKeyId,
      AccessKeySecret: rec.accessKeySecret,
      SecurityToken: rec.securityToken,
      Expiration: expiration(rec.expiresAt ?? Date.now()),
    },
  };
}

export const assumeRole: Handler = ({ params: p, accessKeyId, sts }) => {
  const rec = sts.assumeRole(sessionRequest(p), accessKeyId);
  return answer(rec, sts.assumedRoleArn(rec.session!));
};

export const assumeRoleWithOidc: Handler = ({ params: p, sts }) => {
  const rec = sts.assumeRoleWithOidc({
    ...sessionRequest(p),
    oidcProviderArn: required(p, "OIDCProviderArn"),
    oidcToken: required(p, "OIDCToken"),
  });
  return answer(rec, sts.assumedRoleArn(rec.session!));
};
