import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * `GET https://sentry.io/api/0/auth/validate/` (tokens.md): 200 for a valid
 * user or organisation token, 401/403 for a revoked one. sentry.io forwards
 * region-silo tokens (us/de), so one host serves every SaaS token.
 */
const sentryAuthValidate = httpVerifier({
  hosts: ['sentry.io'],
  request: (secret) => ({
    url: 'https://sentry.io/api/0/auth/validate/',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  fixtures: {
    live: { status: 200, headers: { 'content-type': 'application/json' }, body: { valid: true } },
    dead: { status: 401, headers: { 'content-type': 'application/json' }, body: { detail: 'Invalid token' } },
  },
});

/**
 * Organisation auth tokens: `sntrys_` + base64 JSON (`iat`, `url`,
 * `region_url`, `org`) + `_` + 43-char secret. Used by sentry-cli and bundler
 * plugins to upload source maps and create releases.
 */
export const sentryOrgToken: Detector = {
  id: 'sentry-org-token',
  name: 'Sentry organization auth token',
  issuer: 'sentry',
  keywords: ['sntrys_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sntrys_eyJ[A-Za-z0-9+/]{20,600}={0,2}_[A-Za-z0-9+/]{43})(?![A-Za-z0-9+/=_])/,
  validate: (secret) => {
    const payload = secret.slice('sntrys_'.length, secret.lastIndexOf('_'));
    try {
      const decoded: unknown = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
      // The payload names the Sentry host the token belongs to.
      return decoded !== null && typeof decoded === 'object' && ('url' in decoded || 'region_url' in decoded) ? 1 : 0.7;
    } catch {
      return 0.6;
    }
  },
  entropy: 4,
  severity: 'high',
  verify: sentryAuthValidate,
  examples: {
    match: [
      'SENTRY_AUTH_TOKEN=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',
      'sentryWebpackPlugin({ org: "nordwerk", authToken: "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" })',
    ],
    ignore: [
      'SENTRY_AUTH_TOKEN=sntrys_YOUR_TOKEN_HERE',
      // secret part missing
      'sntrys_eyJpYXQiOjE3MTIzNDU2NzguMTIzLCJ1cmwiOiJodHRwczovL3NlbnRyeS5pbyJ9',
      'SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MTIzNDU2NzguMTIzfQ==_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

/** User auth tokens: `sntryu_` + 64 hex. Act as the user across every organisation they belong to. */
export const sentryUserToken: Detector = {
  id: 'sentry-user-token',
  name: 'Sentry user auth token',
  issuer: 'sentry',
  keywords: ['sntryu_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sntryu_[0-9a-f]{64})(?![A-Za-z0-9_])/,
  entropy: 3,
  severity: 'high',
  verify: sentryAuthValidate,
  examples: {
    match: [
      'sentry-cli login --auth-token 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',
      '[auth]\ntoken=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',
    ],
    ignore: [
      'token=sntryu_0000000000000000000000000000000000000000000000000000000000000000',
      'token=sntryu_d8cc782e3a1713844e8c1c82edb286fc',
      'user tokens start with sntryu_ and org tokens with sntrys_',
    ],
  },
};

/**
 * Auth tokens issued before the 2023 prefixes: 64 hex, so only right after a
 * Sentry name (`SENTRY_AUTH_TOKEN=`, `[auth] token=` under sentry). DSN keys
 * (`https://<32 hex>@o1.ingest.sentry.io/…`) are public by design: not reported.
 */
export const sentryLegacyAuthToken: Detector = {
  id: 'sentry-legacy-auth-token',
  name: 'Sentry auth token (legacy)',
  issuer: 'sentry',
  keywords: ['sentry'],
  pattern:
    /\bsentry[\w. -]{0,20}?(?:auth|api)[ _.-]{0,3}(?:token|key)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{64})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'high',
  verify: sentryAuthValidate,
  examples: {
    match: [
      'SENTRY_AUTH_TOKEN=8aeabad4b4a6a490ef4f94765345f1503820d4e9c1371d25902a10047a5ae43d sentry-cli releases new 4.2.0',
      '.sentryclirc is not ignored! sentry auth token: 7c1e9b04a2f35d68e0b7a91c4d2f8e6b3a05c7d9e1f24b6a8c0d3e5f7a9b1c2d',
    ],
    ignore: [
      // DSN public key: meant to ship with the app
      'SENTRY_DSN=https://d65f1a13ecf72a831911b719a3582d42@o447951.ingest.sentry.io/5428557',
      'SENTRY_AUTH_TOKEN=${SENTRY_AUTH_TOKEN}',
      // 40 hex release SHA next to the word
      'sentry release auth token for 6301ca252628752bb475629d14122613e33d469e created',
    ],
  },
};

export const sentryDetectors: readonly Detector[] = [sentryOrgToken, sentryUserToken, sentryLegacyAuthToken];
