import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth, secretText } from '../src/verification/sensitive.ts';

/**
 * Account auth tokens: 32 hex, used with the account SID (`AC` + 32 hex) as
 * Basic credentials: full control of the account (numbers, messages, calls,
 * sub-accounts). Taken after a Twilio auth-token name or as `AC…:<token>`;
 * the SID must be nearby.
 */
export const twilioAuthToken: Detector = {
  id: 'twilio-auth-token',
  name: 'Twilio account auth token',
  issuer: 'twilio',
  keywords: ['twilio'],
  pattern:
    /(?:\btwilio[\w. -]{0,20}?auth[ _.-]{0,3}token[\s"'`]{0,3}[=:][\s"'`]{0,3}|\bAC[0-9a-f]{32}:)(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
  // `curl -u AC…:<token> https://api.twilio.com/…` names Twilio only after the token.
  window: { before: 160 },
  entropy: 3,
  companions: [
    {
      name: 'account sid',
      pattern: /(?<![A-Za-z0-9])(?<secret>AC[0-9a-f]{32})(?![A-Za-z0-9])/,
      window: 300,
      entropy: 3,
    },
  ],
  severity: 'critical',
  // tokens.md: GET /2010-04-01/Accounts/{SID}.json with Basic SID:token.
  verify: httpVerifier({
    hosts: ['api.twilio.com'],
    request: (secret, ctx) => {
      const sid = ctx.parts['account sid'] ?? '';
      return {
        url: secretText`https://api.twilio.com/2010-04-01/Accounts/${sid}.json`,
        headers: { authorization: basicAuth(sid, secret) },
      };
    },
    facts: (response) => {
      const name = field(response.body, 'friendly_name');
      const status = field(response.body, 'status');
      return {
        ...(name === undefined ? {} : { account: name }),
        ...(status === undefined ? {} : { details: { status } }),
      };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { sid: 'AC<redacted>', friendly_name: 'Acme production', status: 'active', type: 'Full' },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: {
          code: 20003,
          message: 'Authenticate',
          more_info: 'https://www.twilio.com/docs/errors/20003',
          status: 401,
        },
      },
    },
  }),
  examples: {
    match: [
      'TWILIO_ACCOUNT_SID=ACfc54566ae647c9878be22847e1ec9fc2\nTWILIO_AUTH_TOKEN=f4a0bf53d48e8b12895ac239b1c37859',
      'curl -X POST -u AC3ca0cc381ac0579f4d268a2a2618fc2f:b5e8cb99967d2ae42cef618ab689eb5b https://api.twilio.com/2010-04-01/Accounts/AC3ca0cc381ac0579f4d268a2a2618fc2f/Messages.json',
    ],
    ignore: [
      // token without the account SID
      'TWILIO_AUTH_TOKEN=f4a0bf53d48e8b12895ac239b1c37859',
      'TWILIO_ACCOUNT_SID=ACfc54566ae647c9878be22847e1ec9fc2 TWILIO_AUTH_TOKEN=your_auth_token',
      'TWILIO_ACCOUNT_SID=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx TWILIO_AUTH_TOKEN=00000000000000000000000000000000',
    ],
  },
};

/**
 * API keys: key SID (`SK` + 32 hex) + 32-character secret. Standard keys can
 * use every API except account and key management.
 */
export const twilioApiKey: Detector = {
  id: 'twilio-api-key',
  name: 'Twilio API key secret',
  issuer: 'twilio',
  keywords: ['twilio'],
  pattern:
    /(?:\btwilio[\w. -]{0,20}?secret[\s"'`]{0,3}[=:][\s"'`]{0,3}|\bSK[0-9a-f]{32}:)(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/i,
  window: { before: 160 },
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.5,
  companions: [
    {
      name: 'api key sid',
      pattern: /(?<![A-Za-z0-9])(?<secret>SK[0-9a-f]{32})(?![A-Za-z0-9])/,
      window: 300,
      entropy: 3,
    },
  ],
  severity: 'high',
  // API keys cannot read /Accounts; listing the Verify services the key can see is a read-only GET.
  verify: httpVerifier({
    hosts: ['verify.twilio.com'],
    request: (secret, ctx) => ({
      url: 'https://verify.twilio.com/v2/Services?PageSize=1',
      headers: { authorization: basicAuth(ctx.parts['api key sid'] ?? '', secret) },
    }),
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          services: [],
          meta: {
            page: 0,
            page_size: 1,
            key: 'services',
            first_page_url: 'https://verify.twilio.com/v2/Services?PageSize=1&Page=0',
          },
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { code: 20003, message: 'Authenticate', status: 401 },
      },
    },
  }),
  examples: {
    match: [
      'TWILIO_API_KEY=SK1abb5fad57621f04268d26ce7cbec6fa\nTWILIO_API_SECRET=vuDH7oZ1DgVVDobVRfhfeNeKdDlHL1z6',
      'curl -u SK7a4631465add6085a3355debb8214e4d:Q0cpbyCEB1inqdEnk5OaFkklRok6Qd8c https://verify.twilio.com/v2/Services',
    ],
    ignore: [
      'TWILIO_API_SECRET=vuDH7oZ1DgVVDobVRfhfeNeKdDlHL1z6',
      'TWILIO_API_KEY=SK1abb5fad57621f04268d26ce7cbec6fa TWILIO_API_SECRET=<secret shown once>',
      'TWILIO_API_KEY=SK1abb5fad57621f04268d26ce7cbec6fa TWILIO_API_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const twilioDetectors: readonly Detector[] = [twilioAuthToken, twilioApiKey];
