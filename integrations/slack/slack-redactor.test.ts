import { WebAPIRateLimitedError } from '@slack/web-api';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import {
  ADMIN_TOKEN,
  BOT_TOKEN,
  FakeSlack,
  SECURITY_CHANNEL,
  capturingLogger,
  leakedSlackToken,
  pipelineKit,
  plant,
  redactionRequest,
  slackRef,
} from './outbound-test-kit.ts';
import { createSlackClient } from './slack-client.ts';
import { loadSlackConfig } from './slack-config.ts';
import { applyRedaction, createSlackRedactor, threadOf } from './slack-redactor.ts';

const server = useMswServer();
const kit = pipelineKit();
const planted: string[] = [];
const fakes: FakeSlack[] = [];
const { logger, lines } = capturingLogger();
let slack: FakeSlack;
let database: DatabaseHandle & { drop(): Promise<void> };
let clock = 1_764_100_000;

beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});
beforeEach(() => {
  slack = new FakeSlack();
  fakes.push(slack);
  server.use(...slack.handlers());
});

function redactor(options: { admin: boolean; mode?: 'edit' | 'delete' | 'warn' | 'off' }) {
  const config = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    SLACK_SECURITY_CHANNEL: SECURITY_CHANNEL,
    SLACK_REDACTION: options.mode ?? 'edit',
    ...(options.admin ? { SLACK_ADMIN_USER_TOKEN: ADMIN_TOKEN } : {}),
  })!;
  const deps: SlackOutboundDeps = {
    config,
    bot: createSlackClient(BOT_TOKEN, config),
    ...(options.admin ? { admin: createSlackClient(ADMIN_TOKEN, config) } : {}),
    db: database.db,
    // Redaction queues no jobs.
    boss: undefined as unknown as PgBoss,
    logger,
    now: () => new Date(),
    detectors: new Map(detectors.map((d) => [d.id, d])),
  };
  return createSlackRedactor(deps);
}

/** A message in #deploys holding a fresh token, in Slack and in the findings tables. */
async function leakedMessage(options: { threadTs?: string; withBlocks?: boolean } = {}) {
  const token = leakedSlackToken();
  planted.push(token);
  const ts = `${++clock}.000200`;
  const text = `here you go: SLACK_BOT_TOKEN=${token} &lt;- the prod one`;
  const message = slack.addMessage({
    channel: 'C0DEPLOYS',
    ts,
    text,
    user: 'U0DANA',
    ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    ...(options.withBlocks
      ? {
          blocks: [
            {
              type: 'rich_text',
              block_id: 'Xy1',
              elements: [
                {
                  type: 'rich_text_section',
                  elements: [
                    { type: 'text', text: 'here you go: SLACK_BOT_TOKEN=' },
                    { type: 'text', text: token, style: { code: true } },
                  ],
                },
              ],
            },
          ],
        }
      : {}),
  });
  const p = await plant(database, kit, slackRef('C0DEPLOYS', ts, 'U0DANA', options.threadTs), text);
  return { token, message, planted: p, request: redactionRequest(kit, p, 'system') };
}

async function auditActions(occurrenceId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('audit_log')
    .select('action')
    .where('target_type', '=', 'occurrence')
    .where('target_id', '=', occurrenceId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

describe('Slack redactor', () => {
  it('edits the message with the admin token: secret replaced by its redacted form, blocks dropped, thread note', async () => {
    const { token, message, planted: p, request } = await leakedMessage({ withBlocks: true });
    const outcome = await redactor({ admin: true })(request);

    expect(outcome.status).toBe('redacted');
    expect(slack.calls.map((c) => `${c.method}:${c.token === ADMIN_TOKEN ? 'admin' : 'bot'}`)).toEqual([
      'conversations.history:admin',
      'chat.update:admin',
      'chat.postMessage:bot',
    ]);
    const history = slack.callsTo('conversations.history')[0]!.params;
    expect(history).toMatchObject({ channel: 'C0DEPLOYS', latest: message.ts, oldest: message.ts, inclusive: 'true' });
    const update = slack.callsTo('chat.update')[0]!.params;
    expect(update.ts).toBe(message.ts);
    expect(update.text).toBe(`here you go: SLACK_BOT_TOKEN=${p.finding.redacted} &lt;- the prod one`);
    expect(update.blocks).toBe('[]');
    expect(message.text).not.toContain(token);
    const note = slack.callsTo('chat.postMessage')[0]!.params;
    expect(note).toMatchObject({ channel: 'C0DEPLOYS', thread_ts: message.ts });
    expect(await auditActions(p.occurrence.id)).toEqual(['occurrence.redaction_redacted']);
  });

  it('reads a thread reply with conversations.replies and notes in its thread', async () => {
    const parent = slack.addMessage({
      channel: 'C0DEPLOYS',
      ts: `${++clock}.000100`,
      text: 'which token?',
      user: 'U0SAM',
    });
    const { message, request } = await leakedMessage({ threadTs: parent.ts });
    expect(threadOf(request.occurrence.url)).toBe(parent.ts);

    const outcome = await redactor({ admin: true })(request);
    expect(outcome.status).toBe('redacted');
    expect(slack.callsTo('conversations.replies')[0]!.params).toMatchObject({
      channel: 'C0DEPLOYS',
      ts: parent.ts,
      oldest: message.ts,
      latest: message.ts,
    });
    expect(slack.callsTo('chat.update')[0]!.params.ts).toBe(message.ts);
    expect(slack.callsTo('chat.postMessage')[0]!.params.thread_ts).toBe(parent.ts);
  });

  it('without an admin token posts a threaded warning (no secret in it), once', async () => {
    const { planted: p, message, request } = await leakedMessage();
    const redact = redactor({ admin: false });
    const outcome = await redact(request);
    expect(outcome).toMatchObject({ status: 'warned' });
    expect(outcome.detail).toContain('SLACK_ADMIN_USER_TOKEN');
    expect(slack.callsTo('conversations.history')[0]!.token).toBe(BOT_TOKEN);
    expect(slack.callsTo('chat.update')).toHaveLength(0);
    const warning = slack.callsTo('chat.postMessage')[0]!.params;
    expect(warning).toMatchObject({ channel: 'C0DEPLOYS', thread_ts: message.ts });
    expect(warning.text).toContain('Slack bot token');
    expect(warning.text).not.toContain(p.finding.redacted.slice(-4));

    expect((await redact(request)).status).toBe('warned');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await auditActions(p.occurrence.id)).toEqual(['occurrence.redaction_warned']);
  });

  it('warns instead when Slack refuses the edit (cant_update_message)', async () => {
    const { planted: p, request } = await leakedMessage();
    slack.failNext('chat.update', { error: 'cant_update_message' });
    const outcome = await redactor({ admin: true })(request);
    expect(outcome.status).toBe('warned');
    expect(outcome.detail).toContain('cant_update_message');
    expect(slack.calls.map((c) => c.method)).toEqual(['conversations.history', 'chat.update', 'chat.postMessage']);
    expect(await auditActions(p.occurrence.id)).toEqual(['occurrence.redaction_warned']);
  });

  it('reports not_found for a message that was edited to remove the secret', async () => {
    const { message, planted: p, request } = await leakedMessage();
    message.text = 'oops, removed it — rotating now';
    const outcome = await redactor({ admin: true })(request);
    expect(outcome.status).toBe('not_found');
    expect(slack.callsTo('chat.update')).toHaveLength(0);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
    expect(await auditActions(p.occurrence.id)).toEqual(['occurrence.redaction_not_found']);
  });

  it('reports not_found for a deleted message', async () => {
    const { message, request } = await leakedMessage();
    slack.messages.splice(slack.messages.indexOf(message), 1);
    expect((await redactor({ admin: true })(request)).status).toBe('not_found');
    expect(slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('deletes the message by policy and leaves a note in the channel', async () => {
    const { message, planted: p, request } = await leakedMessage();
    const outcome = await redactor({ admin: true, mode: 'delete' })(request);
    expect(outcome.status).toBe('deleted');
    expect(slack.callsTo('chat.delete')[0]).toMatchObject({
      token: ADMIN_TOKEN,
      params: { channel: 'C0DEPLOYS', ts: message.ts },
    });
    const note = slack.callsTo('chat.postMessage')[0]!.params;
    expect(note.channel).toBe('C0DEPLOYS');
    expect(note.thread_ts).toBeUndefined();
    expect(slack.messages.some((m) => m.ts === message.ts)).toBe(false);
    expect(await auditActions(p.occurrence.id)).toEqual(['occurrence.redaction_deleted']);
  });

  it('only warns when SLACK_REDACTION=warn, even with an admin token', async () => {
    const { request } = await leakedMessage();
    expect((await redactor({ admin: true, mode: 'warn' })(request)).status).toBe('warned');
    expect(slack.callsTo('chat.update')).toHaveLength(0);
  });

  it('does nothing when SLACK_REDACTION=off', async () => {
    const { request } = await leakedMessage();
    expect((await redactor({ admin: true, mode: 'off' })(request)).status).toBe('unsupported');
    expect(slack.calls).toHaveLength(0);
  });

  it('throws on a 429 with Retry-After so the redact job is rescheduled, not blocked', async () => {
    const { request } = await leakedMessage();
    slack.failNext('chat.update', { rateLimitedFor: 17 });
    const error = await redactor({ admin: true })(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(17);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('replaces overlapping and unordered spans once', () => {
    expect(
      applyRedaction('a SECRET b SECRET', [
        { start: 11, end: 17, redacted: 'S***' },
        { start: 2, end: 8, redacted: 'S***' },
        { start: 4, end: 6, redacted: 'x' },
      ]),
    ).toBe('a S*** b S***');
  });

  afterAll(() => {
    // Invariant 1: no planted secret in any request to Slack (edits, notes, warnings) or any log line.
    const sent = fakes.map((f) => f.allRequestText()).join('\n');
    expect(sent).toContain('chat.update');
    for (const token of planted) {
      expect(sent).not.toContain(token);
      expect(lines.join('\n')).not.toContain(token);
    }
  });
});
