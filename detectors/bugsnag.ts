import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Personal auth tokens for the Data Access API: a GUID next to a Bugsnag name.
 * They read every project, error and event the user can see.
 */
export const bugsnagAuthToken: Detector = {
  id: 'bugsnag-auth-token',
  name: 'Bugsnag personal auth token',
  issuer: 'bugsnag',
  keywords: ['bugsnag'],
  pattern:
    /\bbugsnag[\w. -]{0,20}?(?:auth|personal|access|api)[ _.-]{0,3}token[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9A-Za-z-])/i,
  entropy: 3,
  severity: 'high',
  // GET /user/organizations lists the token owner's organisations (read-only).
  verify: httpVerifier({
    hosts: ['api.bugsnag.com'],
    request: (secret) => ({
      url: 'https://api.bugsnag.com/user/organizations',
      headers: { authorization: secretText`token ${secret}`, 'x-version': '2' },
    }),
    facts: (response) => {
      const org = field(response.body, '0', 'slug');
      return org === undefined ? undefined : { account: org };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: [{ id: '5e1c9f6a2b3c4d5e6f708192', name: 'Acme', slug: 'acme' }],
      },
      dead: { status: 401, headers: { 'content-type': 'application/json' }, body: { errors: ['Unauthorized'] } },
    },
  }),
  examples: {
    match: [
      'BUGSNAG_AUTH_TOKEN=a3e48692-d2f2-4e3d-8712-23032ccc9efd ./scripts/export-errors.sh',
      'bugsnag personal token: 018779fd-56c8-45fd-a27c-794f85d517c9 (the one for the dashboard exporter)',
    ],
    ignore: [
      'BUGSNAG_AUTH_TOKEN=<your-bugsnag-token>',
      // an error id, not a token
      'bugsnag error 018779fd-56c8-45fd-a27c-794f85d517c9 is back',
      'BUGSNAG_AUTH_TOKEN=00000000-0000-0000-0000-000000000000',
    ],
  },
};

/**
 * Notifier API keys: 32 hex in app configs. They only submit errors (and are
 * shipped inside mobile and browser apps), so the risk is event spam.
 */
export const bugsnagNotifierKey: Detector = {
  id: 'bugsnag-notifier-api-key',
  name: 'Bugsnag notifier API key',
  issuer: 'bugsnag',
  keywords: ['bugsnag'],
  pattern:
    /\bbugsnag[\w. -]{0,20}?(?:api|notifier)[ _.-]{0,3}key[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'low',
  examples: {
    match: [
      'BUGSNAG_API_KEY=97dd760ac81abc9de4b84283b7e49866 npm run build',
      'Bugsnag.start({ bugsnag_api_key: "0a5d2aa648cdd92bbc8468c79596f25a" })',
    ],
    ignore: [
      'BUGSNAG_API_KEY=YOUR-API-KEY',
      'BUGSNAG_API_KEY=00000000000000000000000000000000',
      'bugsnag api key rotated in 6301ca252628752bb475629d14122613e33d469e',
    ],
  },
};

export const bugsnagDetectors: readonly Detector[] = [bugsnagAuthToken, bugsnagNotifierKey];
