import type { Detector } from '../src/core/detector.ts';

export const jfrogApiKey: Detector = {
  id: 'jfrog-api-key',
  name: 'JFrog Artifactory API key',
  issuer: 'jfrog',
  keywords: ['AKCp'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>AKCp[A-Za-z0-9]{69})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  // Deprecated by JFrog, still accepted by older self-hosted Artifactory.
  severity: 'critical',
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
