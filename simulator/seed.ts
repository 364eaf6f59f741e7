import type { Seed } from "./types";

/** The demo and test account (also in simulator/README.md). */
export const DEFAULT_ACCESS_KEY_ID = "LTAI5tSimulatorKey0001";
/** Secret of {@link DEFAULT_ACCESS_KEY_ID}. */
export const DEFAULT_ACCESS_KEY_SECRET = "SimulatorSecret0001";

/** A RAM role of another account (2222222222222222) that the default AccessKey may assume through STS. */
export const DEFAULT_ROLE_ARN = "acs:ram::2222222222222222:role/snapshot-backup";
/** An OIDC identity provider of that account, for AssumeRoleWithOIDC. */
export const DEFAULT_OIDC_PROVIDER_ARN = "acs:ram::2222222222222222:oidc-provider/sim-idp";
/** The token {@link DEFAULT_OIDC_PROVIDER_ARN} accepts. */
export const DEFAULT_OIDC_TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2ltdWxhdG9yLW9pZGMtc3ViamVjdA.c2lnbmF0dXJl";

const pad = (n: number): string => String(n).padStart(4, "0");

/**
 * Default world: one account; the STS role {@link DEFAULT_ROLE_ARN} and OIDC provider {@link DEFAULT_OIDC_PROVIDER_ARN}; disks d-sim0001..d-sim0040 in cn-hangzhou (20..2000 GiB) with one accomplished
 * snapshot each (s-sim0001..s-sim0040); an Enabled KMS key with alias "alias/backup" in cn-shanghai and in
 * eu-central-1, and a Disabled key "alias/disabled" in eu-central-1.
 */
export function defaultSeed(): Seed {
  const disks = Array.from({ length: 40 }, (_, i) => ({
    diskId: `d-sim${pad(i + 1)}`,
    regionId: "cn-hangzhou",
    sizeGiB: Math.round(20 + (i * (2000 - 20)) / 39),
    category: "cloud_essd",
  }));
  return {
    accounts: [
      {
        accessKeyId: DEFAULT_ACCESS_KEY_ID,
        accessKeySecret: DEFAULT_ACCESS_KEY_SECRET,
        accountId: "1234567890123456",
      },
    ],
    roles: [{ roleArn: DEFAULT_ROLE_ARN, maxSessionDuration: 3600 }],
    oidcProviders: [{ arn: DEFAULT_OIDC_PROVIDER_ARN, token: DEFAULT_OIDC_TOKEN }],
    disks,
    snapshots: disks.map((d, i) => ({
      snapshotId: `s-sim${pad(i + 1)}`,
      regionId: d.regionId,
      diskId: d.diskId,
      name: `sim-source-${pad(i + 1)}`,
    })),
    keys: [
      {
        keyId: "key-hzz65f1cb66fa42qo0001",
        regionId: "cn-shanghai",
        state: "Enabled",
        aliases: ["alias/backup"],
      },
      {
        keyId: "key-hzz65f1cb66fa42qo0002",
        regionId: "eu-central-1",
        state: "Enabled",
        aliases: ["alias/backup"],
      },
      {
        keyId: "key-hzz65f1cb66fa42qo0003",
        regionId: "eu-central-1",
        state: "Disabled",
        aliases: ["alias/disabled"],
      },
    ],
  };
}
