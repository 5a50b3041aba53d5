import { describe, expect, it } from 'vitest';
import { Secret } from '../src/core/secret.ts';
import type { CannedResponse, SafeRequest, VerifyContext } from '../src/core/verification.ts';
import { reveal } from '../src/verification/sensitive.ts';
import { infisicalServiceToken } from './infisical.ts';

const token = new Secret(
  'st.85d6500349fb45bdc21cebf9.8997f685069b1da337f69263bc7df334.3ef4d6a88c378a57b7a23761e535aef3',
  'st.********aef3',
);

function context(byHost: Record<string, CannedResponse>): VerifyContext {
  return {
    parts: {},
    baseUrls: [],
    now: () => 0,
    async request(request: SafeRequest) {
      const canned = byHost[new URL(reveal(request.url)).hostname] ?? { status: 500 };
      return { status: canned.status, headers: new Headers(), body: canned.body };
    },
  };
}

describe('infisical service token verifier', () => {
  const verifier = infisicalServiceToken.verify!;
  const live = verifier.fixtures.live;
  const dead = verifier.fixtures.dead;

  it('finds an EU-region token after the US region rejects it', async () => {
    const result = await verifier.check(token, context({ 'app.infisical.com': dead, 'eu.infisical.com': live }));
    expect(result.liveness).toBe('live');
  });

  it('is dead only when both regions reject it', async () => {
    const result = await verifier.check(token, context({ 'app.infisical.com': dead, 'eu.infisical.com': dead }));
    expect(result.liveness).toBe('dead');
  });

  it('does not call the EU region when the US answer is not a rejection', async () => {
    const result = await verifier.check(
      token,
      context({ 'app.infisical.com': { status: 503 }, 'eu.infisical.com': live }),
    );
    expect(result.liveness).toBe('unknown');
  });
});
