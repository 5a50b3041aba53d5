import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/** Logz.io API regions (US, AU, CA, EU, UK): a token is only known in its account's region. */
const LOGZIO_API_HOSTS = ['api.logz.io', 'api-au.logz.io', 'api-ca.logz.io', 'api-eu.logz.io', 'api-uk.logz.io'];

/** API tokens: a GUID next to a Logz.io name; they manage the account (alerts, users, sub-accounts, search). */
export const logzioApiToken: Detector = {
  id: 'logzio-api-token',
  name: 'Logz.io API token',
  issuer: 'logzio',
  keywords: ['logz'],
  pattern:
    /\blogz(?:io|\.io)?[\w. -]{0,20}?(?:token|key)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9A-Za-z-])/i,
  entropy: 3,
  severity: 'high',
  // GET /v2/whoami: documented "confirm which account a token belongs to".
  verify: inRegions(
    LOGZIO_API_HOSTS.map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({ url: `https://${host}/v2/whoami`, headers: { 'x-api-token': secret } }),
        facts: (response) => {
          const account = field(response.body, 'accountName');
          return account === undefined ? undefined : { account };
        },
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: { accountName: 'acme-prod', accountId: 24601 },
          },
          dead: { status: 401, headers: { 'content-type': 'application/json' }, body: { message: 'Unauthorized' } },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'LOGZIO_API_TOKEN=2bfb5fab-53f2-400c-bceb-376b4afba6bf terraform apply',
      'provider config -> logzio api token: 0b53cef0-1d8d-415c-a182-7621fe52df76',
    ],
    ignore: [
      'LOGZIO_API_TOKEN=${LOGZIO_API_TOKEN}',
      'LOGZIO_API_TOKEN=00000000-0000-0000-0000-000000000000',
      // account id, not a token
      'logz.io sub account 0b53cef0-1d8d-415c-a182-7621fe52df76 created',
    ],
  },
};

/**
 * Log shipping tokens: 32 letters, next to a Logz.io name or in a listener URL
 * (`listener.logz.io:8071/?token=`). They only write logs into one account.
 */
export const logzioShippingToken: Detector = {
  id: 'logzio-shipping-token',
  name: 'Logz.io log shipping token',
  issuer: 'logzio',
  keywords: ['logz'],
  pattern:
    /(?:\blogz(?:io|\.io)?[\w. -]{0,20}?token[\s"'`]{0,3}[=:][\s"'`]{0,3}|\.logz\.io:\d{2,5}\/?\?token=)(?<secret>[A-Za-z]{32})(?![A-Za-z0-9])/i,
  validate: (secret) => /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.5,
  severity: 'medium',
  examples: {
    match: [
      'fluentd: endpoint_url https://listener.logz.io:8071?token=KMofZImXdoiIbakPXxvKxuySxJHfoldB&type=nginx',
      'LOGZIO_SHIPPING_TOKEN: DKMVoQHtjQiGAkxkrmlxDZktSjPrDopU',
    ],
    ignore: [
      'LOGZIO_SHIPPING_TOKEN: <<LOG-SHIPPING-TOKEN>>',
      'LOGZIO_SHIPPING_TOKEN: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'logz token: shippingtokenforprodclusterlogs',
    ],
  },
};

export const logzioDetectors: readonly Detector[] = [logzioApiToken, logzioShippingToken];
