import type { Detector } from '../src/core/detector.ts';

/**
 * Langfuse secret keys: `sk-lf-` + UUID (the `pk-lf-` public key is not secret).
 * Traces hold prompts and user data. Cloud regions (EU, US, HIPAA) and self-hosted
 * servers share the format, so no liveness check.
 */
export const langfuseSecretKey: Detector = {
  id: 'langfuse-secret-key',
  name: 'Langfuse secret key',
  issuer: 'langfuse',
  keywords: ['sk-lf-'],
  pattern: /(?<![\w-])(?<secret>sk-lf-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'LANGFUSE_SECRET_KEY=sk-lf-a4590f55-9b11-4531-85bd-8a1d67f88197',
      'langfuse = Langfuse(public_key="pk-lf-73d8e2de-75e8-4c77-82d8-8b1157fc074b", secret_key="sk-lf-b749b691-b8cd-4f36-b748-9d73dd256843")',
    ],
    ignore: [
      'LANGFUSE_PUBLIC_KEY=pk-lf-a4590f55-9b11-4531-85bd-8a1d67f88197',
      'LANGFUSE_SECRET_KEY=sk-lf-...',
      'LANGFUSE_SECRET_KEY=sk-lf-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    ],
  },
};

export const langfuseDetectors: readonly Detector[] = [langfuseSecretKey];
