import { randomBytes } from "node:crypto";
import {
  EntityNotExistRole,
  InvalidOidcToken,
  InvalidParameterDurationSeconds,
  InvalidParameterPolicyGrammar,
  InvalidParameterRoleSessionName,
  NoSuchOidcProvider,
} from "../errors";
import type { AccountRec, RoleRec, StsSessionRec } from "./records";
import type { World } from "./world";

/** What AssumeRole / AssumeRoleWithOIDC ask for. @internal */
export interface SessionRequest {
  roleArn: string;
  roleSessionName: string;
  /** Seconds; undefined = the API default, 3600. */
  durationSeconds?: number;
  policy?: string;
  externalId?: string;
}

// STS API reference, AssumeRole / AssumeRoleWithOIDC "RoleSessionName": letters, digits, ".", "@", "-" and "_".
// Its length is 2..64 in the current pages and 2..32 in older ones (and the STS troubleshooting page): 2..64
// accepts what either accepts.
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/;
/** "DurationSeconds": 900 up to the role's MaxSessionDuration; default 3600. */
const MIN_DURATION_S = 900;
const DEFAULT_DURATION_S = 3600;
/** Expired temporary credentials are forgotten this long after they expire (they answer Expired until then). */
const FORGET_AFTER_MS = 3_600_000;

const ACCOUNT_OF_ROLE = /^acs:ram::(\d+):role\/(.+)$/;

/**
 * STS 2015-04-01: issues temporary credentials (AccessKeyId "STS.…", secret, SecurityToken "CAIS…", Expiration)
 * that the simulator's ECS and KMS accept until they expire, as the real services do.
 *
 * Expiry is in REAL time, like the request timestamps the authenticator checks: `@alicloud/credentials` decides
 * when to refresh by comparing Expiration with the host's clock, so both sides must read the same clock.
 * `lifetimeMs` (admin knob) shortens every lifetime to make expiry testable in seconds; Expiration then says
 * the truth (the shorter time, rounded down to the second as the API formats it).
 * @internal
 */
export class StsModel {
  constructor(
    private readonly world: World,
    private readonly lifetimeMs: () => number | undefined,
  ) {}

  assumeRole(req: SessionRequest, callerAccessKeyId: string): AccountRec {
    return this.issue(req, { action: "AssumeRole", callerAccessKeyId });
  }

  assumeRoleWithOidc(req: SessionRequest & { oidcProviderArn: string; oidcToken: string }): AccountRec {
    const idp = this.world.oidcProviders.get(req.oidcProviderArn);
    if (!idp) throw new NoSuchOidcProvider();
    if (req.oidcToken !== idp.token) throw new InvalidOidcToken();
    return this.issue(req, { action: "AssumeRoleWithOIDC", oidcProviderArn: req.oidcProviderArn });
  }

  /** The role's ARN as the API's AssumedRoleUser.Arn spells the session. */
  assumedRoleArn(session: StsSessionRec): string {
    const m = ACCOUNT_OF_ROLE.exec(session.roleArn);
    return m ? `acs:ram::${m[1]}:assumed-role/${m[2]}/${session.roleSessionName}` : session.roleArn;
  }

  private issue(
    req: SessionRequest,
    how: Pick<StsSessionRec, "action" | "callerAccessKeyId" | "oidcProviderArn">,
  ): AccountRec {
    if (!SESSION_NAME.test(req.roleSessionName)) throw new InvalidParameterRoleSessionName();
    const role: RoleRec | undefined = this.world.roles.get(req.roleArn);
    if (!role) throw new EntityNotExistRole();
    const durationSeconds = req.durationSeconds ?? DEFAULT_DURATION_S;
    if (durationSeconds < MIN_DURATION_S || durationSeconds > role.maxSessionDuration)
      throw new InvalidParameterDurationSeconds();
    if (req.policy !== undefined) {
      try {
        JSON.parse(req.policy);
      } catch {
        throw new InvalidParameterPolicyGrammar();
      }
    }
    const now = Date.now();
    this.forgetExpired(now);
    const lifetime = Math.min(durationSeconds * 1000, this.lifetimeMs() ?? Infinity);
    const rec: AccountRec = {
      accessKeyId: `STS.${randomBytes(18).toString("base64url").replace(/[-_]/g, "x")}`,
      accessKeySecret: randomBytes(24).toString("base64url"),
      securityToken: `CAIS${randomBytes(96).toString("base64")}`,
      accountId: ACCOUNT_OF_ROLE.exec(role.roleArn)?.[1] ?? this.world.accountId(),
      expiresAt: now + lifetime,
      session: {
        ...how,
        roleArn: role.roleArn,
        roleSessionName: req.roleSessionName,
        durationSeconds,
        policy: req.policy,
        externalId: req.externalId,
      },
    };
    this.world.accounts.set(rec.accessKeyId, rec);
    return rec;
  }

  private forgetExpired(now: number): void {
    for (const [id, a] of this.world.accounts)
      if (a.expiresAt !== undefined && a.expiresAt + FORGET_AFTER_MS < now) this.world.accounts.delete(id);
  }
}

/** Expiration as the API writes it: ISO 8601 UTC to the second ("2025-03-01T01:00:00Z"). @internal */
export function expiration(expiresAt: number): string {
  return new Date(Math.floor(expiresAt / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
