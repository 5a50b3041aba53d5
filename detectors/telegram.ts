import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Bot tokens: `<bot id>:` + 35 characters starting with `A`. No prefix: only
 * after a Telegram name, a bot-token name or inside `api.telegram.org/bot…`.
 */
export const telegramBotToken: Detector = {
  id: 'telegram-bot-token',
  name: 'Telegram bot token',
  issuer: 'telegram',
  keywords: ['telegram', 'tg_', 'tg-', 'bot_token', 'bot-token', 'bot token', 'bottoken'],
  pattern:
    /(?:api\.telegram\.org\/bot|\bbot[ _.-]{0,3}token[\s"'`]{0,3}[=:][\s"'`]{0,3}|\b(?:telegram|tg)[\w. -]{0,20}?(?:token|key)[\s"'`]{0,3}[=:][\s"'`]{0,3})(?<secret>\d{5,16}:A[A-Za-z0-9_-]{34})(?![A-Za-z0-9_-])/i,
  validate: (secret) => /[a-z]/.test(secret) && /[A-Z]/.test(secret.slice(secret.indexOf(':') + 2)),
  entropy: 3.5,
  severity: 'high',
  // tokens.md: GET /bot<T>/getMe → {"ok":true,...}; 401 Unauthorized, 404 for a malformed token.
  verify: httpVerifier({
    hosts: ['api.telegram.org'],
    request: (secret) => ({ url: secretText`https://api.telegram.org/bot${secret}/getMe` }),
    deadStatus: [401, 404],
    confirm: (response) => (response.body as { ok?: unknown } | null)?.ok === true,
    facts: (response) => {
      const name = field(response.body, 'result', 'username');
      return name === undefined ? undefined : { account: name };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          ok: true,
          result: { id: 8860938552, is_bot: true, first_name: 'Deploy bot', username: 'acme_deploy_bot' },
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { ok: false, error_code: 401, description: 'Unauthorized' },
      },
    },
  }),
  examples: {
    match: [
      'TELEGRAM_BOT_TOKEN=8860938552:AAkXS03-4LD_39wq8PcfKMaKJuZwx9wfVks python alerts.py',
      'curl "https://api.telegram.org/bot854544783:AAdhMJwRcL7VIR4OCzOIKAYPzgD7gpjQ0lK/sendMessage?chat_id=-100123&text=deploy%20done"',
    ],
    ignore: [
      'TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'https://api.telegram.org/bot<token>/getUpdates',
      // the bot id alone (as BotFather shows it) is not the token
      'telegram bot token starts with 8860938552: and the rest is in vault',
    ],
  },
};

export const telegramDetectors: readonly Detector[] = [telegramBotToken];
