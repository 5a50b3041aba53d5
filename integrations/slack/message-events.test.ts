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
import {
  handleSlackFileJob,
  isSlackFileHost,
  isTextLikeFile,
  messageText,
  permalink,
  planSlackEvent,
  SLACK_FILE_QUEUE,
  type SlackEventEnvelope,
  type SlackFileJob,
} from './message-events.ts';
import { createSlackClient } from './slack-client.ts';
import { loadSlackConfig } from './slack-config.ts';

const server = useMswServer();
const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const GITHUB_TOKEN = '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';

const envelope = (event: Record<string, unknown>): SlackEventEnvelope => ({
  type: 'event_callback',
  event_id: 'Ev0TEST0001',
  team_id: 'T0ACME0001',
  event,
});

describe('messageText', () => {
  it('joins rich-text elements without separators, so a token split by formatting is whole', () => {
    const text = messageText({
      text: '',
      blocks: [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'token: ' },
                { type: 'text', text: 'ghp_d2JBmhgQSnhn3lVSb', style: { bold: true } },
                { type: 'text', text: 'nS5I4UAOOU5uj3RifbC' },
              ],
            },
            {
              type: 'rich_text_preformatted',
              elements: [{ type: 'text', text: 'export A=1' }],
            },
          ],
        },
      ],
    });
    expect(text).toBe(`token: ${GITHUB_TOKEN}\nexport A=1`);
  });

  it('adds attachment fields, section text and link targets that the text does not already hold', () => {
    const text = messageText({
      text: 'deploy finished &lt;ok&gt;',
      attachments: [
        {
          fallback: 'deploy finished &lt;ok&gt;',
          title: 'Deploy #7',
          title_link: 'https://ci.example.com/7',
          fields: [{ title: 'Webhook', value: 'https://hooks.slack.com/services/T0/B0/secretpart', short: false }],
        },
      ],
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: 'deploy finished &lt;ok&gt;' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'details' },
          accessory: { type: 'button', url: 'https://x.test/a' },
        },
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [{ type: 'link', url: 'https://grafana.test/?key=glsa_x', text: 'dash' }],
            },
          ],
        },
      ],
    });
    expect(text.split('\n')).toEqual([
      'deploy finished &lt;ok&gt;',
      'Deploy #7',
      'https://ci.example.com/7',
      'Webhook',
      'https://hooks.slack.com/services/T0/B0/secretpart',
      'details',
      'https://x.test/a',
      'dash https://grafana.test/?key=glsa_x',
    ]);
  });
});

describe('planSlackEvent', () => {
  const url = 'https://acme.slack.com/';

  it('skips joins and thread bookkeeping, and messages without text', () => {
    for (const subtype of ['channel_join', 'channel_leave', 'group_join', 'message_replied']) {
      const plan = planSlackEvent(
        envelope({ type: 'message', subtype, channel: 'C1', user: 'U1', text: 'joined', ts: '1.000001' }),
        url,
      );
      expect(plan).toEqual({ documents: [], files: [] });
    }
    expect(
      planSlackEvent(envelope({ type: 'message', channel: 'C1', ts: '1.000001', text: '' }), url).documents,
    ).toEqual([]);
    expect(planSlackEvent(envelope({ type: 'reaction_added', user: 'U1' }), url)).toEqual({ documents: [], files: [] });
  });

  it('keeps bot messages and topic changes, which can carry tokens too', () => {
    const plan = planSlackEvent(
      envelope({
        type: 'message',
        subtype: 'bot_message',
        channel: 'C1',
        bot_id: 'B1',
        text: `build used ${GITHUB_TOKEN}`,
        ts: '1768471200.000100',
      }),
      url,
    );
    expect(plan.documents).toHaveLength(1);
    expect(plan.documents[0]!.ref.author).toBeUndefined();
  });

  it('submits an edit that emptied the message, so its occurrences close', () => {
    const plan = planSlackEvent(
      envelope({
        type: 'message',
        subtype: 'message_changed',
        channel: 'C1',
        ts: '1768471300.000000',
        message: {
          type: 'message',
          user: 'U1',
          text: '',
          ts: '1768471200.000100',
          edited: { user: 'U1', ts: '1768471300.000000' },
        },
      }),
      url,
    );
    expect(plan.documents.map((d) => [d.ref.item, d.ref.version, d.text])).toEqual([
      ['1768471200.000100', '1768471300.000000', ''],
    ]);
    // An edit may close occurrences of what it removed: never marked as a first version.
    expect(plan.documents[0]!.firstVersion).toBeUndefined();
  });

  it('marks a new message as its first version (nothing of it can have been recorded before)', () => {
    const message = { type: 'message', channel: 'C1', user: 'U1', text: 'deploying now', ts: '1768471200.000200' };
    expect(planSlackEvent(envelope(message), url).documents[0]!.firstVersion).toBe(true);
    const reply = { ...message, ts: '1768471200.000300', thread_ts: '1768471200.000200' };
    expect(planSlackEvent(envelope(reply), url).documents[0]!.firstVersion).toBe(true);
  });

  it('skips changes that leave the text as it was (unfurls, new thread replies)', () => {
    const original = { type: 'message', user: 'U1', text: `see ${GITHUB_TOKEN}`, ts: '1768471200.000100' };
    const plan = planSlackEvent(
      envelope({
        type: 'message',
        subtype: 'message_changed',
        channel: 'C1',
        ts: '1768471300.000000',
        message: { ...original, reply_count: 3, latest_reply: '1768471290.000000' },
        previous_message: { ...original, reply_count: 2 },
      }),
      url,
    );
    expect(plan.documents).toEqual([]);
  });

  it('queues shared and edited files for fetching', () => {
    const shared = planSlackEvent(
      envelope({ type: 'file_shared', channel_id: 'C1', file_id: 'F1', user_id: 'U1', file: { id: 'F1' } }),
      url,
    );
    expect(shared).toEqual({
      documents: [],
      files: [{ teamId: 'T0ACME0001', fileId: 'F1', channelId: 'C1', userId: 'U1' }],
    });
    const changed = planSlackEvent(envelope({ type: 'file_change', file_id: 'F2', file: { id: 'F2' } }), url);
    expect(changed.files).toEqual([{ teamId: 'T0ACME0001', fileId: 'F2' }]);
  });

  it('builds permalinks the way Slack does', () => {
    expect(permalink('https://acme.slack.com', 'C1', '1768471200.000100')).toBe(
      'https://acme.slack.com/archives/C1/p1768471200000100',
    );
    expect(permalink('https://acme.slack.com/', 'C1', '1768471300.000200', '1768471200.000100')).toBe(
      'https://acme.slack.com/archives/C1/p1768471300000200?thread_ts=1768471200.000100&cid=C1',
    );
  });
});

describe('shared files', () => {
  it('recognises text-like files', () => {
    expect(isTextLikeFile({ id: 'F', name: '.env', filetype: 'text', mimetype: 'text/plain' })).toBe(true);
    expect(isTextLikeFile({ id: 'F', name: 'prod.env.local', mimetype: 'application/octet-stream' })).toBe(true);
    expect(isTextLikeFile({ id: 'F', name: 'values.yaml', filetype: 'yaml' })).toBe(true);
    expect(isTextLikeFile({ id: 'F', name: 'Untitled', mode: 'snippet', filetype: 'javascript' })).toBe(true);
    expect(isTextLikeFile({ id: 'F', name: 'build.log', mimetype: 'application/octet-stream' })).toBe(true);
    expect(isTextLikeFile({ id: 'F', name: 'photo.png', filetype: 'png', mimetype: 'image/png' })).toBe(false);
    expect(isTextLikeFile({ id: 'F', name: 'doc.txt', is_external: true, filetype: 'text' })).toBe(false);
  });

  it('sends the bot token only to Slack file hosts or the configured API host', () => {
    const api = 'https://slack.com/api/';
    expect(isSlackFileHost('https://files.slack.com/files-pri/T1-F1/a.txt', api)).toBe(true);
    expect(isSlackFileHost('https://files.slack-gov.com/files-pri/T1-F1/a.txt', api)).toBe(true);
    expect(isSlackFileHost('https://evil.example/files.slack.com/a.txt', api)).toBe(false);
    expect(isSlackFileHost('https://files.slack.com.evil.example/a.txt', api)).toBe(false);
    expect(isSlackFileHost('http://files.slack.com/a.txt', api)).toBe(false);
    expect(isSlackFileHost('http://localhost:9999/files/a.txt', 'http://localhost:9999/api/')).toBe(true);
  });
});

describe('slack-file job', () => {
  const config = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99eeeeee85a5',
    SLACK_MAX_FILE_BYTES: '2048',
  })!;
  const transit = new SealedBox('slack-file-test-transit-key-0123456789abcdef', 'transit');
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  let database: DatabaseHandle & { drop(): Promise<void> };
  let boss: PgBoss;
  let sink: DocumentSink;
  const job: SlackFileJob = {
    teamId: 'T0ACME0001',
    fileId: 'F0FILE0001',
    channelId: 'C0GENERAL1',
    userId: 'U0ALICE001',
  };

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

  const deps = () => ({ config, bot: createSlackClient(config.botToken, config, logger), boss, sink, logger });
  const fileInfo = (file: Record<string, unknown>) =>
    http.post('https://slack.com/api/files.info', () =>
      HttpResponse.json({
        ok: true,
        file: {
          id: 'F0FILE0001',
          created: 1768471800,
          timestamp: 1768471800,
          user: 'U0ALICE001',
          is_external: false,
          url_private: 'https://files.slack.com/files-pri/T0ACME0001-F0FILE0001/file',
          url_private_download: 'https://files.slack.com/files-pri/T0ACME0001-F0FILE0001/download/file',
          permalink: 'https://acme.slack.com/files/U0ALICE001/F0FILE0001/file',
          channels: ['C0GENERAL1'],
          ...file,
        },
        comments: [],
        response_metadata: { next_cursor: '' },
      }),
    );
  const download = (respond: () => Response) =>
    http.get('https://files.slack.com/files-pri/T0ACME0001-F0FILE0001/download/file', respond);

  it('reschedules on a files.info 429 after Retry-After instead of waiting', async () => {
    server.use(
      http.post('https://slack.com/api/files.info', () =>
        HttpResponse.json({ ok: false, error: 'ratelimited' }, { status: 429, headers: { 'retry-after': '42' } }),
      ),
    );
    const before = Date.now();
    expect(await handleSlackFileJob(deps(), job)).toEqual({ status: 'rescheduled', retryAfterSeconds: 42 });
    const queued = await boss.findJobs<SlackFileJob>(SLACK_FILE_QUEUE, { data: { fileId: 'F0FILE0001' } });
    expect(queued).toHaveLength(1);
    expect(queued[0]!.startAfter.getTime()).toBeGreaterThanOrEqual(before + 41_000);
  });

  it('reschedules a download answered 429', async () => {
    server.use(
      fileInfo({ name: 'a.txt', filetype: 'text', mimetype: 'text/plain', size: 10 }),
      download(() => new HttpResponse('slow down', { status: 429, headers: { 'retry-after': '7' } })),
    );
    expect(await handleSlackFileJob(deps(), job)).toEqual({ status: 'rescheduled', retryAfterSeconds: 7 });
  });

  it('skips binary files without downloading them, and deleted files', async () => {
    server.use(fileInfo({ name: 'photo.png', filetype: 'png', mimetype: 'image/png', size: 2_000_000 }));
    expect(await handleSlackFileJob(deps(), job)).toEqual({ status: 'skipped', reason: 'not a text file' });
    server.use(
      http.post('https://slack.com/api/files.info', () => HttpResponse.json({ ok: false, error: 'file_not_found' })),
    );
    expect(await handleSlackFileJob(deps(), job)).toEqual({ status: 'skipped', reason: 'files.info: file_not_found' });
  });

  it('never sends the bot token to a host that is not Slack', async () => {
    server.use(
      fileInfo({
        name: 'a.txt',
        filetype: 'text',
        url_private: 'https://attacker.example/steal',
        url_private_download: 'https://attacker.example/steal',
      }),
    );
    expect(await handleSlackFileJob(deps(), job)).toEqual({
      status: 'skipped',
      reason: 'file URL not on a Slack host',
    });
  });

  it('scans only the first SLACK_MAX_FILE_BYTES of a large file', async () => {
    const content = `GITHUB_TOKEN=${GITHUB_TOKEN}\n${'log line\n'.repeat(2000)}`;
    server.use(
      fileInfo({ name: 'build.log', filetype: 'text', mimetype: 'text/plain', size: content.length }),
      download(() => new HttpResponse(content, { headers: { 'content-type': 'text/plain' } })),
    );
    expect(await handleSlackFileJob(deps(), job)).toEqual({ status: 'scanned', bytes: 2048, truncated: true });
    const [scan] = await boss.findJobs<ScanJob>(QUEUES.scan, {});
    expect(scan!.data.ref.item).toBe('file:F0FILE0001');
    const text = transit.open(scan!.data.sealedText);
    expect(text).toHaveLength(2048);
    expect(text.startsWith(`GITHUB_TOKEN=${GITHUB_TOKEN}`)).toBe(true);
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
  });

  it('recognises Slack’s sign-in page (no files:read) instead of scanning it', async () => {
    server.use(
      fileInfo({ name: 'a.txt', filetype: 'text', mimetype: 'text/plain', size: 10 }),
      download(
        () => new HttpResponse('<!DOCTYPE html><html>Sign in</html>', { headers: { 'content-type': 'text/html' } }),
      ),
    );
    expect(await handleSlackFileJob(deps(), job)).toEqual({
      status: 'skipped',
      reason: 'Slack returned a web page instead of the file',
    });
  });

  it('lets pg-boss retry a failed download', async () => {
    server.use(
      fileInfo({ name: 'a.txt', filetype: 'text', mimetype: 'text/plain', size: 10 }),
      download(() => new HttpResponse('oops', { status: 503 })),
    );
    await expect(handleSlackFileJob(deps(), job)).rejects.toThrow('file download answered HTTP 503');
  });
});
