import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { handleBackfillJob, runBackfillSlice, startTeamsBackfill, type BackfillJob } from './backfill.ts';
import { TEAMS_QUEUES } from './teams-context.ts';
import { channelKey, chatKey, readCursor, type ChannelCursor, type ChatCursor } from './teams-cursors.ts';
import {
  CHANNEL,
  CHAT,
  channelMessage,
  chatMessage,
  GITHUB_TOKEN,
  GRAPH,
  TEAM,
  teamsTestConfig,
  tokenEndpoint,
  useTeamsTestBed,
} from './teams-test-harness.ts';

const server = useMswServer();
const bed = useTeamsTestBed();

const LOCKED_TEAM = '02bd9fd6-8f93-4758-87c3-1fb73740a315';

/** A tenant with two teams (one refuses the app), one channel with two delta pages, and one chat. */
function fakeTenant(options: { throttleChatOnce?: boolean } = {}) {
  const requests: string[] = [];
  let throttled = false;
  const handlers = [
    http.get(`${GRAPH}/teams`, ({ request }) => {
      requests.push(`teams ${new URL(request.url).search}`);
      return new URL(request.url).searchParams.has('$skiptoken')
        ? HttpResponse.json({ value: [{ id: LOCKED_TEAM }] })
        : HttpResponse.json({ '@odata.nextLink': `${GRAPH}/teams?$select=id&$skiptoken=t2`, value: [{ id: TEAM }] });
    }),
    http.get(`${GRAPH}/teams/:team/channels`, ({ params }) =>
      params.team === LOCKED_TEAM
        ? HttpResponse.json(
            { error: { code: 'Forbidden', message: 'Missing role permissions on the request.' } },
            { status: 403 },
          )
        : HttpResponse.json({ value: [{ id: CHANNEL }] }),
    ),
    http.get(`${GRAPH}/teams/:team/channels/:channel/messages/delta`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(`delta ${url.search}`);
      if (url.searchParams.get('$skiptoken') === 'p2') {
        return HttpResponse.json({
          '@odata.deltaLink': `${GRAPH}/teams/${TEAM}/channels/${CHANNEL}/messages/delta?$deltatoken=after-backfill`,
          value: [channelMessage({ id: '1606691795113', replies: [] })],
        });
      }
      return HttpResponse.json({
        '@odata.nextLink': `${GRAPH}/teams/${TEAM}/channels/${CHANNEL}/messages/delta?$skiptoken=p2`,
        value: [
          channelMessage({
            id: '1606515483514',
            body: { contentType: 'html', content: `<p>${GITHUB_TOKEN}</p>` },
            replies: [channelMessage({ id: '1606515483600', replyToId: '1606515483514' })],
          }),
        ],
      });
    }),
    http.get(`${GRAPH}/chats/:chat/messages`, () => {
      requests.push('chat');
      if (options.throttleChatOnce && !throttled) {
        throttled = true;
        return HttpResponse.json(
          { error: { code: 'TooManyRequests' } },
          { status: 429, headers: { 'Retry-After': '45' } },
        );
      }
      return HttpResponse.json({
        value: [chatMessage({ id: '1616964509832', chatId: CHAT, lastModifiedDateTime: '2025-11-20T10:00:00.000Z' })],
      });
    }),
  ];
  return { handlers, requests };
}

async function run(runId: string) {
  return bed.handle.db.selectFrom('backfill_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
}

describe('leakwatch backfill teams', () => {
  it('records the run with an audit row and queues its first slice', async () => {
    const ctx = bed.context();
    const { runId } = await startTeamsBackfill(ctx, { chats: [CHAT], since: '2025-01-01T00:00:00Z' }, 'cli:alice');
    expect(await run(runId)).toMatchObject({ platform: 'teams', status: 'running', items_done: 0, documents: 0 });
    const audit = await bed.handle.db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(audit).toMatchObject({
      actor: 'cli:alice',
      action: 'backfill.started',
      target_type: 'backfill_run',
      target_id: runId,
    });
    expect(await bed.jobs<BackfillJob>(TEAMS_QUEUES.backfill)).toEqual([
      { data: { runId }, singletonKey: runId, startAfter: expect.any(Date) },
    ]);
    await expect(startTeamsBackfill(ctx, { since: 'yesterday' }, 'cli:alice')).rejects.toThrow(/ISO date-time/);
  });

  it('walks every team, channel (replies included) and chat, records progress and leaves cursors for catch-up', async () => {
    const tenant = fakeTenant();
    server.use(tokenEndpoint(), ...tenant.handlers);
    const ctx = bed.context();
    const { runId } = await startTeamsBackfill(ctx, { chats: [CHAT] }, 'cli:alice');
    const finished = await runBackfillSlice(ctx, { runId }, 60_000);
    expect(finished).toMatchObject({ status: 'done', items_done: 4, documents: 4 });
    expect(finished!.finished_at).toBeInstanceOf(Date);
    const state = finished!.state as { skipped: Array<{ source: { teamId: string }; error: string }> };
    expect(state.skipped).toEqual([
      { source: { kind: 'team', teamId: LOCKED_TEAM }, error: expect.stringContaining('403') },
    ]);
    // A full history read: no lastModifiedDateTime filter.
    expect(tenant.requests.find((r) => r.startsWith('delta'))).not.toContain('filter');
    expect((await bed.scanJobs()).map((j) => j.ref.item).sort()).toEqual([
      '1606515483514',
      '1606515483514/1606515483600',
      '1606691795113',
      '1616964509832',
    ]);
    expect(await readCursor<ChannelCursor>(bed.handle.db, channelKey(TEAM, CHANNEL))).toEqual({
      teamId: TEAM,
      channelId: CHANNEL,
      deltaLink: `${GRAPH}/teams/${TEAM}/channels/${CHANNEL}/messages/delta?$deltatoken=after-backfill`,
    });
    expect(await readCursor<ChatCursor>(bed.handle.db, chatKey(CHAT))).toEqual({
      chatId: CHAT,
      since: '2025-11-20T10:00:00.000Z',
    });

    // A second backfill rescans on purpose (new rules may find more): versions already seen are submitted again.
    const again = await startTeamsBackfill(ctx, { teams: [TEAM], chats: [] }, 'cli:alice');
    expect(await runBackfillSlice(ctx, { runId: again.runId }, 60_000)).toMatchObject({ status: 'done', documents: 3 });
  });

  it('hands over to the next slice when its time is up', async () => {
    const ctx = bed.context(teamsTestConfig({ TEAMS_TEAMS: TEAM, TEAMS_CHATS: 'off' }));
    const { runId } = await startTeamsBackfill(ctx, {}, 'cli:alice');
    await bed.boss.deleteAllJobs(TEAMS_QUEUES.backfill);
    expect(await runBackfillSlice(ctx, { runId }, 0)).toMatchObject({ status: 'running', items_done: 0 });
    expect((await bed.jobs<BackfillJob>(TEAMS_QUEUES.backfill)).map((j) => j.data)).toEqual([{ runId }]);
  });

  it('pauses on throttling, resumes after Retry-After from the saved page, and finishes', async () => {
    const tenant = fakeTenant({ throttleChatOnce: true });
    server.use(tokenEndpoint(), ...tenant.handlers);
    const ctx = bed.context();
    const { runId } = await startTeamsBackfill(ctx, { teams: [TEAM], chats: [CHAT] }, 'cli:alice');
    await bed.boss.deleteAllJobs(TEAMS_QUEUES.backfill);

    expect(await handleBackfillJob(ctx, { runId })).toEqual({ rescheduledInSeconds: 45 });
    expect(await run(runId)).toMatchObject({ status: 'paused', items_done: 3, documents: 3 });
    const [queued] = await bed.jobs<BackfillJob>(TEAMS_QUEUES.backfill);
    expect(queued).toMatchObject({ data: { runId }, singletonKey: runId });
    expect(queued!.startAfter.getTime()).toBeGreaterThan(Date.now() + 40_000);

    const deltaCalls = tenant.requests.filter((r) => r.startsWith('delta')).length;
    expect(await handleBackfillJob(ctx, { runId })).toMatchObject({ status: 'done', items_done: 4 });
    expect(tenant.requests.filter((r) => r.startsWith('delta')).length).toBe(deltaCalls);
  });

  it("with allChats, reads every user's chats once each, even when users share a chat", async () => {
    const OTHER_CHAT = '19:8ea0e38b-efb3-4757-924a-5f94061cf8c2_97f62344-57dc-409c-88ad-c4af14158ff5@unq.gbl.spaces';
    const read: string[] = [];
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users`, () =>
        HttpResponse.json({ value: [{ id: 'user-a' }, { id: 'user-b' }, { id: 'unlicensed' }] }),
      ),
      http.get(`${GRAPH}/users/:user/chats`, ({ params }) =>
        params.user === 'unlicensed'
          ? HttpResponse.json({ error: { code: 'NotFound', message: 'no mailbox' } }, { status: 404 })
          : HttpResponse.json({
              value: params.user === 'user-a' ? [{ id: CHAT }, { id: OTHER_CHAT }] : [{ id: CHAT }],
            }),
      ),
      http.get(`${GRAPH}/chats/:chat/messages`, ({ params }) => {
        read.push(decodeURIComponent(String(params.chat)));
        return HttpResponse.json({
          value: [chatMessage({ id: String(read.length), chatId: decodeURIComponent(String(params.chat)) })],
        });
      }),
    );
    const ctx = bed.context(teamsTestConfig({ TEAMS_CHATS: 'off' }));
    const { runId } = await startTeamsBackfill(ctx, { teams: [], allChats: true }, 'cli:alice');
    expect(await runBackfillSlice(ctx, { runId }, 60_000)).toMatchObject({ status: 'done', documents: 2 });
    expect(read.sort()).toEqual([CHAT, OTHER_CHAT].sort());
  });
});
