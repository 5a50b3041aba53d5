import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Personal access tokens: `pat` + 14-char token id + `.` + 64 hex. (Legacy
 * `key…` API keys stopped working in February 2024 and are not reported.)
 */
export const airtablePersonalAccessToken: Detector = {
  id: 'airtable-personal-access-token',
  name: 'Airtable personal access token',
  issuer: 'airtable',
  keywords: ['pat'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>pat[A-Za-z0-9]{14}\.[0-9a-f]{64})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
  // GET /v0/meta/whoami returns the token's user id and scopes.
  verify: httpVerifier({
    hosts: ['api.airtable.com'],
    request: (secret) => ({
      url: 'https://api.airtable.com/v0/meta/whoami',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const user = field(response.body, 'id');
      const scopes = (response.body as { scopes?: unknown } | null)?.scopes;
      return {
        ...(user === undefined ? {} : { account: user }),
        ...(Array.isArray(scopes) ? { scopes: scopes.filter((s): s is string => typeof s === 'string') } : {}),
      };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { id: 'usrL2PNC5o3H4lBEi', scopes: ['data.records:read', 'data.records:write', 'schema.bases:read'] },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { error: { type: 'AUTHENTICATION_REQUIRED', message: 'Authentication required' } },
      },
    },
  }),
  examples: {
    match: [
      'AIRTABLE_TOKEN=patHx33Da9Pm7DltV.c09d5b92063fd20ef6d9a887bec0203ed32a38dff273f1a885b3a41b6ab34e82',
      'curl "https://api.airtable.com/v0/appXyZ/Tasks" -H "Authorization: Bearer patbPkMwTk4kchmQP.62c105725d1bcc1bac52802230ca237856b1d9af59cb1f76de855101b5450870"',
    ],
    ignore: [
      'AIRTABLE_TOKEN=patXXXXXXXXXXXXXX.XXXXXXXX',
      // token id only (as listed in the developer hub)
      'revoked patHx33Da9Pm7DltV yesterday',
      'const pattern = path.join(patternDir, "x.0000000000000000000000000000000000000000000000000000000000000000")',
    ],
  },
};

export const airtableDetectors: readonly Detector[] = [airtablePersonalAccessToken];
