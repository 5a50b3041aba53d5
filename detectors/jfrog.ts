import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse, VerificationFacts } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** Facts from the token's own description: subject, scopes, expiry (epoch seconds, absent or 0 = never). */
export function jfrogTokenFacts(response: SafeResponse): VerificationFacts {
  const subject = field(response.body, 'subject');
  const scopes = (field(response.body, 'scope') ?? '').split(/\s+/).filter((scope) => scope.length > 0);
  const expiry = Number(field(response.body, 'expiry') ?? 0);
  const description = field(response.body, 'description');
  return {
    // `jfac@<service id>/users/<name>`: the user name is what an owner recognises.
    ...(subject !== undefined ? { account: subject.replace(/^.*\/users\//, '') } : {}),
    scopes,
    ...(Number.isFinite(expiry) && expiry > 0 ? { expiresAt: new Date(expiry * 1000).toISOString() } : {}),
    ...(scopes.includes('applied-permissions/admin') ? { privileged: true } : {}),
    ...(description !== undefined ? { details: { description } } : {}),
  };
}

/**
 * `GET {platform}/access/api/v1/tokens/me` (jfrog.com/help, Access REST API
 * "Get Token Info (me)", tokens.md #29): the reference token describes itself.
 * Self-hosted or a `*.jfrog.io` instance: only against the configured base URL,
 * since the token does not say which platform issued it. 401 dead.
 */
const jfrogTokenMe = httpVerifier({
  hosts: [],
  selfHosted: true,
  request: (secret, ctx) => ({
    url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/access/api/v1/tokens/me`,
    headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
  }),
  deadStatus: [401],
  facts: jfrogTokenFacts,
  fixtures: {
    live: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        token_id: '0f4e8a52-6c1d-4b37-9e2a-d85b7c3f1a60',
        subject: 'jfac@01hv6k3mz2b8x0q9r7f5t4c1aw/users/ci-deployer',
        expiry: 1793412876,
        issued_at: 1761876876,
        issuer: 'jfac@01hv6k3mz2b8x0q9r7f5t4c1aw',
        refreshable: false,
        scope: 'applied-permissions/user',
        description: 'helm chart publishing from CI',
      },
    },
    dead: {
      status: 401,
      headers: JSON_HEADERS,
      body: { errors: [{ code: 'UNAUTHORIZED', message: 'Bad credentials' }] },
    },
  },
});

export const jfrogApiKey: Detector = {
  id: 'jfrog-api-key',
  name: 'JFrog Artifactory API key',
  issuer: 'jfrog',
  keywords: ['AKCp'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>AKCp[A-Za-z0-9]{69})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  // Deprecated by JFrog, still accepted by older self-hosted Artifactory.
  severity: 'critical',
  // No liveness check: tokens.md lists none for the deprecated API keys.
  examples: {
    match: [
      'curl -H "X-JFrog-Art-Api: AKCpsVr15BBVDoz2N3YBjlfTZM7IQk4BwmSwrc9668oBPcY6i3xNGFLjmGqloBnMnydxXcscR" https://acme.jfrog.io/artifactory/api/repositories',
      'ARTIFACTORY_API_KEY=AKCpsVr15BBVDoz2N3YBjlfTZM7IQk4BwmSwrc9668oBPcY6i3xNGFLjmGqloBnMnydxXcscR',
    ],
    ignore: [
      'ARTIFACTORY_API_KEY=AKCpxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'ARTIFACTORY_API_KEY=AKCpsVr15BBVDoz2N3YBjlfTZM7IQk4BwmSwrc9668oBPcY6i3xNGFLjmGql',
      'ARTIFACTORY_API_KEY=AKCpsVr15BBVDoz2N3YBjlfTZM7IQk4BwmSwrc9668oBPcY6i3xNGFLjmGqloBnMnydxXcscRQ',
    ],
  },
};

/** Reference tokens are base64 of `reftkn:<version>:<expiry, 0 = never>:<random>`. */
export function isJfrogReferenceToken(token: string): boolean {
  const text = Buffer.from(token, 'base64').toString('latin1');
  return /^reftkn:[0-9]{2}:[0-9]{1,12}:[A-Za-z0-9]{16,}$/.test(text);
}

export const jfrogReferenceToken: Detector = {
  id: 'jfrog-reference-token',
  name: 'JFrog reference (access) token',
  issuer: 'jfrog',
  keywords: ['cmVmdGtu'],
  pattern: /(?<![A-Za-z0-9+/_])(?<secret>cmVmdGtu[A-Za-z0-9]{56})(?![A-Za-z0-9+/=_])/,
  validate: (secret) => isJfrogReferenceToken(secret),
  entropy: 3.5,
  severity: 'critical',
  verify: jfrogTokenMe,
  examples: {
    match: [
      'helm repo add acme-helm https://acme.jfrog.io/artifactory/api/helm/acme-helm --username ci@acme.io --password cmVmdGtuOjAxOjE3OTM0MTI4NzY6aGZ0eTMySWc0enBKcU1FUmN0QmlPVWxQcHcy',
      'curl -H "Authorization: Bearer cmVmdGtuOjAxOjE3OTM0MTI4NzY6aGZ0eTMySWc0enBKcU1FUmN0QmlPVWxQcHcy" https://acme.jfrog.io/access/api/v1/tokens/me',
    ],
    ignore: [
      // right prefix and length, but the decoded text is not a reference token
      'JFROG_TOKEN=cmVmdGtuIHNob3VsZCBiZSBmb2xsb3dlZCBieSBhIGNvbG9uIGFuZCB2ZXJzaW9u',
      'JFROG_TOKEN=cmVmdGtuOjAxOjE3OTM0MTI4NzY6aGZ0eTMySWc0enBKcU1F',
      'JFROG_TOKEN=cmVmdGtu...',
    ],
  },
};

export const jfrogDetectors: readonly Detector[] = [jfrogApiKey, jfrogReferenceToken];
