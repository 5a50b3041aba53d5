import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/** API keys (integration or account keys): a GUID, sent as `Authorization: GenieKey <key>`. */
export const opsgenieApiKey: Detector = {
  id: 'opsgenie-api-key',
  name: 'Opsgenie API key',
  issuer: 'opsgenie',
  keywords: ['opsgenie', 'geniekey'],
  pattern:
    /(?:\bGenieKey\s{1,3}|\bopsgenie[\w. -]{0,20}?(?:key|token)[\s"'`]{0,3}[=:][\s"'`]{0,3})(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9A-Za-z-])/i,
  entropy: 3,
  severity: 'high',
  // GET /v2/account returns the account name for any key with read access; US and EU are separate hosts.
  verify: inRegions(
    ['api.opsgenie.com', 'api.eu.opsgenie.com'].map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({
          url: `https://${host}/v2/account`,
          headers: { authorization: secretText`GenieKey ${secret}` },
        }),
        // 403 = a valid integration key without account access: not proof either way.
        deadStatus: [401],
        facts: (response) => {
          const account = field(response.body, 'data', 'name');
          return account === undefined ? undefined : { account };
        },
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: {
              data: { name: 'acme', userCount: 42, plan: { maxUserCount: 50, name: 'Enterprise' } },
              took: 0.01,
              requestId: 'a5a0e0b4',
            },
          },
          dead: {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: { message: 'Could not authenticate', took: 0.0, requestId: 'c1d2e3f4' },
          },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'curl -X POST https://api.opsgenie.com/v2/alerts -H "Authorization: GenieKey 367d1001-5b7f-48d6-a4e5-f37edba2cc35" -d \'{"message":"disk full"}\'',
      'alertmanager.yml: opsgenie_api_key: 6fea99d1-89bc-44cc-a619-03a210ae73c8',
    ],
    ignore: [
      'Authorization: GenieKey 00000000-0000-0000-0000-000000000000',
      'opsgenie_api_key: ${OPSGENIE_KEY}',
      // alert id, not a key
      'opsgenie alert 367d1001-5b7f-48d6-a4e5-f37edba2cc35 closed by on-call',
    ],
  },
};

export const opsgenieDetectors: readonly Detector[] = [opsgenieApiKey];
