import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** API v3 keys (Brevo, formerly Sendinblue): `xkeysib-` + 64 hex + `-` + 16 alphanumerics. */
export const brevoApiKey: Detector = {
  id: 'brevo-api-key',
  name: 'Brevo (Sendinblue) API key',
  issuer: 'brevo',
  keywords: ['xkeysib-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>xkeysib-[0-9a-f]{64}-[A-Za-z0-9]{16})(?![A-Za-z0-9_-])/,
  entropy: 3.5,
  severity: 'high',
  // GET /v3/account returns the account (plan, company, email).
  verify: httpVerifier({
    hosts: ['api.brevo.com'],
    request: (secret) => ({
      url: 'https://api.brevo.com/v3/account',
      headers: { 'api-key': secret, accept: 'application/json' },
    }),
    facts: (response) => {
      const email = field(response.body, 'email');
      return email === undefined ? undefined : { account: email };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { email: 'marketing@corp.internal', companyName: 'Acme', plan: [{ type: 'free', credits: 300 }] },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { code: 'unauthorized', message: 'Key not found' },
      },
    },
  }),
  examples: {
    match: [
      'BREVO_API_KEY=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',
      'curl https://api.brevo.com/v3/smtp/email -H "api-key: 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"',
    ],
    ignore: [
      'BREVO_API_KEY=xkeysib-[chave-gerada-pelo-brevo]',
      'BREVO_API_KEY=xkeysib-0000000000000000000000000000000000000000000000000000000000000000-xxxxxxxxxxxxxxxx',
      'BREVO_API_KEY=xkeysib-66e981a33d3faccafb1f5438a4b693e7',
    ],
  },
};

/** SMTP relay keys: `xsmtpsib-` + 64 hex + `-` + 16 alphanumerics; the SMTP password for smtp-relay.brevo.com. */
export const brevoSmtpKey: Detector = {
  id: 'brevo-smtp-key',
  name: 'Brevo (Sendinblue) SMTP key',
  issuer: 'brevo',
  keywords: ['xsmtpsib-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>xsmtpsib-[0-9a-f]{64}-[A-Za-z0-9]{16})(?![A-Za-z0-9_-])/,
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'SMTP_PASSWORD=xsmtpsib-c6311c4ce10fa1c784c7dd825e2419ddd56f985080e3781ea63fc544a46f1f04-8vidTsW1e4LS0u3N',
      'spring.mail.host=smtp-relay.brevo.com\nspring.mail.password=xsmtpsib-c6311c4ce10fa1c784c7dd825e2419ddd56f985080e3781ea63fc544a46f1f04-8vidTsW1e4LS0u3N',
    ],
    ignore: [
      'SMTP_PASSWORD=xsmtpsib-<your smtp key>',
      'SMTP_PASSWORD=xsmtpsib-0000000000000000000000000000000000000000000000000000000000000000-0000000000000000',
      'SMTP_PASSWORD=xsmtpsib-c6311c4ce10fa1c784c7dd825e2419dd',
    ],
  },
};

export const brevoDetectors: readonly Detector[] = [brevoApiKey, brevoSmtpKey];
