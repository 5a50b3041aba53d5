import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

export const renderApiKey: Detector = {
  id: 'render-api-key',
  name: 'Render API key',
  issuer: 'render',
  keywords: ['rnd_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>rnd_[A-Za-z0-9]{28,32})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
  // `GET /v1/owners`: lists the workspaces the key belongs to (read-only).
  verify: httpVerifier({
    hosts: ['api.render.com'],
    request: (secret) => ({
      url: 'https://api.render.com/v1/owners?limit=1',
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (response) => Array.isArray(response.body),
    facts: (response) => {
      const account = field((response.body as unknown[])[0], 'owner', 'name');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: [
          {
            owner: { id: 'tea-cq8v2k5ds78s73b1m2pg', name: 'Northwind', email: 'ops@northwind.io', type: 'team' },
            cursor: 'c2Q3NjQ',
          },
        ],
      },
      dead: { status: 401, body: { id: 'unauthorized', message: 'unauthorized' } },
    },
  }),
  examples: {
    match: [
      'RENDER_API_KEY=rnd_CqbCeNLZRe28d9He7KHbXcZR40nF',
      'curl -H "Authorization: Bearer rnd_REbQ57upDv33Bt46Ue3DJNV4b5wi" https://api.render.com/v1/services',
    ],
    ignore: [
      'RENDER_API_KEY=rnd_<key>',
      'RENDER_API_KEY=rnd_CqbCeNLZRe28d9',
      'RENDER_API_KEY=rnd_xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const renderDetectors: readonly Detector[] = [renderApiKey];
