import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const INVALID_KEY = 'Invalid Application-ID or API key';

/**
 * Algolia API keys: 32 hex next to the word Algolia, with the 10-character
 * application id nearby (a key is useless without it, and the check's host is
 * `<app id>-dsn.algolia.net`). Search-only keys are public by design but look
 * the same; the check tells them apart.
 */
export const algoliaApiKey: Detector = {
  id: 'algolia-api-key',
  name: 'Algolia API key',
  issuer: 'algolia',
  keywords: ['algolia'],
  pattern:
    /(?<![a-z])algolia[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{32})(?![\w-])/i,
  companions: [
    {
      name: 'appId',
      pattern: /(?<![a-z])(?:app(?:lication)?[_.-]?id)[\s'"`:=>,{()]{1,8}(?<secret>[A-Z0-9]{10})(?![\w-])/i,
      window: 200,
      entropy: 2.5,
    },
  ],
  entropy: 3,
  severity: 'high',
  // `GET /1/keys` lists the application's keys: only the admin key may, so 200 means admin.
  // Any other valid key gets 403 "Method not allowed with this API key"; an invalid one 403 INVALID_KEY.
  verify: httpVerifier({
    hosts: ['*.algolia.net'],
    request: (secret, ctx) => ({
      url: secretText`https://${ctx.parts.appId ?? 'missing'}-dsn.algolia.net/1/keys`,
      headers: { 'x-algolia-application-id': ctx.parts.appId ?? '', 'x-algolia-api-key': secret },
    }),
    liveStatus: [200, 403],
    deadStatus: [401],
    confirm: (r) => (r.status === 200 ? true : field(r.body, 'message') === INVALID_KEY ? 'dead' : true),
    facts: (r) => ({ privileged: r.status === 200, details: { keyType: r.status === 200 ? 'admin' : 'restricted' } }),
    fixtures: {
      live: {
        status: 200,
        body: {
          keys: [
            { value: '0f3c…', acl: ['search'], description: 'Search-only key', validity: 0, createdAt: 1718034222 },
          ],
        },
      },
      dead: { status: 403, body: { message: INVALID_KEY, status: 403 } },
    },
  }),
  examples: {
    match: [
      'ALGOLIA_APP_ID=LHV313SH2U\nALGOLIA_ADMIN_KEY=f61132fb240cb4b3f56298a06ba99c8f',
      'algoliasearch config: { appId: "FPYZO2RD58", algolia_api_key: "78b3e21503e75c3f441423b1411f3cea" }',
    ],
    ignore: [
      // no application id nearby
      'ALGOLIA_ADMIN_KEY=f61132fb240cb4b3f56298a06ba99c8f',
      'ALGOLIA_APP_ID=LHV313SH2U\nALGOLIA_ADMIN_KEY=<admin-key>',
      'ALGOLIA_APP_ID=LHV313SH2U\nALGOLIA_ADMIN_KEY=00000000000000000000000000000000',
    ],
  },
};

export const algoliaDetectors: readonly Detector[] = [algoliaApiKey];
