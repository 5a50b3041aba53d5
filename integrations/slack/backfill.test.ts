import { http, HttpResponse } from 'msw';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { SealedBox } from '../../src/findings/sealed-box.ts';
import { createDocumentSink } from '../../src/jobs/document-sink.ts';
import { startJobQueue } from '../../src/jobs/job-queue.ts';
import { QUEUES, type ScanJob } from '../../src/jobs/queues.ts';
import { createLogger } from '../../src/logger.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import {
  backfillProgress,
  backfillSlack,
  handleSlackBackfillStep,
  SLACK_BACKFILL_QUEUE,
  startSlackBackfill,
  type BackfillProgress,
  type BackfillStepJob,
  type SlackBackfillDeps,
} from './backfill.ts';
import { createSlackClient } from './slack-client.ts';
import { loadSlackConfig } from './slack-config.ts';

const server = useMswServer();
const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const GITHUB_TOKEN = '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';
const OTHER_TOKEN = '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';
const transit = new SealedBox('slack-backfill-test-transit-key-0123456789abcdef', 'transit');
const logs: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });

let database: DatabaseHandle & { drop(): Promise<void> };
let boss: PgBoss;

function depsWith(env: Record<string, string> = {}): SlackBackfillDeps {
  const config = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99eeeeee85a5',
    ...env,
  })!;
  return {
    db: database.db,
    boss,
    sink: createDocumentSink(boss, transit, () => new Date()),
    bot: createSlackClient(config.botToken, config, logger),
    config,
    logger,
    now: () => new Date(),
  };
}

interface Call {
  method: string;
  params: Record<string, string>;
}
let calls: Call[] = [];

/** Answers one Slack Web API method from a function of its form parameters, recording each call. */
function slack(method: string, answer: (params: Record<string, string>) => Response | object) {
  return http.post(`https://slack.com/api/${method}`, async ({ request }) => {
    const params = Object.fromEntries(new URLSearchParams(await request.text()));
    calls.push({ method, params });
    const result = answer(params);
    return result instanceof Response ? result : HttpResponse.json(result);
  });
}

const authTest = slack('auth.test', () => ({
  ok: true,
  url: 'https://acme.slack.com/',
  team: 'Acme',
  user: 'leakwatch',
  team_id: 'T0ACME0001',
  user_id: 'U0LEAKBOT1',
  bot_id: 'B0LEAKBOT1',
}));

const channel = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  is_channel: true,
  is_group: false,
  is_im: false,
  is_mpim: false,
  is_private: false,
  created: 1700000000,
  is_archived: false,
  is_general: false,
  is_member: true,
  num_members: 12,
  ...extra,
});

const message = (ts: string, text: string, extra: Record<string, unknown> = {}) => ({
  type: 'message',
  user: 'U0ALICE001',
  text,
  ts,
  team: 'T0ACME0001',
  ...extra,
});

const page = (messages: object[], nextCursor = '') => ({
  ok: true,
  messages,
  has_more: nextCursor !== '',
  pin_count: 0,
  channel_actions_ts: null,
  channel_actions_count: 0,
  response_metadata: { next_cursor: nextCursor },
});

const rateLimited = (seconds: number) =>
  HttpResponse.json({ ok: false, error: 'ratelimited' }, { status: 429, headers: { 'retry-after': String(seconds) } });

async function run(id: string) {
  return database.db.selectFrom('backfill_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function queuedSteps(runId: string) {
  const jobs = await boss.findJobs<BackfillStepJob>(SLACK_BACKFILL_QUEUE, { data: { runId } });
  return jobs.filter((j) => j.state === 'created' || j.state === 'retry');
}

/** Runs steps by hand (as a worker would) until the run ends, completing each queued job. */
async function drive(deps: SlackBackfillDeps, runId: string, limit = 40) {
  const outcomes = [];
  for (let i = 0; i < limit; i++) {
    for (const job of await queuedSteps(runId)) await boss.deleteJob(SLACK_BACKFILL_QUEUE, job.id);
    const outcome = await handleSlackBackfillStep(deps, { runId });
    outcomes.push(outcome);
    if (outcome.status === 'done' || outcome.status === 'failed') break;
  }
  return outcomes;
}

async function scanJobsFor(container: string): Promise<ScanJob[]> {
  const jobs = await boss.findJobs<ScanJob>(QUEUES.scan, {});
  return jobs.map((j) => j.data).filter((d) => d.ref.container === container);
}

beforeAll(async () => {
  database = await createTestDatabase();
  boss = await startJobQueue(database, { supervise: false });
  await boss.createQueue(SLACK_BACKFILL_QUEUE);
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, close: true });
  await database?.drop();
});

beforeEach(() => {
  calls = [];
});

describe('Slack backfill', () => {
  it('pages conversations, history and thread replies, pauses on 429 and skips what it cannot read', async () => {
    const since = '2026-01-01T00:00:00Z';
    let privateHistoryCalls = 0;
    server.use(
      authTest,
      slack('conversations.list', (p) =>
        p.cursor === 'dGVhbTpDMDYxRkE1UEI='
          ? {
              ok: true,
              channels: [
                {
                  id: 'D0DM000001',
                  created: 1700000000,
                  is_im: true,
                  is_org_shared: false,
                  user: 'U0ALICE001',
                  is_user_deleted: false,
                  priority: 0,
                },
                channel('G0MPIM0001', 'mpdm-alice--bob--leakwatch-1', {
                  is_mpim: true,
                  is_private: true,
                  is_channel: false,
                  is_group: true,
                }),
              ],
              response_metadata: { next_cursor: '' },
            }
          : {
              ok: true,
              channels: [
                channel('C0GENERAL1', 'general', { is_general: true }),
                channel('C0RANDOM01', 'random', { is_member: false }),
                channel('C0PRIVATE1', 'ops-private', { is_private: true, is_channel: false, is_group: true }),
              ],
              response_metadata: { next_cursor: 'dGVhbTpDMDYxRkE1UEI=' },
            },
      ),
      slack('conversations.history', (p) => {
        switch (p.channel) {
          case 'C0GENERAL1':
            return p.cursor === 'bmV4dF90czoxNzY4NDcxMjAw'
              ? page([message('1767300000.000100', 'old but after since')])
              : page(
                  [
                    message('1768471400.000300', 'who owns the deploy token?', {
                      thread_ts: '1768471400.000300',
                      reply_count: 2,
                      reply_users_count: 1,
                      latest_reply: '1768471600.000500',
                    }),
                    message('1768471300.000200', `CI: ${GITHUB_TOKEN}`, {
                      edited: { user: 'U0ALICE001', ts: '1768471310.000000' },
                    }),
                    message('1768471250.000150', '', { subtype: 'channel_join' }),
                  ],
                  'bmV4dF90czoxNzY4NDcxMjAw',
                );
          case 'C0PRIVATE1':
            return ++privateHistoryCalls === 1
              ? rateLimited(30)
              : page([message('1768471700.000600', `ops ${OTHER_TOKEN}`)]);
          case 'D0DM000001':
            return page([message('1768471800.000700', 'hi bot')]);
          default:
            return { ok: false, error: 'missing_scope', needed: 'mpim:history', provided: 'channels:history' };
        }
      }),
      slack('conversations.replies', (p) => ({
        ok: true,
        messages: [
          message(p.ts!, 'who owns the deploy token?', { thread_ts: p.ts, reply_count: 2 }),
          message('1768471500.000400', `mine, it was ${OTHER_TOKEN}`, {
            user: 'U0BOB00001',
            thread_ts: p.ts,
            parent_user_id: 'U0ALICE001',
          }),
          message('1768471600.000500', 'rotated', { thread_ts: p.ts, parent_user_id: 'U0ALICE001' }),
        ],
        has_more: false,
        response_metadata: { next_cursor: '' },
      })),
    );
    const deps = depsWith({ SLACK_BACKFILL_RPM: '20' });
    const { run: created, resumed } = await startSlackBackfill(deps, { since });
    expect(resumed).toBe(false);
    expect(await queuedSteps(created.id)).toHaveLength(1);

    const startedAt = Date.now();
    const outcomes = await drive(deps, created.id);
    expect(outcomes.at(-1)).toMatchObject({ status: 'done' });
    const paused = outcomes.find((o) => o.status === 'paused');
    expect(paused).toEqual({ status: 'paused', retryAfterSeconds: 30 });

    const final = await run(created.id);
    expect(final).toMatchObject({ status: 'done', error: null });
    expect(final.finished_at).not.toBeNull();
    const progress = backfillProgress(final);
    expect(progress).toMatchObject({
      status: 'done',
      channelsDone: 4,
      channelsTotal: 4,
      listing: false,
      skipped: [{ channel: 'mpdm-alice--bob--leakwatch-1', reason: 'missing_scope' }],
    });
    // general: 3 + 1 history messages, 2 replies; private: 1; DM: 1.
    expect(final.items_done).toBe(8);
    expect(final.documents).toBe(7);

    const general = await scanJobsFor('C0GENERAL1');
    expect(general.map((j) => j.ref.item).sort()).toEqual([
      '1767300000.000100',
      '1768471300.000200',
      '1768471400.000300',
      '1768471500.000400',
      '1768471600.000500',
    ]);
    const leaked = general.find((j) => j.ref.item === '1768471300.000200')!;
    expect(leaked.ref).toMatchObject({
      workspace: 'T0ACME0001',
      version: '1768471310.000000',
      url: 'https://acme.slack.com/archives/C0GENERAL1/p1768471300000200',
      author: { id: 'U0ALICE001' },
    });
    expect(transit.open(leaked.sealedText)).toBe(`CI: ${GITHUB_TOKEN}`);
    const reply = general.find((j) => j.ref.item === '1768471500.000400')!;
    expect(reply.ref.url).toBe(
      'https://acme.slack.com/archives/C0GENERAL1/p1768471500000400?thread_ts=1768471400.000300&cid=C0GENERAL1',
    );
    expect((await scanJobsFor('C0PRIVATE1')).map((j) => j.ref.item)).toEqual(['1768471700.000600']);
    expect(await scanJobsFor('C0RANDOM01')).toEqual([]);

    // The Slack calls: listing paged, history from `since` with cursor, replies for the thread, 429 retried.
    const history = calls.filter((c) => c.method === 'conversations.history');
    expect(history.every((c) => c.params.oldest === '1767225600.000000' && c.params.limit === '200')).toBe(true);
    expect(history.filter((c) => c.params.channel === 'C0GENERAL1').map((c) => c.params.cursor)).toEqual([
      undefined,
      'bmV4dF90czoxNzY4NDcxMjAw',
    ]);
    expect(history.filter((c) => c.params.channel === 'C0PRIVATE1')).toHaveLength(2);
    expect(calls.filter((c) => c.method === 'conversations.replies').map((c) => c.params.ts)).toEqual([
      '1768471400.000300',
    ]);
    expect(calls.filter((c) => c.method === 'conversations.list').map((c) => c.params.types)).toEqual([
      'public_channel,private_channel,mpim,im',
      'public_channel,private_channel,mpim,im',
    ]);
    expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
    expect(Date.now() - startedAt).toBeLessThan(20_000); // a 429 never made a worker wait
  });

  it('queues the next page after the pace interval, and a rate-limited step after Retry-After', async () => {
    let historyCalls = 0;
    server.use(
      authTest,
      slack('conversations.history', () =>
        ++historyCalls === 2
          ? rateLimited(90)
          : page([message(`176847${historyCalls}000.000100`, 'x')], `c${historyCalls}`),
      ),
    );
    const deps = depsWith({ SLACK_BACKFILL_RPM: '1' });
    const { run: created } = await startSlackBackfill(deps, { channels: ['C0PACED001'] });
    for (const job of await queuedSteps(created.id)) await boss.deleteJob(SLACK_BACKFILL_QUEUE, job.id);

    const before = Date.now();
    expect(await handleSlackBackfillStep(deps, { runId: created.id })).toMatchObject({ status: 'running', items: 1 });
    const [next] = await queuedSteps(created.id);
    // SLACK_BACKFILL_RPM=1: one call a minute.
    expect(next!.startAfter.getTime()).toBeGreaterThanOrEqual(before + 59_000);
    await boss.deleteJob(SLACK_BACKFILL_QUEUE, next!.id);

    expect(await handleSlackBackfillStep(deps, { runId: created.id })).toEqual({
      status: 'paused',
      retryAfterSeconds: 90,
    });
    const [later] = await queuedSteps(created.id);
    expect(later!.startAfter.getTime()).toBeGreaterThanOrEqual(before + 89_000);
    expect((await run(created.id)).status).toBe('paused');
  });

  it('resumes the unfinished run with the same scope instead of starting over', async () => {
    server.use(
      authTest,
      slack('conversations.list', () => ({
        ok: true,
        channels: [channel('C0RESUME01', 'deploys')],
        response_metadata: { next_cursor: '' },
      })),
      slack('conversations.history', (p) =>
        p.cursor
          ? page([message('1768471000.000100', 'second page')])
          : page([message('1768472000.000100', 'first')], 'next-page'),
      ),
    );
    const deps = depsWith();
    const first = await startSlackBackfill(deps, { channels: ['#deploys'], since: '2026-01-01' });
    await drive(deps, first.run.id, 2); // listing + first history page
    const mid = await run(first.run.id);
    expect(backfillProgress(mid)).toMatchObject({ status: 'running', currentChannel: 'deploys', itemsDone: 1 });

    const again = await startSlackBackfill(deps, { channels: ['deploys'], since: '2026-01-01T00:00:00.000Z' });
    expect(again).toMatchObject({ resumed: true, run: { id: first.run.id } });
    expect(await queuedSteps(first.run.id)).toHaveLength(1); // still one chain, not two

    const outcomes = await drive(deps, first.run.id);
    expect(outcomes.at(-1)).toMatchObject({ status: 'done' });
    const history = calls.filter((c) => c.method === 'conversations.history');
    expect(history.map((c) => c.params.cursor)).toEqual([undefined, 'next-page']);
    expect((await run(first.run.id)).items_done).toBe(2);

    const other = await startSlackBackfill(deps, { channels: ['deploys'] });
    expect(other.resumed).toBe(false);
    expect(other.run.id).not.toBe(first.run.id);
  });

  it('fails the run with a clear error when the token is unusable, and reports names it could not find', async () => {
    server.use(
      authTest,
      slack('conversations.list', () => ({
        ok: true,
        channels: [channel('C0ONE00001', 'one')],
        response_metadata: { next_cursor: '' },
      })),
      slack('conversations.history', () => ({ ok: false, error: 'invalid_auth' })),
    );
    const deps = depsWith();
    const { run: created } = await startSlackBackfill(deps, { channels: ['one', 'does-not-exist'] });
    const outcomes = await drive(deps, created.id);
    expect(outcomes.at(-1)).toMatchObject({ status: 'failed' });
    const final = await run(created.id);
    expect(final).toMatchObject({ status: 'failed', error: 'Slack answered invalid_auth' });
    expect(backfillProgress(final).skipped).toEqual([
      { channel: 'does-not-exist', reason: 'not found among the conversations the bot can see' },
    ]);
    expect(await queuedSteps(created.id)).toHaveLength(0);
  });

  it('refuses to start with a bad token or a bad --since', async () => {
    server.use(slack('auth.test', () => ({ ok: false, error: 'invalid_auth' })));
    await expect(startSlackBackfill(depsWith(), {})).rejects.toThrow(
      'Slack backfill cannot start: Slack answered invalid_auth',
    );
    await expect(startSlackBackfill(depsWith(), { since: 'last tuesday' })).rejects.toThrow(
      '--since must be an ISO-8601 date, got "last tuesday"',
    );
  });

  it('lets only one of two concurrent steps of a run commit', async () => {
    server.use(
      authTest,
      slack('conversations.history', () => page([message('1768473000.000100', 'x')], 'more')),
    );
    const deps = depsWith();
    const { run: created } = await startSlackBackfill(deps, { channels: ['C0RACE0001'] });
    const outcomes = await Promise.all([
      handleSlackBackfillStep(deps, { runId: created.id }),
      handleSlackBackfillStep(deps, { runId: created.id }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['running', 'skipped']);
    expect((await run(created.id)).items_done).toBe(1);
  });

  it('runs as chained jobs under a worker and reports progress until done', async () => {
    server.use(
      authTest,
      slack('conversations.history', (p) =>
        p.cursor
          ? page([message('1768474000.000100', `late ${GITHUB_TOKEN}`)])
          : page([message('1768475000.000100', 'hello')], 'p2'),
      ),
    );
    const deps = depsWith({ SLACK_BACKFILL_RPM: '1000' });
    // Steps other tests left queued belong to their runs, not this one.
    await boss.deleteQueuedJobs(SLACK_BACKFILL_QUEUE);
    await boss.work<BackfillStepJob>(SLACK_BACKFILL_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) =>
      handleSlackBackfillStep(deps, job!.data),
    );
    try {
      const seen: BackfillProgress[] = [];
      let started: { runId: string; resumed: boolean } | undefined;
      const final = await backfillSlack(
        deps,
        { channels: ['C0WORKER01'] },
        { onProgress: (p) => seen.push(p), onStart: (info) => (started = info), intervalMs: 100 },
      );
      expect(started).toMatchObject({ resumed: false });
      expect(final).toMatchObject({ status: 'done', itemsDone: 2, documents: 2, channelsDone: 1, channelsTotal: 1 });
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(seen[0]!.status).toBe('running');
    } finally {
      await boss.offWork(SLACK_BACKFILL_QUEUE);
    }
  }, 60_000);
});
