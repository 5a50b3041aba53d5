import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/** Datadog sites (US1, US3, US5, EU1, AP1, AP2, US1-FED): an API key is only valid on its own site. */
const DATADOG_API_HOSTS = [
  'api.datadoghq.com',
  'api.us3.datadoghq.com',
  'api.us5.datadoghq.com',
  'api.datadoghq.eu',
  'api.ap1.datadoghq.com',
  'api.ap2.datadoghq.com',
  'api.ddog-gov.com',
];

/**
 * API keys: 32 lowercase hex with no prefix, so only next to a Datadog name
 * (`DD_API_KEY=`, `datadog_api_key:`, `DD-API-KEY:` header). They submit
 * metrics, logs and events; paired with an application key they read everything.
 */
export const datadogApiKey: Detector = {
  id: 'datadog-api-key',
  name: 'Datadog API key',
  issuer: 'datadog',
  keywords: ['datadog', 'dd_api', 'dd-api'],
  pattern:
    /(?:\bdatadog[\w. -]{0,20}?(?:api|client)[ _.-]{0,3}key|\bdd[_-]api[_-]?key)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'medium',
  // GET /api/v1/validate is Datadog's documented key check: 200 {"valid":true}, 403 for an unknown key.
  verify: inRegions(
    DATADOG_API_HOSTS.map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({ url: `https://${host}/api/v1/validate`, headers: { 'dd-api-key': secret } }),
        confirm: (response) => (response.body as { valid?: unknown } | null)?.valid === true,
        facts: () => ({ details: { site: host.replace(/^api\./, '') } }),
        fixtures: {
          live: { status: 200, headers: { 'content-type': 'application/json' }, body: { valid: true } },
          dead: { status: 403, headers: { 'content-type': 'application/json' }, body: { errors: ['Forbidden'] } },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'agent install one-liner from the runbook: DD_API_KEY=ba66ff44daeeaada731e4d1b1e036e28 DD_SITE="datadoghq.eu" bash -c "$(curl -L https://install.datadoghq.com/scripts/install_script_agent7.sh)"',
      'curl -X GET "https://api.datadoghq.com/api/v1/validate" -H "DD-API-KEY: 0f30157107e817facb872bcdb39b46f1"',
      'helm upgrade dd-agent datadog/datadog --set datadog.apiKey=7e5012123662d24c206e862d58e1c6a4 --set datadog.site=us5.datadoghq.com',
    ],
    ignore: [
      'DD_API_KEY=<your-datadog-api-key>',
      // 31 hex: truncated
      'DD_API_KEY=ba66ff44daeeaada731e4d1b1e036e2',
      // a commit hash next to the word, not a key
      'datadog api key rotation landed in 6301ca252628752bb475629d14122613e33d469e',
      'DD_API_KEY=00000000000000000000000000000000',
    ],
  },
};

/** Application keys: 40 lowercase hex, used with an API key; they carry the creating user's permissions. */
export const datadogAppKey: Detector = {
  id: 'datadog-app-key',
  name: 'Datadog application key',
  issuer: 'datadog',
  keywords: ['datadog', 'dd_app', 'dd-app'],
  pattern:
    /(?:\bdatadog[\w. -]{0,20}?app(?:lication)?[ _.-]{0,3}key|\bdd[_-]app(?:lication)?[_-]?key)[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{40})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'export DD_API_KEY=08da09e59146a60df2d740f93a02f7f4\nexport DD_APP_KEY=6301ca252628752bb475629d14122613e33d469e',
      'terraform.tfvars:\ndatadog_api_key = "08da09e59146a60df2d740f93a02f7f4"\ndatadog_app_key = "79e1d686dd567bdf477c58219514c372d9da821f"',
      'curl -H "DD-APPLICATION-KEY: 024d0b4e0925f47213ec26627e3db660dc822d37" https://api.datadoghq.com/api/v1/monitor',
    ],
    ignore: [
      'DD_APP_KEY=${DATADOG_APP_KEY}',
      'DD_APPLICATION_KEY=0000000000000000000000000000000000000000',
      // 32 hex is an API key, not an application key
      'DD_APP_KEY=08da09e59146a60df2d740f93a02f7f4',
      'datadog app key rotation done, see 79e1d686dd567bdf477c58219514c372d9da821f',
    ],
  },
};

export const datadogDetectors: readonly Detector[] = [datadogApiKey, datadogAppKey];
