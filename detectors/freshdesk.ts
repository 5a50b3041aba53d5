import type { Detector } from '../src/core/detector.ts';

/**
 * API keys: 20 alphanumerics next to a Freshdesk name, used as Basic user
 * against `<domain>.freshdesk.com`. No liveness check: the helpdesk domain is
 * not part of the key.
 */
export const freshdeskApiKey: Detector = {
  id: 'freshdesk-api-key',
  name: 'Freshdesk API key',
  issuer: 'freshdesk',
  keywords: ['freshdesk'],
  pattern:
    /\bfreshdesk[\w. -]{0,20}?(?:key|token)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{20})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[A-Za-z]/.test(secret),
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'FRESHDESK_API_KEY=awBi4AHcSCZYxNCsVU0S FRESHDESK_DOMAIN=acme.freshdesk.com',
      'freshdesk:\n  freshdesk_token: "lBCqFWjrGv7Fqa5VQ830"',
    ],
    ignore: [
      'FRESHDESK_API_KEY=<your-api-key>',
      'FRESHDESK_API_KEY=XXXXXXXXXXXXXXXXXXXX',
      'freshdesk api key is in the helpdesk-integrations vault',
    ],
  },
};

export const freshdeskDetectors: readonly Detector[] = [freshdeskApiKey];
