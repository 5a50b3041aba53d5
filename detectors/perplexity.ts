import type { Detector } from '../src/core/detector.ts';

/** Perplexity API keys: `pplx-` + 48 alphanumerics. No documented free read-only endpoint, so no liveness check. */
export const perplexityApiKey: Detector = {
  id: 'perplexity-api-key',
  name: 'Perplexity API key',
  issuer: 'perplexity',
  keywords: ['pplx-'],
  pattern: /(?<![\w-])(?<secret>pplx-[A-Za-z0-9]{48})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'PERPLEXITY_API_KEY=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',
      'sonar search tool is configured with 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 in the agent yaml',
    ],
    ignore: [
      'PERPLEXITY_API_KEY=pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'PERPLEXITY_API_KEY=pplx-...',
      'pplx-PRfjcxvxzOG9ssOcE8rNvdDg0M13cM',
    ],
  },
};

export const perplexityDetectors: readonly Detector[] = [perplexityApiKey];
