import { createHmac } from 'node:crypto';
import { App } from '@slack/bolt';
import { http, HttpResponse } from 'msw';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSink } from '../../src/core/integration.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { SealedBox } from '../../src/findings/sealed-box.ts';
import { createDocumentSink } from '../../src/jobs/document-sink.ts';
import { startJobQueue } from '../../src/jobs/job-queue.ts';
import { QUEUES, type ScanJob } from '../../src/jobs/queues.ts';
import { createLogger } from '../../src/logger.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { createSlackEventStore } from './event-dedupe.ts';
import { HonoReceiver, verifySlackSignature } from './hono-receiver.ts';
import { handleSlackFileJob, SLACK_FILE_QUEUE, type SlackFileJob } from './message-events.ts';
import { createSlackApp } from './slack-app.ts';
import { createSlackClient, toSlackLogger, workspaceLookup } from './slack-client.ts';
import { loadSlackConfig, type SlackConfig } from './slack-config.ts';

const server = useMswServer();
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const GITHUB_TOKEN = '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';
const TRANSIT_KEY = 'slack-receiver-test-transit-key-0123456789abcdef';

const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET })!;
const transit = new SealedBox(TRANSIT_KEY, 'transit');
const logs: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
const authTestCalls: string[] = [];

let database: DatabaseHandle & { drop(): Promise<void> };
let boss: PgBoss;
let sink: DocumentSink;

function slackApiHandlers() {
  return [
    http.post('https://slack.com/api/auth.test', ({ request }) => {
      authTestCalls.push(request.headers.get('authorization') ?? '');
      return HttpResponse.json({
        ok: true,
        url: 'https://acme.slack.com/',
        team: 'Acme',
        user: 'leakwatch',
        team_id: 'T0ACME0001',
        user_id: 'U0LEAKBOT1',
        bot_id: 'B0LEAKBOT1',
        is_enterprise_install: false,
      });
    }),
  ];
}

function buildReceiver(options: { sink?: DocumentSink; config?: SlackConfig } = {}) {
  const cfg = options.config ?? config;
  const bot = createSlackClient(cfg.botToken, cfg, logger);
  const workspace = workspaceLookup(bot);
  const storeEvent = createSlackEventStore({ db: database.db, sink: options.sink ?? sink, boss, logger, workspace });
  return createSlackApp({ config: cfg, logger, storeEvent, workspace });
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function signedRequest(
  body: string,
  options: { timestamp?: number; secret?: string; contentType?: string; headers?: Record<string, string> } = {},
): RequestInit {
  const timestamp = options.timestamp ?? nowSeconds();
  const signature = `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
    .update(`v0:${timestamp}:${body}`)
    .digest('hex')}`;
  return {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...options.headers,
    },
    body,
  };
}

/** An Events API envelope as Slack sends it. */
function envelope(eventId: string, event: Record<string, unknown>) {
  return {
    token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
    team_id: 'T0ACME0001',
    api_app_id: 'A0LEAKWTCH',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: 1768471200,
    authorizations: [
      { enterprise_id: null, team_id: 'T0ACME0001', user_id: 'U0LEAKBOT1', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: '4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMEFDTUUwMDAxIn0',
  };
}

function messageEvent(ts: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    channel: 'C0GENERAL1',
    user: 'U0ALICE001',
    text,
    ts,
    event_ts: ts,
    channel_type: 'channel',
    team: 'T0ACME0001',
    client_msg_id: '6f1c2a8e-3d2b-4c1e-9f0a-1b2c3d4e5f60',
    blocks: [
      {
        type: 'rich_text',
        block_id: 'Xy1',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
      },
    ],
    ...extra,
  };
}

async function scanJobs(): Promise<ScanJob[]> {
  const jobs = await boss.findJobs<ScanJob>(QUEUES.scan, {});
  return jobs.map((j) => j.data);
}

async function storedEventIds(): Promise<string[]> {
  const rows = await database.db
    .selectFrom('inbound_events')
    .select('event_id')
    .where('platform', '=', 'slack')
    .execute();
  return rows.map((r) => r.event_id);
}

beforeAll(async () => {
  database = await createTestDatabase();
  boss = await startJobQueue(database, { supervise: false });
  await boss.createQueue(SLACK_FILE_QUEUE);
  sink = createDocumentSink(boss, transit, () => new Date());
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  await database?.drop();
});

describe('verifySlackSignature', () => {
  const body = new TextEncoder().encode('{"type":"event_callback"}');
  const sign = (ts: string, secret = SIGNING_SECRET) =>
    `v0=${createHmac('sha256', secret).update(`v0:${ts}:`).update(body).digest('hex')}`;
  const check = (signature: string | undefined, timestamp: string | undefined, nowSeconds = 1_768_471_200) =>
    verifySlackSignature({ signingSecret: SIGNING_SECRET, rawBody: body, signature, timestamp, nowSeconds });

  it('accepts a signature made with the signing secret within five minutes either way', () => {
    expect(check(sign('1768471200'), '1768471200')).toEqual({ ok: true });
    expect(check(sign('1768470900'), '1768470900')).toEqual({ ok: true });
    expect(check(sign('1768471500'), '1768471500')).toEqual({ ok: true });
  });

  it('rejects stale or future timestamps, other secrets, other bodies and missing headers', () => {
    expect(check(sign('1768470899'), '1768470899')).toMatchObject({ ok: false, code: 'request_stale' });
    expect(check(sign('1768471501'), '1768471501')).toMatchObject({ ok: false, code: 'request_stale' });
    expect(check(sign('1768471200', 'another-secret-0123456789abcdef'), '1768471200')).toMatchObject({
      ok: false,
      code: 'signature_invalid',
    });
    expect(check(sign('1768471200'), '1768471201')).toMatchObject({ ok: false, code: 'signature_invalid' });
    expect(check('v0=abc', '1768471200')).toMatchObject({ ok: false, code: 'signature_invalid' });
    expect(check(undefined, '1768471200')).toMatchObject({ ok: false, code: 'signature_missing' });
    expect(check(sign('1768471200'), '1768471200.5')).toMatchObject({ ok: false, code: 'timestamp_invalid' });
  });
});

describe('Slack events through the Hono receiver (signed requests, real database and job queue)', () => {
  it('answers url_verification with the challenge', async () => {
    const { routes } = buildReceiver();
    const body = JSON.stringify({
      token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const response = await routes!.request('/slack/events', signedRequest(body));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('stores a signed message with a GitHub token as a scan job before answering, once per event_id', async () => {
    server.use(...slackApiHandlers());
    const { routes } = buildReceiver();
    const before = (await scanJobs()).length;
    const body = JSON.stringify(
      envelope('Ev0MSG00001', messageEvent('1768471200.000100', `CI token: ${GITHUB_TOKEN} (temporary)`)),
    );

    const response = await routes!.request('/slack/events', signedRequest(body));
    expect(response.status).toBe(200);
    // Stored before the answer: the job is there the moment the response is.
    const jobs = await scanJobs();
    expect(jobs).toHaveLength(before + 1);
    const job = jobs.find((j) => j.ref.item === '1768471200.000100')!;
    expect(job.ref).toEqual({
      platform: 'slack',
      workspace: 'T0ACME0001',
      container: 'C0GENERAL1',
      item: '1768471200.000100',
      version: '1768471200.000100',
      occurredAt: '2026-01-15T10:00:00.000Z',
      url: 'https://acme.slack.com/archives/C0GENERAL1/p1768471200000100',
      author: { id: 'U0ALICE001' },
    });
    expect(job.format).toBe('slack');
    expect(transit.open(job.sealedText)).toBe(`CI token: ${GITHUB_TOKEN} (temporary)`);
    expect(JSON.stringify(jobs)).not.toContain(GITHUB_TOKEN);
    expect(await storedEventIds()).toContain('Ev0MSG00001');

    // Slack retries (it did not see our answer in time): same event_id, new signature → no second job.
    const retry = await routes!.request(
      '/slack/events',
      signedRequest(body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
    );
    expect(retry.status).toBe(200);
    expect(await scanJobs()).toHaveLength(before + 1);
    // Only numbered retries are looked up: the same request replayed without the header (never sent by Slack)
    // is submitted again, which the idempotent pipeline records as nothing new.
    const again = await routes!.request('/slack/events', signedRequest(body));
    expect(again.status).toBe(200);
    expect(await scanJobs()).toHaveLength(before + 2);
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
    expect(authTestCalls.every((h) => h === `Bearer ${BOT_TOKEN}`)).toBe(true);
  });

  it('rejects a bad signature with 401 JSON and stores nothing', async () => {
    server.use(...slackApiHandlers());
    const { routes } = buildReceiver();
    const before = (await scanJobs()).length;
    const body = JSON.stringify(envelope('Ev0FORGED01', messageEvent('1768471201.000100', `x ${GITHUB_TOKEN}`)));

    const forged = await routes!.request('/slack/events', signedRequest(body, { secret: 'f'.repeat(32) }));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({
      error: { code: 'signature_invalid', message: 'X-Slack-Signature does not match the request body' },
    });

    // A valid signature over another body does not cover this one.
    const other = signedRequest('{}');
    const swapped = await routes!.request('/slack/events', { ...other, body });
    expect(swapped.status).toBe(401);

    const unsigned = await routes!.request('/slack/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: { code: 'signature_missing' } });

    expect(await scanJobs()).toHaveLength(before);
    expect(await storedEventIds()).not.toContain('Ev0FORGED01');
  });

  it('rejects a replayed request whose timestamp is outside the 5-minute window, storing nothing', async () => {
    server.use(...slackApiHandlers());
    const { routes } = buildReceiver();
    const before = (await scanJobs()).length;
    const body = JSON.stringify(envelope('Ev0STALE001', messageEvent('1768471202.000100', `x ${GITHUB_TOKEN}`)));
    for (const timestamp of [nowSeconds() - 301, nowSeconds() + 301]) {
      const response = await routes!.request('/slack/events', signedRequest(body, { timestamp }));
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'request_stale' } });
    }
    expect(await scanJobs()).toHaveLength(before);
    expect(await storedEventIds()).not.toContain('Ev0STALE001');
  });

  it('answers 400 to a signed body that is not JSON, and 413 to an oversized one', async () => {
    const { routes } = buildReceiver();
    const broken = await routes!.request('/slack/events', signedRequest('{"type":"event_callback",'));
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { code: 'body_invalid' } });
    const noId = await routes!.request(
      '/slack/events',
      signedRequest(JSON.stringify({ type: 'event_callback', event: {} })),
    );
    expect(noId.status).toBe(400);
    const huge = await routes!.request('/slack/events', signedRequest(`{"x":"${'a'.repeat(1024 * 1024 + 10)}"}`));
    expect(huge.status).toBe(413);
  });

  it('submits an edit under the same reference (new version) and a deletion as empty text', async () => {
    server.use(...slackApiHandlers());
    const { routes } = buildReceiver();
    const original = messageEvent('1768471300.000200', `token ${GITHUB_TOKEN}`);
    const edited = JSON.stringify(
      envelope('Ev0EDIT0001', {
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: 'C0GENERAL1',
        ts: '1768471360.000300',
        event_ts: '1768471360.000300',
        channel_type: 'channel',
        message: {
          ...original,
          text: 'token removed, sorry',
          blocks: undefined,
          edited: { user: 'U0ALICE001', ts: '1768471360.000000' },
        },
        previous_message: original,
      }),
    );
    expect((await routes!.request('/slack/events', signedRequest(edited))).status).toBe(200);
    const deleted = JSON.stringify(
      envelope('Ev0DELETE01', {
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: 'C0GENERAL1',
        ts: '1768471400.000400',
        deleted_ts: '1768471300.000200',
        event_ts: '1768471400.000400',
        channel_type: 'channel',
        previous_message: { ...original, text: 'token removed, sorry' },
      }),
    );
    expect((await routes!.request('/slack/events', signedRequest(deleted))).status).toBe(200);

    const jobs = (await scanJobs()).filter((j) => j.ref.item === '1768471300.000200');
    expect(jobs.map((j) => [j.ref.version, transit.open(j.sealedText)])).toEqual([
      ['1768471360.000000', 'token removed, sorry'],
      ['deleted:1768471400.000400', ''],
    ]);
    expect(new Set(jobs.map((j) => j.ref.container))).toEqual(new Set(['C0GENERAL1']));
  });

  it('links a thread reply to its thread, and reads attachments in DMs', async () => {
    server.use(...slackApiHandlers());
    const { routes } = buildReceiver();
    const reply = JSON.stringify(
      envelope(
        'Ev0REPLY001',
        messageEvent('1768471500.000600', `here: ${GITHUB_TOKEN}`, {
          thread_ts: '1768471200.000100',
          parent_user_id: 'U0BOB00001',
        }),
      ),
    );
    const dm = JSON.stringify(
      envelope('Ev0DM000001', {
        type: 'message',
        channel: 'D0DM000001',
        channel_type: 'im',
        user: 'U0BOB00001',
        text: '',
        ts: '1768471600.000700',
        attachments: [
          { fallback: 'build log', title: 'build #42', text: 'NPM_TOKEN=npm_abcdefabcdefabcdefabcdefabcdefabcdef' },
        ],
      }),
    );
    expect((await routes!.request('/slack/events', signedRequest(reply))).status).toBe(200);
    expect((await routes!.request('/slack/events', signedRequest(dm))).status).toBe(200);
    const jobs = await scanJobs();
    expect(jobs.find((j) => j.ref.item === '1768471500.000600')?.ref.url).toBe(
      'https://acme.slack.com/archives/C0GENERAL1/p1768471500000600?thread_ts=1768471200.000100&cid=C0GENERAL1',
    );
    const dmJob = jobs.find((j) => j.ref.item === '1768471600.000700')!;
    expect(dmJob.ref.container).toBe('D0DM000001');
    expect(transit.open(dmJob.sealedText)).toBe(
      'build #42\nNPM_TOKEN=npm_abcdefabcdefabcdefabcdefabcdefabcdef\nbuild log',
    );
  });

  it('answers 500 when the event cannot be stored, so Slack retries, and the retry is not lost', async () => {
    server.use(...slackApiHandlers());
    const failing: DocumentSink = {
      submit: async () => {
        throw new Error('database is unavailable');
      },
    };
    const body = JSON.stringify(envelope('Ev0OUTAGE01', messageEvent('1768471700.000800', `t ${GITHUB_TOKEN}`)));
    const down = await buildReceiver({ sink: failing }).routes!.request('/slack/events', signedRequest(body));
    expect(down.status).toBe(500);
    expect(await down.json()).toMatchObject({ error: { code: 'event_not_stored' } });
    expect(await storedEventIds()).not.toContain('Ev0OUTAGE01');

    const retry = await buildReceiver().routes!.request(
      '/slack/events',
      signedRequest(body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_error' } }),
    );
    expect(retry.status).toBe(200);
    expect((await scanJobs()).some((j) => j.ref.item === '1768471700.000800')).toBe(true);
    expect(await storedEventIds()).toContain('Ev0OUTAGE01');
  });

  it('queues a shared file as a slack-file job, and the job scans text files with the bot token', async () => {
    server.use(...slackApiHandlers());
    const { routes } = buildReceiver();
    const body = JSON.stringify(
      envelope('Ev0FILE0001', {
        type: 'file_shared',
        channel_id: 'C0GENERAL1',
        file_id: 'F0ENVFILE1',
        user_id: 'U0ALICE001',
        file: { id: 'F0ENVFILE1' },
        event_ts: '1768471800.000900',
      }),
    );
    expect((await routes!.request('/slack/events', signedRequest(body))).status).toBe(200);
    const [queued] = await boss.findJobs<SlackFileJob>(SLACK_FILE_QUEUE, { data: { fileId: 'F0ENVFILE1' } });
    expect(queued!.data).toEqual({
      teamId: 'T0ACME0001',
      fileId: 'F0ENVFILE1',
      channelId: 'C0GENERAL1',
      userId: 'U0ALICE001',
    });

    const downloads: string[] = [];
    const ENV_FILE = `APP_ENV=prod\nGITHUB_TOKEN=${GITHUB_TOKEN}\n`;
    server.use(
      http.post('https://slack.com/api/files.info', async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        return HttpResponse.json({
          ok: true,
          file: {
            id: form.get('file'),
            created: 1768471800,
            timestamp: 1768471800,
            name: 'prod.env',
            title: 'prod.env',
            mimetype: 'text/plain',
            filetype: 'text',
            pretty_type: 'Plain Text',
            user: 'U0ALICE001',
            mode: 'hosted',
            editable: false,
            is_external: false,
            size: 64,
            url_private: 'https://files.slack.com/files-pri/T0ACME0001-F0ENVFILE1/prod.env',
            url_private_download: 'https://files.slack.com/files-pri/T0ACME0001-F0ENVFILE1/download/prod.env',
            permalink: 'https://acme.slack.com/files/U0ALICE001/F0ENVFILE1/prod.env',
            channels: ['C0GENERAL1'],
            groups: [],
            ims: [],
          },
          comments: [],
          response_metadata: { next_cursor: '' },
        });
      }),
      http.get('https://files.slack.com/files-pri/T0ACME0001-F0ENVFILE1/download/prod.env', ({ request }) => {
        downloads.push(request.headers.get('authorization') ?? '');
        return new HttpResponse(ENV_FILE, {
          headers: { 'content-type': 'text/plain' },
        });
      }),
    );
    const bot = createSlackClient(config.botToken, config, logger);
    const outcome = await handleSlackFileJob({ config, bot, boss, sink, logger }, queued!.data);
    expect(outcome).toEqual({ status: 'scanned', bytes: Buffer.byteLength(ENV_FILE), truncated: false });
    expect(downloads).toEqual([`Bearer ${BOT_TOKEN}`]);
    const fileJob = (await scanJobs()).find((j) => j.ref.item === 'file:F0ENVFILE1')!;
    expect(fileJob.ref).toMatchObject({
      platform: 'slack',
      workspace: 'T0ACME0001',
      container: 'C0GENERAL1',
      url: 'https://acme.slack.com/files/U0ALICE001/F0ENVFILE1/prod.env',
      author: { id: 'U0ALICE001' },
    });
    expect(fileJob.format).toBe('plain');
    expect(transit.open(fileJob.sealedText)).toContain(GITHUB_TOKEN);
  });

  it('answers interactive payloads with what the listener acknowledges', async () => {
    server.use(...slackApiHandlers());
    const slack = buildReceiver();
    slack.app.command('/leakwatch-test', async ({ ack, command }) => {
      await ack({ response_type: 'ephemeral', text: `hello ${command.user_name}` });
    });
    slack.app.action('leakwatch_test_button', async ({ ack }) => {
      await ack();
    });
    const command = new URLSearchParams({
      token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
      team_id: 'T0ACME0001',
      team_domain: 'acme',
      channel_id: 'C0GENERAL1',
      channel_name: 'general',
      user_id: 'U0ALICE001',
      user_name: 'alice',
      command: '/leakwatch-test',
      text: 'status',
      api_app_id: 'A0LEAKWTCH',
      response_url: 'https://hooks.slack.com/commands/T0ACME0001/1234/abcd',
      trigger_id: '13345224609.738474920.8088930838d88f008e0',
    }).toString();
    const commandResponse = await slack.routes!.request(
      '/slack/commands',
      signedRequest(command, { contentType: 'application/x-www-form-urlencoded' }),
    );
    expect(commandResponse.status).toBe(200);
    expect(await commandResponse.json()).toEqual({ response_type: 'ephemeral', text: 'hello alice' });

    const payload = {
      type: 'block_actions',
      user: { id: 'U0ALICE001', username: 'alice', name: 'alice', team_id: 'T0ACME0001' },
      api_app_id: 'A0LEAKWTCH',
      token: 'ZZZZZZWSxiZZZ2yIvs3peJ',
      container: { type: 'message', message_ts: '1768471900.001000', channel_id: 'D0DM000001', is_ephemeral: false },
      trigger_id: '13345224609.738474920.8088930838d88f008e0',
      team: { id: 'T0ACME0001', domain: 'acme' },
      channel: { id: 'D0DM000001', name: 'directmessage' },
      response_url: 'https://hooks.slack.com/actions/T0ACME0001/1234/abcd',
      actions: [
        {
          action_id: 'leakwatch_test_button',
          block_id: 'leakwatch_actions',
          text: { type: 'plain_text', text: 'I rotated it', emoji: true },
          value: 'finding-1',
          type: 'button',
          action_ts: '1768471901.002000',
        },
      ],
    };
    const click = await slack.routes!.request(
      '/slack/interactions',
      signedRequest(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), {
        contentType: 'application/x-www-form-urlencoded',
      }),
    );
    expect(click.status).toBe(200);
    expect(await click.text()).toBe('');

    const unknown = {
      ...payload,
      actions: [{ ...payload.actions[0]!, action_id: 'nobody_listens' }],
    };
    const unhandled = await slack.routes!.request(
      '/slack/interactions',
      signedRequest(new URLSearchParams({ payload: JSON.stringify(unknown) }).toString(), {
        contentType: 'application/x-www-form-urlencoded',
      }),
    );
    expect(unhandled.status).toBe(404);
  });

  it('answers an unacknowledged interaction with an empty 200 before Slack gives up, and ssl_check at once', async () => {
    server.use(...slackApiHandlers());
    const bot = createSlackClient(config.botToken, config, logger);
    const workspace = workspaceLookup(bot);
    const receiver = new HonoReceiver({
      signingSecret: SIGNING_SECRET,
      logger,
      ackTimeoutMs: 200,
      storeEvent: createSlackEventStore({ db: database.db, sink, boss, logger, workspace }),
    });
    const app = new App({
      receiver,
      authorize: async () => ({ botToken: BOT_TOKEN, botUserId: 'U0LEAKBOT1', botId: 'B0LEAKBOT1' }),
      logger: toSlackLogger(logger),
    });
    let release: () => void = () => {};
    app.command('/slow', async ({ ack }) => {
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      await ack();
    });
    const form = new URLSearchParams({ command: '/slow', text: '', user_id: 'U0ALICE001', team_id: 'T0ACME0001' });
    const started = Date.now();
    const response = await receiver.routes.request(
      '/slack/commands',
      signedRequest(form.toString(), { contentType: 'application/x-www-form-urlencoded' }),
    );
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    release();

    const ssl = await receiver.routes.request(
      '/slack/commands',
      signedRequest('ssl_check=1&token=ZZZZZZWSxiZZZ2yIvs3peJ', { contentType: 'application/x-www-form-urlencoded' }),
    );
    expect(ssl.status).toBe(200);
  });
});
