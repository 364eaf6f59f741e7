import { dirname } from "node:path";
import * as $Ecs from "@alicloud/ecs20140526";
import * as $Kms from "@alicloud/kms20160120";
import { ecsClient, expectApiError, kmsClient, popClient, type Creds } from "../helpers/sdk";
import { useSimulator } from "./fixture";

// Signature checks for both kinds: ACS3-HMAC-SHA256 (ecs20140526 via openapi-core) and the RPC HMAC-SHA1
// signature (kms20160120 via rpc-client, and pop-core). Nonces and timestamps are pinned by stubbing the SDKs'
// own generators, so the real clients send the replayed or stale requests.

const openapiUtils = require("@alicloud/openapi-core/dist/utils").default as {
  getNonce(): string;
  getTimestamp(): string;
};
const teaUtil = require("@alicloud/tea-util").default as { getNonce(): string };
const rpcUtil = require("@alicloud/rpc-util").default as { getTimestamp(): string };
const popKitx = require(
  require.resolve("kitx", { paths: [dirname(require.resolve("@alicloud/pop-core"))] }),
) as { makeNonce(): string };

const t = useSimulator();
afterEach(() => jest.restoreAllMocks());

type Kind = "ACS3 (ecs20140526)" | "HMAC-SHA1 (kms20160120)" | "HMAC-SHA1 (pop-core)";
const call: Record<Kind, (c?: Creds) => Promise<unknown>> = {
  "ACS3 (ecs20140526)": (c) =>
    ecsClient(t.sim, "cn-hangzhou", c).describeRegions(new $Ecs.DescribeRegionsRequest({})),
  "HMAC-SHA1 (kms20160120)": (c) =>
    kmsClient(t.sim, "eu-central-1", c).listKeys(new $Kms.ListKeysRequest({})),
  "HMAC-SHA1 (pop-core)": (c) => popClient(t.sim, c).request("DescribeRegions", {}, { method: "POST" }),
};
const kinds = Object.keys(call) as Kind[];
const good: Creds = { accessKeyId: "LTAI5tSimulatorKey0001", accessKeySecret: "SimulatorSecret0001" };

describe.each(kinds)("%s signature", (kind) => {
  it("accepts the seeded key", async () => {
    await expect(call[kind](good)).resolves.toBeDefined();
  });
  it("rejects a wrong secret with SignatureDoesNotMatch", async () => {
    expect(await expectApiError(call[kind]({ ...good, accessKeySecret: "wrong" }))).toMatchObject({
      code: "SignatureDoesNotMatch",
      status: 400,
    });
  });
  it("rejects an unknown key with InvalidAccessKeyId.NotFound", async () => {
    expect(
      await expectApiError(call[kind]({ accessKeyId: "LTAI5tNobody", accessKeySecret: "x" })),
    ).toMatchObject({ code: "InvalidAccessKeyId.NotFound", status: 404 });
  });
  it("rejects a reused nonce with SignatureNonceUsed", async () => {
    const nonce = `fixed-${kind.length}-${Date.now()}`;
    jest.spyOn(openapiUtils, "getNonce").mockReturnValue(nonce);
    jest.spyOn(teaUtil, "getNonce").mockReturnValue(nonce);
    jest.spyOn(popKitx, "makeNonce").mockReturnValue(nonce);
    await call[kind](good);
    expect(await expectApiError(call[kind](good))).toMatchObject({ code: "SignatureNonceUsed", status: 400 });
  });
});

describe.each(["ACS3 (ecs20140526)", "HMAC-SHA1 (kms20160120)"] as Kind[])("%s timestamp", (kind) => {
  it("rejects a request stamped 16 minutes ago with InvalidTimeStamp.Expired", async () => {
    const stale = new Date(Date.now() - 16 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    jest.spyOn(openapiUtils, "getTimestamp").mockReturnValue(stale);
    jest.spyOn(rpcUtil, "getTimestamp").mockReturnValue(stale);
    expect(await expectApiError(call[kind](good))).toMatchObject({
      code: "InvalidTimeStamp.Expired",
      status: 400,
    });
  });
});

describe("STS security tokens", () => {
  const sts: Creds = {
    accessKeyId: "STS.NTempKey001",
    accessKeySecret: "TempSecret001",
    securityToken: "CAIS-token-001",
  };
  beforeEach(() => t.sim.admin.seed({ accounts: [{ ...sts, securityToken: sts.securityToken }] }));

  it.each(kinds)("%s: accepts the seeded token and rejects another one", async (kind) => {
    await expect(call[kind](sts)).resolves.toBeDefined();
    expect(await expectApiError(call[kind]({ ...sts, securityToken: "CAIS-forged" }))).toMatchObject({
      code: "InvalidSecurityToken.MismatchWithAccessKey",
      status: 400,
    });
  });
});
