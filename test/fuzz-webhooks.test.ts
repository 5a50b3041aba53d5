import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { Hono } from 'hono';
import { http, HttpResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { createConfluenceApi } from '../integrations/confluence/create-confluence-api.ts';
import {
  DC_URL,
  siteConfig,
  WEBHOOK_SECRET as CONFLUENCE_SECRET,
} from '../integrations/confluence/test-support/site-config.ts';
import { VersionLedger } from '../integrations/confluence/version-ledger.ts';
import { confluenceWebhookRoutes, WEBHOOK_PATH as CONFLUENCE_PATH } from '../integrations/confluence/webhook.ts';
import { createCloudClient } from '../integrations/jira/cloud-client.ts';
import { CLOUD_SITE } from '../integrations/jira/jira-fake-server.ts';
import { jiraTestConfig, WEBHOOK_SECRET as JIRA_SECRET } from '../integrations/jira/jira-test-kit.ts';
import { createIssueReader } from '../integrations/jira/issue-reader.ts';
import { jiraWebhookRoutes } from '../integrations/jira/webhook.ts';
import { TEAMS_QUEUES } from '../integrations/teams/teams-context.ts';
import { CLIENT_STATE, TEAM, CHANNEL, TENANT, useTeamsTestBed } from '../integrations/teams/teams-test-harness.ts';
import { teamsWebhookRoutes } from '../integrations/teams/webhook.ts';
import { Secret } from '../src/core/secret.ts';
import { anyString, fuzzRuns, garbageBody, hostileJson, mutatedObject } from './fuzz-arbitraries.ts';
import { useMswServer } from './msw-server.ts';

// Hostile input on the Jira (/webhooks/jira), Confluence Data Center
// (/webhooks/confluence) and Microsoft Teams (/webhooks/teams) receivers:
// forged or missing signatures and clientStates get 401 and change nothing;
// correctly signed garbage gets a 4xx (or a harmless 2xx), never a 5xx;
// deliveries outside each platform's replay window are refused.

const server = useMswServer();
const bed = useTeamsTestBed();
beforeEach(async () => {
  // Whatever the receivers look up gets "not found": hostile payloads name nothing real.
  server.use(
    http.get(`${CLOUD_SITE}/rest/api/3/field`, () => HttpResponse.json([])),
    http.all(`${CLOUD_SITE}/*`, () => HttpResponse.json({ errorMessages: ['not found'] }, { status: 404 })),
    http.all(`${DC_URL}/*`, () => HttpResponse.json({ message: 'not found' }, { status: 404 })),
  );
});

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const hmac = (secret: string, body: Uint8Array) => createHmac('sha256', secret).update(body).digest('hex');
const bytes = (body: string | Uint8Array) => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

/** Everything a rejected request could have changed: inbound events, jobs of every queue. */
async function storedState(): Promise<string> {
  const events = await bed.handle.db.selectFrom('inbound_events').select('event_id').execute();
  const jobs = await bed.handle.db
    .selectFrom('pgboss.job' as never)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst()
    .catch(() => ({ n: 'n/a' }));
  return JSON.stringify([events.length, jobs]);
}

async function jiraRoutes(): Promise<Hono> {
  const client = await createCloudClient(jiraTestConfig('cloud'));
  const reader = createIssueReader({
    client,
    db: bed.handle.db,
    logger: bed.context().logger,
    site: 'acme.atlassian.net',
    maxAttachmentBytes: 4096,
  });
  return jiraWebhookRoutes({
    secret: jiraTestConfig('cloud').webhookSecret!,
    site: 'acme.atlassian.net',
    projects: [],
    db: bed.handle.db,
    sink: bed.context().sink,
    logger: bed.context().logger,
    now: () => new Date(NOW),
    runtime: async () => ({ client, reader }),
  });
}

function confluenceRoutes(): Hono {
  const api = createConfluenceApi(siteConfig('datacenter'), { sleep: async () => {} });
  return confluenceWebhookRoutes({
    api,
    db: bed.handle.db,
    sink: bed.context().sink,
    ledger: new VersionLedger(api.host),
    logger: bed.context().logger,
    secret: new Secret(CONFLUENCE_SECRET, '[redacted]'),
    spaces: [],
    now: () => new Date(NOW),
  });
}

function teamsRoutes(): Hono {
  return teamsWebhookRoutes(bed.context(undefined, () => new Date(NOW)));
}

const post = (routes: Hono, path: string, body: Uint8Array, headers: Record<string, string>) =>
  routes.request(path, { method: 'POST', headers, body: body as NonNullable<RequestInit['body']> });

async function expectJsonError(response: Response, statuses: number[], what: string) {
  expect(statuses, `${what} → ${response.status}`).toContain(response.status);
  const answer = (await response.json()) as { error: { code: string; message: string } };
  expect(answer.error.code, what).toMatch(/^[a-z_]+$/);
  expect(answer.error.message, what).not.toBe('');
}

const badHubSignature = fc.oneof(
  fc.constant(undefined),
  anyString.filter((s) => /^[\x20-\x7e]*$/.test(s)),
  fc.constantFrom(
    'sha256=',
    `sha256=${'0'.repeat(64)}`,
    `sha256=${'g'.repeat(64)}`,
    'sha1=abc',
    `sha256=${'a'.repeat(63)}`,
  ),
  fc.constant('other-secret'),
);

const jiraPayload = fc.record({
  timestamp: fc.oneof(fc.constant(NOW - 1000), hostileJson),
  webhookEvent: fc.oneof(
    fc.constantFrom(
      'jira:issue_created',
      'jira:issue_updated',
      'jira:issue_deleted',
      'comment_created',
      'comment_deleted',
    ),
    anyString,
  ),
  issue: fc.oneof(
    fc.record({
      id: hostileJson,
      key: fc.oneof(fc.constantFrom('OPS-1', 'A-0', 'OPS-99999999999999999999'), anyString),
    }),
    hostileJson,
  ),
  comment: fc.oneof(
    mutatedObject({ id: '10001', body: 'hello', author: { accountId: 'abc', displayName: 'Dana' } }),
    hostileJson,
  ),
  user: hostileJson,
});

const confluencePayload = fc.record({
  timestamp: fc.oneof(fc.constant(NOW - 1000), hostileJson),
  event: fc.oneof(fc.constantFrom('page_updated', 'blog_created', 'comment_created', 'space_created'), anyString),
  page: fc.oneof(
    fc.record({ id: fc.oneof(fc.constantFrom(3001, '3001', '99999999999999999999999'), hostileJson) }),
    hostileJson,
  ),
  blog: hostileJson,
  comment: hostileJson,
});

/** The two properties every X-Hub-Signature webhook (Jira, Confluence Data Center) must hold. */
function hubSignedWebhookProperties(webhook: {
  name: string;
  path: string;
  secret: string;
  payload: fc.Arbitrary<unknown>;
  routes: () => Promise<Hono>;
}) {
  it('answers forged, missing or malformed X-Hub-Signature with 401 and changes nothing', async () => {
    const routes = await webhook.routes();
    const before = await storedState();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          garbageBody,
          webhook.payload.map((p) => JSON.stringify(p)),
        ),
        badHubSignature,
        async (raw, sig) => {
          const body = bytes(raw);
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (sig === 'other-secret') headers['x-hub-signature'] = `sha256=${hmac('another-secret-0123456789', body)}`;
          else if (sig !== undefined) headers['x-hub-signature'] = sig;
          const response = await post(routes, webhook.path, body, headers);
          await expectJsonError(response, [401], `${webhook.name} forged`);
        },
      ),
      fuzzRuns(200),
    );
    expect(await storedState()).toBe(before);
  });

  it('answers correctly signed garbage with a 4xx or a harmless 2xx, never a 5xx', async () => {
    const routes = await webhook.routes();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          garbageBody,
          webhook.payload.map((p) => JSON.stringify(p)),
        ),
        async (raw) => {
          const body = bytes(raw);
          const response = await post(routes, webhook.path, body, {
            'content-type': 'application/json',
            'x-hub-signature': `sha256=${hmac(webhook.secret, body)}`,
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 400)
            await expectJsonError(response, [400, 401, 413], `${webhook.name} signed garbage`);
          else await response.arrayBuffer();
        },
      ),
      fuzzRuns(250),
    );
    console.info(`${webhook.name} signed garbage: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(statuses.get(400)).toBeGreaterThan(0);
  });
}

describe('Jira webhook under hostile input', () => {
  hubSignedWebhookProperties({
    name: 'jira',
    path: '/webhooks/jira',
    secret: JIRA_SECRET,
    payload: jiraPayload,
    routes: jiraRoutes,
  });

  it('refuses a correctly signed delivery whose timestamp is outside the accepted window, storing nothing', async () => {
    const routes = await jiraRoutes();
    const before = await storedState();
    await fc.assert(
      fc.asyncProperty(
        // Jira retries for about 30 minutes: up to an hour old is accepted, 5 minutes of clock skew ahead.
        fc.oneof(
          fc.integer({ min: 60 * 60_000 + 1, max: 10 ** 12 }),
          fc.integer({ min: -(10 ** 12), max: -(5 * 60_000 + 1) }),
        ),
        async (age) => {
          const body = bytes(
            JSON.stringify({
              timestamp: NOW - age,
              webhookEvent: 'comment_deleted',
              issue: { key: 'OPS-1' },
              comment: { id: '1' },
            }),
          );
          const response = await post(routes, '/webhooks/jira', body, {
            'content-type': 'application/json',
            'x-hub-signature': `sha256=${hmac(JIRA_SECRET, body)}`,
          });
          await expectJsonError(response, [401], 'jira replay');
        },
      ),
      fuzzRuns(60),
    );
    expect(await storedState()).toBe(before);
  });
});

describe('signed deliveries carrying text PostgreSQL cannot store (NUL, unpaired surrogates)', () => {
  it('Jira: a 400 naming the field, nothing stored', async () => {
    const routes = await jiraRoutes();
    const before = await storedState();
    const comment = (author: Record<string, unknown>, id = '10001') => ({
      timestamp: NOW - 1000,
      webhookEvent: 'comment_created',
      issue: { id: '1', key: 'OPS-1', fields: { project: { key: 'OPS' } } },
      comment: { id, body: 'hello', author, created: '2026-11-20T11:59:00.000+0000' },
    });
    for (const payload of [
      comment({ accountId: 'abc', displayName: 'Dana\u0000' }),
      comment({ accountId: 'abc\ud800', displayName: 'Dana' }),
      comment({ accountId: 'abc' }, '1\u00000'),
    ]) {
      const body = bytes(JSON.stringify(payload));
      const response = await post(routes, '/webhooks/jira', body, {
        'content-type': 'application/json',
        'x-hub-signature': `sha256=${hmac(JIRA_SECRET, body)}`,
      });
      await expectJsonError(response, [400], 'jira unstorable');
    }
    expect(await storedState()).toBe(before);
  });

  it('Teams: a 400, nothing stored', async () => {
    const routes = teamsRoutes();
    const before = await storedState();
    const item = {
      subscriptionId: '9f9d1ed0-c9cc-42e7-8d80-a7fc4b0cda3c',
      changeType: 'created',
      tenantId: TENANT,
      clientState: CLIENT_STATE,
      subscriptionExpirationDateTime: new Date(NOW + 3600_000).toISOString(),
      resource: `teams('${TEAM}')/channels('${CHANNEL}')/messages('1768471200000')`,
    };
    for (const value of [
      [{ ...item, id: 'n\u0000' }],
      [{ ...item, id: 'n\ud800' }],
      [{ ...item, changeType: 'created\u0000' }],
      [{ ...item, resource: `teams('${TEAM}')/channels('${CHANNEL}')/messages('1\u00002')` }],
    ]) {
      const response = await post(routes, '/webhooks/teams', bytes(JSON.stringify({ value })), {
        'content-type': 'application/json',
      });
      await expectJsonError(response, [400], 'teams unstorable');
    }
    expect(await storedState()).toBe(before);
  });
});

describe('Confluence Data Center webhook under hostile input', () => {
  hubSignedWebhookProperties({
    name: 'confluence',
    path: CONFLUENCE_PATH,
    secret: CONFLUENCE_SECRET,
    payload: confluencePayload,
    routes: async () => confluenceRoutes(),
  });

  it('refuses a correctly signed delivery outside the 5-minute window either way, storing nothing', async () => {
    const routes = confluenceRoutes();
    const before = await storedState();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 5 * 60_000 + 1, max: 10 ** 12 }),
          fc.integer({ min: -(10 ** 12), max: -(5 * 60_000 + 1) }),
        ),
        async (age) => {
          const body = bytes(JSON.stringify({ timestamp: NOW - age, event: 'page_updated', page: { id: 3001 } }));
          const response = await post(routes, CONFLUENCE_PATH, body, {
            'content-type': 'application/json',
            'x-hub-signature': `sha256=${hmac(CONFLUENCE_SECRET, body)}`,
          });
          await expectJsonError(response, [400, 401], 'confluence replay');
          expect(response.status).toBeGreaterThanOrEqual(400);
        },
      ),
      fuzzRuns(60),
    );
    expect(await storedState()).toBe(before);
  });
});

describe('Teams change notifications under hostile input', () => {
  const resource = `teams('${TEAM}')/channels('${CHANNEL}')/messages('1768471200000')`;
  const notification = {
    subscriptionId: '9f9d1ed0-c9cc-42e7-8d80-a7fc4b0cda3c',
    changeType: 'created',
    tenantId: TENANT,
    clientState: CLIENT_STATE,
    subscriptionExpirationDateTime: new Date(NOW + 3600_000).toISOString(),
    resource,
  };

  it('answers a wrong or missing clientState with 401, and any malformed batch with 400, changing nothing', async () => {
    const routes = teamsRoutes();
    const before = await storedState();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          garbageBody,
          fc
            .array(
              mutatedObject(notification).map((n) => ({
                ...n,
                clientState: n.clientState === CLIENT_STATE ? `${CLIENT_STATE}x` : n.clientState,
              })),
              { minLength: 1, maxLength: 3 },
            )
            .map((value) => JSON.stringify({ value })),
          // One forged item in a batch of good ones rejects the whole batch.
          fc.constant(JSON.stringify({ value: [notification, { ...notification, clientState: 'forged' }] })),
        ),
        fc.constantFrom('/webhooks/teams', '/webhooks/teams/lifecycle'),
        async (raw, path) => {
          const response = await post(routes, path, bytes(raw), { 'content-type': 'application/json' });
          await expectJsonError(response, [400, 401, 413], 'teams forged');
        },
      ),
      fuzzRuns(250),
    );
    expect(await storedState()).toBe(before);
  });

  it('answers correct clientStates over hostile fields with a 4xx or a 202, never a 5xx', async () => {
    const routes = teamsRoutes();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          mutatedObject(notification).map((n) => ({ ...n, clientState: CLIENT_STATE })),
          { minLength: 1, maxLength: 3 },
        ),
        async (value) => {
          const response = await post(routes, '/webhooks/teams', bytes(JSON.stringify({ value })), {
            'content-type': 'application/json',
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 400) await expectJsonError(response, [400, 401], 'teams hostile fields');
          else expect(response.status).toBe(202);
        },
      ),
      fuzzRuns(200),
    );
    console.info(`Teams hostile fields: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(statuses.get(202)).toBeGreaterThan(0);
  });

  it('refuses notifications of subscriptions that expired more than 4 hours ago (replays), storing nothing', async () => {
    const routes = teamsRoutes();
    const before = await storedState();
    for (const hours of [4.01, 24, 24 * 365]) {
      const stale = {
        ...notification,
        id: `n-${hours}`,
        subscriptionExpirationDateTime: new Date(NOW - hours * 3600_000).toISOString(),
      };
      const response = await post(routes, '/webhooks/teams', bytes(JSON.stringify({ value: [stale] })), {
        'content-type': 'application/json',
      });
      await expectJsonError(response, [400], 'teams replay');
    }
    expect(await storedState()).toBe(before);
    expect(await bed.jobs(TEAMS_QUEUES.fetch)).toEqual([]);
  });

  it('echoes a validationToken only as inert text/plain, refuses huge or empty ones, and never reflects markup as HTML', async () => {
    const routes = teamsRoutes();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constantFrom(
            '<script>alert(document.cookie)</script>',
            '"><svg onload=alert(1)>',
            'Validation: token\r\nContent-Type: text/html\r\n\r\n<b>x</b>',
            '%0d%0aSet-Cookie:%20a=b',
          ),
          // A URL cannot carry an unpaired surrogate: clients send U+FFFD instead.
          anyString.map((s) => s.toWellFormed()).filter((s) => s.length > 0 && s.length <= 2048),
        ),
        async (token) => {
          const response = await routes.request(`/webhooks/teams?validationToken=${encodeURIComponent(token)}`, {
            method: 'POST',
          });
          expect(response.status).toBe(200);
          expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
          expect(response.headers.get('x-content-type-options')).toBe('nosniff');
          expect(response.headers.get('set-cookie')).toBeNull();
          const echoed = await response.text();
          // The token comes back as it was sent (URL-decoded, as Graph expects), never as markup.
          expect(echoed).toBe(new URLSearchParams(`v=${encodeURIComponent(token)}`).get('v'));
        },
      ),
      fuzzRuns(100),
    );
    for (const token of ['', 'a'.repeat(2049), 'a'.repeat(1_000_000)]) {
      const response = await routes.request(`/webhooks/teams?validationToken=${token}`, { method: 'POST' });
      await expectJsonError(response, [400], 'teams validationToken');
    }
  });
});
