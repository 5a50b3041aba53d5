import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Office 365 connector incoming webhooks:
 * `<tenant>.webhook.office.com/webhookb2/<group>@<tenant id>/IncomingWebhook/<32 hex>/<owner>`
 * (URLs made since 2024 end in `/V2<token>`; the oldest ones are on
 * `outlook.office.com/webhook/`). Anyone holding the URL can post into the
 * channel. The secret is the URL without its scheme, as for Slack webhooks.
 */
export const microsoftTeamsIncomingWebhook: Detector = {
  id: 'microsoft-teams-incoming-webhook',
  name: 'Microsoft Teams incoming webhook URL',
  issuer: 'microsoft-teams',
  keywords: ['webhook.office.com/webhookb2/', 'outlook.office.com/webhook/', 'outlook.office365.com/webhook/'],
  pattern: new RegExp(
    `(?<![A-Za-z0-9.-])(?<secret>(?:[a-z0-9-]{1,63}\\.webhook\\.office\\.com\\/webhookb2|outlook\\.office(?:365)?\\.com\\/webhook)` +
      `\\/${UUID}@${UUID}\\/IncomingWebhook\\/[0-9a-f]{32}\\/${UUID}(?:\\/V2[A-Za-z0-9_-]{20,80})?)(?![A-Za-z0-9_-])`,
    'i',
  ),
  severity: 'medium',
  // tokens.md: POST {"text":""} is rejected with 400 "(Summary or) Text is required" by a live webhook
  // and posts nothing; a deleted connector answers 4xx without that text.
  verify: httpVerifier({
    hosts: ['*.webhook.office.com', 'outlook.office.com', 'outlook.office365.com'],
    request: (secret) => ({
      method: 'POST',
      url: secretText`https://${secret}`,
      headers: { 'content-type': 'application/json' },
      body: '{"text":""}',
    }),
    liveStatus: [400],
    deadStatus: [401, 403, 404, 410],
    confirm: (response) => typeof response.body === 'string' && response.body.includes('Text is required'),
    fixtures: {
      live: { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Summary or Text is required.' },
      dead: { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Webhook not found.' },
    },
  }),
  examples: {
    match: [
      'Jenkins notifier URL: https://acme.webhook.office.com/webhookb2/02d65aed-035c-4db5-a083-3c746220e881@ebc0a13c-329b-4876-ad1e-70d3695ee03e/IncomingWebhook/5b1cbf5311b401dd02d9d20c12a2916f/da17349f-f6fd-4b1f-8509-4eaa71b5383e',
      'TEAMS_WEBHOOK="https://contoso365.webhook.office.com/webhookb2/30f1aea4-2f2e-4330-8488-c9de537abae4@682dd3dd-1fb8-46aa-be75-aa2b4d22609d/IncomingWebhook/69893efeae9f5e7e38ccb1b036e0cc7f/d6959e6c-7c30-4ae6-a007-0756a66403b2/V2w41L_jLsic8UBRJMwIwUbxIM78aJN__4JEQHVfJAsGl"',
      'old connector still in the cron job: https://outlook.office.com/webhook/67512fc6-5e95-49d4-b0e6-dde88526f028@183a733c-870c-4f9a-ba69-d4824f3073aa/IncomingWebhook/f92066dd4c2f63ff5436254ff64cc43f/2cb327c1-4c64-4a41-ac27-85788c4507eb',
    ],
    ignore: [
      'https://outlook.office.com/webhook/YOUR_WEBHOOK_ID@YOUR_TENANT_ID/IncomingWebhook/YOUR_TOKEN',
      'https://acme.webhook.office.com/webhookb2/00000000-0000-0000-0000-000000000000@00000000-0000-0000-0000-000000000000/IncomingWebhook/00000000000000000000000000000000/00000000-0000-0000-0000-000000000000',
      // cut before the owner id
      'https://acme.webhook.office.com/webhookb2/02d65aed-035c-4db5-a083-3c746220e881@ebc0a13c-329b-4876-ad1e-70d3695ee03e/IncomingWebhook/5b1cbf5311b401dd02d9d20c12a2916f',
    ],
  },
};

export const microsoftTeamsDetectors: readonly Detector[] = [microsoftTeamsIncomingWebhook];
