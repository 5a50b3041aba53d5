import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Live access tokens: `live_` + 40 (`sandbox_` tokens are harmless). `live_`
 * is used by many vendors, so the word GoCardless must be nearby.
 */
export const gocardlessAccessToken: Detector = {
  id: 'gocardless-access-token',
  name: 'GoCardless live access token',
  issuer: 'gocardless',
  keywords: ['gocardless'],
  pattern:
    /(?<![a-z])gocardless[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>live_[A-Za-z0-9_=-]{40})(?![\w=-])/i,
  entropy: 3.5,
  severity: 'high',
  // `GET /creditors` (read-only list; read-only tokens may call it too).
  verify: httpVerifier({
    hosts: ['api.gocardless.com'],
    request: (secret) => ({
      url: 'https://api.gocardless.com/creditors?limit=1',
      headers: {
        authorization: secretText`Bearer ${secret}`,
        'gocardless-version': '2015-07-06',
        accept: 'application/json',
      },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field((r.body as { creditors?: unknown[] } | null)?.creditors?.[0], 'name');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: { creditors: [{ id: 'CR000456PQRST', name: 'Acme Subscriptions Ltd' }], meta: { cursors: {}, limit: 1 } },
      },
      dead: {
        status: 401,
        body: {
          error: {
            message: 'Invalid token',
            documentation_url: 'https://developer.gocardless.com/api-reference#invalid_api_usage',
            type: 'invalid_api_usage',
            code: 401,
            errors: [{ reason: 'unauthorized', message: 'Invalid token' }],
          },
        },
      },
    },
  }),
  examples: {
    match: [
      'GOCARDLESS_ACCESS_TOKEN=live_IszAJt63wWrE51VdEWvKNsIEaqffXV4Ki5zx2NqQ',
      'gocardless token for prod: live_EGBMYm2hvUg0lS-wWZZqsHsZPPCQQa15Z9GtmCxG',
    ],
    ignore: [
      'GOCARDLESS_ACCESS_TOKEN=sandbox_IszAJt63wWrE51VdEWvKNsIEaqffXV4Ki5zx2NqQ',
      'GOCARDLESS_ACCESS_TOKEN=live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // no GoCardless context
      'token=live_IszAJt63wWrE51VdEWvKNsIEaqffXV4Ki5zx2NqQ',
    ],
  },
};

export const gocardlessDetectors: readonly Detector[] = [gocardlessAccessToken];
