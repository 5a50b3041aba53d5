import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** OpenRouter API keys: `sk-or-v1-` + 64 hex. Spends credit across every routed model. */
export const openrouterApiKey: Detector = {
  id: 'openrouter-api-key',
  name: 'OpenRouter API key',
  issuer: 'openrouter',
  keywords: ['sk-or-v1-'],
  pattern: /(?<![\w-])(?<secret>sk-or-v1-[a-f0-9]{64})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  // `GET /api/v1/key` describes the calling key: usage and credit limit.
  verify: httpVerifier({
    hosts: ['openrouter.ai'],
    request: (secret) => ({
      url: 'https://openrouter.ai/api/v1/key',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    confirm: (r) => typeof (r.body as { data?: unknown } | null)?.data === 'object',
    facts: (r) => {
      const limit = field(r.body, 'data', 'limit');
      const usage = field(r.body, 'data', 'usage');
      return { details: { ...(limit ? { limit } : { limit: 'none' }), ...(usage ? { usage } : {}) } };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          data: { label: 'sk-or-v1-fd8...182', usage: 12.5, limit: null, is_free_tier: false, limit_remaining: null },
        },
      },
      dead: { status: 401, body: { error: { message: 'User not found.', code: 401 } } },
    },
  }),
  examples: {
    match: [
      'OPENROUTER_API_KEY=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',
      'base_url="https://openrouter.ai/api/v1", api_key="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"',
    ],
    ignore: [
      'OPENROUTER_API_KEY=sk-or-v1-0000000000000000000000000000000000000000000000000000000000000000',
      'OPENROUTER_API_KEY=sk-or-v1-...',
      'sk-or-v1-fd8ab87d1cb38b0685f6f7b32037f03819e72e2a8c16',
    ],
  },
};

export const openrouterDetectors: readonly Detector[] = [openrouterApiKey];
