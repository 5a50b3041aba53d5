import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Aiven API tokens: ~372 base64 characters, sent as `Authorization: aivenv1 <token>`. */
export const aivenApiToken: Detector = {
  id: 'aiven-api-token',
  name: 'Aiven API token',
  issuer: 'aiven',
  keywords: ['aiven'],
  pattern: new RegExp(
    `(?:\\baivenv1\\s{1,3}|aiven(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|auth|access|cli)[_.\\s-]{0,2}){0,2}(?:token|key)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?)(?<secret>[A-Za-z0-9+/]{300,400}={0,2})(?![A-Za-z0-9+/=])`,
    'i',
  ),
  window: { after: 520 },
  entropy: 5,
  severity: 'critical',
  // `GET /v1/me`: Aiven's "current user" call.
  verify: httpVerifier({
    hosts: ['api.aiven.io'],
    request: (secret) => ({
      url: 'https://api.aiven.io/v1/me',
      headers: { authorization: secretText`aivenv1 ${secret}` },
    }),
    confirm: (response) => field(response.body, 'user', 'user') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'user', 'user');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          user: {
            user: 'data-platform@northwind.io',
            real_name: 'Data Platform',
            state: 'active',
            projects: ['northwind-prod', 'northwind-staging'],
            auth: ['password', 'saml'],
          },
        },
      },
      dead: { status: 403, body: { message: 'Invalid token', errors: [{ message: 'Invalid token', status: 403 }] } },
    },
  }),
  examples: {
    match: [
      'AIVEN_API_TOKEN="KpFQXzsEA597/zA3eym5L/E4bt9U24Nv+9igID1ej7pRBq8Od9YDRwN4n51on2cKo0dDdgJHL5S1c1ZZOFi5ApqF7TkSBirSnTG3c2ht2W75Uu4ZA5jgzJN63uuyXvP9/PWAN3bxlgG0U3IllkXydGdCDSIr6oaN8vi4h4ALdIC6ZXlafOC45x1UQlxFO8pVYZTFdYYkAGdeavKCgO8HRMJJCir+KFtjFUB8tOzyZPQSx4I7NYF4s0MJLyGTUgTyYrZ2BAoPtt4fmYMBfcFBYGmrR5AWha0ew30mQnf/RDGFrlANUuc9USXPjW7OFItteKyw8IereOlt7DwlFXUcNfYTLuXQaXJcYCJeMPoypVH8dZhf1E=="',
      'curl -H "Authorization: aivenv1 KpFQXzsEA597/zA3eym5L/E4bt9U24Nv+9igID1ej7pRBq8Od9YDRwN4n51on2cKo0dDdgJHL5S1c1ZZOFi5ApqF7TkSBirSnTG3c2ht2W75Uu4ZA5jgzJN63uuyXvP9/PWAN3bxlgG0U3IllkXydGdCDSIr6oaN8vi4h4ALdIC6ZXlafOC45x1UQlxFO8pVYZTFdYYkAGdeavKCgO8HRMJJCir+KFtjFUB8tOzyZPQSx4I7NYF4s0MJLyGTUgTyYrZ2BAoPtt4fmYMBfcFBYGmrR5AWha0ew30mQnf/RDGFrlANUuc9USXPjW7OFItteKyw8IereOlt7DwlFXUcNfYTLuXQaXJcYCJeMPoypVH8dZhf1E==" https://api.aiven.io/v1/project',
    ],
    ignore: [
      'AIVEN_API_TOKEN="${AIVEN_TOKEN}"',
      'Authorization: aivenv1 <token>',
      // the token without an Aiven label
      'token="KpFQXzsEA597/zA3eym5L/E4bt9U24Nv+9igID1ej7pRBq8Od9YDRwN4n51on2cKo0dDdgJHL5S1c1ZZOFi5ApqF7TkSBirSnTG3c2ht2W75Uu4ZA5jgzJN63uuyXvP9/PWAN3bxlgG0U3IllkXydGdCDSIr6oaN8vi4h4ALdIC6ZXlafOC45x1UQlxFO8pVYZTFdYYkAGdeavKCgO8HRMJJCir+KFtjFUB8tOzyZPQSx4I7NYF4s0MJLyGTUgTyYrZ2BAoPtt4fmYMBfcFBYGmrR5AWha0ew30mQnf/RDGFrlANUuc9USXPjW7OFItteKyw8IereOlt7DwlFXUcNfYTLuXQaXJcYCJeMPoypVH8dZhf1E=="',
    ],
  },
};

export const aivenDetectors: readonly Detector[] = [aivenApiToken];
