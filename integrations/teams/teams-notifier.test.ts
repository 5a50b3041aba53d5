import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.ts';
import type { Finding, Identity, Occurrence } from '../../src/db/schema.ts';
import type { OwnerNotice } from '../../src/notify/notifier.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { GraphThrottledError } from './graph-errors.ts';
import { SECURITY_RECIPIENT, TeamsWebhookNotifier } from './teams-notifier.ts';
import { CHANNEL, GITHUB_TOKEN, TEAM, TENANT, USER } from './teams-test-harness.ts';

const server = useMswServer();
const WEBHOOK = 'https://contoso.webhook.office.com/webhookb2/3b2f4c1e@72f988bf/IncomingWebhook/9a1b2c3d4e/5f6a7b8c';
const notifier = () =>
  new TeamsWebhookNotifier(new Secret(WEBHOOK, 'https://contoso.webhook.office.com/[webhook]'), { timeoutMs: 2_000 });

const finding = {
  id: 'f1c1a8a2-0000-4000-8000-000000000001',
  detector_id: 'github-classic-pat',
  issuer: 'github',
  fingerprint: 'ab'.repeat(32),
  redacted: 'ghp_********bC',
  severity: 'high',
  liveness: 'live',
  status: 'open',
} as Finding;
const occurrence = {
  id: 'o1',
  finding_id: finding.id,
  platform: 'teams',
  workspace: TENANT,
  container: `team:${TEAM}/channel:${CHANNEL}`,
  item: '1606515483514',
  url: `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL)}/1606515483514`,
} as Occurrence;
const owner = (overrides: Partial<Identity> = {}) =>
  ({
    id: 'i1',
    platform: 'teams',
    platform_user_id: USER,
    email: 'robin@contoso.com',
    display_name: 'Robin Kline',
    active: true,
    slack_user_id: null,
    ...overrides,
  }) as Identity;
const notice = (who: Identity | null): OwnerNotice => ({ finding, occurrences: [occurrence], owner: who });

describe('Teams webhook notifier', () => {
  it('posts an Adaptive Card that mentions the owner and shows only the redacted credential', async () => {
    let body:
      { type: string; attachments: Array<{ contentType: string; content: Record<string, unknown> }> } | undefined;
    server.use(
      http.post(WEBHOOK, async ({ request }) => {
        body = (await request.json()) as typeof body;
        return new HttpResponse('1', { status: 200 });
      }),
    );
    const n = notifier();
    expect(n.recipientFor(notice(owner()))).toBe(`teams:teams:${USER}`);
    expect(await n.notifyOwner(notice(owner()))).toEqual({ delivered: true, recipient: `teams:teams:${USER}` });
    expect(body!.type).toBe('message');
    const [attachment] = body!.attachments;
    expect(attachment!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = JSON.stringify(attachment!.content);
    expect(card).toContain('<at>Robin Kline</at>');
    expect(attachment!.content.msteams).toMatchObject({
      entities: [{ type: 'mention', mentioned: { id: USER, name: 'Robin Kline' } }],
    });
    expect(card).toContain('ghp_********bC');
    expect(card).toContain(occurrence.url!);
    expect(card).not.toContain(GITHUB_TOKEN);
  });

  it('addresses a disabled or unknown owner to the security team', async () => {
    const cards: string[] = [];
    server.use(
      http.post(WEBHOOK, async ({ request }) => {
        cards.push(await request.text());
        return new HttpResponse(null, { status: 202 });
      }),
    );
    const n = notifier();
    expect(n.recipientFor(notice(owner({ active: false })))).toBe(SECURITY_RECIPIENT);
    expect(await n.notifyOwner(notice(owner({ active: false })))).toEqual({
      delivered: true,
      recipient: SECURITY_RECIPIENT,
    });
    expect(await n.notifyOwner(notice(null))).toEqual({ delivered: true, recipient: SECURITY_RECIPIENT });
    expect(cards[0]).toContain("the owner's account is disabled");
    expect(cards[0]).not.toContain('<at>');
    expect(cards[1]).toContain('no known owner');
  });

  it('reports a refused post as undelivered and throws on throttling so the job retries', async () => {
    const answers = [
      new HttpResponse('Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413', {
        status: 200,
      }),
      new HttpResponse('Bad payload', { status: 400 }),
      new HttpResponse(null, { status: 429, headers: { 'Retry-After': '60' } }),
    ];
    server.use(http.post(WEBHOOK, () => answers.shift()!));
    const n = notifier();
    expect(await n.notifyOwner(notice(owner()))).toMatchObject({
      delivered: false,
      reason: expect.stringContaining('delivery failed'),
    });
    expect(await n.notifyOwner(notice(owner()))).toMatchObject({
      delivered: false,
      reason: expect.stringContaining('400'),
    });
    const error = await n.notifyOwner(notice(owner())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphThrottledError);
    expect((error as Error).message).not.toContain('webhookb2');
  });
});
