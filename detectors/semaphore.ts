import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Semaphore CI API tokens: prefix-less base64url strings (20+ characters)
 * next to the word Semaphore. Each organization has its own
 * `<org>.semaphoreci.com` host, so the check runs only against organizations an admin configured.
 */
export const semaphoreApiToken: Detector = {
  id: 'semaphore-api-token',
  name: 'Semaphore CI API token',
  issuer: 'semaphore',
  keywords: ['semaphore'],
  pattern:
    /(?<![a-z])semaphore[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9_-]{20,64})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.8,
  severity: 'critical',
  // `GET /api/v1alpha/projects`: read-only list of the organization's projects.
  verify: httpVerifier({
    hosts: ['*.semaphoreci.com'],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/api/v1alpha/projects`,
      headers: { authorization: secretText`Token ${secret}` },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: [
          {
            metadata: {
              name: 'web',
              id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
              owner_id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
            },
            spec: { repository: { url: 'git@github.com:acme/web.git' } },
          },
        ],
      },
      dead: { status: 401, body: 'Unauthorized' },
    },
  }),
  examples: {
    match: ['SEMAPHORE_API_TOKEN=72zmVrRvu1JgLioQzP92', 'sem connect acme.semaphoreci.com vQkgvH0b20sSxNgouHQ9'],
    ignore: [
      'SEMAPHORE_API_TOKEN=<your-api-token>',
      'semaphore job: build_and_test_everything',
      // a semaphore in code, not Semaphore CI
      'semaphore = asyncio.Semaphore(10)',
    ],
  },
};

export const semaphoreDetectors: readonly Detector[] = [semaphoreApiToken];
