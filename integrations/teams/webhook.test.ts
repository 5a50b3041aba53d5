import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { CLIENT_STATE_KEY } from './teams-cursors.ts';
import { TEAMS_QUEUES } from './teams-context.ts';
import { CHANNEL, CHAT, CLIENT_STATE, TEAM, teamsTestConfig, TENANT, useTeamsTestBed } from './teams-test-harness.ts';
import { teamsWebhookRoutes } from './webhook.ts';

useMswServer();
const bed = useTeamsTestBed();

const SUBSCRIPTION = '9f9d1ed0-c9cc-42e7-8d80-a7fc4b0cda3c';
const channelResource = (id: string) => `teams('${TEAM}')/channels('${CHANNEL}')/messages('${id}')`;

/** A basic change notification exactly as Graph sends it for a channel message (no resource data). */
function changeNotification(id: string, overrides: Record<string, unknown> = {}) {
  return {
    subscriptionId: SUBSCRIPTION,
    changeType: 'created',
    tenantId: TENANT,
    clientState: CLIENT_STATE,
    subscriptionExpirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
    resource: channelResource(id),
    resourceData: {
      id,
      '@odata.type': '#Microsoft.Graph.chatMessage',
      '@odata.id': channelResource(id),
    },
    ...overrides,
  };
}

function lifecycleNotification(event: string, overrides: Record<string, unknown> = {}) {
  return {
    subscriptionId: SUBSCRIPTION,
    subscriptionExpirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
    tenantId: TENANT,
    clientState: CLIENT_STATE,
    lifecycleEvent: event,
    ...overrides,
  };
}

function routes(config = teamsTestConfig()) {
  return teamsWebhookRoutes(bed.context(config));
}

const post = (app: ReturnType<typeof routes>, body: unknown, path = '/webhooks/teams') =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function storedNothing() {
  expect(await bed.jobs(TEAMS_QUEUES.fetch)).toEqual([]);
  expect(await bed.jobs(TEAMS_QUEUES.catchup)).toEqual([]);
  expect(await bed.jobs(TEAMS_QUEUES.subscriptions)).toEqual([]);
  expect(await bed.handle.db.selectFrom('inbound_events').selectAll().execute()).toEqual([]);
}

describe('POST /webhooks/teams', () => {
  it('echoes the validation token as text/plain on both endpoints', async () => {
    const app = routes();
    for (const path of ['/webhooks/teams', '/webhooks/teams/lifecycle']) {
      const response = await app.request(
        `${path}?validationToken=${encodeURIComponent('Validation: Testing client application reachability for subscription Request-Id: 2a3c')}`,
        { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' } },
      );
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await response.text()).toBe(
        'Validation: Testing client application reachability for subscription Request-Id: 2a3c',
      );
    }
    await storedNothing();
  });

  it('rejects the whole batch with 401 when any item has a wrong clientState, storing nothing', async () => {
    const response = await post(routes(), {
      value: [
        changeNotification('1612293113399'),
        changeNotification('1612293113400', { clientState: 'guessed-state' }),
      ],
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_client_state' } });
    await storedNothing();
  });

  it('rejects a missing clientState and another tenant with 401', async () => {
    const { clientState: _omitted, ...withoutState } = changeNotification('1');
    expect((await post(routes(), { value: [withoutState] })).status).toBe(401);
    expect((await post(routes(), { value: [changeNotification('1', { tenantId: 'another-tenant' })] })).status).toBe(
      401,
    );
    await storedNothing();
  });

  it('answers malformed input with a 400 and a clear code', async () => {
    const app = routes();
    const cases: Array<[unknown, string]> = [
      ['{not json', 'invalid_json'],
      [{ value: [] }, 'invalid_notification'],
      [{ value: [changeNotification('1', { resource: 'users/abc/messages/def' })] }, 'invalid_notification'],
      [{ value: [lifecycleNotification('somethingNew')] }, 'invalid_notification'],
      [
        {
          value: [
            changeNotification('1', {
              subscriptionExpirationDateTime: new Date(Date.now() - 5 * 3600_000).toISOString(),
            }),
          ],
        },
        'stale_notification',
      ],
    ];
    for (const [body, code] of cases) {
      const response = await post(app, body);
      expect(response.status, code).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code } });
    }
    await storedNothing();
  });

  it('queues a fetch per message before answering 202, one queued fetch per message', async () => {
    const app = routes();
    const chatResource = `chats('${CHAT}')/messages('1612289765949')`;
    const response = await post(app, {
      value: [
        changeNotification('1612293113399'),
        changeNotification('1612293113399', { changeType: 'updated' }),
        changeNotification('1612289765949', { resource: chatResource, changeType: 'deleted' }),
      ],
    });
    expect(response.status).toBe(202);
    const jobs = await bed.jobs<{ resource: string; changeType: string }>(TEAMS_QUEUES.fetch);
    expect(jobs.map((j) => j.data.resource).sort()).toEqual([chatResource, channelResource('1612293113399')].sort());
    expect(jobs.every((j) => j.singletonKey === j.data.resource)).toBe(true);
  });

  it('de-duplicates redelivered notifications by their id', async () => {
    const app = routes();
    const batch = { value: [changeNotification('1612293113399', { id: 'bd2b6a4c-1' })] };
    expect((await post(app, batch)).status).toBe(202);
    await bed.boss.deleteAllJobs(TEAMS_QUEUES.fetch); // the fetch ran and completed
    expect((await post(app, batch)).status).toBe(202);
    expect(await bed.jobs(TEAMS_QUEUES.fetch)).toEqual([]);
    const events = await bed.handle.db.selectFrom('inbound_events').select(['platform', 'event_id']).execute();
    expect(events).toEqual([{ platform: 'teams', event_id: 'notification:bd2b6a4c-1' }]);
  });

  it('turns lifecycle notifications into subscription and catch-up jobs', async () => {
    const response = await post(
      routes(),
      {
        value: [
          lifecycleNotification('reauthorizationRequired'),
          lifecycleNotification('subscriptionRemoved', { subscriptionId: 'removed-sub' }),
          lifecycleNotification('missed'),
        ],
      },
      '/webhooks/teams/lifecycle',
    );
    expect(response.status).toBe(202);
    const subscriptionJobs = await bed.jobs<{ reason: string; subscriptionId: string }>(TEAMS_QUEUES.subscriptions);
    expect(subscriptionJobs.map((j) => j.data).sort((a, b) => a.reason.localeCompare(b.reason))).toEqual([
      { reason: 'reauthorizationRequired', subscriptionId: SUBSCRIPTION },
      { reason: 'subscriptionRemoved', subscriptionId: 'removed-sub' },
    ]);
    expect((await bed.jobs(TEAMS_QUEUES.catchup)).map((j) => j.data)).toEqual([{ reason: 'missed' }]);
  });

  it('generates a clientState once, keeps it in the database and checks against it', async () => {
    const config = teamsTestConfig({ TEAMS_CLIENT_STATE: '' });
    expect(config.clientState).toBeUndefined();
    const first = bed.context(config);
    const generated = await first.clientState();
    expect(generated).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Another process reads the same value back.
    expect(await bed.context(config).clientState()).toBe(generated);
    const row = await bed.handle.db
      .selectFrom('connector_cursors')
      .select('cursor')
      .where('connector', '=', CLIENT_STATE_KEY)
      .executeTakeFirstOrThrow();
    expect(row.cursor).toBe(generated);

    const app = teamsWebhookRoutes(first);
    expect((await post(app, { value: [changeNotification('1', { clientState: CLIENT_STATE })] })).status).toBe(401);
    expect((await post(app, { value: [changeNotification('1', { clientState: generated })] })).status).toBe(202);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const huge = JSON.stringify({
      value: [changeNotification('1', { resourceData: { padding: 'x'.repeat(1_100_000) } })],
    });
    const response = await post(routes(), huge);
    expect(response.status).toBe(413);
    await storedNothing();
  });
});
