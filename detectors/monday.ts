import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/** The payload of a monday.com API token is `{"tid":…,"uid":…,"per":"me:write",…}`. */
function isMondayPayload(token: string): boolean {
  const payload = token.split('.')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof claims['tid'] === 'number' && typeof claims['uid'] === 'number';
  } catch {
    return false;
  }
}

/**
 * Personal API tokens: an HS256 JWT whose payload starts `{"tid":` (base64
 * `eyJ0aWQiOj`). They act as the user in every board they can see.
 */
export const mondayApiToken: Detector = {
  id: 'monday-api-token',
  name: 'monday.com API token',
  issuer: 'monday',
  keywords: ['eyJ0aWQiOj'],
  pattern:
    /(?<![A-Za-z0-9_.-])(?<secret>eyJhbGciOiJIUzI1NiJ9\.eyJ0aWQiOj[A-Za-z0-9_-]{40,400}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_.-])/,
  validate: isMondayPayload,
  severity: 'high',
  // POST /v2 with `{ me { id } }`: a read-only GraphQL whoami query.
  verify: httpVerifier({
    hosts: ['api.monday.com'],
    request: (secret) => ({
      method: 'POST',
      url: 'https://api.monday.com/v2',
      headers: { authorization: secret, 'content-type': 'application/json' },
      body: '{"query":"{ me { id email } }"}',
    }),
    confirm: (response) => field(response.body, 'data', 'me', 'id') !== undefined,
    facts: (response) => {
      const email = field(response.body, 'data', 'me', 'email');
      return email === undefined ? undefined : { account: email };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { data: { me: { id: '52418830', email: 'ops@corp.internal' } }, account_id: 20911874 },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { errors: [{ message: 'Not Authenticated' }] },
      },
    },
  }),
  examples: {
    match: [
      'MONDAY_API_TOKEN=eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOjQxODI3NDY1MSwiYWFpIjoxMSwidWlkIjo1MjQxODgzMCwiaWFkIjoiMjAyNC0wOS0xMlQwODoxNDo1MS4wMDBaIiwicGVyIjoibWU6d3JpdGUiLCJhY3RpZCI6MjA5MTE4NzQsInJnbiI6InVzZTEifQ.xk8TIvMFrhqlSfSR1KjaOL8_1jbF2OftccZ3vTEujPU',
      'curl -X POST https://api.monday.com/v2 -H "Authorization: eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOjM5MDAxMTI0NSwiYWFpIjoxMSwidWlkIjo2MTIzMzkwNywiaWFkIjoiMjAyNC0wNi0wM1QxMzowMjoxMS4xMjBaIiwicGVyIjoibWU6d3JpdGUiLCJhY3RpZCI6MTc3MzM5MjEsInJnbiI6ImV1YzEifQ.LBHuTraNtBAduVRlt67dMv6RTl3cxkhsK_3YSxMfHeA"',
    ],
    ignore: [
      // signature missing
      'eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOjQxODI3NDY1MSwiYWFpIjoxMSwidWlkIjo1MjQxODgzMCwiaWFkIjoiMjAyNC0wOS0xMlQwODoxNDo1MS4wMDBaIn0',
      // payload is not a monday token ({"tid":"abc"} with no uid)
      'eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJhYmMiLCJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.xk8TIvMFrhqlSfSR1KjaOL8_1jbF2OftccZ3vTEujPU',
      'MONDAY_API_TOKEN=eyJhbGciOiJIUzI1NiJ9...',
    ],
  },
};

export const mondayDetectors: readonly Detector[] = [mondayApiToken];
