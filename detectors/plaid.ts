import type { Detector } from '../src/core/detector.ts';

/**
 * Plaid item access tokens: `access-production-<uuid>` (development and
 * sandbox tokens reach no real bank data). Using one needs the client id and
 * secret too, and every Plaid call is a POST with all three, so no liveness check.
 */
export const plaidAccessToken: Detector = {
  id: 'plaid-access-token',
  name: 'Plaid production access token',
  issuer: 'plaid',
  keywords: ['access-production-'],
  pattern:
    /(?<![\w-])(?<secret>access-production-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'plaid item for the treasury account: access-production-ae7f2f2c-1a43-4f85-bd5b-025453cc42ff',
      '{"access_token": "access-production-9ce0ff78-584a-4e09-8d46-61925d1faf41", "item_id": "M5eVJqLnv3tbzdv6R9gJhy"}',
    ],
    ignore: [
      'access-sandbox-ae7f2f2c-1a43-4f85-bd5b-025453cc42ff',
      'access_token: access-production-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      'access-production-ae7f2f2c-1a43-4f85-bd5b',
    ],
  },
};

/** API secret: 30 hex next to the word Plaid (prefix-less). Sandbox and production secrets look alike. */
export const plaidSecret: Detector = {
  id: 'plaid-secret',
  name: 'Plaid API secret',
  issuer: 'plaid',
  keywords: ['plaid'],
  pattern:
    /(?<![a-z])plaid[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{30})(?![\w-])/i,
  validate: (secret) => /[a-f]/i.test(secret) && /\d/.test(secret),
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'PLAID_SECRET=ae7f2f2c1a431f85bd5b025453cc42',
      'plaid production secret is ff826b20281477ef3357ba014e859f, client id 9ce0ff78584ae098d4661925',
    ],
    ignore: [
      // the client id (24 hex) is not the secret
      'PLAID_CLIENT_ID=9ce0ff78584ae098d4661925',
      'PLAID_SECRET=<your-plaid-secret>',
      // a 40-hex git SHA near the word
      'bumped plaid to commit 3b18e512dba79e4c8300dd08aeb37f8e728b8dad',
    ],
  },
};

export const plaidDetectors: readonly Detector[] = [plaidAccessToken, plaidSecret];
