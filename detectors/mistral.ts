import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Mistral AI API keys: 32 alphanumerics, prefix-less, so the word Mistral must be nearby. */
export const mistralApiKey: Detector = {
  id: 'mistral-api-key',
  name: 'Mistral AI API key',
  issuer: 'mistral',
  keywords: ['mistral'],
  pattern:
    /(?<![a-z])mistral[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9]{32})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.8,
  severity: 'high',
  // `GET /v1/models`: free, read-only.
  verify: httpVerifier({
    hosts: ['api.mistral.ai'],
    request: (secret) => ({
      url: 'https://api.mistral.ai/v1/models',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: { object: 'list', data: [{ id: 'mistral-large-latest', object: 'model', owned_by: 'mistralai' }] },
      },
      dead: { status: 401, body: { message: 'Unauthorized', request_id: '7c1f7e0d2b4a4f6e9a3b5c8d1e2f3a4b' } },
    },
  }),
  examples: {
    match: [
      'MISTRAL_API_KEY=VbIhizdBhjVeiH0IDRwcTx07qHAX5MYp',
      'the mistral key is xGL6hBnuvoomGkZiFmZ7YVb5UBCeTuUH, rotate after the demo',
    ],
    ignore: [
      'MISTRAL_API_KEY=your_mistral_api_key_here',
      // a model name, not a key
      'model: mistral-large-2411 with temperature 0.2',
      'MISTRAL_API_KEY=9e107d9d372bb6826bd81d3542a419d6',
    ],
  },
};

export const mistralDetectors: readonly Detector[] = [mistralApiKey];
