import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { SafeResponse, VerifyContext } from '../src/core/verification.ts';
import { grafanaCloudToken } from './grafana.ts';

function answering(response: Omit<SafeResponse, 'headers'>): VerifyContext {
  return {
    parts: {},
    baseUrls: [],
    now: () => 0,
    request: async () => ({ ...response, headers: new Headers() }),
  };
}

const payload = Buffer.from(
  JSON.stringify({ o: '744587', n: 'logs', k: 'J8F2L5YpB9EFEFdUZ81pCrvX', m: { r: 'us' } }),
).toString('base64');
const token = `glc_${payload}`;

describe('grafana cloud token', () => {
  it('is fully confident when the payload decodes to the documented JSON', () => {
    expect(grafanaCloudToken.validate!(token, {})).toBe(1);
  });

  it('keeps an undecodable glc_ body at lower confidence', () => {
    expect(grafanaCloudToken.validate!('glc_R3JhZmFuYUNsb3VkVG9rZW5XaXRoTm9KU09OSW5zaWRlSXQ', {})).toBe(0.5);
  });

  const secret = new Secret(token, 'glc_********fX19');
  const verify = grafanaCloudToken.verify!;

  it('treats 401 "missing required scope" as a live token', async () => {
    const ctx = answering({
      status: 401,
      body: { code: 'Unauthorized', message: 'missing required scope: accesspolicies:read' },
    });
    expect((await verify.check(secret, ctx)).liveness).toBe('live');
  });

  it('treats InvalidCredentials as dead', async () => {
    const ctx = answering({ status: 401, body: { code: 'InvalidCredentials', message: 'Token invalid' } });
    expect((await verify.check(secret, ctx)).liveness).toBe('dead');
  });

  it('does not guess on another 401', async () => {
    const ctx = answering({ status: 401, body: 'Unauthorized' });
    expect((await verify.check(secret, ctx)).liveness).toBe('unknown');
  });
});
