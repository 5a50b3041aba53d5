import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { jsonBody } from '../src/verification/sensitive.ts';

/**
 * Marketing API keys: 32 hex + `-us<n>` (the data centre). They manage
 * audiences, campaigns and send mail as the account. No liveness check yet:
 * the data centre host (`us21.api.mailchimp.com`) is inside the secret, and a
 * verifier cannot read it without revealing the key.
 */
export const mailchimpApiKey: Detector = {
  id: 'mailchimp-api-key',
  name: 'Mailchimp Marketing API key',
  issuer: 'mailchimp',
  keywords: ['-us'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>[0-9a-f]{32}-us\d{1,2})(?![A-Za-z0-9_-])/,
  // The keyword sits 32 characters into the match; `-us` is common in ordinary text, so keep the window tight.
  window: { before: 40, after: 8 },
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'MAILCHIMP_API_KEY=d0d6a116bd32611b1e2fbddc535bdd82-us21',
      'curl --user "anystring:12aa5d19e2cf2e5f9bc5e4494ea5efc0-us6" https://us6.api.mailchimp.com/3.0/lists',
    ],
    ignore: [
      'MAILCHIMP_API_KEY=<your-key>-us21',
      'MAILCHIMP_API_KEY=00000000000000000000000000000000-us21',
      // locale tag after a hash
      'cache key d0d6a116bd32611b1e2fbddc535bdd82-en-us',
    ],
  },
};

/** Transactional (Mandrill) API keys: `md-` + 22 characters. Send mail as the account. */
export const mailchimpTransactionalKey: Detector = {
  id: 'mailchimp-transactional-api-key',
  name: 'Mailchimp Transactional (Mandrill) API key',
  issuer: 'mailchimp',
  keywords: ['md-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>md-[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/,
  // CSS class names also start `md-`: require a random mix and at most one separator.
  validate: (secret) => {
    const body = secret.slice(3);
    return /\d/.test(body) && /[a-z]/.test(body) && /[A-Z]/.test(body) && (body.match(/[_-]/g) ?? []).length <= 1;
  },
  entropy: 3.8,
  severity: 'high',
  // POST /users/ping2 with {"key"} is Mandrill's key check; errors come back as HTTP 500 with a name.
  verify: httpVerifier({
    hosts: ['mandrillapp.com'],
    request: (secret) => ({
      method: 'POST',
      url: 'https://mandrillapp.com/api/1.0/users/ping2',
      headers: { 'content-type': 'application/json' },
      body: jsonBody({ key: secret }),
    }),
    liveStatus: [200, 500],
    confirm: (response) => {
      const body = response.body as { PING?: unknown; name?: unknown } | null;
      if (response.status === 200) return body?.PING === 'PONG!';
      return body?.name === 'Invalid_Key' ? 'dead' : false;
    },
    fixtures: {
      live: { status: 200, headers: { 'content-type': 'application/json' }, body: { PING: 'PONG!' } },
      dead: {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: { status: 'error', code: -1, name: 'Invalid_Key', message: 'Invalid API key' },
      },
    },
  }),
  examples: {
    match: [
      'MANDRILL_API_KEY=md-pncLOif8MOP3ArvEyIQ9Kx',
      'mandrill_client = MailchimpTransactional.Client("md-FbBavUnnQa8htFtNAAZ5MZ")',
    ],
    ignore: [
      '<div class="md-layout-item md-size-50 md-small-size-100">',
      'MANDRILL_API_KEY=md-xxxxxxxxxxxxxxxxxxxxxx',
      'class="md-toolbar-row-primary-dense2"',
    ],
  },
};

export const mailchimpDetectors: readonly Detector[] = [mailchimpApiKey, mailchimpTransactionalKey];
