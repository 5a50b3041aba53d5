import { createHmac } from 'node:crypto';
import type { Hono } from 'hono';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import type { Finding } from '../../src/db/schema.ts';
import { startJobQueue } from '../../src/jobs/job-queue.ts';
import { QUEUES, type RevokeJob } from '../../src/jobs/queues.ts';
import type { FindingEventType } from '../../src/jobs/pipeline-context.ts';
import { registerSlackInteractions } from './interactions.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import {
  BOT_TOKEN,
  BOT_USER,
  FakeSlack,
  SECURITY_CHANNEL,
  TEAM,
  capturingLogger,
  leakedSlackToken,
  pipelineKit,
  plant,
  slackRef,
  until,
  type Planted,
} from './outbound-test-kit.ts';
import { ACTIONS_BLOCK_ID, OUTCOME_BLOCK_ID, OWNER_ACTIONS } from './owner-message.ts';
import { createSlackApp } from './slack-app.ts';
import { createSlackClient } from './slack-client.ts';
import { loadSlackConfig } from './slack-config.ts';
import { createSlackNotifier } from './slack-notifier.ts';

const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const server = useMswServer();
const kit = pipelineKit();
const planted: string[] = [];
const fakes: FakeSlack[] = [];
const emitted: Array<{ type: FindingEventType; findingId: string }> = [];
const { logger, lines } = capturingLogger();
let slack: FakeSlack;
let database: DatabaseHandle & { drop(): Promise<void> };
let boss: PgBoss;
let clock = 1_764_200_000;

beforeAll(async () => {
  database = await createTestDatabase();
  boss = await startJobQueue(database, { supervise: false });
}, 120_000);
afterAll(async () => {
  await boss?.stop({ graceful: false, close: false });
  await database?.drop();
});
beforeEach(() => {
  slack = new FakeSlack();
  fakes.push(slack);
  server.use(...slack.handlers());
  slack.addUser({ id: 'U0DANA', email: 'dana@acme.test', name: 'Dana' });
});

interface Setup {
  routes: Hono;
  deps: SlackOutboundDeps;
}

function setup(options: { policy?: 'off' | 'manual'; vault?: boolean } = {}): Setup {
  const config = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_SECURITY_CHANNEL: SECURITY_CHANNEL,
  })!;
  const deps: SlackOutboundDeps = {
    config,
    bot: createSlackClient(BOT_TOKEN, config),
    db: database.db,
    boss,
    logger,
    now: () => new Date(),
    detectors: new Map(detectors.map((d) => [d.id, d])),
    revocation: {
      policy: { modeFor: () => options.policy ?? 'manual', dryRun: false },
      transit: kit.transit,
      vault: options.vault === false ? undefined : kit.vault,
      events: {
        emit: async (type, finding) => {
          emitted.push({ type, findingId: finding.id });
        },
      },
    },
  };
  const slackApp = createSlackApp({
    config,
    logger,
    storeEvent: async () => {
      throw new Error('no Events API payloads in these tests');
    },
    workspace: async () => ({ teamId: TEAM, url: 'https://acme.slack.com/', botUserId: BOT_USER, botId: 'B0LEAKBOT' }),
  });
  registerSlackInteractions(slackApp.app, deps);
  return { routes: slackApp.routes!, deps };
}

function signed(path: string, body: string): Request {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return new Request(`http://leakwatch.test${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': signature,
    },
    body,
  });
}

/** Plants a token posted by `author` and sends its owner notice through the real notifier (DM or security channel). */
async function notified(s: Setup, author = 'U0DANA', place = 'C0DEPLOYS'): Promise<Planted & { token: string }> {
  const token = leakedSlackToken();
  planted.push(token);
  const p = await plant(database, kit, slackRef(place, `${++clock}.000300`, author), `deploy with ${token} please`);
  const finding = await database.db
    .selectFrom('findings')
    .selectAll()
    .where('id', '=', p.finding.id)
    .executeTakeFirstOrThrow();
  const occurrences = await database.db
    .selectFrom('occurrences')
    .selectAll()
    .where('finding_id', '=', finding.id)
    .execute();
  const owner = await database.db
    .selectFrom('identities')
    .selectAll()
    .where('id', '=', finding.owner_identity_id!)
    .executeTakeFirst();
  const delivery = await createSlackNotifier(s.deps).notifyOwner({ finding, occurrences, owner: owner ?? null });
  expect(delivery.delivered).toBe(true);
  return { ...p, token };
}

/** The block_actions payload Slack sends when `user` presses `actionId` on the last message leakwatch posted. */
function click(actionId: string, findingId: string, user: string) {
  const message = slack.messages.filter((m) => m.user === BOT_USER).at(-1)!;
  const action = ((message.blocks ?? []) as Array<{ block_id?: string; elements?: Array<Record<string, unknown>> }>)
    .find((b) => b.block_id === ACTIONS_BLOCK_ID)
    ?.elements?.find((e) => e.action_id === actionId);
  const payload = {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: TEAM },
    api_app_id: 'A0LEAKWATCH',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: '1764200000.1234.abcdef',
    team: { id: TEAM, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: message.channel.startsWith('D') ? 'directmessage' : 'security' },
    message: {
      bot_id: 'B0LEAKBOT',
      type: 'message',
      text: message.text,
      user: BOT_USER,
      ts: message.ts,
      app_id: 'A0LEAKWATCH',
      blocks: message.blocks,
      team: TEAM,
    },
    state: { values: {} },
    response_url: `https://hooks.slack.com/actions/${TEAM}/1/abc`,
    actions: [
      {
        ...(action ?? { action_id: actionId, type: 'button', text: { type: 'plain_text', text: actionId } }),
        block_id: ACTIONS_BLOCK_ID,
        value: findingId,
        action_ts: `${clock}.555555`,
      },
    ],
  };
  return { message, body: `payload=${encodeURIComponent(JSON.stringify(payload))}` };
}

async function findingNow(id: string): Promise<Finding> {
  return database.db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function audit(findingId: string): Promise<Array<{ actor: string; action: string }>> {
  return database.db
    .selectFrom('audit_log')
    .select(['actor', 'action'])
    .where('target_id', '=', findingId)
    .where('actor', 'like', 'slack:%')
    .orderBy('id')
    .execute();
}

describe('Slack owner buttons', () => {
  it('acknowledges "I rotated it" at once, then marks it rotated (re-check scheduled) and updates the DM', async () => {
    const s = setup();
    const p = await notified(s);
    const { message, body } = click(OWNER_ACTIONS.rotated, p.finding.id, 'U0DANA');
    const response = await s.routes.request(signed('/slack/interactions', body));
    expect(response.status).toBe(200);
    // Slack has its answer before the work is done.
    expect(slack.callsTo('chat.update')).toHaveLength(0);

    const update = await until(() => slack.callsTo('chat.update')[0]);
    expect(update.params).toMatchObject({ channel: 'D0DANA', ts: message.ts });
    const blocks = JSON.parse(update.params.blocks!) as Array<{ block_id?: string; text?: { text: string } }>;
    expect(blocks.some((b) => b.block_id === ACTIONS_BLOCK_ID)).toBe(false);
    expect(blocks.find((b) => b.block_id === OUTCOME_BLOCK_ID)?.text?.text).toContain('re-checking');

    const finding = await findingNow(p.finding.id);
    expect(finding).toMatchObject({ status: 'remediated', remediation: 'rotated' });
    expect(finding.reverify_after).not.toBeNull();
    expect(await audit(p.finding.id)).toEqual([{ actor: 'slack:U0DANA', action: 'finding.rotated' }]);
  });

  it('refuses a click from someone who is not the notified owner', async () => {
    const s = setup();
    const p = await notified(s);
    const { body } = click(OWNER_ACTIONS.notSecret, p.finding.id, 'U0MALLORY');
    expect((await s.routes.request(signed('/slack/interactions', body))).status).toBe(200);
    const refusal = await until(() => slack.callsTo('chat.postEphemeral')[0]);
    expect(refusal.params).toMatchObject({ channel: 'D0DANA', user: 'U0MALLORY' });
    expect(refusal.params.text).toContain('Only the author');
    expect(slack.callsTo('chat.update')).toHaveLength(0);
    expect((await findingNow(p.finding.id)).status).toBe(p.finding.status);
    expect(await audit(p.finding.id)).toEqual([]);
  });

  it('rejects an unsigned click before any listener runs', async () => {
    const s = setup();
    const p = await notified(s);
    const { body } = click(OWNER_ACTIONS.rotated, p.finding.id, 'U0DANA');
    const forged = signed('/slack/interactions', body);
    forged.headers.set('x-slack-signature', `v0=${'0'.repeat(64)}`);
    expect((await s.routes.request(forged)).status).toBe(401);
    expect((await findingNow(p.finding.id)).status).toBe(p.finding.status);
  });

  it('"Not a secret" allowlists the fingerprint and closes the finding as a false positive, audited together', async () => {
    const s = setup();
    const p = await notified(s);
    await s.routes.request(signed('/slack/interactions', click(OWNER_ACTIONS.notSecret, p.finding.id, 'U0DANA').body));
    await until(() => slack.callsTo('chat.update')[0]);

    expect((await findingNow(p.finding.id)).status).toBe('false_positive');
    const entry = await database.db
      .selectFrom('allowlist_entries')
      .selectAll()
      .where('fingerprint', '=', p.finding.fingerprint)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      kind: 'fingerprint',
      detector_id: p.finding.detector_id,
      created_by: 'slack:U0DANA',
    });
    expect(await audit(p.finding.id)).toEqual([{ actor: 'slack:U0DANA', action: 'finding.false_positive' }]);
    const created = await database.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'allowlist.created')
      .where('target_id', '=', entry.id)
      .executeTakeFirst();
    expect(created?.actor).toBe('slack:U0DANA');
  });

  it('refuses "Not a secret" for a credential verified live', async () => {
    const s = setup();
    const p = await notified(s);
    await database.db.updateTable('findings').set({ liveness: 'live' }).where('id', '=', p.finding.id).execute();
    await s.routes.request(signed('/slack/interactions', click(OWNER_ACTIONS.notSecret, p.finding.id, 'U0DANA').body));
    const refusal = await until(() => slack.callsTo('chat.postEphemeral')[0]);
    expect(refusal.params.text).toContain('real secret');
    expect((await findingNow(p.finding.id)).status).not.toBe('false_positive');
    const entries = await database.db
      .selectFrom('allowlist_entries')
      .select('id')
      .where('fingerprint', '=', p.finding.fingerprint)
      .execute();
    expect(entries).toHaveLength(0);
  });

  it('"Revoke it now" queues one revoke job carrying the vaulted secret, sealed, and tells the hooks', async () => {
    const s = setup();
    const p = await notified(s);
    await s.routes.request(signed('/slack/interactions', click(OWNER_ACTIONS.revoke, p.finding.id, 'U0DANA').body));
    const update = await until(() => slack.callsTo('chat.update')[0]);
    expect(update.params.text).toContain('Revocation requested');

    const job = await boss.fetch<RevokeJob>(QUEUES.revoke);
    expect(job).toHaveLength(1);
    expect(job[0]!.data).toMatchObject({ findingId: p.finding.id, requestedBy: 'slack:U0DANA' });
    expect(JSON.stringify(job[0]!.data)).not.toContain(p.token);
    expect(kit.transit.open(job[0]!.data.sealedSecret)).toBe(p.token);
    expect(emitted).toContainEqual({ type: 'finding.revoke_requested', findingId: p.finding.id });
    expect(await audit(p.finding.id)).toEqual([{ actor: 'slack:U0DANA', action: 'finding.revoke_requested' }]);
    await boss.complete(QUEUES.revoke, job[0]!.id);
  });

  it('says revocation is impossible without LEAKWATCH_ENCRYPTION_KEY', async () => {
    const s = setup({ vault: false });
    const p = await notified(s);
    await s.routes.request(signed('/slack/interactions', click(OWNER_ACTIONS.revoke, p.finding.id, 'U0DANA').body));
    const refusal = await until(() => slack.callsTo('chat.postEphemeral')[0]);
    expect(refusal.params.text).toContain('LEAKWATCH_ENCRYPTION_KEY');
    expect(await boss.fetch(QUEUES.revoke)).toHaveLength(0);
  });

  it('refuses "Revoke it now" when the revocation policy is off', async () => {
    const s = setup({ policy: 'off' });
    const p = await notified(s);
    // The button is not offered under this policy; a stale message can still carry it.
    await s.routes.request(signed('/slack/interactions', click(OWNER_ACTIONS.revoke, p.finding.id, 'U0DANA').body));
    const refusal = await until(() => slack.callsTo('chat.postEphemeral')[0]);
    expect(refusal.params.text).toContain('revocation policy');
    expect(await boss.fetch(QUEUES.revoke)).toHaveLength(0);
  });

  it('lets anyone in the security channel act on a notice posted there', async () => {
    const s = setup();
    slack.addUser({ id: 'U0LEFT', email: 'left@acme.test', deleted: true });
    const p = await notified(s, 'U0LEFT');
    expect(slack.messages.filter((m) => m.user === BOT_USER).at(-1)!.channel).toBe(SECURITY_CHANNEL);
    await s.routes.request(signed('/slack/interactions', click(OWNER_ACTIONS.rotated, p.finding.id, 'U0SECOPS').body));
    const update = await until(() => slack.callsTo('chat.update')[0]);
    expect(update.params.channel).toBe(SECURITY_CHANNEL);
    expect(await audit(p.finding.id)).toEqual([{ actor: 'slack:U0SECOPS', action: 'finding.rotated' }]);
  });
});

describe('/leakwatch', () => {
  function command(text: string, user: string): string {
    return new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: TEAM,
      team_domain: 'acme',
      channel_id: 'C0DEPLOYS',
      channel_name: 'deploys',
      user_id: user,
      user_name: user.toLowerCase(),
      command: '/leakwatch',
      text,
      api_app_id: 'A0LEAKWATCH',
      is_enterprise_install: 'false',
      response_url: `https://hooks.slack.com/commands/${TEAM}/1/abc`,
      trigger_id: '1764200000.1234.fedcba',
    }).toString();
  }

  it('status lists only the caller\u2019s open findings, redacted', async () => {
    const s = setup();
    slack.addUser({ id: 'U0SAM', email: 'sam@acme.test' });
    const mine = await notified(s, 'U0SAM');
    const theirs = await notified(s, 'U0DANA');
    const response = await s.routes.request(signed('/slack/commands', command('status', 'U0SAM')));
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { response_type: string; blocks: unknown[] };
    expect(answer.response_type).toBe('ephemeral');
    const text = JSON.stringify(answer.blocks);
    expect(text).toContain(mine.finding.redacted);
    expect(text).toContain('(1)');
    expect(text).not.toContain(theirs.finding.redacted);
    expect(text).not.toContain(mine.token);
  });

  it('status says so when the caller has nothing open', async () => {
    const s = setup();
    const response = await s.routes.request(signed('/slack/commands', command('status', 'U0NOBODY')));
    expect(((await response.json()) as { text: string }).text).toContain('no open leakwatch findings');
  });

  it('help (and anything else) explains the command', async () => {
    const s = setup();
    for (const text of ['help', '', 'what']) {
      const response = await s.routes.request(signed('/slack/commands', command(text, 'U0SAM')));
      const answer = (await response.json()) as { response_type: string; text: string };
      expect(answer).toMatchObject({ response_type: 'ephemeral' });
      expect(answer.text).toContain('/leakwatch status');
    }
  });
});

afterAll(() => {
  // Invariant 1: no planted secret in any request to Slack or any log line.
  const sent = fakes.map((f) => f.allRequestText()).join('\n');
  expect(sent).toContain('chat.update');
  for (const token of planted) {
    expect(sent).not.toContain(token);
    expect(lines.join('\n')).not.toContain(token);
  }
});
