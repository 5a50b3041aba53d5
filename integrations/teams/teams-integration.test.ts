import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { dumpDatabase, eventually, startTestService, testConfig } from '../../test/service-harness.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import type { ChatMessage } from './message-documents.ts';
import { createTeamsIntegration, SUBSCRIPTIONS_CRON } from './teams-integration.ts';
import { TEAMS_QUEUES } from './teams-context.ts';
import {
  CHAT,
  chatMessage,
  CLIENT_STATE,
  GITHUB_TOKEN,
  GRAPH,
  teamsTestConfig,
  TENANT,
  tokenEndpoint,
  USER,
} from './teams-test-harness.ts';

const server = useMswServer();
const WEBHOOK = 'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456';
const MESSAGE_ID = '1616964509832';
const RESOURCE = `chats('${CHAT}')/messages('${MESSAGE_ID}')`;

let database: DatabaseHandle & { drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

function notification(changeType: string) {
  return {
    value: [
      {
        subscriptionId: '10493aa0-4d29-4df5-bc0c-ef742cc6cd7f',
        changeType,
        clientState: CLIENT_STATE,
        subscriptionExpirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
        resource: RESOURCE,
        resourceData: { id: MESSAGE_ID, '@odata.type': '#Microsoft.Graph.chatMessage', '@odata.id': RESOURCE },
        tenantId: TENANT,
      },
    ],
  };
}

describe('Teams integration in the running service', () => {
  it('takes a leaked token from a chat notification to a finding, a Teams owner notice, a hidden message, and closes it on deletion', async () => {
    let message: ChatMessage = chatMessage({
      id: MESSAGE_ID,
      chatId: CHAT,
      body: {
        contentType: 'html',
        content: `<div><p>prod deploy token:</p><pre><code>${GITHUB_TOKEN}</code></pre></div>`,
      },
      lastModifiedDateTime: '2025-11-27T20:48:29.832Z',
    });
    const cards: string[] = [];
    const patches: unknown[] = [];
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages/:id`, () => HttpResponse.json(message)),
      http.patch(`${GRAPH}/chats/:chat/messages/:id`, async ({ request }) => {
        patches.push(await request.json());
        message = { ...message, policyViolation: { dlpAction: 'BlockAccess' } };
        return new HttpResponse(null, { status: 204 });
      }),
      // Poll mode (no notification URL): catch-up discovers the tenant's teams; this tenant has none.
      http.get(`${GRAPH}/teams`, () => HttpResponse.json({ value: [] })),
      http.get(`${GRAPH}/users/:id`, () =>
        HttpResponse.json({
          id: USER,
          displayName: 'Robin Kline',
          mail: 'robin@contoso.com',
          userPrincipalName: 'robin@contoso.com',
          accountEnabled: true,
        }),
      ),
      http.post(WEBHOOK, async ({ request }) => {
        cards.push(await request.text());
        return new HttpResponse(null, { status: 202 });
      }),
    );
    const teams = teamsTestConfig({ TEAMS_DLP: 'true', TEAMS_BOT_WEBHOOK_URL: WEBHOOK, TEAMS_CHATS: 'all' });
    const { service, logs } = await startTestService(
      database,
      testConfig({ LEAKWATCH_VERIFY: 'false', LEAKWATCH_AUTO_REDACT: 'teams' }),
      { http: false, workers: true },
      { integrations: (deps) => [createTeamsIntegration(teams, deps)] },
    );
    try {
      const integration = service.integrations[0]!;
      expect(integration.platform).toBe('teams');
      // Without TEAMS_NOTIFICATION_URL there is nothing to subscribe: catch-up polls every five minutes.
      expect(integration.schedules).toEqual([
        { queue: TEAMS_QUEUES.catchup, cron: '*/5 * * * *', data: { reason: 'schedule' } },
      ]);
      expect(SUBSCRIPTIONS_CRON).toBe('*/15 * * * *');

      const post = (body: unknown) =>
        service.app.request('/webhooks/teams', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post(notification('created'))).status).toBe(202);

      const finding = await eventually(async () => {
        const row = await database.db.selectFrom('findings').selectAll().executeTakeFirst();
        return row?.status === 'notified' ? row : undefined;
      }, 60_000);
      expect(finding).toMatchObject({ detector_id: 'github-classic-pat' });
      const occurrence = await database.db.selectFrom('occurrences').selectAll().executeTakeFirstOrThrow();
      expect(occurrence).toMatchObject({
        platform: 'teams',
        workspace: TENANT,
        container: `chat:${CHAT}`,
        item: MESSAGE_ID,
        closed_at: null,
      });
      const owner = await database.db
        .selectFrom('identities')
        .selectAll()
        .where('id', '=', finding.owner_identity_id!)
        .executeTakeFirstOrThrow();
      // The author's email came from Entra ID at intake: the key a Slack notifier uses to find the person.
      expect(owner).toMatchObject({
        platform: 'teams',
        platform_user_id: USER,
        display_name: 'Robin Kline',
        email: 'robin@contoso.com',
      });
      expect(await integration.resolveIdentity!(owner)).toEqual({
        email: 'robin@contoso.com',
        display_name: 'Robin Kline',
        active: true,
      });

      // The owner notice went to the Teams channel webhook, mentioning the author, redacted only.
      expect(cards).toHaveLength(1);
      expect(cards[0]).toContain(finding.redacted);
      expect(cards[0]).toContain('<at>Robin Kline</at>');
      const notice = await database.db.selectFrom('notifications').selectAll().executeTakeFirstOrThrow();
      expect(notice).toMatchObject({ status: 'sent', recipient: `teams:teams:${USER}` });

      // Auto-redaction hid the message through a policyViolation.
      const redaction = await eventually(
        () => database.db.selectFrom('redactions').selectAll().executeTakeFirst(),
        60_000,
      );
      expect(redaction).toMatchObject({ platform: 'teams', status: 'redacted' });
      expect(patches).toHaveLength(1);

      // The author deletes the message: the occurrence closes.
      message = {
        ...message,
        deletedDateTime: '2025-11-27T21:00:00.000Z',
        lastModifiedDateTime: '2025-11-27T21:00:00.000Z',
      };
      expect((await post(notification('deleted'))).status).toBe(202);
      const closed = await eventually(async () => {
        const row = await database.db.selectFrom('occurrences').selectAll().executeTakeFirstOrThrow();
        return row.closed_at ? row : undefined;
      }, 60_000);
      expect(closed.closed_reason).toBeTruthy();

      // Invariant 1: the token is in no table (pg-boss's included), log line, card or Graph write.
      expect(await dumpDatabase(database)).not.toContain(GITHUB_TOKEN);
      expect(logs.join('\n')).not.toContain(GITHUB_TOKEN);
      expect(cards.join('\n')).not.toContain(GITHUB_TOKEN);
      expect(JSON.stringify(patches)).not.toContain(GITHUB_TOKEN);
    } finally {
      await service.stop();
    }
  }, 180_000);
});
