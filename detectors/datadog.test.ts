import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { SafeRequest, SafeResponse, Verifier, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { inRegions } from '../src/verification/in-regions.ts';
import { datadogApiKey } from './datadog.ts';

/** A context answering each request by host; records the hosts in order. */
function fakeContext(answer: (host: string) => { status: number; body?: unknown }): {
  ctx: VerifyContext;
  hosts: string[];
} {
  const hosts: string[] = [];
  const ctx: VerifyContext = {
    parts: {},
    baseUrls: [],
    now: () => 0,
    async request(request: SafeRequest): Promise<SafeResponse> {
      const host = new URL(reveal(request.url)).hostname;
      hosts.push(host);
      const { status, body } = answer(host);
      return { status, headers: new Headers(), body };
    },
  };
  return { ctx, hosts };
}

const key = new Secret('ba66ff44daeeaada731e4d1b1e036e28', '********6e28');

describe('inRegions', () => {
  const verify = datadogApiKey.verify as Verifier;

  it('is live as soon as one site accepts the key, and stops asking', async () => {
    const { ctx, hosts } = fakeContext((host) =>
      host === 'api.datadoghq.eu'
        ? { status: 200, body: { valid: true } }
        : { status: 403, body: { errors: ['Forbidden'] } },
    );
    const result = await verify.check(key, ctx);
    expect(result.liveness).toBe('live');
    expect(result.facts?.details?.['site']).toBe('datadoghq.eu');
    expect(hosts.at(-1)).toBe('api.datadoghq.eu');
    expect(hosts).not.toContain('api.ddog-gov.com');
  });

  it('is dead only when every site rejects the key', async () => {
    const { ctx, hosts } = fakeContext(() => ({ status: 403, body: { errors: ['Forbidden'] } }));
    expect((await verify.check(key, ctx)).liveness).toBe('dead');
    expect(new Set(hosts)).toEqual(new Set(verify.hosts));
  });

  it('stays unknown when one site fails and none accepts', async () => {
    const { ctx } = fakeContext((host) => (host === 'api.us3.datadoghq.com' ? { status: 503 } : { status: 403 }));
    expect((await verify.check(key, ctx)).liveness).toBe('unknown');
  });

  it('does not trust a 200 without "valid": true', async () => {
    const { ctx } = fakeContext(() => ({ status: 200, body: { valid: false } }));
    expect((await verify.check(key, ctx)).liveness).toBe('unknown');
  });

  it('needs at least one verifier', () => {
    expect(() => inRegions([])).toThrow();
  });
});
