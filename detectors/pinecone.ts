import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** API keys: `pcsk_<key id>_<secret>` (key id 4–8, secret 50–80 alphanumerics). */
export const pineconeApiKey: Detector = {
  id: 'pinecone-api-key',
  name: 'Pinecone API key',
  issuer: 'pinecone',
  keywords: ['pcsk_'],
  pattern: /(?<![\w-])(?<secret>pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{50,80})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  // `GET /indexes` (control plane, read-only). A data-plane-only key gets 403 FORBIDDEN: valid but restricted.
  verify: httpVerifier({
    hosts: ['api.pinecone.io'],
    request: (secret) => ({
      url: 'https://api.pinecone.io/indexes',
      headers: { 'api-key': secret, 'x-pinecone-api-version': '2025-01', accept: 'application/json' },
    }),
    liveStatus: [200, 403],
    deadStatus: [401],
    confirm: (r) => {
      if (r.status === 200) return Array.isArray((r.body as { indexes?: unknown } | null)?.indexes);
      const code = field(r.body, 'error', 'code');
      return code === 'FORBIDDEN' || code === 'PERMISSION_DENIED';
    },
    facts: (r) => (r.status === 403 ? { details: { permission: 'data plane only' } } : undefined),
    fixtures: {
      live: {
        status: 200,
        body: {
          indexes: [
            {
              name: 'support-docs',
              dimension: 1536,
              metric: 'cosine',
              host: 'support-docs-a1b2c3d.svc.aped-4627-b74a.pinecone.io',
              spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
              status: { ready: true, state: 'Ready' },
            },
          ],
        },
      },
      dead: { status: 401, body: { error: { code: 'UNAUTHENTICATED', message: 'Invalid API Key' }, status: 401 } },
    },
  }),
  examples: {
    match: [
      'PINECONE_API_KEY=pcsk_bLAr0k_pJoWRqDMMXOnfJyy79Kwrui4Qh8TU3cWhKvnCvAJyC91S7FRBy1CyRYVSHxrXGU',
      'pc = Pinecone(api_key="pcsk_lQ2Zlk_BdiOYONhXSbyXr0Fo3gjAwsyKFI4AqHsdQM83ICZ9tmtF5NGDnuGLtLMaFAoPE4")',
    ],
    ignore: [
      'PINECONE_API_KEY=pcsk_xxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'PINECONE_API_KEY=pcsk_...',
      'pcsk_bLAr0k_pJoWRqDMMXOnfJyy79Kwrui4Qh8TU3cW',
    ],
  },
};

export const pineconeDetectors: readonly Detector[] = [pineconeApiKey];
