/**
 * The simulator's TLS identity, for the HTTPS listener STS clients need: `@alicloud/credentials` calls STS over
 * `https://` only (its RAM-role-ARN and OIDC providers hard-code the protocol), so the simulator must speak TLS
 * to stand in for STS.
 *
 * A self-signed certificate for 127.0.0.1, localhost and *.localhost, valid until 2126, made with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
 *  -subj "/CN=alibaba-sim test certificate" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:*.localhost"`.
 * It protects nothing (its key is public, here): a client trusts it only when told to, e.g. a process started
 * with `NODE_EXTRA_CA_CERTS` pointing at a file holding {@link SIMULATOR_TLS_CERT}.
 */

/** The certificate (PEM). Trust it in a client that talks to `Simulator.stsHost()`. */
export const SIMULATOR_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBzjCCAXSgAwIBAgIUT2OTLP2k83reMKyUJzwH10v94kcwCgYIKoZIzj0EAwIw
JzElMCMGA1UEAwwcYWxpYmFiYS1zaW0gdGVzdCBjZXJ0aWZpY2F0ZTAgFw0yNjEx
MzAyMjMxMTFaGA8yMTI2MTEwNjIyMzExMVowJzElMCMGA1UEAwwcYWxpYmFiYS1z
aW0gdGVzdCBjZXJ0aWZpY2F0ZTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABONn
ykyPIUQogy+XvVXXoPQq/mPuyVifMM+raL2c3Z9RJO0RkdUXZZmaMdlw18j/WOM6
T1GoCuBVTz/pbCvAANqjfDB6MB0GA1UdDgQWBBQzhU/VkHGTeTeJDoz1gR2akkCw
ETAfBgNVHSMEGDAWgBQzhU/VkHGTeTeJDoz1gR2akkCwETAPBgNVHRMBAf8EBTAD
AQH/MCcGA1UdEQQgMB6HBH8AAAGCCWxvY2FsaG9zdIILKi5sb2NhbGhvc3QwCgYI
KoZIzj0EAwIDSAAwRQIgCkBE3vfgwGlFxVlv3fT5cTQxh5wvpH0L3nJqqHExJ9gC
IQDZnbhZEpm+rSGtOdF++7CKCDsgJenLNZPfDS/pj1Q0vQ==
-----END CERTIFICATE-----
`;

/** Its private key (PEM). Public on purpose: it is a test fixture. @internal */
export const SIMULATOR_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9g6PVOq5POz700lX
WTonGFF1z8J0htAe7CIMzz/LKSWhRANCAATjZ8pMjyFEKIMvl71V16D0Kv5j7slY
nzDPq2i9nN2fUSTtEZHVF2WZmjHZcNfI/1jjOk9RqArgVU8/6WwrwADa
-----END PRIVATE KEY-----
`;
