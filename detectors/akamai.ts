import type { Detector } from '../src/core/detector.ts';

/**
 * Akamai EdgeGrid credentials (`.edgerc`): `client_secret` (44 base64) next to an `akab-`
 * client token / access token / host. Requests must be HMAC-signed with the secret (which would
 * have to be revealed here), so no liveness check.
 */
export const akamaiEdgegridCredentials: Detector = {
  id: 'akamai-edgegrid-credentials',
  name: 'Akamai EdgeGrid API client secret',
  issuer: 'akamai',
  keywords: ['client_secret', 'client-secret', 'clientsecret'],
  pattern: /client[_-]?secret["']?\s{0,3}[:=]\s{0,3}["']?(?<secret>[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])/i,
  entropy: 4.5,
  companions: [
    {
      name: 'client token',
      pattern: /(?<![A-Za-z0-9-])(?<secret>akab-[a-z0-9]{16}-[a-z0-9]{16})(?![A-Za-z0-9-])/,
      window: 400,
      entropy: 3,
    },
  ],
  severity: 'critical',
  examples: {
    match: [
      '[default]\nclient_secret = twpymtsI0fEKE1ZH2vVyMlNjBwEtmkIz3jm1pxPyOOR=\nhost = akab-a08n0e0l1dql6aka-1lcvcbgl2f6ciy8p.luna.akamaiapis.net\naccess_token = akab-7dgj5k0roumpn93v-i64v9wj8uvhmipht\nclient_token = akab-v001riwl0f2vgv27-o10z65uou8c5ndcx',
      'edgerc for the purge job: client_token=akab-dc0bdlfuzibbzchj-tivh2d0h2se8blmm client_secret=4VDOJzbYGrk4jIUHxQ05IbVozMGaLSo7X/F3G9B9ci/=',
    ],
    ignore: [
      '[default]\nclient_secret = <client-secret>\nclient_token = akab-v001riwl0f2vgv27-o10z65uou8c5ndcx',
      // a client secret without any Akamai token is some other OAuth client
      'GOOGLE_CLIENT_SECRET=4VDOJzbYGrk4jIUHxQ05IbVozMGaLSo7X/F3G9B9ci/=',
      'client_secret = twpymtsI0fEKE1ZH2vVyMlNjBwEtmkIz3jm1pxPyOOR= client_token = akab-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx',
    ],
  },
};

export const akamaiDetectors: readonly Detector[] = [akamaiEdgegridCredentials];
