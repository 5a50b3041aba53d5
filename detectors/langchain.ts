import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';

/**
 * LangSmith personal access tokens (`lsv2_pt_`) and service keys (`lsv2_sk_`):
 * 32 hex + `_` + 10 hex. Traces often hold prompts, customer data and tool output.
 */
export const langsmithApiKey: Detector = {
  id: 'langsmith-api-key',
  name: 'LangSmith API key',
  issuer: 'langchain',
  keywords: ['lsv2_pt_', 'lsv2_sk_'],
  pattern: /(?<![\w-])(?<secret>lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  // `GET /api/v1/api-key` lists the workspace's keys (read-only). US region only: an EU-region
  // key (eu.api.smith.langchain.com) is reported dead here.
  verify: httpVerifier({
    hosts: ['api.smith.langchain.com'],
    request: (secret) => ({ url: 'https://api.smith.langchain.com/api/v1/api-key', headers: { 'x-api-key': secret } }),
    fixtures: {
      live: {
        status: 200,
        body: [
          {
            id: '1f0b6c2e-9d7a-4c3b-8e5f-2a1d0c9b8e7f',
            short_key: 'lsv2_pt_...',
            description: 'ci tracing',
            created_at: '2025-01-15T09:30:00Z',
          },
        ],
      },
      dead: { status: 401, body: { detail: 'Invalid token' } },
    },
  }),
  examples: {
    match: [
      'LANGCHAIN_API_KEY=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',
      'LANGSMITH_API_KEY: "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"',
    ],
    ignore: [
      'LANGSMITH_API_KEY=lsv2_pt_...',
      'LANGSMITH_API_KEY=lsv2_sk_00000000000000000000000000000000_0000000000',
      'lsv2_pt_b73f9f1f9775d7ca4436a175dd39e33e',
    ],
  },
};

export const langchainDetectors: readonly Detector[] = [langsmithApiKey];
