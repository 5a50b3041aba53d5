import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Groq API keys: `gsk_` + 52 alphanumerics. */
export const groqApiKey: Detector = {
  id: 'groq-api-key',
  name: 'Groq API key',
  issuer: 'groq',
  keywords: ['gsk_'],
  pattern: /(?<![\w-])(?<secret>gsk_[A-Za-z0-9]{52})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  // `GET /openai/v1/models`: free, read-only model list.
  verify: httpVerifier({
    hosts: ['api.groq.com'],
    request: (secret) => ({
      url: 'https://api.groq.com/openai/v1/models',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: {
          object: 'list',
          data: [{ id: 'llama-3.3-70b-versatile', object: 'model', owned_by: 'Meta', active: true }],
        },
      },
      dead: {
        status: 401,
        body: { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } },
      },
    },
  }),
  examples: {
    match: [
      'GROQ_API_KEY=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',
      'client = Groq(api_key="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")',
    ],
    ignore: [
      'GROQ_API_KEY=gsk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'GROQ_API_KEY=gsk_...',
      'gsk_TR357aF0druFIX5HelKu2nV9OWXC1hRHSSheoogx',
    ],
  },
};

export const groqDetectors: readonly Detector[] = [groqApiKey];
