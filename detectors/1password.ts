import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 1Password service account tokens: `ops_` + base64url JSON holding the account address, the
 * Secret Key and the SRP verifier. No documented read-only HTTP check exists: not verified.
 */
export const onePasswordServiceAccountToken: Detector = {
  id: '1password-service-account-token',
  name: '1Password service account token',
  issuer: '1password',
  keywords: ['ops_eyJ'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>ops_eyJ[A-Za-z0-9_+/-]{250,3000}={0,3})(?![A-Za-z0-9_+/=-])/,
  window: { before: 16, after: 3100 },
  validate: (secret) => {
    const json = decodeJson(secret.slice(4).replace(/=+$/, ''));
    // A cut-off token no longer decodes; the prefix and length still make it likely.
    if (json === undefined) return 0.6;
    return typeof json.signInAddress === 'string' || typeof json.secretKey === 'string' ? 1 : 0.6;
  },
  entropy: 4.5,
  severity: 'critical',
  examples: {
    match: [
      'export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoibm9ydGh3aW5kLW9wcy4xcGFzc3dvcmQuY29tIiwidXNlckF1dGgiOnsibWV0aG9kIjoiU1JQZy00MDk2IiwiYWxnIjoiUEJFUzJnLUhTMjU2IiwiaXRlcmF0aW9ucyI6NjUwMDAwLCJzYWx0Ijoickl3RmtHWUhSMVRmeUFwZjl3TzlrVCJ9LCJlbWFpbCI6InpvZHVldXZiaTV6bjNAMXBhc3N3b3Jkc2VydmljZWFjY291bnRzLmNvbSIsInNycFgiOiI2MDllNjlhMjllZTRmNDM5YjZkZWFmYTg2MGRjM2FkNTY3NjM3NDJjNjRiZDcwNjM2ZWFjMDdkZmRlNTkzOWJlIiwibXVrIjp7ImFsZyI6IkEyNTZHQ00iLCJleHQiOnRydWUsImsiOiJXZExJc1NfRnM4VFdEMy1pZUVXaktSMHVpMGZqSWpSWU5sbVRQUnozU0hyIiwia2V5X29wcyI6WyJlbmNyeXB0IiwiZGVjcnlwdCJdLCJrdHkiOiJvY3QiLCJraWQiOiJtcCJ9LCJzZWNyZXRLZXkiOiJBMy0zUjNJNUotRlVRNzgwLUFDSFRJLVQ3M0ZULVdMN1NILU0zSFM4IiwidGhyb3R0bGVTZWNyZXQiOnsic2VlZCI6IjQ5OTZmMzE1Mzg2MmU4YWRkOTI2MDYxY2U5ZjNkNzM2NDA1NjFkNDYwMjUwNDY0NDE3NWM0MWRhNjBlNDcwODciLCJ1dWlkIjoiWjZIVkVDTVU1RVU5Wk5HVU9QV1hVMFo4OUsifSwiZGV2aWNlVXVpZCI6IjIzczdtMzB0OHBiaDJ5YnFuZWwzeXhyMmY2In0',
      'GitHub secret OP_SERVICE_ACCOUNT_TOKEN is "ops_eyJzaWduSW5BZGRyZXNzIjoibm9ydGh3aW5kLW9wcy4xcGFzc3dvcmQuY29tIiwidXNlckF1dGgiOnsibWV0aG9kIjoiU1JQZy00MDk2IiwiYWxnIjoiUEJFUzJnLUhTMjU2IiwiaXRlcmF0aW9ucyI6NjUwMDAwLCJzYWx0IjoiRTRkT0xJQ0FoN2w4aGxpMTREZ05qYiJ9LCJlbWFpbCI6IjYzNmsybmRxejY3djlAMXBhc3N3b3Jkc2VydmljZWFjY291bnRzLmNvbSIsInNycFgiOiIyZmM1OGE2YzlkOGM5YTJmOGZlOGRjZjI2ZDE4YWYxOWFlZWYxMDhkNjVhNDI5MTI3Y2U4Y2JmNDI0ZGZhNWRlIiwibXVrIjp7ImFsZyI6IkEyNTZHQ00iLCJleHQiOnRydWUsImsiOiJiSkxxd0NqNUtxS0FvdG14NUlGYlBfVnBBek1Jdy0yS2JLMGMtaVAtWGdyIiwia2V5X29wcyI6WyJlbmNyeXB0IiwiZGVjcnlwdCJdLCJrdHkiOiJvY3QiLCJraWQiOiJtcCJ9LCJzZWNyZXRLZXkiOiJBMy1JT0pXTjgtTzdTS1E0LVVaTFZGLVVUOE01LTNFM1kxLVlVV0JFIiwidGhyb3R0bGVTZWNyZXQiOnsic2VlZCI6ImI0ZWNkMzIzZDUyZTdlOTQzOTUyNjc0YzkwYTdmZTA5NjZhYjQ1OWNiMDlmNzNjMjExODc0YjU4NDk2MTQ4YzAiLCJ1dWlkIjoiNjNMQkZIME9QUVhSWDFJTEJKSU5NVFlOUjcifSwiZGV2aWNlVXVpZCI6InA4YmM3d29xN3VvYnk2aTlmbzNzMHY5ZWZ3In0" (ci vault, read only)',
    ],
    ignore: [
      'export OP_SERVICE_ACCOUNT_TOKEN=ops_eyJzaWduSW5BZGRyZXNzIjoiaHR0cHM6...',
      'serviceAccountToken: ops_eyJzaWduSW5B..[Redacted]',
      'OP_SERVICE_ACCOUNT_TOKEN=${{ secrets.OP_SERVICE_ACCOUNT_TOKEN }}',
    ],
  },
};

/** 1Password Connect server access tokens: ES256 JWTs whose claims are namespaced `1password.com/…`. */
export const onePasswordConnectToken: Detector = {
  id: '1password-connect-token',
  name: '1Password Connect server access token',
  issuer: '1password',
  keywords: ['OP_CONNECT_TOKEN', 'connect_token', 'connect-token'],
  pattern:
    /(?:OP_CONNECT_TOKEN|connect[_-]token)["']?(?:\s{0,3}[:=]|\s)\s{0,3}["']?(?<secret>eyJ[A-Za-z0-9_-]{10,600}\.ey[A-Za-z0-9_-]{10,4000}\.[A-Za-z0-9_-]{20,600})(?![\w.-])/i,
  window: { after: 5300 },
  validate: (secret) => {
    const claims = decodeJson(secret.split('.')[1] ?? '');
    if (claims === undefined) return false;
    return Object.keys(claims).some((k) => k.startsWith('1password.com/')) ? 1 : 0.6;
  },
  entropy: 4.5,
  severity: 'critical',
  // `GET /v1/vaults` lists the vaults the token may read, on the Connect server an admin configured.
  verify: httpVerifier({
    hosts: [],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/v1/vaults`,
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    confirm: (response) => Array.isArray(response.body),
    facts: (response) => ({ details: { vaults: String((response.body as unknown[]).length) } }),
    fixtures: {
      live: {
        status: 200,
        body: [{ id: 'yhm6kq3rpbd2xe4tnwfoc5u7ia', name: 'CI secrets', type: 'USER_CREATED', items: 42 }],
      },
      dead: { status: 401, body: { status: 401, message: 'Invalid bearer token' } },
    },
  }),
  examples: {
    match: [
      'OP_CONNECT_HOST=http://onepassword-connect:8080\nOP_CONNECT_TOKEN=eyJhbGciOiJFUzI1NiIsImtpZCI6ImZub2Z1ZzlzajZjbm94YnpheWd1amVpeDdyIiwidHlwIjoiSldUIn0.eyIxcGFzc3dvcmQuY29tL2F1dWlkIjoiSDVGTlpRME5KRlJXSlNRNktUV05XUzNFSFAiLCIxcGFzc3dvcmQuY29tL3Rva2VuIjoiQU50Z3JKdjFuQzUzVnJ5cThKeUcwcEZWWHd4ZmtRamEiLCIxcGFzc3dvcmQuY29tL2Z0cyI6WyJ2YXVsdGFjY2VzcyJdLCIxcGFzc3dvcmQuY29tL3Z0cyI6W3sidSI6ImUyYm1wcHI4Zmthc2Q3OGc4ODUwNjYwbXpkIiwiYSI6NDh9XSwiYXVkIjpbImNvbS4xcGFzc3dvcmQuY29ubmVjdCJdLCJzdWIiOiJXMlUyWjNPWE9ZOUpDSE1VVVdaOUhTWlEyMyIsImlhdCI6MTc0MDQ3ODgwMCwiaXNzIjoiY29tLjFwYXNzd29yZC5iNSIsImp0aSI6Imw3eDY3YWp3dno4ZnJud3E2ejF0YnRzNnNpIn0.GjmCQL1r0czXNgQER9Ox6DVKXcXEutRrQ1i0ejBN41bDyxQz_WpwNESg-MSA5AkCxW5C6C0UaQsCIsI832l3nA',
      'helm upgrade connect 1password/connect --set operator.token.value=x --set connect_token="eyJhbGciOiJFUzI1NiIsImtpZCI6Ims2Nzh5bWw3emk5cTRqZGV2ZmZvb3Y1ZDg3IiwidHlwIjoiSldUIn0.eyIxcGFzc3dvcmQuY29tL2F1dWlkIjoiTkpXREw2WERaU05NS05FU0dXVkZQUFZINFEiLCIxcGFzc3dvcmQuY29tL3Rva2VuIjoiS0x0TmowY1lOTjlWWWNhY3luSDNEbmh4ZTBmVWx5ZWYiLCIxcGFzc3dvcmQuY29tL2Z0cyI6WyJ2YXVsdGFjY2VzcyJdLCIxcGFzc3dvcmQuY29tL3Z0cyI6W3sidSI6IjVvY3lmYTdsMXM5ZTFobWRyYmt0ZGp2NW11IiwiYSI6NDh9XSwiYXVkIjpbImNvbS4xcGFzc3dvcmQuY29ubmVjdCJdLCJzdWIiOiI0MDVIVks4NDJGWFBQUVRaSlhTUUQ4T1kwMyIsImlhdCI6MTc0MDQ3ODgwMCwiaXNzIjoiY29tLjFwYXNzd29yZC5iNSIsImp0aSI6Inh4Y2JsYzl4d3Y0d2pzeHR3OHMxemZpam9iIn0.qbdmc51OJ1VVmuD0zZBLbzRo5KlvCfciHXgiAosN_wzqUuWwRsDUE_TixWD223pq_7Q4ma1lPwMyW0Yff7N9bH"',
    ],
    ignore: [
      'OP_CONNECT_TOKEN=${OP_CONNECT_TOKEN}',
      'OP_CONNECT_TOKEN=eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9',
      // a JWT that is not a Connect token (no 1password.com claims)
      'OP_CONNECT_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJhdXRoLm5vcnRod2luZC5pbyJ9.x',
    ],
  },
};

/**
 * 1Password account Secret Key (`A3-` + 6 groups, 34 characters). Combined with the account
 * password it unlocks every vault of that user; useless without it.
 */
export const onePasswordSecretKey: Detector = {
  id: '1password-secret-key',
  name: '1Password account Secret Key',
  issuer: '1password',
  keywords: ['A3-'],
  pattern:
    /(?<![A-Za-z0-9-])(?<secret>A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})(?![A-Za-z0-9-])/,
  validate: (secret) => /[0-9]/.test(secret.slice(3)) && /[A-Z]/.test(secret.slice(3)),
  entropy: 3.6,
  severity: 'medium',
  examples: {
    match: [
      'Emergency Kit for the ops account: Secret Key A3-KZ4H23-1KEKW0-9ILH9-CA6J9-AICTY-03F8J',
      'secret key is A3-30DR0W-4S6HGI-TOVHK-CIB0A-F98WD-1URVE, password in the envelope',
    ],
    ignore: [
      'Secret Key: A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX',
      'part number A3-100200-300400-50060-70080-90010-11012',
      'paper size A3-portrait',
    ],
  },
};

export const onePasswordDetectors: readonly Detector[] = [
  onePasswordServiceAccountToken,
  onePasswordConnectToken,
  onePasswordSecretKey,
];
