import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** LlamaCloud (LlamaParse) API keys: `llx-` + 44–52 alphanumerics. */
export const llamacloudApiKey: Detector = {
  id: 'llamacloud-api-key',
  name: 'LlamaCloud API key',
  issuer: 'llamaindex',
  keywords: ['llx-'],
  pattern: /(?<![\w-])(?<secret>llx-[A-Za-z0-9]{44,52})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  // `GET /api/v1/projects`: read-only list of the key's projects. US region only: an
  // EU-region key (api.cloud.eu.llamaindex.ai) is reported dead here.
  verify: httpVerifier({
    hosts: ['api.cloud.llamaindex.ai'],
    request: (secret) => ({
      url: 'https://api.cloud.llamaindex.ai/api/v1/projects',
      headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: [
          {
            id: '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c',
            name: 'Default',
            organization_id: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
            is_default: true,
          },
        ],
      },
      dead: { status: 401, body: { detail: 'Invalid API Key' } },
    },
  }),
  examples: {
    match: [
      'LLAMA_CLOUD_API_KEY=llx-Il77sLuCPxGWRz1WPFnOjuD2NyMFCASuArnU5mA3cJXEHONT',
      'parser = LlamaParse(api_key="llx-TCYNDxBytsu77Qr3Dm91kpiv4hvIIedECsCi0OnMwJCkPrXb", result_type="markdown")',
    ],
    ignore: [
      'LLAMA_CLOUD_API_KEY=llx-...',
      'LLAMA_CLOUD_API_KEY=llx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'llx-Il77sLuCPxGWRz1WPFnOjuD2NyMF',
    ],
  },
};

export const llamaindexDetectors: readonly Detector[] = [llamacloudApiKey];
