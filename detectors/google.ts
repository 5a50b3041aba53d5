import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse } from '../src/core/verification.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';
import { formBody, secretText } from '../src/verification/sensitive.ts';

/** `reason` of the `google.rpc.ErrorInfo` in a Google API error body. */
function errorInfoReason(response: SafeResponse): string | undefined {
  const details = (response.body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const reason = field(detail, 'reason');
    if (reason !== undefined) return reason;
  }
  return undefined;
}

/**
 * `GET https://generativelanguage.googleapis.com/v1/models` with the key in the
 * `x-goog-api-key` header (ai.google.dev/api/models#method:-models.list,
 * tokens.md #35): free and read-only. 200 live. Only a 400 whose ErrorInfo
 * reason is `API_KEY_INVALID` proves the key dead. A 403 (key restricted to
 * other APIs or referrers, API disabled in the project) stays unknown: it
 * says nothing about the key's other APIs.
 */
const googleApiKeyModels = httpVerifier({
  hosts: ['generativelanguage.googleapis.com'],
  request: (secret) => ({
    url: 'https://generativelanguage.googleapis.com/v1/models?pageSize=1',
    headers: { 'x-goog-api-key': secret },
  }),
  liveStatus: [200, 400],
  deadStatus: [],
  confirm: (response) => response.status === 200 || (errorInfoReason(response) === 'API_KEY_INVALID' ? 'dead' : false),
  facts: () => ({ details: { api: 'generativelanguage.googleapis.com' } }),
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: {
        models: [
          {
            name: 'models/gemini-2.0-flash',
            version: '2.0',
            displayName: 'Gemini 2.0 Flash',
            inputTokenLimit: 1048576,
            outputTokenLimit: 8192,
            supportedGenerationMethods: ['generateContent', 'countTokens'],
          },
        ],
        nextPageToken: 'Chhtb2RlbHMvZ2VtaW5pLTIuMC1mbGFzaA==',
      },
    },
    dead: {
      status: 400,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'API_KEY_INVALID',
              domain: 'googleapis.com',
              metadata: { service: 'generativelanguage.googleapis.com' },
            },
          ],
        },
      },
    },
  },
});

/** Google OAuth endpoints answer an expired or revoked token with 400 `invalid_token`. */
const GOOGLE_INVALID_TOKEN = {
  status: 400,
  headers: { 'content-type': 'application/json; charset=UTF-8' },
  body: { error: 'invalid_token', error_description: 'Invalid Value' },
};

/** Expiry from tokeninfo: `exp` (epoch seconds), else the response `Date` plus `expires_in`. */
function tokeninfoExpiry(response: SafeResponse): string | undefined {
  const exp = Number(field(response.body, 'exp'));
  if (Number.isFinite(exp) && exp > 0) return new Date(exp * 1000).toISOString();
  const expiresIn = Number(field(response.body, 'expires_in'));
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isFinite(expiresIn) && Number.isFinite(date)
    ? new Date(date + expiresIn * 1000).toISOString()
    : undefined;
}

/**
 * `GET https://www.googleapis.com/oauth2/v3/tokeninfo?access_token=…`
 * (developers.google.com/identity/sign-in/web/backend-auth, tokens.md #36):
 * read-only introspection of the token's own grant. 200 live with scopes,
 * account and expiry; 400 `invalid_token` dead.
 */
const googleTokeninfo = httpVerifier({
  hosts: ['www.googleapis.com'],
  request: (secret) => ({ url: secretText`https://www.googleapis.com/oauth2/v3/tokeninfo?access_token=${secret}` }),
  liveStatus: [200, 400],
  deadStatus: [],
  confirm: (response) =>
    response.status === 200 || (field(response.body, 'error') === 'invalid_token' ? 'dead' : false),
  facts: (response) => {
    const scopes = (field(response.body, 'scope') ?? '').split(' ').filter((scope) => scope.length > 0);
    const account = field(response.body, 'email') ?? field(response.body, 'azp');
    const expiresAt = tokeninfoExpiry(response);
    return {
      ...(account !== undefined ? { account } : {}),
      ...(scopes.length > 0 ? { scopes } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      // cloud-platform grants every Google Cloud API the principal's IAM roles allow.
      ...(scopes.includes('https://www.googleapis.com/auth/cloud-platform') ? { privileged: true } : {}),
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=UTF-8', date: 'Tue, 14 Jan 2025 10:02:41 GMT' },
      body: {
        azp: '604892365417-q0mr2b7kd8cne5s3u1jvh9tzpa6lfogx.apps.googleusercontent.com',
        aud: '604892365417-q0mr2b7kd8cne5s3u1jvh9tzpa6lfogx.apps.googleusercontent.com',
        sub: '113804276519037461205',
        scope: 'https://www.googleapis.com/auth/drive.readonly https://www.googleapis.com/auth/userinfo.email openid',
        exp: '1736852560',
        expires_in: '3199',
        email: 'reporting@acme.io',
        email_verified: 'true',
        access_type: 'offline',
      },
    },
    dead: GOOGLE_INVALID_TOKEN,
  },
});

/**
 * `POST https://oauth2.googleapis.com/revoke` with `token=…` (developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke,
 * tokens.md #36): revokes the token and the grant behind it (its refresh token
 * too). 200 revoked; 400 `invalid_token` already invalid.
 */
const googleOauthRevoke = httpRevoker({
  hosts: ['oauth2.googleapis.com'],
  request: (secret) => ({
    method: 'POST',
    url: 'https://oauth2.googleapis.com/revoke',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({ token: secret }),
  }),
  revokedStatus: [200, 400],
  invalidStatus: [],
  confirm: (response) =>
    response.status === 200 || (field(response.body, 'error') === 'invalid_token' ? 'already_invalid' : false),
  fixtures: {
    revoked: { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: {} },
    failed: {
      status: 400,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { error: 'invalid_token', error_description: 'Token expired or revoked' },
    },
  },
});

/**
 * True when a PEM `PRIVATE KEY` value (with JSON `\n` escapes or real newlines)
 * is well-formed base64 of a complete DER SEQUENCE: rejects placeholders,
 * truncated pastes and keys with lines missing.
 */
function isCompletePkcs8(pem: string): boolean {
  const body = pem.replace(/-----(?:BEGIN|END) PRIVATE KEY-----/g, '').replace(/\\[nr]|\s/g, '');
  if (body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return false;
  const der = Buffer.from(body, 'base64');
  // SEQUENCE (0x30) with a two-byte long-form length (0x82) that covers exactly the rest of the buffer.
  return (
    der.length > 600 && der[0] === 0x30 && der[1] === 0x82 && ((der[2] ?? 0) << 8) + (der[3] ?? 0) + 4 === der.length
  );
}

/** Google Cloud / Maps / Gemini API keys: `AIza` + 35. Often unrestricted and billable. */
export const googleApiKey: Detector = {
  id: 'google-api-key',
  name: 'Google API key',
  issuer: 'google',
  keywords: ['AIza'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>AIza[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/,
  entropy: 3.5,
  severity: 'high',
  verify: googleApiKeyModels,
  examples: {
    match: [
      'GEMINI_API_KEY=AIzaSyJ7dYUOWixz9nXZmJqljAXVx4KIB-F-Fdb',
      'the maps widget broke, key is AIzaSyYxC8XE2KElNs2YfMmdr6j01s-b52E_Bau (restricted to our domain?)',
    ],
    ignore: [
      'GOOGLE_API_KEY=AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'keys start with AIza and are 39 characters long',
      // 30 chars after the prefix: truncated
      'AIzaSyJ7dYUOWixz9nXZmJqljAXVx4KIB-F',
    ],
  },
};

/** OAuth client secrets: `GOCSPX-` + 28. Useless without the client id, but lets anyone impersonate the app. */
export const googleOauthClientSecret: Detector = {
  id: 'google-oauth-client-secret',
  name: 'Google OAuth client secret',
  issuer: 'google',
  keywords: ['GOCSPX-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>GOCSPX-[A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/,
  entropy: 3.5,
  severity: 'medium',
  examples: {
    match: [
      '"client_id": "604892365417-q0mr2b7kd8cne5s3u1jvh9tzpa6lfogx.apps.googleusercontent.com", "client_secret": "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"',
      'GOOGLE_CLIENT_SECRET=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',
    ],
    ignore: [
      'GOOGLE_CLIENT_SECRET=GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'client secrets now start with GOCSPX- so they are easy to spot',
      'GOCSPX-Lk4BFy-7Em_2ox-O9Ne',
    ],
  },
};

/** OAuth 2.0 access tokens (`ya29.`, GCE metadata tokens `ya29.c.`): valid for about an hour. */
export const googleOauthAccessToken: Detector = {
  id: 'google-oauth-access-token',
  name: 'Google OAuth access token',
  issuer: 'google',
  keywords: ['ya29.'],
  // Google documents up to 2048 bytes; trailing `.` padding of metadata tokens is left out of the match.
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>ya29\.(?:c\.)?[A-Za-z0-9_-]{30,2048})(?![A-Za-z0-9_-])/,
  window: { after: 2100 },
  entropy: 3.5,
  severity: 'medium',
  verify: googleTokeninfo,
  revoke: googleOauthRevoke,
  examples: {
    match: [
      'curl -H "Authorization: Bearer ya29.a0AfB_by2yJ0g4DKUrV96A5uHrULNXQJk2F6-H8-S9qjoMd-pw1syiASaWo0Xd8DSUc_lNK0ebFEqEBsLEZ1jWKVNe_Zlz8gk9Dy2tdeUozUJtep7FQi0-1d88T8d0ba0ndn8mSrD289ojj2zc5R7SOX81SK7qWWK_PDmMUf" https://www.googleapis.com/drive/v3/files',
      '{"access_token":"ya29.c.b0AaekziwlrqrEGLt56xHmGWTjZ8EiUX-R3owG3gqVkb2nZXqKljt1UNNiOwvQPHYUn13XZEyxEefMgVB_aePKsYS83x-Eu0MfmXM5ijBO9f-ZY7aOSnnl4OacgUPW7-3G8LyA_H0nvXkgsMdDH2ad-cYWCEECP0IJX6s-P2sojHh7icH17SKqHmE_","expires_in":3599,"token_type":"Bearer"}',
    ],
    ignore: [
      'Authorization: Bearer ya29.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'access tokens start with ya29. and expire after an hour',
      'Bearer ya29.a0AfB_by2yJ0g4DKU',
    ],
  },
};

// Freshly generated, never-used RSA key, split into PEM lines as it appears in a key file.
const SAMPLE_KEY_LINES = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC9QhGk7D/QRA5h',
  'B1ziNwuAyqNiHe5/62OCzi/TS7IS2s0QgCBmVSGTF8gUn5W/dtRSbY9DbeJzDjQz',
  '0UDVmQddXM/wiYIcV1qr69gaLXiPnMuorkVPqJ69DlRYWaD8CdtkiUx+9keBPP8A',
  '815c2UtN68pq2SKzhxvOeFbQPsU/BcJyaFJrwa+zSha+u1Q7sf2YurSPAvyvIQM5',
  'VSBnVGDJWI3xNJYbXBHe5qAbdioSPllgNXTyIioqTk/oQe/Nv/a0HccpBYpgqIRy',
  'r7hiLgpZFiHy0k5rjp4tOgvUMw3slVQoAfWZ3Asw+xpsiFZ8RO5wG2l7R2ncZEfQ',
  'drJFs0zXAgMBAAECggEACumb1dbEyS/wuk8v37VNJanJfkH75gapurmZJVr4fhYn',
  '+9BqIyxmdAeg2EY+tAcDMBY0IVmyfxrYZLfR6rRY/zJM+nFwqKIFeY3u7Hd8Zkok',
  'A2plAbZXIiSI4Cfu3Il+9nmPiRnkk+2d8IKX3s0CsWVWoGQ7wtPtWlwy+UKdTJ22',
  '1vg64VvEyIR3YYeJo+QQRcbGrcx8Nhje5wmzM0Bdc0L7DJ35VO73cPw+ebR31i1T',
  'JyjE+7x1hSgVxqvQIP6w1wpGzukvHKwGxT9SifhapJWBfCzvjrvHn402uprNCo1o',
  '3NM3ihNJUbHjBQPRnTXjwU1stnnIRGQnMru8fyUDDQKBgQDitWLks0q0cRORJpb9',
  'MVMbOgVTx4Gbpl2VN3Ou+2r6MbUFHqTYZXr3SfNK9toW6vhFK6MLpHfSQrJbZPtK',
  'DnkKDKOTcF6yDu21BuaMK5SevRMgqon3f7r26Pt6lPZr5ugZN3DF87PHayoAUAKj',
  'THLhY5Kx29cuhO+3clSCWn7WdQKBgQDVtfiORxfpy3LyWWGJbPX4BoudpNHZWz/m',
  'vIwUGuIjZwwUObPum0qddWnhCp8niPmMi6cwN0Sd9RJ7HhpYDkflNYhH5ZcdeZDv',
  'mrRsUJks8uK4LwTNxQrDUyMODAqmMs9bduEIoVkMgTXTT/xzFgU5VJSvRjTNY8d3',
  'qNPkL+MkmwKBgQCXJC5mIlHvsmNFJeELs9KgGDJtBFkYF/XUAUASrHNJkdIJM8Da',
  's+0i6B5XH/ONy+Dw3IK6xE9N0kFuRQhy+usfFAYJyaSYOPOo+IzDblqK6arS4F9S',
  'rclLy0+9DYqrrSmXhiqdDjgQ/xTlWHIpxFHiiavG/7WZwe6+8m386bAd8QKBgCLx',
  'qj65aTOVTKpL6yLpah6wE0wnkxiTTxOPaOgwrSFUzCjSdpVhVwYAGNvvPK7eOs+8',
  'Vg4QO2wIkokHFw+m5iKYajw3UkpDgmtrRG0hkKpE3MV5CrQKsAPYKDc3yNX8IOO3',
  'wHwExebBieePgJvg0eHZ7qXqOOAMnKT4Og1ptx5ZAoGAOU/JqhYUMcaV1CeLtKZo',
  'cs7v2Qz0rvmFU1a9bIlfpgMd2Mk7/bnJGSW1QV+n2cqYBkjulf9C5hoLSTJ8Jkdq',
  'Khf0dPHdCNkizBGNUh7ZM8TwDjjINrob9b+Em8h4fo251vptu2IYd/nm/MQcrNzE',
  'zgjsvcdw7CadtiY7vTaVODE=',
];
const SAMPLE_KEY = `-----BEGIN PRIVATE KEY-----\\n${SAMPLE_KEY_LINES.join('\\n')}\\n-----END PRIVATE KEY-----\\n`;
// The same key with one line lost in the paste.
const BROKEN_KEY = `-----BEGIN PRIVATE KEY-----\\n${SAMPLE_KEY_LINES.filter((_, i) => i !== 5).join('\\n')}\\n-----END PRIVATE KEY-----\\n`;

/**
 * Service-account key files (JSON with `"type": "service_account"`). The secret
 * is the `private_key` PEM only: it is the one secret in the file, so the
 * fingerprint follows the key (the same key pasted twice is one finding) and
 * the redacted form keeps its `-----BEGIN PRIVATE KEY-----` header. The
 * `client_email` is a required companion instead of a keyword gate: a key is
 * only usable with it (the verifier signs a JWT as that account), and a
 * `*.gserviceaccount.com` address is what marks the file as Google's, in any
 * field order (`jq -S` and Terraform outputs sort keys). A lazy gap from
 * `"type"` to `"private_key"` would backtrack polynomially.
 */
export const googleServiceAccountKey: Detector = {
  id: 'google-service-account-key',
  name: 'Google Cloud service-account key',
  issuer: 'google',
  keywords: ['-----BEGIN PRIVATE KEY-----'],
  pattern:
    /"private_key"\s{0,5}:\s{0,5}"(?<secret>-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{200,4000}-----END PRIVATE KEY-----)/,
  // A 2048-bit key is ~1.7 KB of JSON, a 4096-bit one ~3.3 KB.
  window: { before: 64, after: 4200 },
  companions: [
    {
      name: 'client email',
      // user-managed (`…@<project>.iam`), default compute (`…@developer`) and App Engine (`…@appspot`) accounts
      pattern:
        /"client_email"\s{0,5}:\s{0,5}"(?<secret>[A-Za-z0-9._-]{1,100}@(?:[a-z0-9.:-]{1,100}\.iam|developer|appspot)\.gserviceaccount\.com)"/,
      // Measured from the ends of the PEM: `client_email` is the next field, or a few fields before it when sorted.
      window: 1200,
    },
  ],
  validate: isCompletePkcs8,
  // The PEM body is checked structurally in `validate`; word filters would only add noise on 1.6 KB of base64.
  skipPlaceholderFilter: true,
  severity: 'critical',
  examples: {
    match: [
      `here is the key for the ci bot, please add it to the vault:\n{\n  "type": "service_account",\n  "project_id": "billing-exports-prod",\n  "private_key_id": "9279fed77f8cb0fbc92288aae3f333e387397678",\n  "private_key": "${SAMPLE_KEY}",\n  "client_email": "ci-exporter@billing-exports-prod.iam.gserviceaccount.com",\n  "client_id": "104837261950384726153"\n}`,
      // keys sorted alphabetically: private_key comes before type
      `{"auth_uri": "https://accounts.google.com/o/oauth2/auth", "client_email": "loader@analytics-dev-41.iam.gserviceaccount.com", "private_key": "${SAMPLE_KEY}", "private_key_id": "9279fed77f8cb0fbc92288aae3f333e387397678", "project_id": "analytics-dev-41", "token_uri": "https://oauth2.googleapis.com/token", "type": "service_account"}`,
    ],
    ignore: [
      '{"type": "service_account", "project_id": "my-project", "private_key_id": "abc123", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEv...\\n-----END PRIVATE KEY-----\\n", "client_email": "sa@my-project.iam.gserviceaccount.com"}',
      // a line of the key was lost in the paste
      `{"type": "service_account", "project_id": "billing-exports-prod", "private_key": "${BROKEN_KEY}", "client_email": "ci-exporter@billing-exports-prod.iam.gserviceaccount.com"}`,
      // a PEM in some other vendor's JSON: no service-account email
      `{"account": "acme-eu", "user": "LOADER", "private_key": "${SAMPLE_KEY}"}`,
      'set "type": "service_account" and paste the private_key from the downloaded JSON into the secret store',
    ],
  },
};

export const googleDetectors: readonly Detector[] = [
  googleApiKey,
  googleOauthClientSecret,
  googleOauthAccessToken,
  googleServiceAccountKey,
];
