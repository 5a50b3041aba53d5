import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { handleCatchupJob, initialChannelLink, initialChatLink, runCatchup } from './delta.ts';
import { withLease } from './teams-lease.ts';
import { TEAMS_QUEUES } from './teams-context.ts';
import { addCursor, channelKey, chatKey, readCursor, type ChannelCursor, type ChatCursor } from './teams-cursors.ts';
import {
  CHANNEL,
  CHAT,
  channelMessage,
  chatMessage,
  GITHUB_TOKEN,
  GRAPH,
  OTHER_GITHUB_TOKEN,
  TEAM,
  teamsTestConfig,
  tokenEndpoint,
  useTeamsTestBed,
} from './teams-test-harness.ts';

const server = useMswServer();
const bed = useTeamsTestBed();

const SINCE = '2025-11-26T00:00:00.000Z';
/** With notifications configured, catch-up does not list the tenant's teams (tests of that set their own). */
const subscribedContext = () =>
  bed.context(teamsTestConfig({ TEAMS_NOTIFICATION_URL: 'https://leakwatch.contoso.test/webhooks/teams' }));
const deltaUrl = (query: string) => `${GRAPH}/teams/${TEAM}/channels/${CHANNEL}/messages/delta?${query}`;

/**
 * A channel as Graph's delta API serves it: the first round in two pages
 * (root posts with `$expand=replies`, one reply chain longer than inlined),
 * then a delta link; following it returns what changed since.
 */
function fakeChannel(options: { throttleSecondPageOnce?: boolean } = {}) {
  const requests: string[] = [];
  let throttled = false;
  let edited = false;
  const rootA = channelMessage({
    id: '1606515483514',
    body: { contentType: 'html', content: '<p>build is green</p>' },
    replies: [
      channelMessage({
        id: '1606515483600',
        replyToId: '1606515483514',
        body: { contentType: 'text', content: 'nice' },
      }),
    ],
    'replies@odata.nextLink': `${GRAPH}/teams/${TEAM}/channels/${CHANNEL}/messages/1606515483514/replies?$skiptoken=r2`,
  });
  const rootB = channelMessage({
    id: '1606691795113',
    body: { contentType: 'html', content: `<p>token <code>${GITHUB_TOKEN}</code></p>` },
    replies: [],
  });
  const handlers = [
    http.get(`${GRAPH}/teams/:team/channels/:channel/messages/delta`, ({ request }) => {
      const url = new URL(request.url);
      requests.push(url.search);
      if (url.searchParams.get('$deltatoken') === 'round-2') {
        const changed = edited
          ? [
              {
                ...rootA,
                lastModifiedDateTime: '2025-11-28T09:00:00.000Z',
                body: { contentType: 'html', content: `<p>${OTHER_GITHUB_TOKEN}</p>` },
              },
            ]
          : [];
        return HttpResponse.json({ '@odata.deltaLink': deltaUrl('$deltatoken=round-3'), value: changed });
      }
      if (url.searchParams.get('$skiptoken') === 'page-2') {
        if (options.throttleSecondPageOnce && !throttled) {
          throttled = true;
          return HttpResponse.json(
            { error: { code: 'TooManyRequests' } },
            { status: 429, headers: { 'Retry-After': '20' } },
          );
        }
        return HttpResponse.json({ '@odata.deltaLink': deltaUrl('$deltatoken=round-2'), value: [rootB] });
      }
      expect(url.searchParams.get('$expand')).toBe('replies');
      expect(url.searchParams.get('$top')).toBe('50');
      return HttpResponse.json({
        '@odata.context': `${GRAPH}/$metadata#Collection(chatMessage)`,
        '@odata.nextLink': deltaUrl('$skiptoken=page-2'),
        value: [rootA],
      });
    }),
    http.get(`${GRAPH}/teams/:team/channels/:channel/messages/:id/replies`, () =>
      HttpResponse.json({
        value: [
          channelMessage({
            id: '1606515483700',
            replyToId: '1606515483514',
            body: { contentType: 'text', content: 'second reply' },
          }),
        ],
      }),
    ),
  ];
  return { handlers, requests, edit: () => (edited = true) };
}

describe('initial links', () => {
  it('ask Graph for 50 messages with replies, filtered by lastModifiedDateTime when resuming from a time', () => {
    expect(initialChannelLink(TEAM, CHANNEL, SINCE)).toBe(
      `/teams/${TEAM}/channels/19%3A4a95f7d8db4c4e7fae857bcebe0623e6%40thread.tacv2/messages/delta?$top=50&$expand=replies&$filter=lastModifiedDateTime%20gt%202025-11-26T00%3A00%3A00.000Z`,
    );
    expect(initialChatLink(CHAT)).toBe(
      `/chats/19%3A2da4c29f6d7041eca70b638b43d45437%40thread.v2/messages?$top=50&$orderby=lastModifiedDateTime%20desc`,
    );
  });
});

describe('catch-up', () => {
  it('runs a channel delta round across pages and replies, stores the delta link, then follows it', async () => {
    const channel = fakeChannel();
    server.use(tokenEndpoint(), ...channel.handlers);
    const ctx = subscribedContext();
    await addCursor(
      bed.handle.db,
      channelKey(TEAM, CHANNEL),
      { teamId: TEAM, channelId: CHANNEL, since: SINCE } satisfies ChannelCursor,
      ctx.now(),
    );

    const first = await runCatchup(ctx, 60_000);
    expect(first).toMatchObject({ done: true, channels: 1, messages: 4, submitted: 4 });
    expect(new URLSearchParams(channel.requests[0]).get('$filter')).toBe(`lastModifiedDateTime gt ${SINCE}`);
    const items = (await bed.scanJobs()).map((j) => j.ref.item).sort();
    expect(items).toEqual([
      '1606515483514',
      '1606515483514/1606515483600',
      '1606515483514/1606515483700',
      '1606691795113',
    ]);
    expect((await bed.scanJobs()).find((j) => j.ref.item === '1606691795113')!.text).toContain(GITHUB_TOKEN);
    expect(await readCursor<ChannelCursor>(bed.handle.db, channelKey(TEAM, CHANNEL))).toEqual({
      teamId: TEAM,
      channelId: CHANNEL,
      deltaLink: deltaUrl('$deltatoken=round-2'),
    });

    channel.edit();
    const second = await runCatchup(ctx, 60_000);
    expect(channel.requests.at(-1)).toBe('?$deltatoken=round-2');
    // The edited post is new; its replies come inline again and were already submitted in these versions.
    expect(second).toMatchObject({ messages: 3, submitted: 1 });
    expect((await bed.scanJobs()).at(-1)!.text).toContain(OTHER_GITHUB_TOKEN);
  });

  it('saves where a round stopped when Graph throttles, reschedules, and resumes there', async () => {
    const channel = fakeChannel({ throttleSecondPageOnce: true });
    server.use(tokenEndpoint(), ...channel.handlers);
    const ctx = subscribedContext();
    await addCursor(
      bed.handle.db,
      channelKey(TEAM, CHANNEL),
      { teamId: TEAM, channelId: CHANNEL, since: SINCE } satisfies ChannelCursor,
      ctx.now(),
    );

    expect(await handleCatchupJob(ctx, { reason: 'missed' })).toEqual({ rescheduledInSeconds: 20 });
    expect(await readCursor<ChannelCursor>(bed.handle.db, channelKey(TEAM, CHANNEL))).toMatchObject({
      nextLink: deltaUrl('$skiptoken=page-2'),
      since: SINCE,
    });
    const [queued] = await bed.jobs(TEAMS_QUEUES.catchup);
    expect(queued!.data).toEqual({ reason: 'missed' });
    expect(queued!.startAfter.getTime()).toBeGreaterThan(Date.now() + 15_000);
    expect(await bed.scanJobs()).toHaveLength(3);

    await runCatchup(ctx, 60_000);
    expect(channel.requests.slice(1)).toEqual(['?$skiptoken=page-2', '?$skiptoken=page-2']);
    expect(await bed.scanJobs()).toHaveLength(4);
    expect((await readCursor<ChannelCursor>(bed.handle.db, channelKey(TEAM, CHANNEL)))!.deltaLink).toBe(
      deltaUrl('$deltatoken=round-2'),
    );
  });

  it('lists chat messages modified after the high-water mark, newest first, and moves the mark after submit', async () => {
    const queries: URLSearchParams[] = [];
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages`, ({ request }) => {
        const url = new URL(request.url);
        queries.push(url.searchParams);
        if (url.searchParams.get('$skiptoken')) {
          return HttpResponse.json({
            value: [
              chatMessage({ id: '1616964500000', chatId: CHAT, lastModifiedDateTime: '2025-11-27T08:00:00.000Z' }),
            ],
          });
        }
        return HttpResponse.json({
          '@odata.count': 2,
          '@odata.nextLink': `${GRAPH}/chats/${CHAT}/messages?$top=50&$skiptoken=M2UyZDA`,
          value: [
            chatMessage({
              id: '1616964509832',
              chatId: CHAT,
              lastModifiedDateTime: '2025-11-27T20:48:29.832Z',
              body: { contentType: 'text', content: GITHUB_TOKEN },
            }),
            chatMessage({ id: '1616964509000', chatId: CHAT, lastModifiedDateTime: '2025-11-27T19:00:00.000Z' }),
          ],
        });
      }),
    );
    const ctx = subscribedContext();
    await addCursor(bed.handle.db, chatKey(CHAT), { chatId: CHAT, since: SINCE } satisfies ChatCursor, ctx.now());
    expect(await runCatchup(ctx, 60_000)).toMatchObject({ done: true, chats: 1, messages: 3, submitted: 3 });
    expect(queries[0]!.get('$orderby')).toBe('lastModifiedDateTime desc');
    expect(queries[0]!.get('$filter')).toBe(`lastModifiedDateTime gt ${SINCE}`);
    expect(await readCursor<ChatCursor>(bed.handle.db, chatKey(CHAT))).toEqual({
      chatId: CHAT,
      since: '2025-11-27T20:48:29.832Z',
    });
    expect((await bed.scanJobs()).map((j) => j.ref.container)).toEqual([
      `chat:${CHAT}`,
      `chat:${CHAT}`,
      `chat:${CHAT}`,
    ]);
  });

  it('drops a chat that no longer exists and records a refusal on a channel, then carries on', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages`, () =>
        HttpResponse.json({ error: { code: 'NotFound', message: 'chat not found' } }, { status: 404 }),
      ),
      http.get(`${GRAPH}/teams/:team/channels/:channel/messages/delta`, () =>
        HttpResponse.json({ error: { code: 'Forbidden', message: 'Missing role permissions' } }, { status: 403 }),
      ),
    );
    const ctx = subscribedContext();
    await addCursor(
      bed.handle.db,
      channelKey(TEAM, CHANNEL),
      { teamId: TEAM, channelId: CHANNEL, since: SINCE },
      ctx.now(),
    );
    await addCursor(bed.handle.db, chatKey(CHAT), { chatId: CHAT, since: SINCE }, ctx.now());
    expect(await runCatchup(ctx, 60_000)).toMatchObject({ done: true, channels: 1, chats: 1, messages: 0 });
    expect(await readCursor(bed.handle.db, chatKey(CHAT))).toBeUndefined();
    const row = await bed.handle.db
      .selectFrom('connector_cursors')
      .selectAll()
      .where('connector', '=', channelKey(TEAM, CHANNEL))
      .executeTakeFirstOrThrow();
    expect(row.last_error).toContain('403');
  });

  it('discovers the channels of configured teams and stops when its time budget is spent', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams/:team/channels`, () =>
        HttpResponse.json({ value: [{ id: CHANNEL }, { id: '19:general@thread.tacv2' }] }),
      ),
    );
    const ctx = bed.context(teamsTestConfig({ TEAMS_TEAMS: TEAM }));
    expect(await runCatchup(ctx, -1)).toMatchObject({ done: false, messages: 0 });
    const keys = (
      await bed.handle.db.selectFrom('connector_cursors').select('connector').orderBy('connector').execute()
    )
      .map((r) => r.connector)
      .filter((k) => k.startsWith('teams:channel:'));
    expect(keys).toEqual([channelKey(TEAM, CHANNEL), channelKey(TEAM, '19:general@thread.tacv2')]);
    const cursor = await readCursor<ChannelCursor>(bed.handle.db, channelKey(TEAM, CHANNEL));
    expect(Date.now() - Date.parse(cursor!.since!)).toBeGreaterThan(23 * 3600_000);
  });

  it('runs one catch-up at a time: a second one waits for the lease and is queued again', async () => {
    const ctx = subscribedContext();
    let release!: () => void;
    const held = withLease(
      bed.handle.db,
      'catchup',
      60_000,
      ctx.now,
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = Date.now();
    expect(await handleCatchupJob(ctx, { reason: 'missed' })).toEqual({ busy: true });
    const [queued] = await bed.jobs(TEAMS_QUEUES.catchup);
    expect(queued!.data).toEqual({ reason: 'missed' });
    expect(queued!.startAfter.getTime()).toBeGreaterThanOrEqual(before + 59_000);
    release();
    expect(await held).toEqual({ value: undefined });
    // Released: the next one runs (nothing to catch up on).
    expect(await handleCatchupJob(ctx, { reason: 'schedule' })).toMatchObject({ done: true, channels: 0 });
  });

  it('without notifications, discovers every team once an hour, past teams it may not read', async () => {
    const LOCKED = '02bd9fd6-8f93-4758-87c3-1fb73740a315';
    let listings = 0;
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams`, () => {
        listings++;
        return HttpResponse.json({ value: [{ id: LOCKED }, { id: TEAM }] });
      }),
      http.get(`${GRAPH}/teams/:team/channels`, ({ params }) =>
        params.team === LOCKED
          ? HttpResponse.json({ error: { code: 'Forbidden', message: 'no consent' } }, { status: 403 })
          : HttpResponse.json({ value: [{ id: CHANNEL }] }),
      ),
    );
    let clock = Date.now();
    const ctx = bed.context(teamsTestConfig(), () => new Date(clock));
    await runCatchup(ctx, -1);
    await runCatchup(ctx, -1);
    expect(listings).toBe(1);
    expect(await readCursor<ChannelCursor>(bed.handle.db, channelKey(TEAM, CHANNEL))).toMatchObject({ teamId: TEAM });
    clock += 3600_001;
    await runCatchup(ctx, -1);
    expect(listings).toBe(2);
  });
});
