import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/**
 * Access tokens: base64 of `tok:<uuid with underscores>:1:0`, so they start
 * `dG9rO`. They read and write every conversation, contact and admin setting
 * the app was granted.
 */
export const intercomAccessToken: Detector = {
  id: 'intercom-access-token',
  name: 'Intercom access token',
  issuer: 'intercom',
  keywords: ['dG9rO'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>dG9rO[A-Za-z0-9+/]{40,80}={0,2})(?![A-Za-z0-9+/=])/,
  validate: (secret) =>
    /^tok:[0-9a-f_-]{20,64}:\d{1,3}:\d{1,3}$/.test(Buffer.from(secret, 'base64').toString('latin1')),
  severity: 'high',
  // GET /me returns the admin behind the token; US, EU and AU workspaces have their own hosts.
  verify: inRegions(
    ['api.intercom.io', 'api.eu.intercom.io', 'api.au.intercom.io'].map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({
          url: `https://${host}/me`,
          headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
        }),
        facts: (response) => {
          const app = field(response.body, 'app', 'name');
          return app === undefined ? undefined : { account: app };
        },
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: {
              type: 'admin',
              id: '5017690',
              email: 'support@corp.internal',
              app: { type: 'app', id_code: 'abc123de', name: 'Acme' },
            },
          },
          dead: {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: { type: 'error.list', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] },
          },
        },
      }),
    ),
  ),
  examples: {
    match: [
      "const client = new Intercom.Client({ token: 'dG9rOjI3NzU3NmE3XzBkMDdfNDMxNl9iZjg4X2E3MDc3NWNmZGE0ZDoxOjA=' });",
      'INTERCOM_ACCESS_TOKEN=dG9rOjA3MmIzZWZkXzI2ZmVfNGQyN19hYjdlX2MxODU3YWNiYmIwNzoxOjA= rake intercom:sync',
    ],
    ignore: [
      'your access token looks like dG9rOjE...',
      // base64 of something else that happens to start with "tok:"
      'dG9rOmVuIGlzIGEgd29yZCBpbiB0b2tpcGFuYSBhbmQgbm90IGEgc2VjcmV0IGF0IGFsbA==',
      'INTERCOM_ACCESS_TOKEN=dG9rOjI3NzU3NmE3XzBkMDdfNDMx',
    ],
  },
};

export const intercomDetectors: readonly Detector[] = [intercomAccessToken];
