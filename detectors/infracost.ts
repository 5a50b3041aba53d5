import type { Detector } from '../src/core/detector.ts';

/** Infracost API keys: `ico-` + 32 alphanumerics. Org keys upload cost estimates to Infracost Cloud. */
export const infracostApiKey: Detector = {
  id: 'infracost-api-key',
  name: 'Infracost API key',
  issuer: 'infracost',
  keywords: ['ico-'],
  pattern: /(?<![\w-])(?<secret>ico-[A-Za-z0-9]{32})(?![\w-])/,
  validate: (secret) => /\d/.test(secret.slice(4)) && /[a-z]/.test(secret.slice(4)) && /[A-Z]/.test(secret.slice(4)),
  entropy: 3.8,
  severity: 'medium',
  examples: {
    match: [
      'INFRACOST_API_KEY=ico-Fshjyi3EpQFy5MHTrZlVTSS19G4fTMXh',
      'infracost configure set api_key ico-CYUrT6c153geVjYQLVisgXtZqLSlZj91',
    ],
    ignore: [
      'INFRACOST_API_KEY=ico-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'INFRACOST_API_KEY=ico-...',
      'ico-Fshjyi3EpQFy5MHTrZlVTS',
    ],
  },
};

export const infracostDetectors: readonly Detector[] = [infracostApiKey];
