import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { createDocumentSink } from '../../src/jobs/document-sink.ts';
import type { Service } from '../../src/service.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { dumpDatabase, eventually, startTestService, testConfig } from '../../test/service-harness.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { createSlackEventStore } from './event-dedupe.ts';
import { createSlackApp } from './slack-app.ts';
import { createSlackClient, workspaceLookup } from './slack-client.ts';
import { loadSlackConfig } from './slack-config.ts';

const server = useMswServer();
const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const GITHUB_TOKEN = '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';

let database: DatabaseHandle & { drop(): Promise<void> };
let service: Service;
let logs: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  ({ service, logs } = await startTestService(database, testConfig({ LEAKWATCH_VERIFY: 'false' })));
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await database?.drop();
});

function post(routes: NonNullable<ReturnType<typeof createSlackApp>['routes']>, payload: object) {
  const body = JSON.stringify(payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return routes.request('/slack/events', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  });
}

const envelope = (eventId: string, event: object) => ({
  team_id: 'T0ACME0001',
  api_app_id: 'A0LEAKWTCH',
  type: 'event_callback',
  event_id: eventId,
  event_time: 1768471200,
  event,
});

describe('Slack events through the whole pipeline', () => {
  it('records a leaked token from a message and closes its occurrence when the message is edited', async () => {
    server.use(
      http.post('https://slack.com/api/auth.test', () =>
        HttpResponse.json({
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'leakwatch',
          team_id: 'T0ACME0001',
          user_id: 'U0LEAKBOT1',
          bot_id: 'B0LEAKBOT1',
        }),
      ),
    );
    const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET })!;
    const { logger, boss, transit } = service.ctx;
    const workspace = workspaceLookup(createSlackClient(config.botToken, config, logger));
    const storeEvent = createSlackEventStore({
      db: database.db,
      sink: createDocumentSink(boss, transit, () => new Date()),
      boss,
      logger,
      workspace,
    });
    const { routes } = createSlackApp({ config, logger, storeEvent, workspace });

    const original = {
      type: 'message',
      channel: 'C0GENERAL1',
      user: 'U0ALICE001',
      text: `release job uses ${GITHUB_TOKEN}, will rotate later`,
      ts: '1768471200.000100',
      event_ts: '1768471200.000100',
      channel_type: 'channel',
    };
    expect((await post(routes!, envelope('Ev0PIPE0001', original))).status).toBe(200);

    const occurrence = await eventually(async () =>
      database.db.selectFrom('occurrences').selectAll().where('item', '=', '1768471200.000100').executeTakeFirst(),
    );
    expect(occurrence).toMatchObject({
      platform: 'slack',
      workspace: 'T0ACME0001',
      container: 'C0GENERAL1',
      url: 'https://acme.slack.com/archives/C0GENERAL1/p1768471200000100',
      closed_at: null,
    });
    const finding = await database.db
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', occurrence.finding_id)
      .executeTakeFirstOrThrow();
    expect(finding.detector_id).toBe('github-classic-pat');

    const edit = envelope('Ev0PIPE0002', {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: 'C0GENERAL1',
      ts: '1768471260.000200',
      event_ts: '1768471260.000200',
      channel_type: 'channel',
      message: {
        ...original,
        text: 'release job uses the vault now',
        edited: { user: 'U0ALICE001', ts: '1768471260.000000' },
      },
      previous_message: original,
    });
    expect((await post(routes!, edit)).status).toBe(200);
    const closed = await eventually(async () => {
      const row = await database.db
        .selectFrom('occurrences')
        .selectAll()
        .where('id', '=', occurrence.id)
        .executeTakeFirstOrThrow();
      return row.closed_at ? row : undefined;
    });
    expect(closed.closed_reason).toBeTruthy();

    expect(await dumpDatabase(database)).not.toContain(GITHUB_TOKEN);
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
  }, 120_000);
});
