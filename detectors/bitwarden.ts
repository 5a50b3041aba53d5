import type { Detector } from '../src/core/detector.ts';

/**
 * Bitwarden Secrets Manager machine-account access token:
 * `0.<client id UUID>.<30-char client secret>:<base64 16-byte encryption key>`. Checking it is a
 * login (token exchange): not attempted.
 */
export const bitwardenSecretsManagerAccessToken: Detector = {
  id: 'bitwarden-secrets-manager-access-token',
  name: 'Bitwarden Secrets Manager access token',
  issuer: 'bitwarden',
  keywords: ['bws', 'bitwarden', 'access-token', 'access_token'],
  pattern:
    /(?:bws|bitwarden|access)(?:[_-](?:access[_-])?token)?["']?(?:\s{0,3}[:=]|\s)\s{0,3}["']?(?<secret>0\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.[A-Za-z0-9]{30}:[A-Za-z0-9+/]{22}==)(?![A-Za-z0-9+/=])/i,
  entropy: 4,
  severity: 'critical',
  examples: {
    match: [
      'BWS_ACCESS_TOKEN=0.1b5c073d-eb19-68b4-2d29-ca1f4341d7fe.H4lZVrMzbuIXcrTTZ7Ab05U7olZo1D:R1nt1acPDKZNfYxOoOM/DR==',
      'bws secret list --access-token 0.3eff3be2-6504-08c7-f028-e29dc940616e.WRKSYpwGIGQcv1080pGJS9khNglG09:xHnJkryjk7uQ97NuhnZjYq==',
    ],
    ignore: [
      'BWS_ACCESS_TOKEN=${{ secrets.BWS_ACCESS_TOKEN }}',
      'BWS_ACCESS_TOKEN=0.<client-id>.<secret>:<key>',
      // the machine-account id alone
      'bws project list # machine account 1b5c073d-eb19-68b4-2d29-ca1f4341d7fe',
    ],
  },
};

export const bitwardenDetectors: readonly Detector[] = [bitwardenSecretsManagerAccessToken];
