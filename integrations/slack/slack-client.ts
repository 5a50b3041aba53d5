import {
  LogLevel,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
  type Logger as SlackLogger,
  type WebClientOptions,
} from '@slack/web-api';
import type { Logger } from '../../src/logger.ts';
import type { SlackConfig } from './slack-config.ts';

/** Per-call timeout for Slack Web API calls. */
export const SLACK_TIMEOUT_MS = 10_000;

/**
 * WebClient options shared by every client leakwatch builds: the configured
 * API URL, a timeout, and 429s rejected (with the wait in the error) instead
 * of pausing the whole client for minutes, so background jobs reschedule.
 * Network and 5xx errors get two quick retries (`retries`: 0 for calls that
 * must not be repeated blindly, such as posting an owner DM).
 */
export function slackClientOptions(
  config: SlackConfig,
  logger?: Logger,
  options: { retries?: number } = {},
): WebClientOptions {
  return {
    slackApiUrl: config.apiUrl,
    timeout: SLACK_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 500, maxTimeout: 2_000, randomize: true },
    // A method name can never send the token to another host.
    allowAbsoluteUrls: false,
    logger: toSlackLogger(logger),
  };
}

/**
 * A WebClient for one token (bot `xoxb-` or admin user `xoxp-`).
 *
 * @example
 *   const bot = createSlackClient(config.botToken, config);
 *   await bot.conversations.history({ channel: 'C0123', limit: 200 });
 */
export function createSlackClient(
  token: string,
  config: SlackConfig,
  logger?: Logger,
  options: { retries?: number } = {},
): WebClient {
  return new WebClient(token, slackClientOptions(config, logger, options));
}

/**
 * Slack's libraries log through this adapter: their debug lines (which can
 * hold request bodies, i.e. message text) are dropped; info goes to debug,
 * warnings and errors to the process logger (which scrubs secrets anyway).
 */
export function toSlackLogger(logger: Logger | undefined, name = 'slack'): SlackLogger {
  const text = (parts: unknown[]) =>
    parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: () => {},
    info: (...parts: unknown[]) => logger?.debug({ component: name }, text(parts)),
    warn: (...parts: unknown[]) => logger?.warn({ component: name }, text(parts)),
    error: (...parts: unknown[]) => logger?.error({ component: name }, text(parts)),
    setLevel: () => {},
    // Reporting INFO keeps libraries from building their debug-only payload dumps.
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** Seconds Slack asked us to wait, when `error` is a rejected rate-limited call. */
export function retryAfterSeconds(error: unknown): number | undefined {
  return error instanceof WebAPIRateLimitedError ? Math.max(1, error.retryAfter) : undefined;
}

/** Slack's error code (`not_in_channel`, `invalid_auth`…) when `error` is an `ok: false` answer. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof WebAPIPlatformError ? error.data.error : undefined;
}

/** Errors that mean the token itself is unusable: retrying cannot help. */
export const FATAL_TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'org_login_required',
  'ekm_access_denied',
  'team_access_not_granted',
]);

/** A short, secret-free description of a Slack call failure, for logs and stored errors. */
export function describeSlackError(error: unknown): string {
  const code = slackErrorCode(error);
  if (code) return `Slack answered ${code}`;
  const wait = retryAfterSeconds(error);
  if (wait !== undefined) return `rate limited by Slack (retry after ${wait}s)`;
  const e = error as { code?: string; statusCode?: number; message?: string };
  if (e?.statusCode) return `Slack answered HTTP ${e.statusCode}`;
  if (e?.code === 'slack_webapi_request_error') return 'could not reach Slack (network error or timeout)';
  return e?.message ?? String(error);
}

/** Who the bot is and in which workspace, from `auth.test`. */
export interface SlackWorkspace {
  teamId: string;
  /** `https://acme.slack.com/`, for permalinks. */
  url: string;
  botUserId?: string;
  botId?: string;
}

/**
 * The bot's workspace, asked once (`auth.test`) and remembered. A failed
 * lookup is not remembered, so the next call tries again.
 */
export function workspaceLookup(bot: WebClient): () => Promise<SlackWorkspace> {
  let pending: Promise<SlackWorkspace> | undefined;
  return () => {
    pending ??= bot.auth
      .test()
      .then((r) => {
        if (!r.team_id || !r.url) throw new Error('auth.test returned no team_id/url');
        return {
          teamId: r.team_id,
          url: r.url.endsWith('/') ? r.url : `${r.url}/`,
          botUserId: r.user_id,
          botId: r.bot_id,
        };
      })
      .catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
    return pending;
  };
}
