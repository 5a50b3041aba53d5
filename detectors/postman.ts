import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/**
 * `GET https://api.getpostman.com/me` (learning.postman.com/docs/developer/postman-api/,
 * "Get authenticated user"; tokens.md #65): "who am I". 200 live, 401 dead.
 */
const postmanMe = httpVerifier({
  hosts: ['api.getpostman.com'],
  request: (secret) => ({ url: 'https://api.getpostman.com/me', headers: { 'x-api-key': secret } }),
  deadStatus: [401],
  facts: (response) => {
    const account = field(response.body, 'user', 'username') ?? field(response.body, 'user', 'email');
    const team = field(response.body, 'user', 'teamName');
    return {
      ...(account !== undefined ? { account } : {}),
      ...(team !== undefined ? { details: { team } } : {}),
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: {
        user: {
          id: 18402277,
          username: 'mkowalski-acme',
          email: 'm.kowalski@acme.io',
          fullName: 'Marta Kowalski',
          avatar: null,
          isPublic: false,
          teamId: 4410873,
          teamName: 'Acme QA',
          teamDomain: 'acme-qa',
          roles: ['user', 'flow-editor'],
        },
        operations: [{ name: 'api_object_usage', limit: 10000, usage: 2481, overage: 0 }],
      },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: {
        error: {
          name: 'AuthenticationError',
          message: 'Invalid API Key. Every request requires a valid API Key to be sent.',
        },
      },
    },
  },
});

/** API keys: `PMAK-` + 24 hex (key id) + `-` + 34 hex. Read and edit every collection and environment (often full of secrets). */
export const postmanApiKey: Detector = {
  id: 'postman-api-key',
  name: 'Postman API key',
  issuer: 'postman',
  keywords: ['PMAK-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>PMAK-[0-9a-f]{24}-[0-9a-f]{34})(?![A-Za-z0-9_-])/,
  entropy: 3.3,
  severity: 'high',
  verify: postmanMe,
  examples: {
    match: [
      'newman run "https://api.getpostman.com/collections/1234?apikey=PMAK-b7504a7145f539e410617809-9f253238f7a0daf964cdbbc8ec6c984776"',
      'POSTMAN_API_KEY: PMAK-93ec2d315242b0a7ca035004-2eaa50f5f2c6d1c00db549a0cb146bf486',
    ],
    ignore: [
      'POSTMAN_API_KEY=PMAK-xxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'generate a key under Settings > API keys, it starts with PMAK-',
      // secret part truncated
      'PMAK-b7504a7145f539e410617809-9f253238f7a0daf964',
    ],
  },
};

export const postmanDetectors: readonly Detector[] = [postmanApiKey];
