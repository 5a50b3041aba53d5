import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { http, HttpResponse } from 'msw';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackEventStore } from '../integrations/slack/event-dedupe.ts';
import { SLACK_PATHS } from '../integrations/slack/hono-receiver.ts';
import { SLACK_FILE_QUEUE } from '../integrations/slack/message-events.ts';
import { createSlackApp } from '../integrations/slack/slack-app.ts';
import { createSlackClient, workspaceLookup } from '../integrations/slack/slack-client.ts';
import { loadSlackConfig } from '../integrations/slack/slack-config.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { SealedBox } from '../src/findings/sealed-box.ts';
import { createDocumentSink } from '../src/jobs/document-sink.ts';
import { startJobQueue } from '../src/jobs/job-queue.ts';
import { QUEUES } from '../src/jobs/queues.ts';
import { createLogger } from '../src/logger.ts';
import { anyString, deeplyNestedJson, fuzzRuns, garbageBody, hostileJson } from './fuzz-arbitraries.ts';
import { useMswServer } from './msw-server.ts';
import { createTestDatabase } from './test-database.ts';

// Hostile input on /slack/events, /slack/interactions and /slack/commands
// (HTTP mode, the real Bolt app with leakwatch's listeners, a real database
// and job queue). Unauthenticated requests get 401 and store nothing;
// authenticated garbage gets a 4xx (or an empty 200), never a 5xx.

const server = useMswServer();
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET })!;
const logger = createLogger({ level: process.env.FUZZ_LOG ? 'error' : 'silent' });

let database: DatabaseHandle & { drop(): Promise<void> };
let boss: PgBoss;
let routes: NonNullable<ReturnType<typeof createSlackApp>['routes']>;

const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=zz',
  'application/json; charset=latin1',
  '',
];

beforeAll(async () => {
  database = await createTestDatabase();
  boss = await startJobQueue(database, { supervise: false });
  await boss.createQueue(SLACK_FILE_QUEUE);
  const sink = createDocumentSink(boss, new SealedBox('fuzz-slack-transit-key-0123456789abcdef', 'transit'), () => {
    return new Date();
  });
  const bot = createSlackClient(config.botToken, config, logger);
  const workspace = workspaceLookup(bot);
  const storeEvent = createSlackEventStore({ db: database.db, sink, boss, logger, workspace, workspaceWaitMs: 50 });
  const slack = createSlackApp({ config, logger, storeEvent, workspace });
  routes = slack.routes!;
}, 120_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  await database?.drop();
});

function slackApi() {
  // Whatever a listener asks Slack, Slack says the request is not valid (hostile payloads name nothing real).
  server.use(
    http.post('https://slack.com/api/auth.test', () =>
      HttpResponse.json({ ok: true, url: 'https://acme.slack.com/', team_id: 'T0ACME0001', user_id: 'U0LEAKBOT1' }),
    ),
    http.all('https://slack.com/api/*', () => HttpResponse.json({ ok: false, error: 'invalid_arguments' })),
  );
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function sign(body: Uint8Array, timestamp: string, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(body).digest('hex')}`;
}

const bytes = (body: string | Uint8Array) => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

async function post(path: string, body: Uint8Array, headers: Headers): Promise<Response> {
  return routes.request(path, { method: 'POST', headers, body: body as NonNullable<RequestInit['body']> });
}

async function storedState(): Promise<string> {
  const events = await database.db.selectFrom('inbound_events').select('event_id').execute();
  const scans = await boss.findJobs(QUEUES.scan, {});
  const files = await boss.findJobs(SLACK_FILE_QUEUE, {});
  return JSON.stringify([events.length, scans.length, files.length]);
}

/** Forged, missing, malformed or duplicated signature and timestamp headers. */
const badSignature = fc.oneof(
  fc.record({ signature: fc.constant(undefined), timestamp: fc.constant(undefined) }),
  fc.record({ signature: anyString, timestamp: fc.constant('now') }),
  fc.record({ signature: fc.constant('sign-other-secret'), timestamp: fc.constant('now') }),
  fc.record({
    signature: fc.constant('sign'),
    timestamp: fc.oneof(
      anyString,
      fc.constantFrom('-1', '0', '1e10', '99999999999999999999', ' 1768471200', '0x69', '1768471200.5'),
    ),
  }),
  fc.record({ signature: fc.constant('duplicated'), timestamp: fc.constant('now') }),
);

function headerValue(value: string): string | undefined {
  // Header values cannot hold control characters or non-Latin-1; a client could not send them.
  return /^[\x20-\x7e]*$/.test(value) ? value : undefined;
}

describe('Slack endpoints under hostile input', () => {
  it('answers every unauthenticated request with 401 (413 when huge) and stores nothing', async () => {
    slackApi();
    const before = await storedState();
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SLACK_PATHS),
        garbageBody,
        fc.constantFrom(...CONTENT_TYPES),
        badSignature,
        async (path, rawBody, contentType, auth) => {
          cases++;
          const body = bytes(rawBody);
          const now = String(nowSeconds());
          const headers = new Headers();
          if (contentType) headers.set('content-type', contentType);
          const timestamp = auth.timestamp === 'now' ? now : auth.timestamp;
          if (timestamp !== undefined && headerValue(timestamp) !== undefined) {
            headers.set('x-slack-request-timestamp', timestamp);
          }
          if (auth.signature === 'sign') headers.set('x-slack-signature', sign(body, timestamp ?? now));
          else if (auth.signature === 'sign-other-secret') {
            headers.set('x-slack-signature', sign(body, now, 'another-signing-secret-0123456789ab'));
          } else if (auth.signature === 'duplicated') {
            // A valid signature sent twice (or next to a forged one) must not pass.
            headers.append('x-slack-signature', sign(body, now));
            headers.append('x-slack-signature', sign(body, now));
          } else if (auth.signature !== undefined && headerValue(auth.signature) !== undefined) {
            headers.set('x-slack-signature', auth.signature);
          }
          const response = await post(path, body, headers);
          // A signature over another timestamp format only passes when the timestamp is valid and fresh.
          const validFresh = auth.signature === 'sign' && timestamp !== undefined && timestamp === now;
          if (validFresh) return;
          expect(response.status, `${path} ${contentType} ${JSON.stringify(auth)}`).toBe(401);
          const answer = (await response.json()) as { error: { code: string; message: string } };
          expect(answer.error.code).toMatch(/^(signature_missing|timestamp_invalid|request_stale|signature_invalid)$/);
          expect(answer.error.message).not.toBe('');
        },
      ),
      fuzzRuns(300),
    );
    expect(cases).toBe(300);
    expect(await storedState()).toBe(before);
  });

  it('rejects a correctly signed request replayed outside the 5-minute window either way, storing nothing', async () => {
    slackApi();
    const before = await storedState();
    const envelope = JSON.stringify({
      type: 'event_callback',
      event_id: 'Ev0REPLAY01',
      team_id: 'T0ACME0001',
      event: { type: 'message', channel: 'C0GENERAL1', user: 'U0ALICE001', text: 'hi', ts: '1768471200.000100' },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SLACK_PATHS),
        fc.oneof(fc.integer({ min: 301, max: 10 ** 9 }), fc.integer({ min: -(10 ** 9), max: -301 })),
        async (path, offset) => {
          const timestamp = String(Math.max(0, nowSeconds() + offset));
          const body = bytes(envelope);
          const headers = new Headers({
            'content-type': 'application/json',
            'x-slack-request-timestamp': timestamp,
            'x-slack-signature': sign(body, timestamp),
          });
          const response = await post(path, body, headers);
          expect(response.status).toBe(401);
          expect(await response.json()).toMatchObject({ error: { code: expect.stringMatching(/stale|invalid/) } });
        },
      ),
      fuzzRuns(60),
    );
    expect(await storedState()).toBe(before);
  });

  it('answers correctly signed garbage (any body, any content type) with a 4xx or an empty 200, never a 5xx', async () => {
    slackApi();
    const statuses = new Map<number, number>();
    const envelopeLike = fc
      .record({
        type: fc.constantFrom('event_callback', 'url_verification', 'block_actions', 'view_submission', 'shortcut'),
        event_id: fc.oneof(anyString, fc.constant('Ev0FUZZ0001')),
        challenge: hostileJson,
        event: hostileJson,
        payload: hostileJson,
        command: fc.oneof(anyString, fc.constant('/leakwatch')),
        text: anyString,
        user_id: anyString,
        actions: hostileJson,
      })
      .map((o) => JSON.stringify(o));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SLACK_PATHS),
        fc.oneof(
          garbageBody,
          envelopeLike,
          envelopeLike.map((json) => `payload=${encodeURIComponent(json)}`),
        ),
        fc.constantFrom(...CONTENT_TYPES),
        async (path, rawBody, contentType) => {
          const body = bytes(rawBody);
          const timestamp = String(nowSeconds());
          const headers = new Headers({
            'x-slack-request-timestamp': timestamp,
            'x-slack-signature': sign(body, timestamp),
          });
          if (contentType) headers.set('content-type', contentType);
          const response = await post(path, body, headers);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(
            response.status,
            `${path} ${contentType} ${Buffer.from(body).toString('utf8').slice(0, 200)}`,
          ).toBeLessThan(500);
          if (response.status >= 400) {
            const answer = (await response.json()) as { error: { code: string; message: string } };
            expect(answer.error.message).not.toBe('');
          } else {
            await response.arrayBuffer();
          }
        },
      ),
      fuzzRuns(300),
    );
    console.info(`Slack signed garbage: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect([...statuses.keys()].some((s) => s === 400)).toBe(true);
  });

  it('answers signed events whose fields PostgreSQL cannot store, deep nesting and pollution keys without a 5xx', async () => {
    slackApi();
    const cases: Array<[string, unknown]> = [
      ['NUL in event_id', { type: 'event_callback', event_id: 'Ev\u0000', event: { type: 'message', text: 'x' } }],
      [
        'NUL in channel',
        {
          type: 'event_callback',
          event_id: 'Ev0NULCHAN1',
          event: { type: 'message', channel: 'C\u0000', user: 'U1', text: 'x', ts: '1768471200.000100' },
        },
      ],
      [
        'unpaired surrogate in user',
        {
          type: 'event_callback',
          event_id: 'Ev0SURROG01',
          event: { type: 'message', channel: 'C1', user: 'U\ud800', text: 'x', ts: '1768471200.000200' },
        },
      ],
      [
        'prototype pollution',
        JSON.parse(
          '{"type":"event_callback","event_id":"Ev0PROTO001","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"event":{"type":"message","channel":"C1","user":"U1","text":"x","ts":"1768471200.000300","__proto__":{"isAdmin":true}}}',
        ),
      ],
      ['huge numbers', { type: 'event_callback', event_id: 'Ev0NUMBERS1', event: { type: 'message', ts: 1e308 } }],
    ];
    for (const [what, payload] of cases) {
      const body = bytes(JSON.stringify(payload));
      const timestamp = String(nowSeconds());
      const response = await post(
        '/slack/events',
        body,
        new Headers({
          'content-type': 'application/json',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': sign(body, timestamp),
        }),
      );
      expect(response.status, what).toBeLessThan(500);
      await response.arrayBuffer();
    }
    for (const nested of [
      deeplyNestedJson(100_000),
      `{"type":"event_callback","event_id":"Ev0DEEP0001","event":${deeplyNestedJson(50_000, 'object')}}`,
    ]) {
      const body = bytes(nested);
      const timestamp = String(nowSeconds());
      const response = await post(
        '/slack/events',
        body,
        new Headers({
          'content-type': 'application/json',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': sign(body, timestamp),
        }),
      );
      expect(response.status).toBeLessThan(500);
      await response.arrayBuffer();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });
});
