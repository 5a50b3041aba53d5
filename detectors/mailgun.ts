import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth } from '../src/verification/sensitive.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/** tokens.md: `GET /v3/domains` with Basic `api:<key>`; US and EU accounts are on separate hosts. */
const mailgunDomains = inRegions(
  ['api.mailgun.net', 'api.eu.mailgun.net'].map((host) =>
    httpVerifier({
      hosts: [host],
      request: (secret) => ({
        url: `https://${host}/v3/domains?limit=1`,
        headers: { authorization: basicAuth('api', secret) },
      }),
      facts: (response) => {
        const domain = field(response.body, 'items', '0', 'name');
        return {
          ...(domain === undefined ? {} : { account: domain }),
          details: { region: host === 'api.mailgun.net' ? 'US' : 'EU' },
        };
      },
      fixtures: {
        live: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: { total_count: 1, items: [{ name: 'mg.corp.internal', state: 'active', type: 'custom' }] },
        },
        dead: { status: 401, headers: { 'content-type': 'text/plain' }, body: 'Forbidden' },
      },
    }),
  ),
);

/**
 * Private API keys, old format: `key-` + 32 hex. Send mail and read logs for
 * every domain of the account. Public validation keys (`pubkey-`) are not
 * secrets and not reported.
 */
export const mailgunPrivateKey: Detector = {
  id: 'mailgun-private-key',
  name: 'Mailgun private API key',
  issuer: 'mailgun',
  keywords: ['key-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>key-[0-9a-f]{32})(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'high',
  verify: mailgunDomains,
  examples: {
    match: [
      'MAILGUN_API_KEY=key-f3d0a75b40d427833ae6bdcbaf64c471',
      'curl -s --user "api:key-bfca5bdf3f18d519cf984ca6038a6e98" https://api.mailgun.net/v3/mg.acme.io/messages -F to=ops@acme.io',
    ],
    ignore: [
      // public validation key
      'MAILGUN_PUBLIC_KEY=pubkey-f3d0a75b40d427833ae6bdcbaf64c471',
      'MAILGUN_API_KEY=key-00000000000000000000000000000000',
      'MAILGUN_API_KEY=key-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
    ],
  },
};

/**
 * Private API keys, current format: 32 hex + `-` + 8 hex + `-` + 8 hex. The
 * shape is not unique enough on its own, so only next to a Mailgun name.
 */
export const mailgunApiKey: Detector = {
  id: 'mailgun-api-key',
  name: 'Mailgun API key',
  issuer: 'mailgun',
  keywords: ['mailgun', 'api:'],
  pattern:
    /(?:\bmailgun[\w. -]{0,20}?key[\s"'`]{0,3}[=:][\s"'`]{0,3}|\bapi:)(?<secret>[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})(?![0-9A-Za-z-])/i,
  entropy: 3,
  severity: 'high',
  verify: mailgunDomains,
  examples: {
    match: [
      'MAILGUN_API_KEY=03f07827a58c37a73d39017e816f8513-f6c88d7f-eeb6aafc',
      'curl -s --user "api:537f6c4f440187672dab5abb594cf130-8790a2ac-55324938" https://api.eu.mailgun.net/v3/domains',
    ],
    ignore: [
      'MAILGUN_API_KEY=<private api key>',
      'MAILGUN_API_KEY=00000000000000000000000000000000-00000000-00000000',
      // the same shape without any Mailgun context
      'request-id 03f07827a58c37a73d39017e816f8513-f6c88d7f-eeb6aafc',
    ],
  },
};

export const mailgunDetectors: readonly Detector[] = [mailgunPrivateKey, mailgunApiKey];
