import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * API secrets (Vonage, formerly Nexmo): 16 alphanumerics with an 8-hex API key
 * nearby. Send SMS, place calls, buy numbers.
 */
export const vonageApiSecret: Detector = {
  id: 'vonage-api-secret',
  name: 'Vonage (Nexmo) API secret',
  issuer: 'vonage',
  keywords: ['vonage', 'nexmo'],
  pattern:
    /\b(?:vonage|nexmo)[\w. -]{0,20}?secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{16})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[A-Za-z]/.test(secret),
  entropy: 3.2,
  companions: [
    {
      name: 'api key',
      pattern: /\b(?:vonage|nexmo)[\w. -]{0,20}?key[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{8})(?![0-9A-Za-z])/i,
      window: 300,
      entropy: 2,
    },
  ],
  severity: 'high',
  // GET /account/get-balance: read-only; the legacy REST API takes the key pair as query parameters.
  verify: httpVerifier({
    hosts: ['rest.nexmo.com'],
    request: (secret, ctx) => ({
      url: secretText`https://rest.nexmo.com/account/get-balance?api_key=${ctx.parts['api key'] ?? ''}&api_secret=${secret}`,
    }),
    facts: (response) => {
      const balance = field(response.body, 'value');
      return balance === undefined ? undefined : { details: { balance } };
    },
    fixtures: {
      live: { status: 200, headers: { 'content-type': 'application/json' }, body: { value: 10.28, autoReload: false } },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { type: 'https://developer.nexmo.com/api-errors#unauthorized', title: 'Unauthorized' },
      },
    },
  }),
  examples: {
    match: [
      'VONAGE_API_KEY=a7fc4659\nVONAGE_API_SECRET=qWQipoW2kDRVF7x0',
      'nexmo:\n  nexmo_key: "3e9b71d0"\n  nexmo_secret: "x2x0yABD691n8CgE"',
    ],
    ignore: [
      // secret without the key
      'VONAGE_API_SECRET=qWQipoW2kDRVF7x0',
      'VONAGE_API_KEY=a7fc4659 VONAGE_API_SECRET=<api secret>',
      'VONAGE_API_KEY=a7fc4659 VONAGE_API_SECRET=xxxxxxxxxxxxxxxx',
    ],
  },
};

export const vonageDetectors: readonly Detector[] = [vonageApiSecret];
