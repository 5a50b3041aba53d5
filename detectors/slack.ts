import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse } from '../src/core/verification.ts';
import { charClasses } from '../src/detection/entropy.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Number of character classes (lower, upper, digit) present: random Slack secrets use at least two. */
function classCount(value: string): number {
  const c = charClasses(value);
  return (c.lower > 0 ? 1 : 0) + (c.upper > 0 ? 1 : 0) + (c.digit > 0 ? 1 : 0);
}

/** The random tail after the last `-` is a real secret, not an id, a run of digits or a word. */
function hasRandomTail(token: string): boolean {
  const tail = token.slice(token.lastIndexOf('-') + 1);
  return classCount(tail) >= 2 && /[A-Za-z]/.test(tail);
}

/**
 * Rotating (`xoxe.xoxp-1-…`) and refresh (`xoxe-1-…`) tokens carry base64url of
 * `<version>-<team id>-<user id>-…-<64 hex>`. Reverse-engineered, not documented
 * by Slack: 1 when the body decodes that way, 0.6 when it does not (the prefix is
 * still specific).
 */
function rotatingTokenScore(token: string): number {
  const body = token.slice(token.indexOf('-', token.indexOf('-') + 1) + 1);
  const decoded = Buffer.from(body, 'base64url').toString('latin1');
  return /^\d-(?:\d{1,20}-){2,6}[0-9a-f]{64}$/.test(decoded) ? 1 : 0.6;
}

/** Slack Web API errors that prove the token itself is unusable (not a transient or permission problem). */
const SLACK_DEAD_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'token_revoked',
  'account_inactive',
  'not_authed',
]);

function slackError(response: SafeResponse): string | undefined {
  return field(response.body, 'error');
}

/**
 * `POST https://slack.com/api/auth.test` (docs.slack.dev/reference/methods/auth.test,
 * tokens.md #56–58): "who am I", no side effects. Slack answers HTTP 200 either
 * way, so the body decides: `"ok":true` live, an auth error dead, anything else
 * (`not_allowed_token_type`, `ratelimited`, …) unknown. Granted scopes come in
 * the `x-oauth-scopes` response header.
 */
const slackAuthTest = httpVerifier({
  hosts: ['slack.com'],
  request: (secret) => ({
    method: 'POST',
    url: 'https://slack.com/api/auth.test',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  liveStatus: [200],
  deadStatus: [],
  confirm: (response) => {
    if ((response.body as { ok?: unknown } | null)?.ok === true) return true;
    return SLACK_DEAD_ERRORS.has(slackError(response) ?? '') ? 'dead' : false;
  },
  facts: (response) => {
    const scopes = (response.headers.get('x-oauth-scopes') ?? '')
      .split(',')
      .map((scope) => scope.trim())
      .filter((scope) => scope.length > 0);
    const details = Object.fromEntries(
      (['team', 'team_id', 'user', 'user_id', 'bot_id', 'url'] as const).flatMap((key) => {
        const value = field(response.body, key);
        return value === undefined ? [] : [[key, value]];
      }),
    );
    const account = field(response.body, 'user');
    const team = field(response.body, 'team');
    return {
      ...(account !== undefined ? { account: team !== undefined ? `${account} (${team})` : account } : {}),
      ...(scopes.length > 0 ? { scopes } : {}),
      // `admin` (legacy) and `admin.*` (Enterprise Grid) scopes manage the whole workspace or org.
      ...(scopes.some((scope) => scope === 'admin' || scope.startsWith('admin.')) ? { privileged: true } : {}),
      details,
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'x-oauth-scopes': 'chat:write,channels:read,channels:history,users:read,files:write',
        'x-accepted-oauth-scopes': '',
      },
      body: {
        ok: true,
        url: 'https://acme-eng.slack.com/',
        team: 'Acme Engineering',
        user: 'deploy-bot',
        team_id: 'T04FBPNKZ9A',
        user_id: 'U05HGE2PLMX',
        bot_id: 'B05H8UEKD3Q',
        is_enterprise_install: false,
      },
    },
    dead: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { ok: false, error: 'invalid_auth' },
    },
  },
});

/**
 * `POST https://slack.com/api/auth.revoke` (docs.slack.dev/reference/methods/auth.revoke,
 * tokens.md #56–58): the token revokes itself; `"revoked":true` confirms it.
 * Revoking a bot token also deactivates the bot user.
 */
const slackAuthRevoke = httpRevoker({
  hosts: ['slack.com'],
  request: (secret) => ({
    method: 'POST',
    url: 'https://slack.com/api/auth.revoke',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  revokedStatus: [200],
  invalidStatus: [],
  confirm: (response) => {
    const body = response.body as { ok?: unknown; revoked?: unknown } | null;
    if (body?.ok === true && body.revoked === true) return true;
    return SLACK_DEAD_ERRORS.has(slackError(response) ?? '') ? 'already_invalid' : false;
  },
  fixtures: {
    revoked: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { ok: true, revoked: true },
    },
    failed: {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: { ok: false, error: 'token_revoked' },
    },
  },
});

/** Plain-text answers of a live incoming webhook to a body it cannot parse. */
const WEBHOOK_LIVE_ERRORS: ReadonlySet<string> = new Set([
  'invalid_payload',
  'no_text',
  'missing_text_or_fallback_or_attachments',
]);
/** Answers for a removed or revoked webhook. */
const WEBHOOK_DEAD_ERRORS: ReadonlySet<string> = new Set(['invalid_token', 'no_service', 'no_team', 'no_active_hooks']);

/**
 * Incoming webhooks have no read-only endpoint, so the check POSTs a
 * deliberately unparseable JSON body (`{`) that can never become a message
 * (docs.slack.dev/messaging/sending-messages-using-incoming-webhooks, "Handling
 * errors"; tokens.md #60): a live hook answers 400 `invalid_payload`, a removed
 * one 403 `invalid_token` or 404 `no_service`. Other answers (`action_prohibited`,
 * `channel_is_archived`) do not prove the hook dead: unknown.
 */
const slackWebhookMalformedPost = httpVerifier({
  hosts: ['hooks.slack.com'],
  request: (secret) => ({
    method: 'POST',
    url: secretText`https://${secret}`,
    headers: { 'content-type': 'application/json' },
    body: '{',
  }),
  liveStatus: [400, 403, 404],
  deadStatus: [],
  confirm: (response) => {
    const text = typeof response.body === 'string' ? response.body.trim() : '';
    if (response.status === 400) return WEBHOOK_LIVE_ERRORS.has(text);
    return WEBHOOK_DEAD_ERRORS.has(text) ? 'dead' : false;
  },
  fixtures: {
    live: { status: 400, headers: { 'content-type': 'text/html' }, body: 'invalid_payload' },
    dead: { status: 403, headers: { 'content-type': 'text/html' }, body: 'invalid_token' },
  },
});

/** Bot tokens: `xoxb-<team id>-<bot user id>-<24 alnum>`; legacy bots `xoxb-<id>-<18–26 alnum>`. */
export const slackBotToken: Detector = {
  id: 'slack-bot-token',
  name: 'Slack bot token',
  issuer: 'slack',
  keywords: ['xoxb-'],
  pattern:
    /(?<![A-Za-z0-9_.-])(?<secret>xoxb-(?:\d{10,13}-\d{10,13}-[A-Za-z0-9]{24}|\d{8,14}-[A-Za-z0-9]{18,26}))(?![A-Za-z0-9_-])/,
  validate: hasRandomTail,
  severity: 'high',
  verify: slackAuthTest,
  revoke: slackAuthRevoke,
  examples: {
    match: [
      'the bot stopped posting, here is what is in the env: SLACK_BOT_TOKEN=xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl',
      'curl -H "Authorization: Bearer xoxb-83898259670-377503758857-5FR9pEZKQHSjfP9FEwxNx7Ot" https://slack.com/api/auth.test',
      // legacy custom-integration bot
      'old hubot config still has token xoxb-858346849176-exmNZTOqLWXPzeYUPdcAFBT9 in it',
    ],
    ignore: [
      'set SLACK_BOT_TOKEN=xoxb-**** in the vault, never in the repo',
      'token looks like xoxb-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx',
      // truncated when pasted
      'it starts with xoxb-573493285553-6466811986236-aYXbFa… and was rotated',
      // digits only where the secret should be
      'xoxb-573493285553-6466811986236-555309811986236646681198',
    ],
  },
};

/** User tokens: `xoxp-<team>-<user>-<id>-<32 hex>`. */
export const slackUserToken: Detector = {
  id: 'slack-user-token',
  name: 'Slack user token',
  issuer: 'slack',
  keywords: ['xoxp-'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>xoxp-\d{7,13}-\d{7,13}-\d{7,13}-[0-9a-f]{32})(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'high',
  verify: slackAuthTest,
  revoke: slackAuthRevoke,
  examples: {
    match: [
      'I used my own token for the export script: xoxp-6824388237-8050255303-5220823546006-0f1a8a4e059636cd0c22e0aceddf0746',
      'SLACK_USER_TOKEN: "xoxp-507021759-40925957242-933976170195-153c1445b22fa455be4e86997311cd33"',
    ],
    ignore: [
      'SLACK_USER_TOKEN=xoxp-0000000000-0000000000-0000000000-00000000000000000000000000000000',
      'use a user token (xoxp-…) only when the bot cannot do it',
      // 31 hex: truncated
      'xoxp-6824388237-8050255303-5220823546006-0f1a8a4e059636cd0c22e0aceddf074',
    ],
  },
};

/** App-level tokens for Socket Mode: `xapp-<n>-<app id>-<digits>-<64 hex>`. */
export const slackAppToken: Detector = {
  id: 'slack-app-token',
  name: 'Slack app-level token',
  issuer: 'slack',
  keywords: ['xapp-'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>xapp-\d-A[A-Z0-9]{8,12}-\d{10,16}-[0-9a-f]{64})(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'high',
  verify: slackAuthTest,
  revoke: slackAuthRevoke,
  examples: {
    match: [
      'SLACK_APP_TOKEN=xapp-1-A0BQ4143D1Z-5211676321084-cae6f7dbde9270285dd3c042409c46a8a9b9011629783aed1710c1d4510cc184',
      'socket mode needs the app token too: xapp-1-A08TA2TXN1-7549272078305-1132e56119bf5cd94ec4cd7dfcce536db645c26b446c0f12c2a2d51a6d5c5c8f',
    ],
    ignore: [
      'SLACK_APP_TOKEN=xapp-1-xxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxx',
      'generate an xapp- token with the connections:write scope',
      // hex part truncated to 40
      'xapp-1-A0BQ4143D1Z-5211676321084-cae6f7dbde9270285dd3c042409c46a8a9b90116',
    ],
  },
};

/** Rotating access tokens and app configuration tokens (12 h): `xoxe.xoxb-1-…` / `xoxe.xoxp-1-…`. */
export const slackRotatingToken: Detector = {
  id: 'slack-rotating-token',
  name: 'Slack rotating or configuration token',
  issuer: 'slack',
  keywords: ['xoxe.xoxb-', 'xoxe.xoxp-'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>xoxe\.xox[bp]-\d-[A-Za-z0-9]{140,180})(?![A-Za-z0-9_-])/,
  validate: rotatingTokenScore,
  entropy: 3.5,
  severity: 'high',
  verify: slackAuthTest,
  revoke: slackAuthRevoke,
  examples: {
    match: [
      'config token from the app settings page: xoxe.xoxp-1-Mi03MzQ0Nzk2OTc2LTEzNDA3NjkzMzQzODctNTQ3MDU5ODM2MzYyNC01NTM2OTAwNTExODYyLWM0MzZlN2MzMDkzYTM2ZDlhYWRlMmNmNzBmMzlkYmM3YjZhNDBmMjQ3ZGY5MGIyODIxZjE4Zjk2Njc0YmUxMDE',
      '{"ok":true,"access_token":"xoxe.xoxb-1-Mi05NTM1NTU3MzA0LTcyMjcyOTgzNjYzNjctNDg4OTQ1ODQwMzMyOC03NjIyNjk3OTUyMTc3LTgyYzg3NjMwNzEzZmI0MDlkN2FhZjliNGE5ZThlMjkzYTBmYjYyN2QyMmY0M2ZmMTlhYjhkMDA5NjU5ZDk1ZTg","expires_in":43200}',
    ],
    ignore: [
      'access tokens now look like xoxe.xoxp-1-… and expire after 12 hours',
      'xoxe.xoxb-1-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      // body cut in half by a line wrap
      'xoxe.xoxp-1-Mi03MzQ0Nzk2OTc2LTEzNDA3NjkzMzQzODctNTQ3MDU5ODM2MzYyNC01NTM2OTAwNTExODYy',
    ],
  },
};

/**
 * Refresh tokens of rotating/configuration tokens: `xoxe-1-…`; long-lived, mint
 * new access tokens. No liveness check: the only call that accepts them is the
 * refresh exchange, which rotates the token.
 */
export const slackRefreshToken: Detector = {
  id: 'slack-refresh-token',
  name: 'Slack refresh token',
  issuer: 'slack',
  keywords: ['xoxe-'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>xoxe-\d-[A-Za-z0-9]{130,170})(?![A-Za-z0-9_-])/,
  validate: rotatingTokenScore,
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'SLACK_REFRESH_TOKEN=xoxe-1-My0xLTY1NDQ3MjE2MTQtMzkwMzY5Njk3MjMyOS03NDM4OTgyNjkyMDcxLWJmZWU1YjM3OTQ1MTg5NzI4N2YxYjQ3MzM3NTM4NWMyOTcwNTQ3NmM5MjFmODYxZDNjMTU1ODgyNzAwYjEyZGI',
      '"refresh_token": "xoxe-1-My0xLTU3MDU4MDAwNzQtNTQ0MjQxOTM1NzY5NC05OTE4MzM5MTQzMjY1LWQxNDEwODk4ZjA5OGE3ZmUyNTEyMDUyOGZmMGExMmFjOGZkNWQ4NTc3YTg5NzYxOTQ0MGI3MTUzYjNjM2U5YWI"',
    ],
    ignore: [
      'store the xoxe-1-… refresh token next to the access token',
      'xoxe-1-My0xLTY1NDQ3MjE2MTQtMzkwMzY5Njk3MjMyOS03NDM4OTgyNjkyMDcxLWJmZWU1YjM3OTQ1',
      'the rotating token xoxe.xoxp-1-abc is not a refresh token',
    ],
  },
};

/**
 * Browser session tokens (`xoxc-`, paired with the `d` cookie `xoxd-`): act as
 * the signed-in user. Not checked: the API also needs the `d` cookie, which the
 * match does not carry; treated as critical untested (tokens.md #59).
 */
export const slackSessionToken: Detector = {
  id: 'slack-session-token',
  name: 'Slack session token',
  issuer: 'slack',
  keywords: ['xoxc-'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>xoxc-\d{7,13}-\d{7,15}-\d{7,15}-[0-9a-f]{64})(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'critical',
  examples: {
    match: [
      'grabbed from devtools for the scraper: token=xoxc-4614299398-7995022950664-2674152916543-b9e4ee7446a6b6c778a2aba8679fef51eb32a7ea7656bf2192fd93b971c744d4',
      'SLACK_XOXC=xoxc-3570870060-8418330531251-9570064948180-248a131daa91fb73c24c01b2e33c7a95b0b3c41980bf16e53b75758ddac05197 SLACK_XOXD=xoxd-…',
    ],
    ignore: [
      'never paste your xoxc- token anywhere',
      'xoxc-0000000000-0000000000000-0000000000000-0000000000000000000000000000000000000000000000000000000000000000',
      'xoxc-4614299398-7995022950664-2674152916543-b9e4ee7446a6b6c778a2aba8679fef51',
    ],
  },
};

/** Legacy tokens: workspace apps (`xoxa-2-`, `xoxr-`, retired 2021) and old `xoxo-`/`xoxs-` tokens. */
export const slackLegacyToken: Detector = {
  id: 'slack-legacy-token',
  name: 'Slack legacy token',
  issuer: 'slack',
  keywords: ['xoxa-', 'xoxr-', 'xoxo-', 'xoxs-'],
  pattern:
    /(?<![A-Za-z0-9_.-])(?<secret>xox[aors]-(?:\d-)?(?:\d{7,15}-\d{7,15}-\d{7,15}|\d{7,15}-\d{7,15})-[0-9A-Za-z]{16,64})(?![A-Za-z0-9_-])/,
  validate: (secret) => classCount(secret.slice(secret.lastIndexOf('-') + 1)) >= 2,
  entropy: 3,
  severity: 'high',
  verify: slackAuthTest,
  revoke: slackAuthRevoke,
  examples: {
    match: [
      'legacy token from 2017 still in the cron job: xoxs-1074698347-8563130947-6298767838-29a935427499ec6d56a66c95599079d0a42c1acfdfca0ee8283457ba600badd1',
      'SLACK_TOKEN=xoxo-7371734639-2121234248-1775943461-efcbd28f31e8816fad5adcc074830122',
      'workspace app token xoxa-2-9594273418-921602484498-2457766875451-ab7b3013ab59461a0b4d84d5d7c105c1',
    ],
    ignore: [
      'legacy tokens start with xoxs- or xoxo-',
      'xoxs-1111111111-1111111111-1111111111-1111111111111111111111111111111111111111111111111111111111111111',
      'xoxa-2-xxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

/**
 * Incoming webhooks. The secret is the URL without its scheme
 * (`hooks.slack.com/services/T…/B…/<24>`): one fingerprint whether or not the
 * text had `https://`, and callers always rebuild it as `https://` + secret.
 */
export const slackIncomingWebhook: Detector = {
  id: 'slack-incoming-webhook',
  name: 'Slack incoming webhook URL',
  issuer: 'slack',
  keywords: ['hooks.slack.com/services/'],
  pattern:
    /(?<![A-Za-z0-9.-])(?<secret>hooks\.slack\.com\/services\/T[A-Z0-9]{8,12}\/B[A-Z0-9]{8,12}\/[A-Za-z0-9]{24})(?![A-Za-z0-9_-])/,
  validate: hasRandomTail,
  severity: 'medium',
  verify: slackWebhookMalformedPost,
  examples: {
    match: [
      'alerts go to https://hooks.slack.com/services/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 (channel #ops-alerts)',
      'webhook_url: <https://hooks.slack.com/services/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|hooks.slack.com/services/TB761J1GL/…>',
    ],
    ignore: [
      'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'post to your webhook (https://hooks.slack.com/services/...) with a JSON body',
      'https://hooks.slack.com/services/T0RGLMIQNT/B0QNLPGIBJH/nQefP0DhcIMX',
    ],
  },
};

/**
 * Workflow Builder webhooks (`/workflows/T…/A…/<id>/<24>`) and platform webhook
 * triggers (`/triggers/T…/<id>/<32 hex>`): any POST starts the workflow.
 * Secret without scheme, as for incoming webhooks. Not checked: a POST may start
 * the workflow, and it is not documented that a malformed body is rejected first.
 */
export const slackWorkflowWebhook: Detector = {
  id: 'slack-workflow-webhook',
  name: 'Slack workflow webhook URL',
  issuer: 'slack',
  keywords: ['hooks.slack.com/workflows/', 'hooks.slack.com/triggers/'],
  pattern:
    /(?<![A-Za-z0-9.-])(?<secret>hooks\.slack\.com\/(?:workflows\/T[A-Z0-9]{8,12}\/A[A-Z0-9]{8,12}\/\d{8,22}\/[A-Za-z0-9]{24}|triggers\/[TE][A-Z0-9]{8,12}\/\d{8,22}\/[0-9a-f]{32}))(?![A-Za-z0-9_-])/,
  validate: hasRandomTail,
  severity: 'medium',
  examples: {
    match: [
      'the form posts to https://hooks.slack.com/workflows/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',
      'curl -X POST "https://hooks.slack.com/triggers/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" -d \'{"status":"done"}\'',
      'WORKFLOW_HOOK=https://hooks.slack.com/workflows/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',
    ],
    ignore: [
      'https://hooks.slack.com/workflows/T00000000/A00000000/000000000000000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      'webhook triggers look like https://hooks.slack.com/triggers/<team>/<id>/<secret>',
      'https://hooks.slack.com/triggers/T0A9AJ0014/5099517330423/b7491581',
    ],
  },
};

export const slackDetectors: readonly Detector[] = [
  slackBotToken,
  slackUserToken,
  slackAppToken,
  slackRotatingToken,
  slackRefreshToken,
  slackSessionToken,
  slackLegacyToken,
  slackIncomingWebhook,
  slackWorkflowWebhook,
];
