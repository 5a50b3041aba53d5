import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Cohere API keys: 40 alphanumerics, prefix-less, so the word Cohere (or `CO_API_KEY`) must be nearby. */
export const cohereApiKey: Detector = {
  id: 'cohere-api-key',
  name: 'Cohere API key',
  issuer: 'cohere',
  keywords: ['cohere', 'co_api_key'],
  pattern:
    /(?<![a-z])(?:cohere|co_api_key)[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9]{40})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  // `GET /v1/models`: free, read-only.
  verify: httpVerifier({
    hosts: ['api.cohere.com'],
    request: (secret) => ({
      url: 'https://api.cohere.com/v1/models',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: { models: [{ name: 'command-r-plus', endpoints: ['generate', 'chat'] }], next_page_token: '' },
      },
      dead: { status: 401, body: { message: 'invalid api token' } },
    },
  }),
  examples: {
    match: [
      'COHERE_API_KEY=1p5ihIJdbgoIeNGAJKUsqUKTqTZSG4fhJQy16mIM',
      'co = cohere.ClientV2(api_key="5MxaBth8xc9uwcfZNgf4mY3q01VW1VtOaPuRs8vJ")',
    ],
    ignore: [
      'COHERE_API_KEY=<your-api-key>',
      // a 40-hex commit SHA is not a Cohere key
      'bumped cohere to 3b18e512dba79e4c8300dd08aeb37f8e728b8dad',
      'COHERE_API_KEY=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    ],
  },
};

export const cohereDetectors: readonly Detector[] = [cohereApiKey];
