import type { Detector } from '../src/core/detector.ts';

/**
 * Project and account access tokens: 32 hex next to a Rollbar name or the
 * `X-Rollbar-Access-Token` header. Scopes range from `post_client_item`
 * (public, shipped in browsers) to `write`; the scope is not visible in the
 * token, so no liveness check.
 */
export const rollbarAccessToken: Detector = {
  id: 'rollbar-access-token',
  name: 'Rollbar access token',
  issuer: 'rollbar',
  keywords: ['rollbar'],
  pattern: /\brollbar[\w. -]{0,20}?(?:token|key)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'ROLLBAR_ACCESS_TOKEN=b8edfc6acde2f27a34e3785c4b462935 bundle exec rake rollbar:test',
      'curl https://api.rollbar.com/api/1/items -H "X-Rollbar-Access-Token: 42b816c8af0a55bd2a4da954e29a0923"',
    ],
    ignore: [
      'ROLLBAR_ACCESS_TOKEN=<post_server_item token>',
      'ROLLBAR_ACCESS_TOKEN=00000000000000000000000000000000',
      'rollbar token for deploys lives in 1Password',
    ],
  },
};

export const rollbarDetectors: readonly Detector[] = [rollbarAccessToken];
