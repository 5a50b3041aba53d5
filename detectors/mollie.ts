import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Live API keys: `live_` + 30 (`test_` keys take no real payments), anchored by the word Mollie. */
export const mollieApiKey: Detector = {
  id: 'mollie-api-key',
  name: 'Mollie live API key',
  issuer: 'mollie',
  keywords: ['mollie'],
  pattern:
    /(?<![a-z])mollie[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>live_[A-Za-z0-9]{30})(?![\w-])/i,
  entropy: 3.5,
  severity: 'high',
  // `GET /v2/methods` (read-only list of enabled payment methods) accepts any API key.
  verify: httpVerifier({
    hosts: ['api.mollie.com'],
    request: (secret) => ({
      url: 'https://api.mollie.com/v2/methods',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: {
          count: 1,
          _embedded: { methods: [{ resource: 'method', id: 'ideal', description: 'iDEAL', status: 'activated' }] },
          _links: { self: { href: 'https://api.mollie.com/v2/methods', type: 'application/hal+json' } },
        },
      },
      dead: {
        status: 401,
        body: {
          status: 401,
          title: 'Unauthorized Request',
          detail: 'Missing authentication, or failed to authenticate',
        },
      },
    },
  }),
  examples: {
    match: [
      'MOLLIE_API_KEY=live_qLr8jsxFvNEU5QzorlqdmqiMWfpLsD',
      'mollie key for webshop: live_ECXFyU59xFhAHGMNW2HjAmrUBlqBos, test key is in 1Password',
    ],
    ignore: [
      'MOLLIE_API_KEY=test_qLr8jsxFvNEU5QzorlqdmqiMWfpLsD',
      'MOLLIE_API_KEY=live_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'STREAM_KEY=live_qLr8jsxFvNEU5QzorlqdmqiMWfpLsD',
    ],
  },
};

/** Organization access tokens: `access_` + 40, anchored by the word Mollie. */
export const mollieAccessToken: Detector = {
  id: 'mollie-access-token',
  name: 'Mollie organization access token',
  issuer: 'mollie',
  keywords: ['mollie'],
  pattern:
    /(?<![a-z])mollie[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>access_[A-Za-z0-9]{40})(?![\w-])/i,
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'MOLLIE_ACCESS_TOKEN=access_rt5MGrFFYBH4jIOprCa5NcuE76HFzXhhrSosBdSX',
      'mollie org token: access_FNHohaeTAiazWDwMOlodhECSM8BdbplflDed0Wk9',
    ],
    ignore: [
      'MOLLIE_ACCESS_TOKEN=access_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'MOLLIE_ACCESS_TOKEN=access_rt5MGrFFYBH4jIOprCa5NcuE',
      'access_rt5MGrFFYBH4jIOprCa5NcuE76HFzXhhrSosBdSX',
    ],
  },
};

export const mollieDetectors: readonly Detector[] = [mollieApiKey, mollieAccessToken];
