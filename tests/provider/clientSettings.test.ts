/**
 * The client settings of @pulumi/alicloud reach the wire: GIVEN a stack config with them, resolved by
 * resolveConfig and used by Outbound, against a server that records each request, THEN every ECS and KMS request
 * carries the User-Agent addition and the SourceIp / SecureTransport parameters, and maxRetryTimeout ends the
 * retries of one call long before the operation's deadline.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { resolveConfig } from "../../provider/cloud/config";
import { systemClock } from "../../provider/cloud/clock";
import { Outbound } from "../../provider/cloud/outbound";

interface Recorded {
  url: string;
  userAgent: string;
  params: URLSearchParams;
}

let server: http.Server;
let host: string;
let recorded: Recorded[] = [];
/** What the server answers: 200 with a canned body, or 503 (to drive retries); after `delayMs`. */
let status = 200;
let delayMs = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const params = new URLSearchParams([...url.searchParams, ...new URLSearchParams(body)]);
      recorded.push({ url: req.url ?? "", userAgent: String(req.headers["user-agent"]), params });
      res.statusCode = status;
      res.setHeader("content-type", "application/json");
      setTimeout(
        () =>
          res.end(
            JSON.stringify(
              status === 200
                ? {
                    RequestId: "r-1",
                    Snapshots: { Snapshot: [] },
                    KeyMetadata: { KeyId: "key-1", KeyState: "Enabled" },
                  }
                : { RequestId: "r-2", Code: "ServiceUnavailable", Message: "try later" },
            ),
          ),
        delayMs,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  recorded = [];
  status = 200;
  delayMs = 0;
});

function outbound(config: Record<string, string>, env: Record<string, string> = {}): Outbound {
  const cfg = resolveConfig(
    (k) =>
      ({
        "alicloud:accessKey": "AKIDsettings",
        "alicloud:secretKey": "settings-secret",
        "snapshotCopy:ecsEndpoint": `http://${host}`,
        "snapshotCopy:kmsEndpoint": `http://${host}`,
        ...config,
      })[k],
    env,
  );
  return new Outbound(cfg, {
    clock: systemClock,
    random: () => 0.5,
    retryBaseDelayMs: 50,
    retryMaxDelayMs: 200,
  });
}

test("GIVEN configurationSource, TF_APPEND_USER_AGENT, sourceIp and secureTransport THEN every ECS and KMS request carries them", async () => {
  const api = outbound(
    {
      "alicloud:configurationSource": "backups/eu",
      "alicloud:sourceIp": "192.0.2.10",
      "alicloud:secureTransport": "true",
    },
    { TF_APPEND_USER_AGENT: "ci/42" },
  );
  await api.describeSnapshots("eu-central-1", ["s-1"]);
  await api.describeKey("eu-central-1", "alias/backup");

  expect(recorded).toHaveLength(2);
  for (const r of recorded) {
    expect(r.userAgent).toMatch(/ backups\/eu ci\/42$/);
    expect(r.params.get("SourceIp")).toBe("192.0.2.10");
    expect(r.params.get("SecureTransport")).toBe("true");
  }
});

test("GIVEN none of them THEN requests carry no SourceIp or SecureTransport", async () => {
  await outbound({}).describeSnapshots("eu-central-1", ["s-1"]);

  expect(recorded[0].params.has("SourceIp")).toBe(false);
  expect(recorded[0].params.has("SecureTransport")).toBe(false);
});

test("GIVEN maxRetryTimeout 1 (second) WHEN the API keeps answering 503 THEN the call gives up after about a second, though the operation's deadline is an hour away", async () => {
  status = 503;
  const api = outbound({ "alicloud:maxRetryTimeout": "1" });
  const started = Date.now();

  await expect(
    api.describeSnapshots("eu-central-1", ["s-1"], { deadline: Date.now() + 3_600_000 }),
  ).rejects.toMatchObject({ code: "ServiceUnavailable" });

  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(500);
  expect(took).toBeLessThan(3000);
  expect(recorded.length).toBeGreaterThan(1);
});

test("GIVEN clientReadTimeout 300 (ms) WHEN the API takes 2 s to answer THEN the call times out after 300 ms, not after the 30 s default", async () => {
  delayMs = 2000;
  const api = outbound({ "alicloud:clientReadTimeout": "300" });
  const started = Date.now();

  const err = (await api
    .describeSnapshots("eu-central-1", ["s-1"], { retries: false })
    .catch((e: unknown) => e)) as { code?: string; timeout?: boolean };

  expect(err).toMatchObject({ timeout: true });
  expect(Date.now() - started).toBeLessThan(1500);
});
