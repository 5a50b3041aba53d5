import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse, VerifyContext } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Decodes standard base64 (padding optional) into a JSON object, or `undefined`. */
function decodeJsonObject(base64: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Configured Grafana instance (self-managed or a `*.grafana.net` stack), without a trailing slash. */
function stackUrl(ctx: VerifyContext): string {
  return (ctx.baseUrls[0] ?? '').replace(/\/+$/, '');
}

/** `GET {stack}/api/org` answers the caller's organisation for any valid service account token or API key. */
const stackOrgVerifier = httpVerifier({
  hosts: ['*.grafana.net'],
  selfHosted: true,
  request: (secret, ctx) => ({
    url: `${stackUrl(ctx)}/api/org`,
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  facts: (response: SafeResponse) => {
    const org = field(response.body, 'name');
    return org === undefined ? undefined : { account: org };
  },
  fixtures: {
    live: { status: 200, headers: { 'content-type': 'application/json' }, body: { id: 1, name: 'Main Org.' } },
    dead: { status: 401, body: { message: 'invalid API key', traceID: '' } },
  },
});

/**
 * Grafana Cloud access policy tokens: `glc_` + base64 of
 * `{"o":"<org id>","n":"<name>","k":"<secret>","m":{"r":"<region>"}}`.
 */
export const grafanaCloudToken: Detector = {
  id: 'grafana-cloud-token',
  name: 'Grafana Cloud access policy token',
  issuer: 'grafana',
  keywords: ['glc_'],
  pattern: /(?<![A-Za-z0-9_+/])(?<secret>glc_[A-Za-z0-9+/]{32,400}={0,2})(?![A-Za-z0-9+/=])/,
  validate: (secret) => {
    const payload = decodeJsonObject(secret.slice(4));
    // The documented layout proves the format; other base64 bodies are still likely tokens.
    return payload !== undefined && typeof payload['k'] === 'string' ? 1 : 0.5;
  },
  entropy: 3.5,
  severity: 'critical',
  // tokens.md: 200/403 and 401 "missing required scope" mean the token authenticated; InvalidCredentials = dead.
  verify: httpVerifier({
    hosts: ['grafana.com'],
    request: (secret) => ({
      url: 'https://grafana.com/api/v1/tokens?region=us',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    liveStatus: [200, 401, 403],
    deadStatus: [],
    confirm: (response) => {
      if (response.status !== 401) return true;
      const text = JSON.stringify(response.body ?? '').toLowerCase();
      if (text.includes('invalidcredentials') || text.includes('invalid credentials')) return 'dead';
      return text.includes('scope');
    },
    fixtures: {
      live: { status: 200, headers: { 'content-type': 'application/json' }, body: { items: [], metadata: {} } },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { code: 'InvalidCredentials', message: 'Token invalid' },
      },
    },
  }),
  examples: {
    match: [
      'loki:\n  basic_auth:\n    username: 322137\n    password: glc_eyJvIjoiNzQ0NTg3IiwibiI6InN0YWNrLTQ3NTgzMC1obC13cml0ZS1sb2dzIiwiayI6Iko4RjJMNVlwQjlFRkVGZFVaODFwQ3J2WCIsIm0iOnsiciI6InVzIn19',
      'GRAFANA_CLOUD_TOKEN="glc_eyJvIjoiMTAyMTMzNCIsIm4iOiJjaS1kYXNoYm9hcmRzLXN5bmMiLCJrIjoiVEs3R2IyWGhtUnFUcDVCaGYwc1pLRzBvIiwibSI6eyJyIjoicHJvZC1ldS13ZXN0LTAifX0="',
    ],
    ignore: [
      'GRAFANA_CLOUD_TOKEN=glc_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'static void GLC_CreateLightmapTextureArray(void);',
      'token: glc_eyJvIjoiNzQ0NTg3Ii',
    ],
  },
};

/** Service account tokens: `glsa_` + 32 alphanumerics + `_` + 8 hex. Act on one Grafana instance or stack. */
export const grafanaServiceAccountToken: Detector = {
  id: 'grafana-service-account-token',
  name: 'Grafana service account token',
  issuer: 'grafana',
  keywords: ['glsa_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>glsa_[A-Za-z0-9]{32}_[0-9a-f]{8})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
  verify: stackOrgVerifier,
  examples: {
    match: [
      "curl -H 'Authorization: Bearer glsa_nWSGbIDOMKOcqPgfqKYPVr7IEEpYhXdW_23392129' https://grafana.corp.internal/api/dashboards/uid/ops",
      'provider "grafana" {\n  url  = "https://acme.grafana.net"\n  auth = "glsa_f9OpDZXVrVefjiEK6LnH0sqfj6dDEywe_0628163d"\n}',
    ],
    ignore: [
      'glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA',
      // suffix is not hex
      'glsa_nWSGbIDOMKOcqPgfqKYPVr7IEEpYhXdW_2339212z',
      'create a service account token (glsa_…) in Administration > Users and access',
    ],
  },
};

/** Legacy API keys: base64 of `{"k":"<32>","n":"<name>","id":<org>}`, so they always start `eyJrIjoi`. */
export const grafanaApiKey: Detector = {
  id: 'grafana-api-key',
  name: 'Grafana API key (legacy)',
  issuer: 'grafana',
  keywords: ['eyJrIjoi'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>eyJrIjoi[A-Za-z0-9+/]{40,400}={0,2})(?![A-Za-z0-9+/=])/,
  validate: (secret) => {
    const payload = decodeJsonObject(secret);
    return payload !== undefined && typeof payload['k'] === 'string' && /^[A-Za-z0-9]{32}$/.test(payload['k']);
  },
  entropy: 3.5,
  severity: 'high',
  verify: stackOrgVerifier,
  examples: {
    match: [
      'Authorization: Bearer eyJrIjoieWs0a0JIOFNDR1A4dkpaalpNdFNWeUVncThVMVN0RzQiLCJuIjoiZ3JhZmFuYS1iYWNrdXAiLCJpZCI6MX0=',
      'grafana_api_key = "eyJrIjoicjdhSkdETjVVZ0xQVlhPNnZpUHFmcE5aT0pGb0RzdTgiLCJuIjoicHJvdmlzaW9uZXIiLCJpZCI6M30="',
    ],
    ignore: [
      // cut in the middle: not valid JSON any more
      'Authorization: Bearer eyJrIjoieWs0a0JIOFNDR1A4dkpaalpNdFNWeUVncThVMVN0RzQiLCJuIjoiZ3JhZmFu',
      // a JWT whose header happens to start with {"k": is still a JWT, not a Grafana key
      'eyJrIjoiMSJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      'API keys look like eyJrIjoi… and are deprecated in favour of service accounts',
    ],
  },
};

export const grafanaDetectors: readonly Detector[] = [grafanaCloudToken, grafanaServiceAccountToken, grafanaApiKey];
