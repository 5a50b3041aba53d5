import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

export const pulumiAccessToken: Detector = {
  id: 'pulumi-access-token',
  name: 'Pulumi Cloud access token',
  issuer: 'pulumi',
  keywords: ['pul-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>pul-[0-9a-f]{40})(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'critical',
  // `GET /api/user`: Pulumi's documented "get current user" call (a sibling of the
  // `/api/user/stacks` listing in tokens.md #23).
  verify: httpVerifier({
    hosts: ['api.pulumi.com'],
    request: (secret) => ({
      url: 'https://api.pulumi.com/api/user',
      headers: { authorization: secretText`token ${secret}`, accept: 'application/vnd.pulumi+8' },
    }),
    deadStatus: [401],
    confirm: (response) =>
      field(response.body, 'githubLogin') !== undefined || field(response.body, 'name') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'githubLogin');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          name: 'Infra Bot',
          githubLogin: 'northwind-infra-bot',
          avatarUrl: 'https://api.pulumi.com/static/avatar.png',
          email: 'infra-bot@northwind.io',
          organizations: [{ githubLogin: 'northwind', name: 'Northwind' }],
        },
      },
      dead: { status: 401, body: { code: 401, message: 'Unauthorized: No credentials provided or are invalid.' } },
    },
  }),
  examples: {
    match: [
      'PULUMI_ACCESS_TOKEN=pul-152baf35dfb692e3d5ba18a78ab78f1eaadf2e77',
      'pulumi login with pul-824569c5d7b0519cbdcbcd834ce716400fe88bcd failed after the org move',
    ],
    ignore: [
      'PULUMI_ACCESS_TOKEN=pul-0000000000000000000000000000000000000000',
      'PULUMI_ACCESS_TOKEN=pul-152baf35dfb692e3d5ba18a78ab78f1eaadf2e',
      'PULUMI_ACCESS_TOKEN=pul-<token>',
    ],
  },
};

export const pulumiDetectors: readonly Detector[] = [pulumiAccessToken];
