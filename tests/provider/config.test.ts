/**
 * configure(): stack config keys first, then environment variables, then the credentials library's chain;
 * endpoint overrides and protocol. Pure resolution, no network.
 */
import { resolveConfig, secretValues } from "../../provider/cloud/config";
import { normaliseError } from "../../provider/cloud/apiError";

const get = (c: Record<string, string>) => (k: string) => c[k];

describe("resolveConfig", () => {
  test("GIVEN keys in config and env THEN config wins, and the simulator endpoint sets host and protocol", () => {
    const cfg = resolveConfig(
      get({
        "alicloud:region": "cn-hangzhou",
        "alicloud:accessKey": "cfg-id",
        "alicloud:secretKey": "cfg-secret",
        "snapshotCopy:ecsEndpoint": "http://127.0.0.1:8787",
        "snapshotCopy:kmsEndpoint": "http://127.0.0.1:8787/",
      }),
      {
        ALIBABA_CLOUD_ACCESS_KEY_ID: "env-id",
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: "env-secret",
        ALICLOUD_REGION: "us-west-1",
      },
    );

    expect(cfg).toMatchObject({
      region: "cn-hangzhou",
      credentials: { kind: "static", accessKeyId: "cfg-id", accessKeySecret: "cfg-secret" },
      endpoints: { ecs: "127.0.0.1:8787", kms: "127.0.0.1:8787" },
      protocol: "http",
      describeCallsPerMinute: 100,
    });
    expect(secretValues(cfg)).toEqual(["cfg-id", "cfg-secret"]);
  });

  test.each([
    [
      { ALIBABA_CLOUD_ACCESS_KEY_ID: "a1", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s1" },
      "a1",
      "ALIBABA_CLOUD_ACCESS_KEY_ID",
    ],
    [
      { ALICLOUD_ACCESS_KEY: "a2", ALICLOUD_SECRET_KEY: "s2", ALICLOUD_SECURITY_TOKEN: "t2" },
      "a2",
      "ALICLOUD_ACCESS_KEY",
    ],
  ])("GIVEN no keys in config WHEN env has %o THEN the env keys are used", (env, id, source) => {
    const cfg = resolveConfig(get({}), env);

    expect(cfg.credentials).toMatchObject({ kind: "static", accessKeyId: id });
    expect(cfg.sources.credentials).toBe(source);
    expect(cfg.protocol).toBe("https");
  });

  test("GIVEN nothing set THEN the credentials library's default chain is used (nothing is read yet)", () => {
    const cfg = resolveConfig(get({}), {});

    expect(cfg.credentials.kind).toBe("chain");
    expect(cfg.region).toBeUndefined();
  });

  test("GIVEN alicloud:endpoints as @pulumi/alicloud stores it and alicloud:protocol THEN they are honoured", () => {
    const cfg = resolveConfig(
      get({
        "alicloud:endpoints": '[{"ecs":"ecs-vpc.example.internal","kms":"kms-vpc.example.internal"}]',
        "alicloud:protocol": "HTTP",
      }),
      {},
    );

    expect(cfg.endpoints).toEqual({ ecs: "ecs-vpc.example.internal", kms: "kms-vpc.example.internal" });
    expect(cfg.protocol).toBe("http");
  });

  test.each([
    [{ "snapshotCopy:protocol": "ftp" }, /snapshotCopy:protocol must be "http" or "https"/],
    [{ "alicloud:endpoints": "ecs=x" }, /alicloud:endpoints must be JSON/],
    [{ "snapshotCopy:describeCallsPerMinute": "0" }, /must be a positive number/],
  ])("GIVEN bad config %o THEN configure fails saying which key", (c, message) => {
    expect(() => resolveConfig(get(c), {})).toThrow(message);
  });
});

describe("normaliseError", () => {
  test("GIVEN a KMS rpc-client error (Code+'Error', status only in the message) THEN code, status and RequestId are recovered", () => {
    const e = Object.assign(
      new Error("Forbidden.KeyNotFoundError: code: 404, The key does not exist requestid: R-1"),
      {
        code: "Forbidden.KeyNotFoundError",
        data: { Code: "Forbidden.KeyNotFound", Message: "The key does not exist", RequestId: "R-1" },
      },
    );

    const n = normaliseError(e, "DescribeKey", "eu-central-1");

    expect(n).toMatchObject({
      code: "Forbidden.KeyNotFound",
      httpStatus: 404,
      requestId: "R-1",
      retryable: false,
    });
    expect(n.message).toBe(
      "DescribeKey in eu-central-1 failed: Forbidden.KeyNotFound: The key does not exist (RequestId: R-1), HTTP 404",
    );
  });

  test("GIVEN a connection failure whose message holds a signed URL THEN it is retryable and the query is redacted", () => {
    const e = Object.assign(
      new Error("ReadTimeout(30000). POST http://h/?AccessKeyId=LTAIxyz&SecurityToken=tok"),
      {
        name: "RequestTimeoutError",
      },
    );

    const n = normaliseError(e, "DescribeSnapshots", "eu-central-1", ["LTAIxyz"]);

    expect(n).toMatchObject({ code: "RequestTimeoutError", retryable: true });
    expect(n.message).not.toMatch(/LTAIxyz|tok/);
  });
});
