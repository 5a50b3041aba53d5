import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Deepgram API keys: 40 hex, prefix-less, so the word Deepgram must be nearby. */
export const deepgramApiKey: Detector = {
  id: 'deepgram-api-key',
  name: 'Deepgram API key',
  issuer: 'deepgram',
  keywords: ['deepgram'],
  pattern:
    /(?<![a-z])deepgram[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{40})(?![\w-])/i,
  entropy: 3,
  severity: 'high',
  // `GET /v1/projects`: read-only list of the key's projects.
  verify: httpVerifier({
    hosts: ['api.deepgram.com'],
    request: (secret) => ({
      url: 'https://api.deepgram.com/v1/projects',
      headers: { authorization: secretText`Token ${secret}` },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field((r.body as { projects?: unknown[] } | null)?.projects?.[0], 'name');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: { projects: [{ project_id: '3a9f1c2e-5b7d-4e8f-a1c3-9d2e4f6a8b0c', name: 'Call Analytics' }] },
      },
      dead: {
        status: 401,
        body: {
          err_code: 'INVALID_AUTH',
          err_msg: 'Invalid credentials.',
          request_id: '5d2c9e1a-7b3f-4a8e-9c6d-2f1e0a9b8c7d',
        },
      },
    },
  }),
  examples: {
    match: [
      'DEEPGRAM_API_KEY=a7f371087be0294d2f7b1a58804f5d06ffaa3365',
      'deepgram = DeepgramClient("a65af6dce6fb19e333ef5768d0889051b965a5fb")',
    ],
    ignore: [
      'DEEPGRAM_API_KEY=<deepgram-key>',
      'DEEPGRAM_API_KEY=0000000000000000000000000000000000000000',
      'deepgram sdk bumped in a7f37108',
    ],
  },
};

export const deepgramDetectors: readonly Detector[] = [deepgramApiKey];
