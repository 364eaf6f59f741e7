import fc from "fast-check";
import {
  delayAfter,
  isRetryableFailure,
  RETRY_QUOTA,
  retryDelayMs,
  RetryQuota,
  withRetries,
} from "../../provider/cloud/retry";
import { AlibabaApiError, normaliseError } from "../../provider/cloud/apiError";
import type { Clock } from "../../provider/cloud/clock";

/** A clock that moves only when slept on, recording each sleep. */
function manualClock(start = 0) {
  let t = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  return { clock, sleeps };
}

const apiErr = (code: string, httpStatus?: number, retryAfterMs?: number) =>
  new AlibabaApiError({
    code,
    apiMessage: "m",
    httpStatus,
    action: "DescribeSnapshots",
    region: "r",
    retryAfterMs,
  });

/** fn that fails with `errs` in order, then returns "ok". */
function failing(errs: unknown[]) {
  let n = 0;
  return async () => {
    if (n < errs.length) throw errs[n++];
    return "ok";
  };
}

describe("which failures are retried", () => {
  it.each([
    ["Throttling.User", 400, true],
    ["ServiceUnavailable", 503, true],
    ["InternalError", 500, true],
    ["AnythingAtAll", 502, true],
    ["ECONNRESET", undefined, true],
    ["InvalidSecurityToken.Expired", 400, false],
    ["InvalidSecurityToken.MismatchWithAccessKey", 400, false],
    ["InvalidAccessKeyId.NotFound", 404, false],
    ["SignatureDoesNotMatch", 400, false],
    ["Forbidden.RAM", 403, false],
    ["InvalidSnapshotId.NotFound", 404, false],
  ])("GIVEN code %s with HTTP %s THEN retryable is %s", (code, status, expected) => {
    expect(isRetryableFailure(code, status)).toBe(expected);
  });
});

describe("retry delays", () => {
  it("GIVEN any attempt and dice THEN the delay is equal jitter: in [cap/2, cap] with cap = min(max, base*2^(n-1))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (n, r) => {
          const cap = Math.min(20_000, 500 * 2 ** Math.min(n - 1, 30));
          const d = retryDelayMs(n, () => r);
          return d >= Math.floor(cap / 2) && d <= cap;
        },
      ),
    );
  });

  it("GIVEN the server asked for a longer wait (retryAfterMs) THEN that is the minimum delay", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 600_000 }), (n, after) => {
        const d = delayAfter(apiErr("Throttling.User", 400, after), n, () => 0.5);
        return (
          d ===
          Math.max(
            after,
            retryDelayMs(n, () => 0.5),
          )
        );
      }),
    );
  });

  it("GIVEN openapi-core's ThrottlingError with retryAfter THEN normalisation keeps it as retryAfterMs", () => {
    const raw = Object.assign(new Error("code: 400, slow down request id: x"), {
      code: "Throttling.User",
      statusCode: 400,
      retryAfter: 7000,
      data: { Code: "Throttling.User", Message: "slow down" },
    });
    const e = normaliseError(raw, "DescribeSnapshots", "cn-hangzhou");
    expect(e).toMatchObject({ code: "Throttling.User", retryable: true, retryAfterMs: 7000 });
    expect(normaliseError(new Error("x"), "A", "r").retryAfterMs).toBeUndefined();
  });
});

describe("withRetries", () => {
  it("GIVEN a throttled call with a retry-after hint WHEN it is retried THEN it sleeps at least the hint", async () => {
    const { clock, sleeps } = manualClock();
    const fn = failing([apiErr("Throttling.User", 400, 9_000)]);
    await expect(withRetries(fn, { clock, random: () => 0 })).resolves.toBe("ok");
    expect(sleeps).toEqual([9_000]);
  });

  it("GIVEN a non-retryable auth error THEN it is thrown at once, unchanged, without a sleep", async () => {
    const { clock, sleeps } = manualClock();
    const err = apiErr("InvalidSecurityToken.Expired", 400);
    await expect(withRetries(failing([err]), { clock, random: () => 0 })).rejects.toBe(err);
    expect(sleeps).toEqual([]);
  });

  it("GIVEN an empty retry quota WHEN a call fails transiently THEN it fails fast with that error", async () => {
    const { clock, sleeps } = manualClock();
    const quota = new RetryQuota(4); // less than one retry's cost
    const err = apiErr("ServiceUnavailable", 503);
    await expect(withRetries(failing([err]), { clock, random: () => 0, quota })).rejects.toBe(err);
    expect(sleeps).toEqual([]);
  });

  it("GIVEN retries then success THEN the quota is charged per retry and the last retry's cost refunded", async () => {
    const { clock } = manualClock();
    const quota = new RetryQuota();
    const timeoutErr = Object.assign(apiErr("ETIMEDOUT"), {});
    await withRetries(failing([apiErr("ServiceUnavailable", 503), timeoutErr]), {
      clock,
      random: () => 0,
      quota,
    });
    // 500 - 5 (retry) - 10 (timeout retry) + 10 (refund of the last retry's cost)
    expect(quota.tokens).toBe(RETRY_QUOTA.capacity - RETRY_QUOTA.retryCost);
  });

  it("GIVEN a region that keeps failing THEN retries stop when the quota is spent, not at the deadline", async () => {
    const { clock } = manualClock();
    const quota = new RetryQuota();
    let attempts = 0;
    const always = async () => {
      attempts++;
      throw apiErr("InternalError", 500);
    };
    for (let i = 0; i < 50; i++)
      await withRetries(always, { clock, random: () => 0, quota, maxElapsedMs: 1e12, maxDelayMs: 10 }).catch(
        () => undefined,
      );
    expect(quota.tokens).toBeLessThan(RETRY_QUOTA.retryCost);
    // 100 retries paid for, plus one first attempt per call
    expect(attempts).toBe(RETRY_QUOTA.capacity / RETRY_QUOTA.retryCost + 50);
  });

  it("GIVEN successes without retries THEN each refunds 1 token, never above capacity", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300 }), (ops) => {
        const q = new RetryQuota();
        for (const take of ops) {
          if (take) q.take();
          else q.refund();
        }
        return q.tokens >= 0 && q.tokens <= RETRY_QUOTA.capacity;
      }),
    );
  });
});
