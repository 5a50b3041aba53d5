import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * `GET https://api.heroku.com/account` (devcenter.heroku.com/articles/platform-api-reference#account-info,
 * tokens.md #41): "who am I". 200 live, 401 dead. 403 stays unknown (suspended
 * account, missing 2FA: the key itself is not proven revoked).
 */
const herokuAccount = httpVerifier({
  hosts: ['api.heroku.com'],
  request: (secret) => ({
    url: 'https://api.heroku.com/account',
    headers: { accept: 'application/vnd.heroku+json; version=3', authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  facts: (response) => {
    const account = field(response.body, 'email');
    return account !== undefined ? { account } : undefined;
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json', 'ratelimit-remaining': '4499' },
      body: {
        allow_tracking: true,
        beta: false,
        created_at: '2019-03-12T09:41:27Z',
        email: 'deploy@acme.io',
        federated: false,
        id: 'a81f4c2e-6d3b-4f7a-9c05-2e8b7d1f6a43',
        identity_provider: null,
        last_login: '2025-01-08T16:20:11Z',
        name: 'Acme Deploy',
        sms_number: null,
        suspended_at: null,
        delinquent_at: null,
        two_factor_authentication: true,
        updated_at: '2025-01-08T16:20:11Z',
        verified: true,
      },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: { id: 'unauthorized', message: 'Invalid credentials provided.' },
    },
  },
});

/** Platform API keys and OAuth tokens: `HRKU-AA` + 58. Deploy, scale, read config vars of every app. */
export const herokuApiKey: Detector = {
  id: 'heroku-api-key',
  name: 'Heroku API key',
  issuer: 'heroku',
  keywords: ['HRKU-AA'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>HRKU-AA[A-Za-z0-9_-]{58})(?![A-Za-z0-9_-])/,
  entropy: 4,
  severity: 'critical',
  verify: herokuAccount,
  examples: {
    match: [
      'HEROKU_API_KEY=HRKU-AAZTCmaWNVpibw3PJ32nRVHXN_V_ulPkOib8XsBs_WkAsFyO_Zg2FvF6CPuJ',
      'machine api.heroku.com\n  login deploy@acme.io\n  password HRKU-AA0X8yvQ37L6hNgk-ws9IhevY7LCTr9o2lth0R7BZAqfqls-HX40VwFdF-CY',
    ],
    ignore: [
      'HEROKU_API_KEY=HRKU-AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'new tokens look like HRKU-AA…, older ones are UUIDs',
      'HRKU-AAZTCmaWNVpibw3PJ32nRVHXN_V_ulPkOib8X',
    ],
  },
};

/**
 * Pre-2024 API keys are bare UUIDs, indistinguishable from app ids and request
 * ids, so a Heroku credential name must precede the value: `HEROKU_API_KEY=…`,
 * `heroku auth:token` output, or the `api.heroku.com` `.netrc` entry.
 */
export const herokuLegacyApiKey: Detector = {
  id: 'heroku-legacy-api-key',
  name: 'Heroku API key (legacy UUID)',
  issuer: 'heroku',
  keywords: ['heroku'],
  pattern:
    /heroku(?:[\w.-]{0,20}?(?:key|token|secret|password|auth)[\w.-]{0,10}|\s{1,4}auth:token|\.com\s{1,10}login\s{1,10}\S{1,100}\s{1,10}password)[\s"'=:>]{1,8}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f-])/i,
  entropy: 3,
  severity: 'critical',
  verify: herokuAccount,
  examples: {
    match: [
      'export HEROKU_API_KEY=e5bfbb37-879b-4c74-b955-c0127fa46c62',
      '$ heroku auth:token\n9be56081-875a-4522-a16c-32403b86ecf7',
      'machine api.heroku.com\n  login ops@acme.io\n  password 04917669-fc70-4d13-86c8-aa8a7e6d4b06',
      'heroku_token: "9be56081-875a-4522-a16c-32403b86ecf7"',
    ],
    ignore: [
      // app and dyno ids are UUIDs too
      'heroku app id e5bfbb37-879b-4c74-b955-c0127fa46c62 is in the eu region',
      'Heroku request id: 9be56081-875a-4522-a16c-32403b86ecf7',
      'HEROKU_API_KEY=00000000-0000-0000-0000-000000000000',
      // a UUID without any Heroku context
      'api_key = 04917669-fc70-4d13-86c8-aa8a7e6d4b06',
    ],
  },
};

export const herokuDetectors: readonly Detector[] = [herokuApiKey, herokuLegacyApiKey];
