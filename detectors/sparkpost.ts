import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/** API keys: 40 hex next to a SparkPost name. Send mail and, depending on grants, manage the account. */
export const sparkpostApiKey: Detector = {
  id: 'sparkpost-api-key',
  name: 'SparkPost API key',
  issuer: 'sparkpost',
  keywords: ['sparkpost'],
  pattern: /\bsparkpost[\w. -]{0,20}?key[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{40})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'high',
  // GET /api/v1/account (read-only); US and EU accounts have their own hosts. 403 = valid key without
  // the account grant, which proves nothing either way.
  verify: inRegions(
    ['api.sparkpost.com', 'api.eu.sparkpost.com'].map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({ url: `https://${host}/api/v1/account`, headers: { authorization: secret } }),
        deadStatus: [401],
        facts: (response) => {
          const customer = field(response.body, 'results', 'customer_id');
          return customer === undefined ? undefined : { account: customer };
        },
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: { results: { customer_id: 247114, company_name: 'Acme', status: 'active' } },
          },
          dead: {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: { errors: [{ message: 'Unauthorized.' }] },
          },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'SPARKPOST_API_KEY=2acee28b7ab776dd9c46469b4c4bf0c173a51259',
      'sparkpost:\n  sparkpost_key: "ea65e82343d3af8ae3b3950d7756160bc58fd896"',
    ],
    ignore: [
      'SPARKPOST_API_KEY=<api key>',
      'SPARKPOST_API_KEY=0000000000000000000000000000000000000000',
      'sparkpost key rotation merged in 6301ca252628752bb475629d14122613e33d469e',
    ],
  },
};

export const sparkpostDetectors: readonly Detector[] = [sparkpostApiKey];
