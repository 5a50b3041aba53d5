import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/**
 * `GET https://api.doppler.com/v3/me` (docs.doppler.com/reference/auth-me,
 * tokens.md #22): the token describes itself (type, name, workplace). 401 dead.
 * `token_preview` (a token fragment) is not kept.
 */
const dopplerMe = httpVerifier({
  hosts: ['api.doppler.com'],
  request: (secret) => ({
    url: 'https://api.doppler.com/v3/me',
    headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
  }),
  deadStatus: [401],
  facts: (response) => {
    const workplace = field(response.body, 'workplace', 'name') ?? field(response.body, 'workplace', 'slug');
    const details = Object.fromEntries(
      (['type', 'name', 'last_seen_at'] as const).flatMap((key) => {
        const value = field(response.body, key);
        return value === undefined ? [] : [[key, value]];
      }),
    );
    return { ...(workplace !== undefined ? { account: workplace } : {}), details };
  },
  fixtures: {
    live: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        slug: '3f6e2c1a-9b8d-4e07-a5c2-7d1b0f4e9a63',
        name: 'jane-laptop',
        created_at: '2026-01-12T14:03:27.916Z',
        last_seen_at: '2026-06-15T18:22:40.104Z',
        type: 'personal',
        token_preview: 'dp.pt.O0GKw...',
        workplace: { slug: 'acme', name: 'Acme Corp' },
      },
    },
    dead: { status: 401, headers: JSON_HEADERS, body: { messages: ['Invalid Auth token'], success: false } },
  },
});

/** Doppler tokens: `dp.<kind>.` + 40–44 base62 (service tokens may carry an environment slug first). */
function dopplerPattern(kind: string): RegExp {
  return new RegExp(`(?<![A-Za-z0-9_.-])(?<secret>dp\\.${kind}\\.[A-Za-z0-9]{40,44})(?![A-Za-z0-9_-])`);
}

export const dopplerPersonalToken: Detector = {
  id: 'doppler-personal-token',
  name: 'Doppler personal token',
  issuer: 'doppler',
  keywords: ['dp.pt.'],
  pattern: dopplerPattern('pt'),
  entropy: 3.5,
  severity: 'critical',
  verify: dopplerMe,
  examples: {
    match: [
      'DOPPLER_TOKEN=dp.pt.O0GKwOHEyLjq8GiNN0S38qWk9UM508miHTY60apcVYn',
      'curl -H "Authorization: Bearer dp.pt.O0GKwOHEyLjq8GiNN0S38qWk9UM508miHTY60apcVYn" https://api.doppler.com/v3/me',
    ],
    ignore: [
      'DOPPLER_TOKEN=dp.pt.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'DOPPLER_TOKEN=dp.pt.O0GKwOHEyLjq8GiNN0S38qWk9UM508miHT',
      'DOPPLER_TOKEN=dp.pt.${TOKEN}',
    ],
  },
};

export const dopplerCliToken: Detector = {
  id: 'doppler-cli-token',
  name: 'Doppler CLI token',
  issuer: 'doppler',
  keywords: ['dp.ct.'],
  pattern: dopplerPattern('ct'),
  entropy: 3.5,
  severity: 'critical',
  verify: dopplerMe,
  examples: {
    match: [
      '~/.doppler/.doppler.yaml has token: dp.ct.W4WvsLcBTHp1vBah7nTlpZeQ0vheNl1xcxUBdbgBSSQ',
      'doppler run --token dp.ct.W4WvsLcBTHp1vBah7nTlpZeQ0vheNl1xcxUBdbgBSSQ -- ./deploy.sh',
    ],
    ignore: [
      'token: dp.ct.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'token: dp.ct.W4WvsLcBTHp1vBah7nTlpZeQ',
      'token: dp.ct.W4WvsLcBTHp1vBah7nTlpZeQ0vheNl1xcxUBdbgBSSQabcdefgh',
    ],
  },
};

export const dopplerServiceToken: Detector = {
  id: 'doppler-service-token',
  name: 'Doppler service token',
  issuer: 'doppler',
  keywords: ['dp.st.'],
  pattern:
    /(?<![A-Za-z0-9_.-])(?<secret>dp\.st\.(?:[a-z0-9_-]{2,35}\.[A-Za-z0-9]{40,44}|[A-Za-z0-9]{40,44}))(?![A-Za-z0-9_-])/,
  entropy: 3.5,
  // Reads every secret of its config, often production credentials.
  severity: 'critical',
  verify: dopplerMe,
  examples: {
    match: [
      'DOPPLER_TOKEN=dp.st.prd.KDypnpet7cRYey9A65Ry0bRGx9uUrac0aVt5FNJqFrB',
      'kubectl create secret generic doppler-token --from-literal=serviceToken=dp.st.HW9iSqh4OliN4ASk8rWt5fNsOJh9TTswDRqUAMMdKtB',
    ],
    ignore: [
      'DOPPLER_TOKEN=dp.st.prd.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'DOPPLER_TOKEN=dp.st.prd.KDypnpet7cRYey9A65Ry0bRGx9uUrac0aVt',
      'service tokens start with dp.st.',
    ],
  },
};

export const dopplerServiceAccountToken: Detector = {
  id: 'doppler-service-account-token',
  name: 'Doppler service account token',
  issuer: 'doppler',
  keywords: ['dp.sa.'],
  pattern: dopplerPattern('sa'),
  entropy: 3.5,
  severity: 'critical',
  verify: dopplerMe,
  examples: {
    match: [
      'DOPPLER_TOKEN=dp.sa.dtVeOvYdE1ZuaRLgki5hjhfr0FiIiUYt81KNdQ72gid',
      'service account token for terraform: dp.sa.dtVeOvYdE1ZuaRLgki5hjhfr0FiIiUYt81KNdQ72gid',
    ],
    ignore: [
      'DOPPLER_TOKEN=dp.sa.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'DOPPLER_TOKEN=dp.sa.dtVeOvYdE1ZuaRLgki5hjhfr0FiIi',
      'DOPPLER_TOKEN=dp.sa.<service-account-token>',
    ],
  },
};

export const dopplerScimToken: Detector = {
  id: 'doppler-scim-token',
  name: 'Doppler SCIM token',
  issuer: 'doppler',
  keywords: ['dp.scim.'],
  pattern: dopplerPattern('scim'),
  entropy: 3.5,
  // Creates and removes workplace users and groups.
  severity: 'critical',
  // No liveness check: `/v3/me` is not documented for SCIM tokens, which only reach the SCIM API.
  examples: {
    match: [
      'Okta provisioning, API token: dp.scim.amqbbzti4AjwW47kQGVhllkflRccvrY1oa5bsijGbAg',
      'Authorization: Bearer dp.scim.amqbbzti4AjwW47kQGVhllkflRccvrY1oa5bsijGbAg',
    ],
    ignore: [
      'Authorization: Bearer dp.scim.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'Authorization: Bearer dp.scim.amqbbzti4AjwW47kQGVhll',
      'SCIM tokens use the dp.scim. prefix',
    ],
  },
};

export const dopplerAuditToken: Detector = {
  id: 'doppler-audit-token',
  name: 'Doppler audit token',
  issuer: 'doppler',
  keywords: ['dp.audit.'],
  pattern: dopplerPattern('audit'),
  entropy: 3.5,
  // Read-only access to the workplace audit log.
  severity: 'medium',
  // No liveness check: `/v3/me` is not documented for audit tokens.
  examples: {
    match: [
      'SIEM connector token: dp.audit.Q8rXWFjAVXVTyFjZOf6d9Qn3X7JAUmKQtu6JStT92zi',
      'DOPPLER_AUDIT_TOKEN=dp.audit.Q8rXWFjAVXVTyFjZOf6d9Qn3X7JAUmKQtu6JStT92zi',
    ],
    ignore: [
      'DOPPLER_AUDIT_TOKEN=dp.audit.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'DOPPLER_AUDIT_TOKEN=dp.audit.Q8rXWFjAVXVTyFjZOf6d9Qn3X7JAUmK',
      'DOPPLER_AUDIT_TOKEN=dp.audit.{{ audit_token }}',
    ],
  },
};

export const dopplerDetectors: readonly Detector[] = [
  dopplerPersonalToken,
  dopplerCliToken,
  dopplerServiceToken,
  dopplerServiceAccountToken,
  dopplerScimToken,
  dopplerAuditToken,
];
