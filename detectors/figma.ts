import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** Personal access tokens: `figd_` + ~40 base64url characters; read (and with scopes, write) the user's files. */
export const figmaPersonalAccessToken: Detector = {
  id: 'figma-personal-access-token',
  name: 'Figma personal access token',
  issuer: 'figma',
  keywords: ['figd_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>figd_[A-Za-z0-9_-]{38,44})(?![A-Za-z0-9_-])/,
  entropy: 4,
  severity: 'high',
  // GET /v1/me returns the token's user; Figma answers an invalid token with 403 "Invalid token".
  verify: httpVerifier({
    hosts: ['api.figma.com'],
    request: (secret) => ({ url: 'https://api.figma.com/v1/me', headers: { 'x-figma-token': secret } }),
    facts: (response) => {
      const email = field(response.body, 'email');
      return email === undefined ? undefined : { account: email };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          id: '1187234455667788990',
          email: 'design-bot@corp.internal',
          handle: 'Design bot',
          img_url: 'https://s3-alpha.figma.com/profile/x',
        },
      },
      dead: {
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: { status: 403, err: 'Invalid token' },
      },
    },
  }),
  examples: {
    match: [
      'FIGMA_TOKEN=figd_H4do2X_dBQUUNXWEJtGN1zANLdAO5ccElv9OrAOQ npm run export-icons',
      'curl -H "X-Figma-Token: figd_7atA5iI8kdmQsJwBkrOLMxs4vzP1P_r5rFwcx-o-" https://api.figma.com/v1/files/AbCdEf',
    ],
    ignore: [
      'FIGMA_TOKEN=figd_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'FIGMA_TOKEN=figd_H4do2X_dBQUUNXWEJ',
      'tokens now start with figd_ (older ones were UUID-like)',
    ],
  },
};

export const figmaDetectors: readonly Detector[] = [figmaPersonalAccessToken];
