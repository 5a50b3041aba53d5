import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Stability AI API keys: `sk-` + 48 alphanumerics; `sk-` is generic, so the word Stability must be nearby. */
export const stabilityAiApiKey: Detector = {
  id: 'stability-ai-api-key',
  name: 'Stability AI API key',
  issuer: 'stability-ai',
  keywords: ['stability'],
  pattern:
    /(?<![a-z])stability[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>sk-[A-Za-z0-9]{48})(?![\w-])/i,
  entropy: 4,
  severity: 'high',
  // `GET /v1/user/account`: the read-only "who am I".
  verify: httpVerifier({
    hosts: ['api.stability.ai'],
    request: (secret) => ({
      url: 'https://api.stability.ai/v1/user/account',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'email') ?? field(r.body, 'id');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          id: 'user-8f2c1a9e',
          email: 'ml-team@acme.test',
          profile_picture: '',
          organizations: [{ id: 'org-3b7d', name: 'acme', role: 'MEMBER', is_default: true }],
        },
      },
      dead: {
        status: 401,
        body: { id: '9e4c2d1f7a8b3c5e', name: 'unauthorized', message: 'Incorrect API key provided' },
      },
    },
  }),
  examples: {
    match: [
      'STABILITY_API_KEY=sk-PehG3hGrURnEqtAWH2FfAYywTtw2bff8tFYhriVNV3uqvVKX',
      'stability key for images: sk-nKcFzcCqF0BdJy3TFlScyHMize3iUhOXQW4PbyOPlYliKxRm',
    ],
    ignore: [
      'STABILITY_API_KEY=sk-...',
      // no Stability context
      'key=sk-PehG3hGrURnEqtAWH2FfAYywTtw2bff8tFYhriVNV3uqvVKX',
      'stability issues since sk-learn 1.5, see the benchmark',
    ],
  },
};

export const stabilityAiDetectors: readonly Detector[] = [stabilityAiApiKey];
