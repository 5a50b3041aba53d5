import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { jsonBody, secretText } from '../src/verification/sensitive.ts';

/**
 * Expo (EAS) access tokens: 40 base64url characters, prefix-less, so `EXPO`
 * or `EAS` must be nearby (as a word of its own, so `export` does not count).
 * They can publish over-the-air updates to shipped apps.
 */
export const expoAccessToken: Detector = {
  id: 'expo-access-token',
  name: 'Expo access token',
  issuer: 'expo',
  keywords: ['expo', 'eas'],
  pattern:
    /(?<![a-z])(?:expo|eas)(?![a-z])[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9_-]{40})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'critical',
  // GraphQL `meActor` query: the "who am I" of Expo's API (a POST read, as eas-cli does).
  verify: httpVerifier({
    hosts: ['api.expo.dev'],
    request: (secret) => ({
      method: 'POST',
      url: 'https://api.expo.dev/graphql',
      headers: { authorization: secretText`Bearer ${secret}`, 'content-type': 'application/json' },
      body: jsonBody({ query: '{ meActor { __typename id } }' }),
    }),
    confirm: (r) => (field(r.body, 'data', 'meActor', 'id') ? true : 'dead'),
    facts: (r) => {
      const kind = field(r.body, 'data', 'meActor', '__typename');
      return kind ? { details: { actor: kind } } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: { data: { meActor: { __typename: 'Robot', id: '4b2e6f1a-9c3d-4e5f-8a7b-1c2d3e4f5a6b' } } },
      },
      dead: {
        status: 401,
        body: { errors: [{ message: 'Unauthorized', extensions: { errorCode: 'UNAUTHORIZED_ERROR' } }], data: null },
      },
    },
  }),
  examples: {
    match: [
      'export EXPO_TOKEN="2OQCrDEUUnsa66UWFFrByVmXOCldRZXREmC91CCH"',
      'eas robot token for builds: WnFW-FpQbBFMbw8hAsCiLZSqKTe8ruHD-2uMvGQa',
    ],
    ignore: [
      'export EXPO_TOKEN=your-expo-token',
      // `export` of something unrelated
      'export SENTRY_RELEASE=2OQCrDEUUnsa66UWFFrByVmXOCldRZXREmC91CCH',
      'EXPO_TOKEN="$EXPO_TOKEN" eas whoami',
    ],
  },
};

export const expoDetectors: readonly Detector[] = [expoAccessToken];
