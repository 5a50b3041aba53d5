import type { Detector } from '../src/core/detector.ts';
import type { Verifier } from '../src/core/verification.ts';
import type { Secret } from '../src/core/secret.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * tokens.md #49: `GET https://api.machines.dev/v1/apps?org_slug=` lists apps; with the empty
 * org slug a valid token gets 400 (missing org) and an invalid one 401. Nothing is changed.
 */
function machinesVerifier(authorization: (secret: Secret) => Secret): Verifier {
  return httpVerifier({
    hosts: ['api.machines.dev'],
    request: (secret) => ({
      url: 'https://api.machines.dev/v1/apps?org_slug=',
      headers: { authorization: authorization(secret) },
    }),
    liveStatus: [200, 400],
    deadStatus: [401],
    confirm: (response) => {
      if (response.status === 200) return true;
      const error = (response.body as { error?: unknown } | null)?.error;
      return typeof error === 'string' && /org/i.test(error);
    },
    fixtures: {
      live: { status: 400, body: { error: 'org_slug is required' } },
      dead: { status: 401, body: { error: 'token validation error' } },
    },
  });
}

export const flyIoMacaroonToken: Detector = {
  id: 'fly-io-macaroon-token',
  name: 'Fly.io macaroon token (FlyV1 fm1/fm2)',
  issuer: 'fly-io',
  keywords: ['fm2_', 'fm1r_', 'fm1a_'],
  // One or more comma-separated macaroons; `FlyV1 ` is the auth scheme, not part of the token.
  pattern:
    /(?<![A-Za-z0-9+/=_-])(?<secret>(?:fm2|fm1[ar])_[A-Za-z0-9+/=_-]{60,3000}(?:,(?:fm2|fm1[ar])_[A-Za-z0-9+/=_-]{20,3000}){0,5})(?![A-Za-z0-9+/=_-])/,
  window: { before: 16, after: 8000 },
  entropy: 4,
  severity: 'critical',
  verify: machinesVerifier((secret) => secretText`FlyV1 ${secret}`),
  examples: {
    match: [
      'FLY_API_TOKEN="FlyV1 fm2_oWcHzeKQzogN7D/3jM+1NjRfW9CzeaLERGbbe+/qol0EdN1GdUMTZCjocsikDlKTCAB5xR5dDYF+5u3Sk/4nqb/KBVGamRd//4SVlOLES0JGLj7tRWe2ZTxjUsWwPw2lm280STybBQmw+PH2sqFYcP7Jrw1uBXt+uHpgJhAbiLQ63nj52Oqq==,fm2_SEOClsanYglzNFOrz3lOp2uN9IdHE/9KFKrwtZY/Tl5xoGRkVY0WYWeD6Gfx0cEVX1JJKX0Rvac18/hHsulEcwjYxKmb4Q6BR37dPzfvij86qa1XYaMz2Dbv="',
      'deploy token from `fly tokens create deploy`: fm2_RoQpLMnBF4CmXwtcZLSv7nhd+Vof+HF/8X6+XxyJC28MIiF9n7v8hy70NdhsAePhlqYw8SvrGv2x+2m0azI2yTBt9Fo/XCM2Vjdqi8Y72pHox8dqfIqmylKCF0lcq4ThABPLiT42nnhay0K5LKUudnnTjL32jV01o2zRA1QTJcSUJ7SRLOvO==',
    ],
    ignore: [
      'FLY_API_TOKEN="FlyV1 fm2_..."',
      'FLY_API_TOKEN="FlyV1 fm2_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
      'tokens look like FlyV1 fm2_ followed by base64',
    ],
  },
};

export const flyIoAccessToken: Detector = {
  id: 'fly-io-access-token',
  name: 'Fly.io access token (legacy fo1_)',
  issuer: 'fly-io',
  keywords: ['fo1_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>fo1_[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  entropy: 3.8,
  severity: 'critical',
  verify: machinesVerifier((secret) => secretText`Bearer ${secret}`),
  examples: {
    match: [
      'FLY_ACCESS_TOKEN=fo1_c6CvixN5o0dvd6xvIt_PWyKB3FOqvDC50pxicL9z8dL',
      'flyctl auth token printed fo1_HO6_rhNoPeBbuZt3hygkg5A2VEfgmx606lmuuJ1yRbB, I pasted it into the GitHub secret',
    ],
    ignore: [
      'FLY_ACCESS_TOKEN=fo1_<token>',
      'FLY_ACCESS_TOKEN=fo1_c6CvixN5o0dvd6xvIt_PWyKB3FOqv',
      'FLY_ACCESS_TOKEN=fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const flyIoDetectors: readonly Detector[] = [flyIoMacaroonToken, flyIoAccessToken];
