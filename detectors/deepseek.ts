import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** DeepSeek API keys: `sk-` + 32 hex; `sk-` is generic, so the word DeepSeek must be nearby. */
export const deepseekApiKey: Detector = {
  id: 'deepseek-api-key',
  name: 'DeepSeek API key',
  issuer: 'deepseek',
  keywords: ['deepseek'],
  pattern:
    /(?<![a-z])deepseek[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>sk-[a-f0-9]{32})(?![\w-])/i,
  entropy: 3,
  severity: 'high',
  // `GET /user/balance`: read-only account balance.
  verify: httpVerifier({
    hosts: ['api.deepseek.com'],
    request: (secret) => ({
      url: 'https://api.deepseek.com/user/balance',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    confirm: (r) => typeof (r.body as { is_available?: unknown } | null)?.is_available === 'boolean',
    fixtures: {
      live: {
        status: 200,
        body: {
          is_available: true,
          balance_infos: [
            { currency: 'USD', total_balance: '18.42', granted_balance: '0.00', topped_up_balance: '18.42' },
          ],
        },
      },
      dead: {
        status: 401,
        body: {
          error: {
            message: 'Authentication Fails (no such user)',
            type: 'authentication_error',
            param: null,
            code: 'invalid_request_error',
          },
        },
      },
    },
  }),
  examples: {
    match: [
      'DEEPSEEK_API_KEY=sk-3285919fbe198208eb58e2eb651ad5f8',
      'deepseek: { apiKey: "sk-eab74ae04405ba3fd505485565126e2d", baseURL: "https://api.deepseek.com" }',
    ],
    ignore: [
      'DEEPSEEK_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // no DeepSeek context: could be any vendor's sk- key
      'OPENAI_API_KEY=sk-3285919fbe198208eb58e2eb651ad5f8',
      'DEEPSEEK_API_KEY=sk-3285919fbe198208eb58',
    ],
  },
};

export const deepseekDetectors: readonly Detector[] = [deepseekApiKey];
