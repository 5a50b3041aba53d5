import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';

/** RubyGems.org API keys: `rubygems_` + 48 hex. Scoped keys can push new gem versions. */
export const rubygemsApiKey: Detector = {
  id: 'rubygems-api-key',
  name: 'RubyGems API key',
  issuer: 'rubygems',
  keywords: ['rubygems_'],
  pattern: /(?<![\w-])(?<secret>rubygems_[a-f0-9]{48})(?![\w-])/,
  entropy: 3,
  severity: 'critical',
  // `GET /api/v1/gems.json`: read-only list of the owner's gems. A scoped key without the
  // index scope gets 403, which proves nothing either way, so only 401 counts as dead.
  verify: httpVerifier({
    hosts: ['rubygems.org'],
    request: (secret) => ({ url: 'https://rubygems.org/api/v1/gems.json', headers: { authorization: secret } }),
    deadStatus: [401],
    confirm: (r) => Array.isArray(r.body),
    facts: (r) => ({ details: { gems: String((r.body as unknown[]).length) } }),
    fixtures: {
      live: {
        status: 200,
        body: [
          {
            name: 'acme-client',
            downloads: 18234,
            version: '2.4.1',
            project_uri: 'https://rubygems.org/gems/acme-client',
          },
        ],
      },
      dead: { status: 401, body: 'Access Denied. Please sign up for an account at https://rubygems.org' },
    },
  }),
  examples: {
    match: [
      '---\n:rubygems_api_key: rubygems_92815982bb637535a963fe993ff220329dff31ec9daa2d85',
      'GEM_HOST_API_KEY=rubygems_c1771118a25fab10520f05c575e27a45be91fe41479e7c88 gem push acme-client-2.4.1.gem',
    ],
    ignore: [
      'GEM_HOST_API_KEY=rubygems_000000000000000000000000000000000000000000000000',
      ':rubygems_api_key: rubygems_...',
      'rubygems_92815982bb637535a963fe993ff220329dff31ec',
    ],
  },
};

export const rubygemsDetectors: readonly Detector[] = [rubygemsApiKey];
