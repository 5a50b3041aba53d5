import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { fetchNotifiedMessage, handleFetchJob, type FetchJob } from './message-fetch.ts';
import { TEAMS_QUEUES } from './teams-context.ts';
import { chatKey, readCursor, type ChatCursor } from './teams-cursors.ts';
import {
  CHANNEL,
  CHAT,
  channelMessage,
  chatMessage,
  GITHUB_TOKEN,
  GRAPH,
  TEAM,
  TENANT,
  tokenEndpoint,
  useTeamsTestBed,
} from './teams-test-harness.ts';

const server = useMswServer();
const bed = useTeamsTestBed();

const chatResource = `chats('${CHAT}')/messages('1616964509832')`;
const chatPath = `${GRAPH}/chats/:chat/messages/:id`;

describe('teams-fetch', () => {
  it('reads the notified message, submits it once per version, and registers the chat for catch-up', async () => {
    let message = chatMessage({
      id: '1616964509832',
      chatId: CHAT,
      body: { contentType: 'html', content: `<div><p>here: <code>${GITHUB_TOKEN}</code></p></div>` },
      lastModifiedDateTime: '2025-11-27T22:18:03.514Z',
    });
    const requested: string[] = [];
    server.use(
      tokenEndpoint(),
      http.get(chatPath, ({ params }) => {
        requested.push(`${decodeURIComponent(String(params.chat))}/${params.id}`);
        return HttpResponse.json(message);
      }),
    );
    const ctx = bed.context();
    expect(await fetchNotifiedMessage(ctx, { resource: chatResource, changeType: 'created' })).toEqual({
      submitted: 1,
      skipped: 0,
    });
    expect(requested).toEqual([`${CHAT}/1616964509832`]);
    const [scan] = await bed.scanJobs();
    expect(scan).toMatchObject({
      format: 'html',
      ref: {
        platform: 'teams',
        workspace: TENANT,
        container: `chat:${CHAT}`,
        item: '1616964509832',
        version: '2025-11-27T22:18:03.514Z',
      },
    });
    expect(scan!.text).toContain(GITHUB_TOKEN);
    expect(await readCursor<ChatCursor>(bed.handle.db, chatKey(CHAT))).toMatchObject({ chatId: CHAT });

    // Graph notifies more than once for one change: the same version is not scanned again.
    expect(await fetchNotifiedMessage(ctx, { resource: chatResource, changeType: 'updated' })).toEqual({
      submitted: 0,
      skipped: 1,
    });
    // An edit is a new version: scanned again (and the edited text replaces the old one).
    message = {
      ...message,
      lastModifiedDateTime: '2025-11-27T22:25:00.000Z',
      body: { contentType: 'html', content: '<p>removed</p>' },
    };
    expect(await fetchNotifiedMessage(ctx, { resource: chatResource, changeType: 'updated' })).toEqual({
      submitted: 1,
      skipped: 0,
    });
    expect((await bed.scanJobs()).map((j) => j.text)).toEqual([
      expect.stringContaining(GITHUB_TOKEN),
      '<p>removed</p>',
    ]);
    // The token never lands in a table in clear text (scan jobs are sealed).
    const inbound = await bed.handle.db.selectFrom('inbound_events').select('event_id').orderBy('event_id').execute();
    expect(inbound.map((r) => r.event_id)).toEqual([
      `message:chat:${CHAT}/1616964509832@2025-11-27T22:18:03.514Z`,
      `message:chat:${CHAT}/1616964509832@2025-11-27T22:25:00.000Z`,
    ]);
  });

  it('reads a channel reply through its replies path and keys it parent/reply', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams/:team/channels/:channel/messages/:parent/replies/:reply`, ({ params }) => {
        expect(decodeURIComponent(String(params.channel))).toBe(CHANNEL);
        return HttpResponse.json(
          channelMessage({
            id: String(params.reply),
            replyToId: String(params.parent),
            body: { contentType: 'text', content: GITHUB_TOKEN },
          }),
        );
      }),
    );
    const resource = `teams('${TEAM}')/channels('${CHANNEL}')/messages('1606515483514')/replies('1606515483600')`;
    await fetchNotifiedMessage(bed.context(), { resource });
    const [scan] = await bed.scanJobs();
    expect(scan).toMatchObject({
      format: 'plain',
      text: GITHUB_TOKEN,
      ref: { container: `team:${TEAM}/channel:${CHANNEL}`, item: '1606515483514/1606515483600' },
    });
  });

  it('submits an empty text for a message that no longer exists, closing its occurrences', async () => {
    server.use(
      tokenEndpoint(),
      http.get(chatPath, () =>
        HttpResponse.json({ error: { code: 'NotFound', message: 'Message not found' } }, { status: 404 }),
      ),
    );
    expect(await fetchNotifiedMessage(bed.context(), { resource: chatResource, changeType: 'deleted' })).toEqual({
      gone: true,
    });
    const [scan] = await bed.scanJobs();
    expect(scan).toMatchObject({
      text: '',
      format: 'plain',
      ref: { container: `chat:${CHAT}`, item: '1616964509832' },
    });
  });

  it('ignores system event messages', async () => {
    server.use(
      tokenEndpoint(),
      http.get(chatPath, () =>
        HttpResponse.json(
          chatMessage({
            id: '1616964509832',
            messageType: 'systemEventMessage',
            body: { contentType: 'html', content: '<systemEventMessage/>' },
          }),
        ),
      ),
    );
    expect(await fetchNotifiedMessage(bed.context(), { resource: chatResource })).toEqual({ submitted: 0, skipped: 0 });
    expect(await bed.scanJobs()).toEqual([]);
  });

  it('reschedules itself after Retry-After when Graph throttles, without scanning anything', async () => {
    server.use(
      tokenEndpoint(),
      http.get(chatPath, () =>
        HttpResponse.json(
          { error: { code: 'TooManyRequests', message: 'Too many requests' } },
          { status: 429, headers: { 'Retry-After': '30' } },
        ),
      ),
    );
    const before = Date.now();
    const job: FetchJob = { resource: chatResource, changeType: 'created' };
    expect(await handleFetchJob(bed.context(), job)).toEqual({ rescheduledInSeconds: 30 });
    const [queued] = await bed.jobs<FetchJob>(TEAMS_QUEUES.fetch);
    expect(queued).toMatchObject({ data: job, singletonKey: chatResource });
    expect(queued!.startAfter.getTime()).toBeGreaterThanOrEqual(before + 29_000);
    expect(await bed.scanJobs()).toEqual([]);
  });
});
