import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';

/** AssemblyAI API keys: 32 hex, prefix-less, so the word AssemblyAI must be nearby. */
export const assemblyaiApiKey: Detector = {
  id: 'assemblyai-api-key',
  name: 'AssemblyAI API key',
  issuer: 'assemblyai',
  keywords: ['assembly'],
  pattern:
    /(?<![a-z])assembly[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{32})(?![\w-])/i,
  entropy: 3,
  severity: 'high',
  // `GET /v2/transcript?limit=1`: read-only list of the account's own transcripts.
  verify: httpVerifier({
    hosts: ['api.assemblyai.com'],
    request: (secret) => ({
      url: 'https://api.assemblyai.com/v2/transcript?limit=1',
      headers: { authorization: secret },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: {
          page_details: {
            limit: 1,
            result_count: 0,
            current_url: 'https://api.assemblyai.com/v2/transcript?limit=1',
            prev_url: null,
            next_url: null,
          },
          transcripts: [],
        },
      },
      dead: { status: 401, body: { error: 'Invalid API key' } },
    },
  }),
  examples: {
    match: [
      'ASSEMBLYAI_API_KEY=c39c665654ba6e8e06a5776c5e05f19f',
      'assemblyai key for callcenter pilot: 731bc702262b106b3d1e9d55e4026189',
    ],
    ignore: [
      'ASSEMBLYAI_API_KEY=<your-assemblyai-key>',
      'ASSEMBLYAI_API_KEY=00000000000000000000000000000000',
      'assembly instructions: part 731bc702262b106b3d1e9d55e40261',
    ],
  },
};

export const assemblyaiDetectors: readonly Detector[] = [assemblyaiApiKey];
