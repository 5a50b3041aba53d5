import type { Detector } from '../src/core/detector.ts';
import { charClasses } from '../src/detection/entropy.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/** Random bodies mix letters and digits; a run of one class is a name or a counter. */
function mixesLettersAndDigits(body: string): boolean {
  const c = charClasses(body);
  return c.digit > 0 && c.lower + c.upper > 0;
}

/**
 * User API keys: `NRAK-` + 27 uppercase alphanumerics. They act as the user in
 * NerdGraph and REST v2 (query all data, change alerts, manage keys). Browser
 * keys (`NRJS-`) are public by design and not reported.
 */
export const newrelicUserApiKey: Detector = {
  id: 'newrelic-user-api-key',
  name: 'New Relic user API key',
  issuer: 'newrelic',
  keywords: ['NRAK-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>NRAK-[A-Z0-9]{27})(?![A-Za-z0-9_-])/,
  validate: (secret) => mixesLettersAndDigits(secret.slice(5)),
  entropy: 3,
  severity: 'high',
  // REST v2 accepts user keys in `X-Api-Key` (tokens.md); US and EU accounts live on different hosts.
  verify: inRegions(
    ['api.newrelic.com', 'api.eu.newrelic.com'].map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({ url: `https://${host}/v2/users.json`, headers: { 'x-api-key': secret } }),
        deadStatus: [401],
        facts: () => ({ details: { region: host === 'api.newrelic.com' ? 'US' : 'EU' } }),
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: {
              users: [{ id: 1002345, first_name: 'Ops', last_name: 'Bot', email: 'ops@corp.internal', role: 'admin' }],
            },
          },
          dead: { status: 401, body: { error: { title: 'The API key provided is invalid' } } },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'NEW_RELIC_API_KEY=NRAK-JH09ABTSBKCF95IS9JWOABA9IKH terraform apply -target=module.alerts',
      'curl https://api.newrelic.com/graphql -H "API-Key: NRAK-4SOTRP0CYB87NKZX8ULMHIVDR51" -d \'{"query":"{ actor { user { name } } }"}\'',
    ],
    ignore: [
      'NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX',
      // browser key: public, shipped in every page
      'window.NREUM.info = { licenseKey: "NRJS-b8963b9d4584edc32eb", applicationID: "1234567" }',
      // truncated
      'the key starts with NRAK-QWZGAV7JYIUC2Y5 but I cut it off',
    ],
  },
};

/** Insights insert (`NRII-`) and query (`NRIQ-`) keys: write events into / read events from one account. */
export const newrelicInsightsKey: Detector = {
  id: 'newrelic-insights-key',
  name: 'New Relic Insights insert/query key',
  issuer: 'newrelic',
  keywords: ['NRII-', 'NRIQ-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>NRI[IQ]-[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])/,
  validate: (secret) => mixesLettersAndDigits(secret.slice(5)),
  entropy: 3.5,
  severity: 'medium',
  examples: {
    match: [
      'insert key for the event API: X-Insert-Key: NRII-jvSI2JkqBd8yz01orU4KVUTcXWkl2aAO',
      'dashboards exporter uses NRIQ-jAvmf8_3VYoENtUC-spDjIjPOIr2UId4 as query key',
    ],
    ignore: [
      'X-Insert-Key: NRII-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'NRII-jvSI2JkqBd8yz01orU4K',
      'NRJS-b8963b9d4584edc32eb is only the browser key',
    ],
  },
};

/**
 * Ingest license keys: 40 characters ending in `NRAL` (EU accounts start with
 * `eu01xx`). They send data into the account; older 40-hex license keys have
 * no marker and are left to the generic detectors.
 */
export const newrelicLicenseKey: Detector = {
  id: 'newrelic-license-key',
  name: 'New Relic license (ingest) key',
  issuer: 'newrelic',
  keywords: ['NRAL'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>(?:eu01xx[0-9a-f]{30}|[0-9a-f]{36})NRAL)(?![A-Za-z0-9_-])/,
  validate: (secret) => /\d/.test(secret) && /[a-f]/.test(secret.slice(0, -4).replace(/^eu01xx/, '')),
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'newrelic.yml:\n  license_key: 2283a43d72814882211707e3e55a68f031c9NRAL\n  app_name: checkout',
      'NEW_RELIC_LICENSE_KEY=eu01xxa820aae5f4af696758c5c6f8847634NRAL node -r newrelic server.js',
    ],
    ignore: [
      'NEW_RELIC_LICENSE_KEY=000000000000000000000000000000000000NRAL',
      // 35 hex: not a full key
      'license_key: 2283a43d72814882211707e3e55a68f031cNRAL',
      'license keys end in NRAL, browser keys start with NRJS-',
    ],
  },
};

export const newrelicDetectors: readonly Detector[] = [newrelicUserApiKey, newrelicInsightsKey, newrelicLicenseKey];
