import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import {
  IncompleteSignature,
  InvalidAccessKeyIdNotFound,
  InvalidSecurityTokenExpired,
  InvalidSecurityTokenMismatch,
  InvalidTimeStampExpired,
  InvalidTimeStampFormat,
  SignatureDoesNotMatch,
  SignatureNonceUsed,
} from "./errors";
import type { AccountRec } from "./models/records";

/** A request as the verifier needs it. @internal */
export interface SignedRequest {
  method: string;
  /** Path without query, e.g. "/". */
  path: string;
  /** Query string parameters only (decoded). */
  query: Record<string, string>;
  /** Query and form body merged (decoded). */
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// Both signature versions reject a timestamp more than 15 minutes away from server time (POP gateway docs).
const MAX_SKEW_MS = 15 * 60_000;

/** Percent-encoding both signatures use: RFC 3986 (encodeURIComponent plus !'()*). */
function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/**
 * Verifies ACS3-HMAC-SHA256 (Authorization header; what @alicloud/openapi-core sends) and the RPC HMAC-SHA1
 * signature (Signature parameter; @alicloud/pop-core and @alicloud/rpc-client, which kms20160120 1.2.0 uses).
 * Real time (not the virtual clock) is used for timestamps: the SDKs stamp requests with the host's clock.
 * @internal
 */
export class Authenticator {
  private readonly nonces = new Map<string, number>();

  constructor(private readonly accounts: () => ReadonlyMap<string, AccountRec>) {}

  /** Returns the caller's AccessKeyId or throws the error the real gateway answers with. */
  verify(r: SignedRequest): string {
    const auth = header(r.headers, "authorization");
    if (auth?.startsWith("ACS3-")) return this.verifyAcs3(r, auth);
    if (r.params.Signature !== undefined) return this.verifyRpc(r);
    throw new IncompleteSignature("Neither an ACS3 Authorization header nor a Signature parameter was sent.");
  }

  private account(id: string | undefined, token: string | undefined): AccountRec {
    const a = id ? this.accounts().get(id) : undefined;
    if (!a) throw new InvalidAccessKeyIdNotFound();
    // STS: a seeded token must come with its AccessKey; a key without one accepts no token.
    if ((a.securityToken ?? "") !== (token ?? "")) throw new InvalidSecurityTokenMismatch();
    // Temporary credentials from STS stop working at their Expiration (real time, as models/sts.ts explains).
    if (a.expiresAt !== undefined && Date.now() >= a.expiresAt) throw new InvalidSecurityTokenExpired();
    return a;
  }

  private checkTime(raw: string): void {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(raw)) throw new InvalidTimeStampFormat();
    if (Math.abs(Date.now() - Date.parse(raw)) > MAX_SKEW_MS) throw new InvalidTimeStampExpired();
  }

  private useNonce(accessKeyId: string, nonce: string): void {
    const now = Date.now();
    if (this.nonces.size > 100_000) for (const [k, exp] of this.nonces) if (exp < now) this.nonces.delete(k);
    const key = `${accessKeyId}/${nonce}`;
    const exp = this.nonces.get(key);
    if (exp !== undefined && exp >= now) throw new SignatureNonceUsed();
    this.nonces.set(key, now + MAX_SKEW_MS);
  }

  // V3: CanonicalRequest = METHOD \n URI \n sorted query (key=encode(value)) \n "name:value\n" for each signed
  // header \n signed header names joined by ";" \n hex sha256(body); StringToSign = "ACS3-HMAC-SHA256\n" +
  // hex sha256(CanonicalRequest); Signature = hex HMAC-SHA256(secret, StringToSign). Mirrors
  // @alicloud/openapi-core utils.getAuthorization and Alibaba's V3 signature document.
  private verifyAcs3(r: SignedRequest, auth: string): string {
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(
      auth.trim(),
    );
    if (!m) throw new IncompleteSignature("Malformed Authorization header.");
    const [, accessKeyId, signedList, signature] = m;
    const signed = signedList.split(";");
    for (const h of [
      "host",
      "x-acs-date",
      "x-acs-signature-nonce",
      "x-acs-content-sha256",
      "x-acs-action",
      "x-acs-version",
    ]) {
      if (header(r.headers, h) === undefined || !signed.includes(h))
        throw new IncompleteSignature(`Header ${h} must be sent and signed.`);
    }
    const account = this.account(accessKeyId, header(r.headers, "x-acs-security-token"));
    this.checkTime(header(r.headers, "x-acs-date") as string);
    const payloadHash = header(r.headers, "x-acs-content-sha256") as string;
    const canonicalQuery = Object.keys(r.query)
      .sort()
      .map((k) => `${percentEncode(k)}=${percentEncode(r.query[k])}`)
      .join("&");
    const canonicalHeaders = [...signed]
      .sort()
      .map((h) => `${h}:${(header(r.headers, h) ?? "").trim()}\n`)
      .join("");
    const canonicalRequest = [
      r.method,
      r.path,
      canonicalQuery,
      canonicalHeaders,
      signed.sort().join(";"),
      payloadHash,
    ].join("\n");
    const stringToSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
    const expected = createHmac("sha256", account.accessKeySecret).update(stringToSign).digest("hex");
    // A body that does not hash to x-acs-content-sha256 is a signature mismatch too (the hash is signed).
    const bodyOk = createHash("sha256").update(r.body).digest("hex") === payloadHash;
    if (!bodyOk || !safeEqual(expected, signature))
      throw new SignatureDoesNotMatch("acs3", stringToSign, canonicalRequest);
    this.useNonce(accessKeyId, header(r.headers, "x-acs-signature-nonce") as string);
    return accessKeyId;
  }

  // RPC (V2): StringToSign = METHOD & %2F & percentEncode(sorted "k=v" of every parameter but Signature);
  // Signature = base64 HMAC-SHA1(secret + "&", StringToSign). Mirrors @alicloud/pop-core and rpc-util getSignatureV1.
  private verifyRpc(r: SignedRequest): string {
    const p = r.params;
    for (const name of [
      "AccessKeyId",
      "SignatureMethod",
      "SignatureVersion",
      "SignatureNonce",
      "Timestamp",
    ]) {
      if (!p[name]) throw new IncompleteSignature(`Parameter ${name} is missing.`);
    }
    if (p.SignatureMethod !== "HMAC-SHA1" || p.SignatureVersion !== "1.0")
      throw new IncompleteSignature("Only HMAC-SHA1 / 1.0 is supported.");
    const account = this.account(p.AccessKeyId, p.SecurityToken);
    this.checkTime(p.Timestamp);
    const canonical = Object.keys(p)
      .filter((k) => k !== "Signature")
      .sort()
      .map((k) => `${percentEncode(k)}=${percentEncode(p[k])}`)
      .join("&");
    const stringToSign = `${r.method}&${percentEncode("/")}&${percentEncode(canonical)}`;
    const expected = createHmac("sha1", `${account.accessKeySecret}&`).update(stringToSign).digest("base64");
    if (!safeEqual(expected, p.Signature)) throw new SignatureDoesNotMatch("rpc", stringToSign);
    this.useNonce(p.AccessKeyId, p.SignatureNonce);
    return p.AccessKeyId;
  }
}
