import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** Personal API keys: `lin_api_` + 40 alphanumerics; full access to the user's workspace. */
export const linearApiKey: Detector = {
  id: 'linear-api-key',
  name: 'Linear API key',
  issuer: 'linear',
  keywords: ['lin_api_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>lin_api_[A-Za-z0-9]{40})(?![A-Za-z0-9_])/,
  entropy: 4,
  severity: 'high',
  // tokens.md: POST /graphql { viewer { id } } — a read-only whoami query. Personal keys go in
  // `Authorization` without a scheme; Linear answers an unknown key with 400 AUTHENTICATION_ERROR.
  verify: httpVerifier({
    hosts: ['api.linear.app'],
    request: (secret) => ({
      method: 'POST',
      url: 'https://api.linear.app/graphql',
      headers: { authorization: secret, 'content-type': 'application/json' },
      body: '{"query":"{ viewer { id email } }"}',
    }),
    liveStatus: [200, 400],
    confirm: (response) => {
      if (JSON.stringify(response.body ?? '').includes('AUTHENTICATION_ERROR')) return 'dead';
      return response.status === 200 && field(response.body, 'data', 'viewer', 'id') !== undefined;
    },
    facts: (response) => {
      const email = field(response.body, 'data', 'viewer', 'email');
      return email === undefined ? undefined : { account: email };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { data: { viewer: { id: '2d3c5a71-9b6e-4c1f-8d0a-7e6f5b4c3a21', email: 'release-bot@corp.internal' } } },
      },
      dead: {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: {
          errors: [
            { message: 'Authentication required, not authenticated', extensions: { code: 'AUTHENTICATION_ERROR' } },
          ],
        },
      },
    },
  }),
  examples: {
    match: [
      'LINEAR_API_KEY=lin_api_pjgTIz1yFcE8Gf1Z7nMAqGVjVnXWgzvTcgoizQAa npm run sync-issues',
      'curl -X POST https://api.linear.app/graphql -H "Authorization: lin_api_Fcs9NXdtI1MKE1jzbvnJwraNR9NZGlpnO0NrY7FP" -d \'{"query":"{ issues { nodes { id } } }"}\'',
    ],
    ignore: [
      'LINEAR_API_KEY=lin_api_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'LINEAR_API_KEY=lin_api_pjgTIz1yFcE8Gf1Z7nMA',
      'create a key under Settings > API (it starts with lin_api_)',
    ],
  },
};

export const linearDetectors: readonly Detector[] = [linearApiKey];
