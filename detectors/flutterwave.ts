import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Live secret keys: `FLWSECK-` + 32 hex + `-X` (test keys are `FLWSECK_TEST-…`). */
export const flutterwaveSecretKey: Detector = {
  id: 'flutterwave-secret-key',
  name: 'Flutterwave live secret key',
  issuer: 'flutterwave',
  keywords: ['FLWSECK-'],
  pattern: /(?<![\w-])(?<secret>FLWSECK-[a-f0-9]{32}-X)(?![\w-])/,
  entropy: 3,
  severity: 'high',
  // `GET /v3/balances` is read-only: wallet balances of the account.
  verify: httpVerifier({
    hosts: ['api.flutterwave.com'],
    request: (secret) => ({
      url: 'https://api.flutterwave.com/v3/balances',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    confirm: (r) => (r.body as { status?: unknown } | null)?.status === 'success',
    fixtures: {
      live: {
        status: 200,
        body: {
          status: 'success',
          message: 'Wallet balances fetched',
          data: [{ currency: 'NGN', available_balance: 125000, ledger_balance: 125000 }],
        },
      },
      dead: { status: 401, body: { status: 'error', message: 'Invalid authorization key', data: null } },
    },
  }),
  examples: {
    match: [
      'FLW_SECRET_KEY=FLWSECK-283ee930d0869abc1f61a398230ebf23-X',
      'payouts broke after the rotation, old key was FLWSECK-989b749daadd59d44b79c553cd2e0a57-X',
    ],
    ignore: [
      'FLW_SECRET_KEY=FLWSECK_TEST-283ee930d0869abc1f61a398230ebf23-X',
      'FLW_PUBLIC_KEY=FLWPUBK-283ee930d0869abc1f61a398230ebf23-X',
      'FLW_SECRET_KEY=FLWSECK-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-X',
    ],
  },
};

export const flutterwaveDetectors: readonly Detector[] = [flutterwaveSecretKey];
