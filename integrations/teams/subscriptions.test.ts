import { randomUUID } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import {
  clientStateHash,
  handleSubscriptionsJob,
  reconcileSubscriptions,
  type StoredSubscription,
} from './subscriptions.ts';
import type { TeamsConfig } from './teams-config.ts';
import { TEAMS_QUEUES, type TeamsContext } from './teams-context.ts';
import { readCursor, SUBSCRIPTIONS_KEY } from './teams-cursors.ts';
import {
  CHAT,
  CLIENT_STATE,
  GRAPH,
  TEAM,
  teamsTestConfig,
  tokenEndpoint,
  useTeamsTestBed,
} from './teams-test-harness.ts';
import { teamsWebhookRoutes } from './webhook.ts';

const server = useMswServer();
const bed = useTeamsTestBed();

const NOTIFICATION_URL = 'https://leakwatch.contoso.test/webhooks/teams';
const MINUTE = 60_000;

interface GraphSubscription {
  id: string;
  resource: string;
  changeType: string;
  clientState: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  expirationDateTime: string;
  includeResourceData: boolean;
}

/**
 * Graph's /subscriptions: creation validates both URLs by POSTing a
 * validationToken to them (here: to our real webhook routes) and fails like
 * Graph when the token is not echoed; PATCH renews, DELETE removes.
 */
function fakeGraphSubscriptions(
  routes: () => ReturnType<typeof teamsWebhookRoutes>,
  refuse: (resource: string) => number | undefined = () => undefined,
) {
  const live = new Map<string, GraphSubscription>();
  const calls: string[] = [];
  const handlers = [
    http.post(`${GRAPH}/subscriptions`, async ({ request }) => {
      const body = (await request.json()) as Omit<GraphSubscription, 'id'>;
      calls.push(`POST ${body.resource}`);
      const status = refuse(body.resource);
      if (status)
        return HttpResponse.json(
          { error: { code: status === 429 ? 'TooManyRequests' : 'Forbidden', message: 'refused' } },
          { status, headers: { 'Retry-After': '9' } },
        );
      for (const url of [body.notificationUrl, body.lifecycleNotificationUrl]) {
        const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
        const response = await routes().request(
          `${new URL(url).pathname}?validationToken=${encodeURIComponent(token)}`,
          { method: 'POST' },
        );
        if (response.status !== 200 || (await response.text()) !== token) {
          return HttpResponse.json(
            {
              error: {
                code: 'InvalidRequest',
                message:
                  'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
              },
            },
            { status: 400 },
          );
        }
      }
      const created = { ...body, id: randomUUID() };
      live.set(created.id, created);
      return HttpResponse.json(
        { '@odata.context': `${GRAPH}/$metadata#subscriptions/$entity`, ...created },
        { status: 201 },
      );
    }),
    http.patch(`${GRAPH}/subscriptions/:id`, async ({ params, request }) => {
      const existing = live.get(String(params.id));
      calls.push(`PATCH ${existing?.resource ?? params.id}`);
      if (!existing)
        return HttpResponse.json(
          { error: { code: 'ResourceNotFound', message: 'The object was not found.' } },
          { status: 404 },
        );
      existing.expirationDateTime = ((await request.json()) as { expirationDateTime: string }).expirationDateTime;
      return HttpResponse.json(existing);
    }),
    http.delete(`${GRAPH}/subscriptions/:id`, ({ params }) => {
      calls.push(`DELETE ${live.get(String(params.id))?.resource ?? params.id}`);
      if (!live.delete(String(params.id)))
        return HttpResponse.json({ error: { code: 'ResourceNotFound' } }, { status: 404 });
      return new HttpResponse(null, { status: 204 });
    }),
  ];
  return { handlers, live, calls };
}

function setup(env: Record<string, string> = {}) {
  let clock = Date.parse('2025-12-01T10:00:00.000Z');
  const config: TeamsConfig = teamsTestConfig({ TEAMS_NOTIFICATION_URL: NOTIFICATION_URL, ...env });
  const ctx: TeamsContext = bed.context(config, () => new Date(clock));
  return {
    ctx,
    config,
    advance: (ms: number) => (clock += ms),
    stored: async () => (await readCursor<StoredSubscription[]>(bed.handle.db, SUBSCRIPTIONS_KEY)) ?? [],
  };
}

describe('subscriptions', () => {
  it('creates tenant-wide subscriptions after Graph validated our endpoint, and queues a catch-up', async () => {
    const { ctx, stored } = setup();
    const graph = fakeGraphSubscriptions(() => teamsWebhookRoutes(ctx));
    server.use(tokenEndpoint(), ...graph.handlers);
    const result = await reconcileSubscriptions(ctx, { reason: 'start' });
    expect(result.created).toEqual(['/teams/getAllMessages', '/chats/getAllMessages']);
    const subscriptions = [...graph.live.values()];
    expect(subscriptions.map((s) => [s.resource, s.changeType])).toEqual([
      ['/teams/getAllMessages', 'created,updated'],
      ['/chats/getAllMessages', 'created,updated,deleted'],
    ]);
    for (const s of subscriptions) {
      expect(s).toMatchObject({
        notificationUrl: NOTIFICATION_URL,
        lifecycleNotificationUrl: NOTIFICATION_URL,
        clientState: CLIENT_STATE,
        includeResourceData: false,
      });
      expect(Date.parse(s.expirationDateTime) - ctx.now().getTime()).toBe(4200 * MINUTE);
    }
    expect((await stored()).map((s) => s.resource)).toEqual(['/teams/getAllMessages', '/chats/getAllMessages']);
    expect((await stored())[0]!.clientStateHash).toBe(clientStateHash(CLIENT_STATE));
    expect((await bed.jobs(TEAMS_QUEUES.catchup)).map((j) => j.data)).toEqual([{ reason: 'subscriptions' }]);
  });

  it('renews past half the lifetime, renews at once when Graph asks to reauthorize, and leaves fresh ones alone', async () => {
    const { ctx, stored, advance } = setup();
    const graph = fakeGraphSubscriptions(() => teamsWebhookRoutes(ctx));
    server.use(tokenEndpoint(), ...graph.handlers);
    await reconcileSubscriptions(ctx, { reason: 'start' });
    graph.calls.length = 0;

    advance(60 * MINUTE);
    expect(await reconcileSubscriptions(ctx, { reason: 'schedule' })).toMatchObject({ created: [], renewed: [] });
    const chats = (await stored()).find((s) => s.resource === '/chats/getAllMessages')!;
    expect(
      await reconcileSubscriptions(ctx, { reason: 'reauthorizationRequired', subscriptionId: chats.id }),
    ).toMatchObject({
      renewed: ['/chats/getAllMessages'],
    });
    expect(graph.calls).toEqual(['PATCH /chats/getAllMessages']);

    advance(2200 * MINUTE);
    expect((await reconcileSubscriptions(ctx, { reason: 'schedule' })).renewed).toEqual([
      '/teams/getAllMessages',
      '/chats/getAllMessages',
    ]);
    for (const s of await stored()) expect(Date.parse(s.expirationDateTime) - ctx.now().getTime()).toBe(4200 * MINUTE);
  });

  it('recreates a removed subscription and one Graph no longer knows, then catches up', async () => {
    const { ctx, stored, advance } = setup();
    const graph = fakeGraphSubscriptions(() => teamsWebhookRoutes(ctx));
    server.use(tokenEndpoint(), ...graph.handlers);
    await reconcileSubscriptions(ctx, { reason: 'start' });
    await bed.boss.deleteAllJobs(TEAMS_QUEUES.catchup);
    const [teams, chats] = await stored();

    graph.live.delete(teams!.id);
    expect(
      await reconcileSubscriptions(ctx, { reason: 'subscriptionRemoved', subscriptionId: teams!.id }),
    ).toMatchObject({
      created: ['/teams/getAllMessages'],
    });
    expect((await bed.jobs(TEAMS_QUEUES.catchup)).map((j) => j.data)).toEqual([{ reason: 'subscriptions' }]);

    graph.live.delete(chats!.id); // expired on Graph's side: the renewal answers 404
    advance(2500 * MINUTE);
    const result = await reconcileSubscriptions(ctx, { reason: 'schedule' });
    expect(result.created).toEqual(['/chats/getAllMessages']);
    expect((await stored()).map((s) => s.id).sort()).toEqual([...graph.live.keys()].sort());
  });

  it('replaces subscriptions that carry an old clientState', async () => {
    const first = setup();
    const graph = fakeGraphSubscriptions(() => teamsWebhookRoutes(first.ctx));
    server.use(tokenEndpoint(), ...graph.handlers);
    await reconcileSubscriptions(first.ctx, { reason: 'start' });
    const rotated = setup({ TEAMS_CLIENT_STATE: 'rotated-client-state-abcdef0123456789' });
    const routes = teamsWebhookRoutes(rotated.ctx);
    server.use(...fakeGraphSubscriptions(() => routes).handlers.slice(0, 1), ...graph.handlers.slice(1));
    const result = await reconcileSubscriptions(rotated.ctx, { reason: 'start' });
    expect(result.created).toEqual(['/teams/getAllMessages', '/chats/getAllMessages']);
    expect(graph.calls.filter((c) => c.startsWith('DELETE'))).toEqual([
      'DELETE /teams/getAllMessages',
      'DELETE /chats/getAllMessages',
    ]);
    expect(
      (await rotated.stored()).every(
        (s) => s.clientStateHash === clientStateHash('rotated-client-state-abcdef0123456789'),
      ),
    ).toBe(true);
  });

  it('subscribes per channel and per chat with resource-specific consent, keeping going past a refusal', async () => {
    const LOCKED = '02bd9fd6-8f93-4758-87c3-1fb73740a315';
    const { ctx, stored } = setup({ TEAMS_TEAMS: `${TEAM},${LOCKED}`, TEAMS_CHATS: CHAT });
    const graph = fakeGraphSubscriptions(
      () => teamsWebhookRoutes(ctx),
      (resource) => (resource.includes('private') ? 403 : undefined),
    );
    let lockedOut = true;
    server.use(
      tokenEndpoint(),
      ...graph.handlers,
      http.get(`${GRAPH}/teams/:team/channels`, ({ params }) =>
        params.team === LOCKED && lockedOut
          ? HttpResponse.json({ error: { code: 'Forbidden', message: 'Missing role permissions' } }, { status: 403 })
          : HttpResponse.json({ value: [{ id: '19:general@thread.tacv2' }, { id: '19:private@thread.tacv2' }] }),
      ),
    );
    const result = await reconcileSubscriptions(ctx, { reason: 'start' });
    expect(result.created).toEqual([
      `/teams/${TEAM}/channels/19:general@thread.tacv2/messages`,
      `/chats/${CHAT}/messages`,
    ]);
    expect(result.failed).toEqual([
      { resource: `/teams/${LOCKED}/channels`, error: expect.stringContaining('403') },
      { resource: `/teams/${TEAM}/channels/19:private@thread.tacv2/messages`, error: expect.stringContaining('403') },
    ]);
    expect(await stored()).toHaveLength(2);

    // Consent granted later: the next run subscribes that team too, and keeps what it had.
    lockedOut = false;
    const later = await reconcileSubscriptions(ctx, { reason: 'schedule' });
    expect(later.created).toEqual([`/teams/${LOCKED}/channels/19:general@thread.tacv2/messages`]);
    expect(later.deleted).toEqual([]);
  });

  it('deletes subscriptions that are no longer wanted', async () => {
    const { ctx, stored } = setup();
    const graph = fakeGraphSubscriptions(() => teamsWebhookRoutes(ctx));
    server.use(tokenEndpoint(), ...graph.handlers);
    await reconcileSubscriptions(ctx, { reason: 'start' });
    const withoutChats = bed.context({ ...ctx.config, chats: { mode: 'off' } }, ctx.now);
    expect((await reconcileSubscriptions(withoutChats, { reason: 'schedule' })).deleted).toEqual([
      '/chats/getAllMessages',
    ]);
    expect((await stored()).map((s) => s.resource)).toEqual(['/teams/getAllMessages']);
    expect([...graph.live.values()].map((s) => s.resource)).toEqual(['/teams/getAllMessages']);
  });

  it('does nothing without TEAMS_NOTIFICATION_URL, and reschedules when Graph throttles', async () => {
    const quiet = bed.context(teamsTestConfig());
    expect(await reconcileSubscriptions(quiet, { reason: 'start' })).toEqual({
      done: true,
      created: [],
      renewed: [],
      deleted: [],
      failed: [],
    });

    const { ctx } = setup();
    const graph = fakeGraphSubscriptions(
      () => teamsWebhookRoutes(ctx),
      () => 429,
    );
    server.use(tokenEndpoint(), ...graph.handlers);
    expect(await handleSubscriptionsJob(ctx, { reason: 'schedule' })).toEqual({ rescheduledInSeconds: 9 });
    expect((await bed.jobs(TEAMS_QUEUES.subscriptions)).map((j) => j.data)).toEqual([{ reason: 'schedule' }]);
  });
});
