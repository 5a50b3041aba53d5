import { WebAPIRateLimitedError } from '@slack/web-api';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { SLACK_DIGEST_QUEUE, sendSlackDigest, slackDigestJobHandler, slackDigestSchedule } from './digest-job.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import {
  BOT_TOKEN,
  FakeSlack,
  SECURITY_CHANNEL,
  capturingLogger,
  leakedSlackToken,
  pipelineKit,
  plant,
  slackRef,
} from './outbound-test-kit.ts';
import { createSlackClient } from './slack-client.ts';
import { loadSlackConfig } from './slack-config.ts';

const server = useMswServer();
const kit = pipelineKit();
const planted: string[] = [];
const fakes: FakeSlack[] = [];
const { logger, lines } = capturingLogger();
let slack: FakeSlack;
let database: DatabaseHandle & { drop(): Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
  // Three leaks: two in #deploys (one live and critical), one in #random.
  for (const [channel, ts, user] of [
    ['C0DEPLOYS', '1764300001.000100', 'U0DANA'],
    ['C0DEPLOYS', '1764300002.000100', 'U0SAM'],
    ['C0RANDOM', '1764300003.000100', 'U0SAM'],
  ] as const) {
    const token = leakedSlackToken();
    planted.push(token);
    await plant(database, kit, slackRef(channel, ts, user), `SLACK_BOT_TOKEN=${token}`);
  }
  await database.db
    .updateTable('findings')
    .set({ liveness: 'live', severity: 'critical' })
    .where(
      'id',
      '=',
      (await database.db.selectFrom('findings').select('id').orderBy('created_at').executeTakeFirstOrThrow()).id,
    )
    .execute();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});
beforeEach(() => {
  slack = new FakeSlack();
  fakes.push(slack);
  server.use(...slack.handlers());
});

function outboundDeps(env: Record<string, string> = {}, now = () => new Date()): SlackOutboundDeps {
  const config = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    SLACK_SECURITY_CHANNEL: SECURITY_CHANNEL,
    ...env,
  })!;
  return {
    config,
    bot: createSlackClient(BOT_TOKEN, config),
    db: database.db,
    // Posting a digest queues nothing.
    boss: undefined as unknown as PgBoss,
    logger,
    now,
    detectors: new Map(detectors.map((d) => [d.id, d])),
  };
}

describe('Slack security digest', () => {
  it('posts the digest to the security channel: counts, live findings, top channels, no secret', async () => {
    const result = await sendSlackDigest(outboundDeps(), { period: 'daily', requestedBy: 'cli' });
    expect(result.posted).toBe(true);
    const post = slack.callsTo('chat.postMessage')[0]!;
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.params.channel).toBe(SECURITY_CHANNEL);
    expect(result.externalId).toBe(`${SECURITY_CHANNEL}/${slack.messages[0]!.ts}`);
    const blocks = post.params.blocks!;
    expect(blocks).toContain('leakwatch daily digest');
    expect(blocks).toContain('*New findings*\\n3 (1 critical, 2 high)');
    expect(blocks).toContain('*Open now*\\n3 (1 live)');
    expect(blocks).toContain('Oldest open live findings');
    expect(blocks).toContain('<@U0DANA>');
    expect(blocks).toContain('<#C0DEPLOYS> — 2');
    expect(blocks).toContain('<#C0RANDOM> — 1');
    expect(post.params.text).toContain('3 new findings (1 live)');
    const audit = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'digest.posted')
      .executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor: 'cli', target_type: 'slack_digest' });
  });

  it('posts a scheduled digest once per period and day, but an on-demand one every time', async () => {
    const deps = outboundDeps({}, () => new Date('2031-03-04T09:00:05Z'));
    const handle = slackDigestJobHandler(deps);
    expect(await handle({ period: 'weekly', scheduled: true })).toMatchObject({ posted: true });
    const retry = await handle({ period: 'weekly', scheduled: true });
    expect(retry.posted).toBe(false);
    expect(retry.reason).toContain('already posted');
    expect(await handle({ period: 'daily', scheduled: true })).toMatchObject({ posted: true });
    expect(await sendSlackDigest(deps, { period: 'weekly' })).toMatchObject({ posted: true });
    expect(slack.callsTo('chat.postMessage')).toHaveLength(3);
    expect(slack.callsTo('chat.postMessage')[0]!.params.blocks).toContain('leakwatch weekly digest');
  });

  it('uses SLACK_DIGEST_PERIOD when the job names no period', async () => {
    await slackDigestJobHandler(outboundDeps({ SLACK_DIGEST_PERIOD: 'weekly' }))({});
    expect(slack.callsTo('chat.postMessage')[0]!.params.blocks).toContain('weekly digest');
  });

  it('posts nothing without SLACK_SECURITY_CHANNEL', async () => {
    const deps = outboundDeps();
    deps.config = { ...deps.config, securityChannel: undefined };
    expect(await sendSlackDigest(deps, { period: 'daily' })).toEqual({
      posted: false,
      reason: 'SLACK_SECURITY_CHANNEL is not set',
    });
    expect(slack.calls).toHaveLength(0);
  });

  it('throws on a 429 so the digest job is retried after Retry-After, and records nothing', async () => {
    slack.failNext('chat.postMessage', { rateLimitedFor: 60 });
    const deps = outboundDeps({}, () => new Date('2031-05-06T09:00:00Z'));
    const error = await sendSlackDigest(deps, { period: 'daily', scheduled: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(60);
    // The retry is not mistaken for an already-posted digest.
    expect(await sendSlackDigest(deps, { period: 'daily', scheduled: true })).toMatchObject({ posted: true });
  });

  it('schedules the digest on SLACK_DIGEST_CRON, unless it is off or there is no security channel', () => {
    expect(slackDigestSchedule(outboundDeps().config)).toEqual({
      queue: SLACK_DIGEST_QUEUE,
      cron: '0 9 * * *',
      data: { period: 'daily', scheduled: true },
    });
    expect(slackDigestSchedule(outboundDeps({ SLACK_DIGEST_CRON: 'off' }).config)).toBeUndefined();
    const noChannel = { ...outboundDeps().config, securityChannel: undefined };
    expect(slackDigestSchedule(noChannel)).toBeUndefined();
  });

  afterAll(() => {
    const sent = fakes.map((f) => f.allRequestText()).join('\n');
    expect(sent).toContain('digest');
    for (const token of planted) {
      expect(sent).not.toContain(token);
      expect(lines.join('\n')).not.toContain(token);
    }
  });
});
