import { WebAPIRateLimitedError } from '@slack/web-api';
import type { PgBoss } from 'pg-boss';
import { sql } from 'kysely';
import { delay, http, HttpResponse } from 'msw';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { useJobQueueBed } from '../../test/job-queue-bed.ts';
import type { Identity, Occurrence } from '../../src/db/schema.ts';
import { handleNoticeRefresh } from '../../src/jobs/notice-refresh-worker.ts';
import { handleNotify, handleNotifyBatch } from '../../src/jobs/notify-worker.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import type { PipelineContext } from '../../src/jobs/pipeline-context.ts';
import type { OwnerNotice } from '../../src/notify/notifier.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import {
  API_URL,
  BOT_TOKEN,
  FakeSlack,
  SECURITY_CHANNEL,
  capturingLogger,
  leakedSlackToken,
  pipelineKit,
  plant,
  slackRef,
  type Planted,
} from './outbound-test-kit.ts';
import { ACTIONS_BLOCK_ID, OUTCOME_BLOCK_ID, OWNER_ACTIONS } from './owner-message.ts';
import { createSlackClient } from './slack-client.ts';
import { loadSlackConfig } from './slack-config.ts';
import { createSlackNotifier, LIVE_CRITICAL_ALERT, recipientKey } from './slack-notifier.ts';

const server = useMswServer();
const kit = pipelineKit();
const planted: string[] = [];
const { logger, lines } = capturingLogger();
let slack: FakeSlack;
const fakes: FakeSlack[] = [];

// A fresh database with the job queue on it: notices are claimed for pg-boss jobs.
const bed = useJobQueueBed();

beforeEach(() => {
  slack = new FakeSlack();
  fakes.push(slack);
  server.use(...slack.handlers());
});

function outboundDeps(env: Record<string, string> = {}, policy: 'off' | 'manual' = 'manual'): SlackOutboundDeps {
  const config = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    SLACK_SECURITY_CHANNEL: SECURITY_CHANNEL,
    ...env,
  })!;
  return {
    config,
    bot: createSlackClient(BOT_TOKEN, config),
    botPosting: createSlackClient(BOT_TOKEN, config, undefined, { retries: 0 }),
    db: bed.database.db,
    // The notifier never queues jobs.
    boss: undefined as unknown as PgBoss,
    logger,
    now: () => new Date(),
    detectors: new Map(detectors.map((d) => [d.id, d])),
    revocation: {
      policy: { modeFor: () => policy, dryRun: false },
      transit: kit.transit,
      vault: kit.vault,
    },
  };
}

async function noticeFor(p: Planted): Promise<OwnerNotice> {
  const finding = await bed.database.db
    .selectFrom('findings')
    .selectAll()
    .where('id', '=', p.finding.id)
    .executeTakeFirstOrThrow();
  const occurrences: Occurrence[] = await bed.database.db
    .selectFrom('occurrences')
    .selectAll()
    .where('finding_id', '=', finding.id)
    .execute();
  const owner: Identity | null = finding.owner_identity_id
    ? await bed.database.db
        .selectFrom('identities')
        .selectAll()
        .where('id', '=', finding.owner_identity_id)
        .executeTakeFirstOrThrow()
    : null;
  return { finding, occurrences, owner };
}

async function plantToken(
  ref = slackRef('C0DEPLOYS', '1764000100.000100', 'U0DANA'),
): Promise<Planted & { token: string }> {
  const token = leakedSlackToken();
  planted.push(token);
  const p = await plant(bed.database, kit, ref, `prod bot: SLACK_BOT_TOKEN=${token} (temporary)`);
  return { ...p, token };
}

async function resolve(findingId: string, remediation: 'rotated' | 'revoked'): Promise<void> {
  const now = new Date();
  await bed.database.db
    .updateTable('findings')
    .set({ status: 'resolved', remediation, remediated_at: now, resolved_at: now, liveness: 'dead' })
    .where('id', '=', findingId)
    .execute();
}

function blocksOf(call: { params: Record<string, string> }): Array<Record<string, unknown>> {
  return JSON.parse(call.params.blocks ?? '[]') as Array<Record<string, unknown>>;
}

describe('Slack owner notifier', () => {
  it('DMs a Slack author the redacted secret, where it is, what to do and the three buttons', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test', name: 'Dana' });
    const p = await plantToken();
    const notifier = createSlackNotifier(outboundDeps());
    const notice = await noticeFor(p);

    expect(notifier.recipientFor(notice)).toBe('slack:U0DANA');
    const delivery = await notifier.notifyOwner(notice);

    expect(delivery).toMatchObject({ delivered: true, recipient: 'slack:U0DANA' });
    expect(slack.calls.map((c) => c.method)).toEqual(['users.info', 'conversations.open', 'chat.postMessage']);
    expect(slack.calls.every((c) => c.token === BOT_TOKEN)).toBe(true);
    const post = slack.callsTo('chat.postMessage')[0]!;
    expect(post.params.channel).toBe('D0DANA');
    expect(delivery.externalId).toBe(`D0DANA/${slack.messages[0]!.ts}`);

    const text = JSON.stringify(blocksOf(post));
    expect(text).toContain(p.finding.redacted);
    expect(text).toContain('https://acme.slack.com/archives/C0DEPLOYS/p1764000100000100');
    expect(text).toContain('<#C0DEPLOYS>');
    expect(text).toContain('https://api.slack.com/apps'); // Slack's rotation guide
    const actions = blocksOf(post).find((b) => b.type === 'actions') as { elements: Array<Record<string, unknown>> };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      [OWNER_ACTIONS.rotated, p.finding.id],
      [OWNER_ACTIONS.revoke, p.finding.id],
      [OWNER_ACTIONS.notSecret, p.finding.id],
    ]);
    expect(text).not.toContain(p.token);
  });

  it('offers no "Revoke it now" when the revocation policy is off for the finding', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000101.000100', 'U0DANA'));
    await createSlackNotifier(outboundDeps({}, 'off')).notifyOwner(await noticeFor(p));
    const actions = blocksOf(slack.callsTo('chat.postMessage')[0]!).find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string }>;
    };
    expect(actions.elements.map((e) => e.action_id)).toEqual([OWNER_ACTIONS.rotated, OWNER_ACTIONS.notSecret]);
  });

  it('finds a Jira author by email, remembers their Slack id, and keeps the recipient key stable', async () => {
    slack.addUser({ id: 'U0JIRA', email: 'Jo@Acme.test' });
    const token = leakedSlackToken();
    planted.push(token);
    const p = await plant(
      bed.database,
      kit,
      {
        platform: 'jira',
        workspace: 'acme.atlassian.net',
        container: 'OPS',
        item: 'OPS-7#comment-1',
        url: 'https://acme.atlassian.net/browse/OPS-7?focusedCommentId=1',
        author: { id: 'acc-jo', email: 'jo@acme.test', name: 'Jo' },
      },
      `token ${token}`,
      { format: 'plain' },
    );
    const notifier = createSlackNotifier(outboundDeps());
    const before = await noticeFor(p);
    const key = notifier.recipientFor(before);
    expect(key).toBe('slack:jira:acc-jo');

    const delivery = await notifier.notifyOwner(before);
    expect(delivery).toMatchObject({ delivered: true, recipient: key });
    expect(slack.callsTo('users.lookupByEmail')[0]!.params.email).toBe('jo@acme.test');
    expect(slack.callsTo('chat.postMessage')[0]!.params.channel).toBe('D0JIRA');

    const after = await noticeFor(p);
    expect(after.owner?.slack_user_id).toBe('U0JIRA');
    // A retry after the mapping was stored must not become a different recipient (= a second DM).
    expect(notifier.recipientFor(after)).toBe(key);
    await notifier.notifyOwner(after);
    expect(slack.callsTo('users.lookupByEmail')).toHaveLength(1);
    expect(slack.callsTo('users.info')).toHaveLength(1);
  });

  it('sends a finding whose author has no email to the security channel, saying why', async () => {
    const token = leakedSlackToken();
    planted.push(token);
    const p = await plant(
      bed.database,
      kit,
      { platform: 'confluence', workspace: 'acme', container: 'ENG', item: 'page-9', author: { id: 'acc-noemail' } },
      `export SLACK_TOKEN=${token}`,
      { format: 'plain' },
    );
    const delivery = await createSlackNotifier(outboundDeps()).notifyOwner(await noticeFor(p));
    expect(delivery).toMatchObject({ delivered: true, recipient: 'slack:confluence:acc-noemail' });
    expect(slack.callsTo('users.lookupByEmail')).toHaveLength(0);
    const post = slack.callsTo('chat.postMessage')[0]!;
    expect(post.params.channel).toBe(SECURITY_CHANNEL);
    expect(JSON.stringify(blocksOf(post))).toContain('no email address');
  });

  it('sends to the security channel when nobody in Slack has the author\u2019s email (users_not_found)', async () => {
    const token = leakedSlackToken();
    planted.push(token);
    const p = await plant(
      bed.database,
      kit,
      {
        platform: 'jira',
        workspace: 'acme',
        container: 'OPS',
        item: 'OPS-8',
        author: { id: 'acc-gone', email: 'gone@acme.test' },
      },
      `token ${token}`,
      { format: 'plain' },
    );
    const delivery = await createSlackNotifier(outboundDeps()).notifyOwner(await noticeFor(p));
    expect(delivery.delivered).toBe(true);
    expect(slack.callsTo('users.lookupByEmail')).toHaveLength(1);
    const post = slack.callsTo('chat.postMessage')[0]!;
    expect(post.params.channel).toBe(SECURITY_CHANNEL);
    expect(JSON.stringify(blocksOf(post))).toContain('no Slack account with their email');
  });

  it('sends a deactivated author\u2019s token straight to the security channel', async () => {
    slack.addUser({ id: 'U0LEFT', email: 'left@acme.test', deleted: true });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000102.000100', 'U0LEFT'));
    const delivery = await createSlackNotifier(outboundDeps()).notifyOwner(await noticeFor(p));
    expect(delivery).toMatchObject({ delivered: true, recipient: 'slack:U0LEFT' });
    expect(slack.callsTo('conversations.open')).toHaveLength(0);
    const post = slack.callsTo('chat.postMessage')[0]!;
    expect(post.params.channel).toBe(SECURITY_CHANNEL);
    const text = JSON.stringify(blocksOf(post));
    expect(text).toContain('deactivated');
    expect(text).toContain('<@U0LEFT>');
  });

  it('reports an undeliverable notice when there is no owner and no security channel', async () => {
    const token = leakedSlackToken();
    planted.push(token);
    const p = await plant(
      bed.database,
      kit,
      { platform: 'wiki', workspace: 'acme', container: 'HR', item: 'p-1' },
      `key ${token}`,
      { format: 'plain' },
    );
    const deps = outboundDeps();
    deps.config = { ...deps.config, securityChannel: undefined };
    const notice = await noticeFor(p);
    const notifier = createSlackNotifier(deps);
    expect(notifier.recipientFor(notice)).toBe('slack:security');
    const delivery = await notifier.notifyOwner(notice);
    expect(delivery.delivered).toBe(false);
    expect(delivery.reason).toContain('SLACK_SECURITY_CHANNEL');
    expect(slack.calls).toHaveLength(0);
  });

  it('alerts the security channel once, at once, for a live critical finding', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000103.000100', 'U0DANA'));
    await bed.database.db
      .updateTable('findings')
      .set({
        liveness: 'live',
        severity: 'critical',
        verification_facts: JSON.stringify({
          account: 'deploy-bot@acme',
          scopes: ['chat:write', 'admin'],
          privileged: true,
        }),
      })
      .where('id', '=', p.finding.id)
      .execute();
    const notifier = createSlackNotifier(outboundDeps());
    await notifier.notifyOwner(await noticeFor(p));
    const posts = slack.callsTo('chat.postMessage');
    expect(posts.map((c) => c.params.channel)).toEqual(['D0DANA', SECURITY_CHANNEL]);
    const dm = JSON.stringify(blocksOf(posts[0]!));
    expect(dm).toContain('deploy-bot@acme');
    expect(dm).toContain('`admin`');
    expect(JSON.stringify(blocksOf(posts[1]!))).toContain('Live critical credential');
    const alert = await bed.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('finding_id', '=', p.finding.id)
      .where('kind', '=', LIVE_CRITICAL_ALERT)
      .executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ recipient: 'slack:security', status: 'sent' });

    await notifier.notifyOwner(await noticeFor(p));
    expect(slack.callsTo('chat.postMessage').map((c) => c.params.channel)).toEqual([
      'D0DANA',
      SECURITY_CHANNEL,
      'D0DANA',
    ]);
  });

  it('throws on a 429 (with Slack\u2019s Retry-After) so the job is retried, instead of rerouting the notice', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    slack.failNext('chat.postMessage', { rateLimitedFor: 42 });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000104.000100', 'U0DANA'));
    const error = await createSlackNotifier(outboundDeps())
      .notifyOwner(await noticeFor(p))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect((error as WebAPIRateLimitedError).retryAfter).toBe(42);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('falls back to the security channel when Slack refuses the DM (cannot_dm_bot)', async () => {
    slack.addUser({ id: 'U0BOTAUTHOR', is_bot: false });
    slack.failNext('conversations.open', { error: 'cannot_dm_bot' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000105.000100', 'U0BOTAUTHOR'));
    const delivery = await createSlackNotifier(outboundDeps()).notifyOwner(await noticeFor(p));
    expect(delivery.delivered).toBe(true);
    expect(slack.callsTo('chat.postMessage')[0]!.params.channel).toBe(SECURITY_CHANNEL);
    expect(JSON.stringify(blocksOf(slack.callsTo('chat.postMessage')[0]!))).toContain('cannot_dm_bot');
  });

  it('sends exactly one DM through the notify worker, even when the job runs twice', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000106.000100', 'U0DANA'));
    const notifier = createSlackNotifier(outboundDeps());
    // The notify worker only uses the bed.database, the notifier and the clock.
    const ctx = { db: bed.database.db, notifier, now: () => new Date(), logger } as unknown as PipelineContext;
    expect(await handleNotify(ctx, { findingId: p.finding.id })).toBe('sent');
    expect(await handleNotify(ctx, { findingId: p.finding.id })).toBe('already');
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const row = await bed.database.db
      .selectFrom('notifications')
      .selectAll()
      .where('finding_id', '=', p.finding.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      recipient: 'slack:U0DANA',
      status: 'sent',
      external_id: `D0DANA/${slack.messages[0]!.ts}`,
    });
    const finding = await bed.database.db
      .selectFrom('findings')
      .select('status')
      .where('id', '=', p.finding.id)
      .executeTakeFirstOrThrow();
    expect(finding.status).toBe('notified');
  });

  /**
   * Two notify jobs for one finding, fetched (active) as a worker would, and the worker's context. Batches of
   * findings are keyed on their own (`findingJobs`), so two batches holding one finding can run side by side.
   */
  async function twoActiveJobs(findingId: string): Promise<{ ids: [string, string]; ctx: PipelineContext }> {
    const ids: string[] = [];
    for (const batch of ['a', 'b']) {
      await bed.boss.insert(QUEUES.notify, [{ data: { findingId }, singletonKey: `batch-${findingId}-${batch}` }]);
      const fetched = await bed.boss.fetch<{ findingId: string }>(QUEUES.notify);
      expect(fetched.map((j) => j.data)).toEqual([{ findingId }]);
      ids.push(fetched[0]!.id);
    }
    const ctx = {
      db: bed.database.db,
      boss: bed.boss,
      notifier: createSlackNotifier(outboundDeps()),
      now: () => new Date(),
      logger,
    };
    return { ids: ids as [string, string], ctx: ctx as unknown as PipelineContext };
  }

  /** The `sending` claim a job leaves behind when its process dies mid-send. */
  async function leftSending(findingId: string, jobId: string): Promise<void> {
    await bed.database.db
      .insertInto('notifications')
      .values({ finding_id: findingId, recipient: 'slack:U0DANA', kind: 'owner', status: 'sending', claimed_by: jobId })
      .execute();
  }

  it('sends one DM when two jobs for one finding run side by side; the other is retried and finds it sent', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000107.000100', 'U0DANA'));
    const { ids, ctx } = await twoActiveJobs(p.finding.id);
    // Slack takes a moment to answer: the second job looks while the first is sending.
    server.use(http.post(`${API_URL}chat.postMessage`, () => delay(300)));

    const [first, second] = await Promise.all(
      ids.map((id) => handleNotifyBatch(ctx, [{ findingId: p.finding.id }], [id])),
    );
    const outcomes = [first![0], second![0]];
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    const busy = outcomes.find((o) => o !== 'sent');
    expect(busy).toBeInstanceOf(Error);
    expect((busy as Error).message).toMatch(/another job is sending/);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);

    // The first job completes; the retried second one finds the notice sent.
    const sender = ids[outcomes.indexOf('sent')]!;
    await bed.boss.complete(QUEUES.notify, sender);
    const retried = ids.find((id) => id !== sender)!;
    expect(await handleNotifyBatch(ctx, [{ findingId: p.finding.id }], [retried])).toEqual(['already']);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('takes over a send cut short by a crash: a DM that arrived is recorded, not sent again', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000108.000100', 'U0DANA'));
    const { ids, ctx } = await twoActiveJobs(p.finding.id);
    // The first job claimed the notice and the DM went out, then its process died before recording it.
    const delivered = await ctx.notifier.notifyOwner(await noticeFor(p));
    await leftSending(p.finding.id, ids[0]);
    // While that job still counts as running, the other job leaves the notice alone…
    const [whileActive] = await handleNotifyBatch(ctx, [{ findingId: p.finding.id }], [ids[1]]);
    expect(whileActive).toBeInstanceOf(Error);
    // …and once pg-boss gave the dead job up (its heartbeat lapsed), it takes over and finds the DM.
    await bed.boss.fail(QUEUES.notify, ids[0], { message: 'heartbeat lapsed' });
    expect(await handleNotifyBatch(ctx, [{ findingId: p.finding.id }], [ids[1]])).toEqual(['sent']);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    const row = await bed.database.db
      .selectFrom('notifications')
      .select(['status', 'external_id', 'claimed_by'])
      .where('finding_id', '=', p.finding.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'sent',
      external_id: delivered.externalId,
      claimed_by: expect.stringMatching(new RegExp(`^${ids[1]} `)),
    });
  });

  it('sends a notice whose crashed send never reached Slack, once', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000109.000100', 'U0DANA'));
    const { ids, ctx } = await twoActiveJobs(p.finding.id);
    await leftSending(p.finding.id, ids[0]);
    await bed.boss.fail(QUEUES.notify, ids[0], { message: 'heartbeat lapsed' });
    // The dead job's retry is fetched again (active), as a worker does once its retry delay has passed: a retry
    // only runs while active, which is what tells the other job to keep off the notice it took over.
    await sql`update pgboss.job set start_after = now() where id = ${ids[0]}`.execute(bed.database.db);
    expect((await bed.boss.fetch(QUEUES.notify)).map((j) => j.id)).toEqual([ids[0]]);
    // Both the dead job's retry and the other job try; one takes the notice over, the other is retried.
    const outcomes = await Promise.all(
      ids.map(async (id) => (await handleNotifyBatch(ctx, [{ findingId: p.finding.id }], [id]))[0]),
    );
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('conversations.history')).toHaveLength(1);
  });

  it('does not post a DM twice when Slack took it but answered 503: the retry finds it and records it', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken(slackRef('C0DEPLOYS', '1764000110.000100', 'U0DANA'));
    const { ids, ctx } = await twoActiveJobs(p.finding.id);
    // Slack stores the message, then its answer is lost in a 503 (an incident, a proxy timing out).
    let answered = false;
    server.use(
      http.post(`${API_URL}chat.postMessage`, async ({ request }) => {
        if (answered) return undefined;
        answered = true;
        const form = Object.fromEntries(new URLSearchParams(await request.clone().text()));
        slack.messages.push({
          channel: form.channel!,
          ts: `${Math.floor(Date.now() / 1000)}.000042`,
          text: form.text ?? '',
          bot_id: 'B0LEAKBOT',
          blocks: JSON.parse(form.blocks ?? '[]') as unknown[],
        });
        return new HttpResponse('upstream timed out', { status: 503 });
      }),
    );
    const [first] = await handleNotifyBatch(ctx, [{ findingId: p.finding.id }], [ids[0]]);
    expect(first).toBeInstanceOf(Error);
    // The post is not repeated by the client, and the claim stays: nobody knows yet whether it arrived.
    expect(answered).toBe(true);
    expect(slack.messages.filter((m) => m.channel === 'D0DANA')).toHaveLength(1);
    const claim = await bed.database.db
      .selectFrom('notifications')
      .select('status')
      .where('finding_id', '=', p.finding.id)
      .executeTakeFirstOrThrow();
    expect(claim.status).toBe('sending');

    // The job's retry asks Slack, finds the DM and records it instead of posting a second one.
    expect(await handleNotifyBatch(ctx, [{ findingId: p.finding.id }], [ids[0]])).toEqual(['sent']);
    expect(slack.messages.filter((m) => m.channel === 'D0DANA')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('rewrites the sent DM once the finding is resolved: the proof that it is dead, and no buttons', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test', name: 'Dana' });
    const p = await plantToken();
    const notifier = createSlackNotifier(outboundDeps());
    const ctx = { db: bed.database.db, notifier, now: () => new Date(), logger } as unknown as PipelineContext;
    // Nothing sent yet: nothing to rewrite.
    await resolve(p.finding.id, 'rotated');
    expect(await handleNoticeRefresh(ctx, { findingId: p.finding.id })).toBe('skipped');
    // A notice being sent right now (rendered before the finding resolved): the refresh waits for it (retried).
    const sending = await bed.database.db
      .insertInto('notifications')
      .values({ finding_id: p.finding.id, recipient: 'slack:U0DANA', kind: 'owner', status: 'sending' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(handleNoticeRefresh(ctx, { findingId: p.finding.id })).rejects.toThrow(/being sent/);
    await bed.database.db.deleteFrom('notifications').where('id', '=', sending.id).execute();
    await bed.database.db.updateTable('findings').set({ status: 'notified' }).where('id', '=', p.finding.id).execute();
    expect(await handleNotify(ctx, { findingId: p.finding.id })).toBe('sent');
    const dm = () => slack.messages.filter((m) => m.channel === 'D0DANA');
    expect(dm()).toHaveLength(1);
    expect(JSON.stringify(dm()[0]!.blocks)).toContain(ACTIONS_BLOCK_ID);

    // Re-opened before the refresh ran (seen again): the notice keeps asking for action.
    await bed.database.db.updateTable('findings').set({ status: 'reopened' }).where('id', '=', p.finding.id).execute();
    expect(await handleNoticeRefresh(ctx, { findingId: p.finding.id })).toBe('skipped');
    expect(slack.callsTo('chat.update')).toHaveLength(0);

    await resolve(p.finding.id, 'rotated');
    expect(await handleNoticeRefresh(ctx, { findingId: p.finding.id })).toBe('refreshed');
    const [message] = dm();
    const blocks = message!.blocks as Array<{ block_id?: string; text?: { text: string } }>;
    expect(blocks[0]!.text!.text).toMatch(/^:white_check_mark: Resolved: the leaked credential no longer works/);
    expect(blocks.some((b) => b.block_id === ACTIONS_BLOCK_ID)).toBe(false);
    expect(blocks.find((b) => b.block_id === OUTCOME_BLOCK_ID)!.text!.text).toMatch(
      /Resolved .*:\* it was rotated, and the issuer confirmed the old one no longer works/,
    );
    expect(message!.text).toContain(p.finding.redacted);
    expect(slack.callsTo('chat.update')[0]!.token).toBe(BOT_TOKEN);

    // A repeated refresh (a retried job) shows the same message; still one DM.
    await handleNoticeRefresh(ctx, { findingId: p.finding.id });
    expect(dm()).toHaveLength(1);
    expect(dm()[0]!.blocks).toEqual(blocks);

    // The DM was deleted in Slack since: the job completes, with a warning, instead of retrying for ever.
    slack.messages.splice(slack.messages.indexOf(dm()[0]!), 1);
    expect(await handleNoticeRefresh(ctx, { findingId: p.finding.id })).toBe('refreshed');
    expect(lines.some((l) => l.includes('could not update a sent notice') && l.includes('message_not_found'))).toBe(
      true,
    );
  });

  it('rewrites the security channel\u2019s live-critical alert too once the finding is resolved', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test' });
    const p = await plantToken();
    await bed.database.db
      .updateTable('findings')
      .set({ liveness: 'live', severity: 'critical', status: 'notified' })
      .where('id', '=', p.finding.id)
      .execute();
    const notifier = createSlackNotifier(outboundDeps());
    const ctx = { db: bed.database.db, notifier, now: () => new Date(), logger } as unknown as PipelineContext;
    expect(await handleNotify(ctx, { findingId: p.finding.id })).toBe('sent');
    expect(slack.messages.map((m) => m.channel)).toEqual(['D0DANA', SECURITY_CHANNEL]);
    await resolve(p.finding.id, 'revoked');
    expect(await handleNoticeRefresh(ctx, { findingId: p.finding.id })).toBe('refreshed');
    expect(slack.callsTo('chat.update').map((c) => c.params.channel)).toEqual(
      expect.arrayContaining(['D0DANA', SECURITY_CHANNEL]),
    );
    expect(slack.callsTo('chat.update')).toHaveLength(2);
    for (const message of slack.messages) {
      expect(JSON.stringify(message.blocks)).toContain('leakwatch revoked it, and the issuer confirmed');
      expect(JSON.stringify(message.blocks)).not.toContain(ACTIONS_BLOCK_ID);
    }
  });

  it('tells the owner of a credential revoked before the notice went out that it is dead, with no buttons', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test', name: 'Dana' });
    const p = await plantToken();
    await resolve(p.finding.id, 'revoked');
    const delivery = await createSlackNotifier(outboundDeps()).notifyOwner(await noticeFor(p));
    expect(delivery).toMatchObject({ delivered: true, recipient: 'slack:U0DANA' });
    const blocks = JSON.stringify(blocksOf(slack.callsTo('chat.postMessage')[0]!));
    expect(blocks).toContain('Resolved: the leaked credential no longer works');
    expect(blocks).toContain('leakwatch revoked it, and the issuer confirmed it no longer works');
    expect(blocks).toContain('Anything that still used it needs a new one');
    expect(blocks).not.toContain(ACTIONS_BLOCK_ID);
  });

  it('retries a refresh Slack rate-limits (the job is retried) rather than giving up', async () => {
    slack.addUser({ id: 'U0DANA', email: 'dana@acme.test', name: 'Dana' });
    const p = await plantToken();
    const notifier = createSlackNotifier(outboundDeps());
    const ctx = { db: bed.database.db, notifier, now: () => new Date(), logger } as unknown as PipelineContext;
    expect(await handleNotify(ctx, { findingId: p.finding.id })).toBe('sent');
    await resolve(p.finding.id, 'revoked');
    slack.failNext('chat.update', { rateLimitedFor: 30 });
    await expect(handleNoticeRefresh(ctx, { findingId: p.finding.id })).rejects.toBeInstanceOf(WebAPIRateLimitedError);
    // Its retry rewrites it.
    expect(await handleNoticeRefresh(ctx, { findingId: p.finding.id })).toBe('refreshed');
    const outcome = JSON.stringify(slack.messages.find((m) => m.channel === 'D0DANA')!.blocks);
    expect(outcome).toContain('leakwatch revoked it, and the issuer confirmed it no longer works');
  });

  it('derives recipient keys from the owner identity only', () => {
    const identity = (over: Partial<Identity>): Identity => ({
      id: 'id-1',
      platform: 'slack',
      platform_user_id: 'U1',
      email: null,
      display_name: null,
      slack_user_id: null,
      active: true,
      created_at: new Date(),
      updated_at: new Date(),
      ...over,
    });
    expect(recipientKey(null)).toBe('slack:security');
    expect(recipientKey(identity({ slack_user_id: 'U1' }))).toBe('slack:U1');
    expect(recipientKey(identity({ platform: 'teams', platform_user_id: 'aad-1' }))).toBe('slack:teams:aad-1');
    expect(
      recipientKey(identity({ platform: 'teams', platform_user_id: 'aad-1', slack_user_id: 'U9', active: false })),
    ).toBe('slack:teams:aad-1');
  });

  afterAll(() => {
    // Invariant 1: no planted secret in any request to Slack or any log line.
    const sent = fakes.map((f) => f.allRequestText()).join('\n');
    expect(sent.length).toBeGreaterThan(0);
    for (const token of planted) {
      expect(sent).not.toContain(token);
      expect(lines.join('\n')).not.toContain(token);
    }
  });
});
