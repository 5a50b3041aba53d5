import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Access keys: 25 alphanumerics next to a MessageBird (Bird) name or in an
 * `Authorization: AccessKey` header. Live keys send SMS and voice on the
 * account's balance.
 */
export const messagebirdAccessKey: Detector = {
  id: 'messagebird-access-key',
  name: 'MessageBird access key',
  issuer: 'messagebird',
  keywords: ['messagebird', 'accesskey'],
  pattern:
    /(?:\bAccessKey\s{1,3}|\bmessagebird[\w. -]{0,20}?(?:key|token)[\s"'`]{0,3}[=:][\s"'`]{0,3})(?<secret>[A-Za-z0-9]{25})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.8,
  severity: 'high',
  // GET /balance: read-only account balance.
  verify: httpVerifier({
    hosts: ['rest.messagebird.com'],
    request: (secret) => ({
      url: 'https://rest.messagebird.com/balance',
      headers: { authorization: secretText`AccessKey ${secret}` },
    }),
    facts: (response) => {
      const amount = field(response.body, 'amount');
      return amount === undefined ? undefined : { details: { balance: amount } };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { payment: 'prepaid', type: 'credits', amount: 12.5 },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: {
          errors: [{ code: 2, description: 'Request not allowed (incorrect access_key)', parameter: 'access_key' }],
        },
      },
    },
  }),
  examples: {
    match: [
      'MESSAGEBIRD_ACCESS_KEY=bMhztCEg9oHfS4bdgrlHVFge0 php artisan sms:test',
      'curl https://rest.messagebird.com/messages -H "Authorization: AccessKey OIGJdV3kZQw9eeiBG5qXcZe7J" -d "recipients=31612345678"',
    ],
    ignore: [
      'MESSAGEBIRD_ACCESS_KEY=<live access key>',
      'Authorization: AccessKey xxxxxxxxxxxxxxxxxxxxxxxxx',
      'messagebird key is the one named "prod-sms" in the dashboard',
    ],
  },
};

export const messagebirdDetectors: readonly Detector[] = [messagebirdAccessKey];
