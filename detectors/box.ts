import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Access and developer tokens: 32 alphanumerics next to a Box name. Developer
 * tokens expire after 60 minutes; access tokens of service accounts can reach
 * every file the app user owns.
 */
export const boxAccessToken: Detector = {
  id: 'box-access-token',
  name: 'Box access / developer token',
  issuer: 'box',
  keywords: ['box'],
  pattern:
    /\bbox[\w. -]{0,20}?(?:developer|access|api)[ _.-]{0,3}token[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'medium',
  // GET /2.0/users/me returns the token's user.
  verify: httpVerifier({
    hosts: ['api.box.com'],
    request: (secret) => ({
      url: 'https://api.box.com/2.0/users/me',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const login = field(response.body, 'login');
      return login === undefined ? undefined : { account: login };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          type: 'user',
          id: '11446498',
          name: 'Records bot',
          login: 'AutomationUser_1190@boxdevedition.com',
          status: 'active',
        },
      },
      dead: { status: 401, headers: { 'www-authenticate': 'Bearer realm="Service", error="invalid_token"' }, body: '' },
    },
  }),
  examples: {
    match: [
      'BOX_DEVELOPER_TOKEN=hJU3JJFJicUO2NHir32z1aIYY2BF6GXV python upload.py',
      'box api token: 5sUJQN8Pd6uiRDFNJzcV60UwEWncOMoN (expires in an hour)',
    ],
    ignore: [
      'BOX_DEVELOPER_TOKEN=<developer token>',
      'BOX_DEVELOPER_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'the checkbox access token field was removed',
    ],
  },
};

/** OAuth / JWT app client secrets: 32 alphanumerics next to a Box name. */
export const boxClientSecret: Detector = {
  id: 'box-client-secret',
  name: 'Box app client secret',
  issuer: 'box',
  keywords: ['box'],
  pattern:
    /\bbox[\w. -]{0,20}?client[ _.-]{0,3}secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'BOX_CLIENT_ID=qw8tx1yhq0b7pl9k3m2n5r4s6v8z0c2d\nBOX_CLIENT_SECRET=4LzXmjRSLCFte6c0sHuxhQcVPdyCzJty',
      '{ "boxAppSettings": { "clientID": "qw8tx1yhq0b7pl9k3m2n5r4s6v8z0c2d", "box_client_secret": "hJU3JJFJicUO2NHir32z1aIYY2BF6GXV" } }',
    ],
    ignore: [
      'BOX_CLIENT_SECRET=${BOX_CLIENT_SECRET}',
      'BOX_CLIENT_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'sandbox client secret rotation done',
    ],
  },
};

export const boxDetectors: readonly Detector[] = [boxAccessToken, boxClientSecret];
