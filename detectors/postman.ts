import type { Detector } from '../src/core/detector.ts';

/** API keys: `PMAK-` + 24 hex (key id) + `-` + 34 hex. Read and edit every collection and environment (often full of secrets). */
export const postmanApiKey: Detector = {
  id: 'postman-api-key',
  name: 'Postman API key',
  issuer: 'postman',
  keywords: ['PMAK-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>PMAK-[0-9a-f]{24}-[0-9a-f]{34})(?![A-Za-z0-9_-])/,
  entropy: 3.3,
  severity: 'high',
  examples: {
    match: [
      'newman run "https://api.getpostman.com/collections/1234?apikey=PMAK-b7504a7145f539e410617809-9f253238f7a0daf964cdbbc8ec6c984776"',
      'POSTMAN_API_KEY: PMAK-93ec2d315242b0a7ca035004-2eaa50f5f2c6d1c00db549a0cb146bf486',
    ],
    ignore: [
      'POSTMAN_API_KEY=PMAK-xxxxxxxxxxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'generate a key under Settings > API keys, it starts with PMAK-',
      // secret part truncated
      'PMAK-b7504a7145f539e410617809-9f253238f7a0daf964',
    ],
  },
};

export const postmanDetectors: readonly Detector[] = [postmanApiKey];
