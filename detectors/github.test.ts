import { describe, expect, it } from 'vitest';
import { withBase62Crc32 } from '../src/detection/checksums.ts';
import {
  githubAppPrivateKey,
  githubClassicPat,
  githubInstallationToken,
  githubInstallationTokenStateless,
  githubRefreshToken,
  githubUserFacts,
} from './github.ts';

const secretOf = (pattern: RegExp, text: string) => pattern.exec(text)?.groups?.secret;

describe('github CRC tokens', () => {
  it('accepts a body with its CRC and rejects a wrong one', () => {
    const token = withBase62Crc32('ghp_', 'Zq3VtR8mWk2LpX7nYc4HsJ6dFg9BaE');
    expect(secretOf(githubClassicPat.pattern, `token ${token}.`)).toBe(token);
    expect(githubClassicPat.validate?.(token, {})).toBe(true);
    expect(githubClassicPat.validate?.(`${token.slice(0, -1)}0`, {})).toBe(false);
  });

  it('sizes refresh tokens at 80 characters (70-char body + 6-char CRC)', () => {
    const token = withBase62Crc32('ghr_', 'Pq7Lm2Xc9Vb4Nz8Kd3Hs6Jf1Gt5Rw0Ye'.repeat(3).slice(0, 70));
    expect(token).toHaveLength(80);
    expect(secretOf(githubRefreshToken.pattern, `refresh_token=${token}&x=1`)).toBe(token);
    expect(secretOf(githubRefreshToken.pattern, `refresh_token=${token.slice(0, 40)}`)).toBeUndefined();
  });

  it('keeps installation tokens that miss the CRC at low confidence', () => {
    const token = withBase62Crc32('ghs_', 'Zq3VtR8mWk2LpX7nYc4HsJ6dFg9BaE');
    expect(githubInstallationToken.validate?.(token, {})).toBe(1);
    expect(githubInstallationToken.validate?.('ghs_16C7e42F292c69C2E7C10c838347Ae178B4a', {})).toBe(0.5);
  });

  it('does not let the classic and stateless installation patterns claim each other', () => {
    const stateless = githubInstallationTokenStateless.examples.match[1]!.slice('GH_TOKEN="'.length, -1);
    expect(secretOf(githubInstallationToken.pattern, stateless)).toBeUndefined();
    expect(secretOf(githubInstallationTokenStateless.pattern, `${stateless}.`)).toBe(stateless);
    expect(githubInstallationTokenStateless.validate?.(stateless, {})).toBe(true);
    // header and payload only
    expect(githubInstallationTokenStateless.validate?.(stateless.slice(0, stateless.lastIndexOf('.')), {})).toBe(false);
  });
});

describe('github-app-private-key', () => {
  const pem = secretOf(githubAppPrivateKey.pattern, githubAppPrivateKey.examples.match[0]!)!;

  it('parses the key, also with JSON-style \\n escapes', () => {
    expect(githubAppPrivateKey.validate?.(pem, {})).toBe(true);
    const escaped = secretOf(githubAppPrivateKey.pattern, githubAppPrivateKey.examples.match[1]!)!;
    expect(escaped).toContain('\\n');
    expect(githubAppPrivateKey.validate?.(escaped, {})).toBe(true);
  });

  it('rejects a body that does not parse', () => {
    const lines = pem.split('\n');
    const damaged = [...lines.slice(0, 3), ...lines.slice(4)].join('\n');
    expect(githubAppPrivateKey.validate?.(damaged, {})).toBe(false);
  });

  it('reads the App ID from the usual labels', () => {
    const companion = githubAppPrivateKey.companions![0]!.pattern;
    for (const text of [
      'GITHUB_APP_ID=318442',
      'app_id: 318442',
      '"appId": 318442',
      'GitHub App ID: 318442',
      'github app 318442',
    ]) {
      expect(secretOf(companion, text)).toBe('318442');
    }
    expect(secretOf(companion, 'build 318442 failed')).toBeUndefined();
  });
});

describe('githubUserFacts', () => {
  const response = (headers: Record<string, string>, body: unknown = { login: 'jdoe' }) => ({
    status: 200,
    headers: new Headers(headers),
    body,
  });

  it('reads scopes and expiry, and flags admin or repo+workflow scopes as privileged', () => {
    expect(
      githubUserFacts(
        response({
          'x-oauth-scopes': 'repo, workflow',
          'github-authentication-token-expiration': '2026-09-01 12:00:00 UTC',
        }),
      ),
    ).toEqual({
      account: 'jdoe',
      scopes: ['repo', 'workflow'],
      expiresAt: '2026-09-01T12:00:00.000Z',
      privileged: true,
    });
    expect(githubUserFacts(response({ 'x-oauth-scopes': 'admin:org' })).privileged).toBe(true);
    expect(githubUserFacts(response({ 'x-oauth-scopes': 'repo, read:org' })).privileged).toBeUndefined();
  });

  it('leaves scopes out for fine-grained tokens, which send no X-OAuth-Scopes', () => {
    expect(githubUserFacts(response({}))).toEqual({ account: 'jdoe' });
    expect(githubUserFacts(response({}, { login: 'octo-admin', site_admin: true })).privileged).toBe(true);
  });
});
