import type { Detector } from '../src/core/detector.ts';
import type { RevocationResult, Revoker } from '../src/core/verification.ts';
import { hasBase62Crc32 } from '../src/detection/checksums.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const NPM_REGISTRY = 'registry.npmjs.org';
const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/**
 * `GET https://registry.npmjs.org/-/whoami` (docs.npmjs.com/cli/commands/npm-whoami,
 * tokens.md #24): the user the token belongs to. 401 dead; 403 (an IP allow
 * list, a blocked account) stays unknown.
 */
const npmWhoami = httpVerifier({
  hosts: [NPM_REGISTRY],
  request: (secret) => ({
    url: 'https://registry.npmjs.org/-/whoami',
    headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
  }),
  deadStatus: [401],
  confirm: (response) => field(response.body, 'username') !== undefined,
  facts: (response) => {
    const username = field(response.body, 'username');
    return username === undefined ? undefined : { account: username };
  },
  fixtures: {
    live: { status: 200, headers: JSON_HEADERS, body: { username: 'acme-release' } },
    dead: { status: 401, headers: JSON_HEADERS, body: { error: 'Unauthorized' } },
  },
});

/**
 * `DELETE https://registry.npmjs.org/-/npm/v1/tokens/token/<token>`, authenticated
 * by the token itself. tokens.md #24 lists the tokens first and deletes by
 * `key`, but the key is a SHA-512 only computable from the revealed token; the
 * registry also takes the complete token in place of the key (npm-profile
 * `removeToken(token|key)`, `npm token revoke <id|token>`), so one call does it.
 * A 401 asking for a one-time password (2FA on writes) is a failure, not an
 * invalid token. Granular tokens without token-management rights get 403: failed.
 */
const npmTokenRevoker: Revoker = {
  hosts: [NPM_REGISTRY],
  fixtures: {
    revoked: { status: 204 },
    failed: {
      status: 401,
      headers: { ...JSON_HEADERS, 'www-authenticate': 'OTP' },
      body: { error: 'You must provide a one-time pass. Upgrade your client to npm@latest in order to use 2FA.' },
    },
  },
  async revoke(secret, ctx): Promise<RevocationResult> {
    const response = await ctx.request({
      method: 'DELETE',
      url: secretText`https://registry.npmjs.org/-/npm/v1/tokens/token/${secret}`,
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    });
    if (response.status === 200 || response.status === 204) return { outcome: 'revoked' };
    if (response.status === 401) {
      return /\botp\b/i.test(response.headers.get('www-authenticate') ?? '')
        ? { outcome: 'failed', reason: 'npm asks for a one-time password (2FA)' }
        : { outcome: 'already_invalid' };
    }
    return { outcome: 'failed', reason: `unexpected HTTP ${response.status}` };
  },
};

/** npm granular access tokens. Classic tokens were revoked by npm on 2025-12-09; the format is the same. */
export const npmAccessToken: Detector = {
  id: 'npm-access-token',
  name: 'npm access token',
  issuer: 'npm',
  keywords: ['npm_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
  validate: (secret) => hasBase62Crc32(secret, 'npm_'),
  severity: 'critical',
  verify: npmWhoami,
  revoke: npmTokenRevoker,
  examples: {
    match: [
      '//registry.npmjs.org/:_authToken=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',
      'can you try with NPM_TOKEN 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 and publish again?',
    ],
    ignore: [
      // checksum does not hold
      'npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1x3aaaaa',
      'export npm_config_cache=/tmp/npm',
      'NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const npmDetectors: readonly Detector[] = [npmAccessToken];
