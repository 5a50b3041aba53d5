import { z } from 'zod';
import { ErrorCode, LeakwatchError } from '../../src/core/errors.ts';

/** Slack settings, read once from the environment by `loadSlackConfig`. */
export interface SlackConfig {
  /** SLACK_BOT_TOKEN (`xoxb-…`): required to enable Slack. */
  botToken: string;
  /** SLACK_SIGNING_SECRET: verifies Events API / interactivity requests (HTTP mode). */
  signingSecret?: string;
  /** SLACK_APP_TOKEN (`xapp-…`): Socket Mode instead of HTTP. */
  appToken?: string;
  /** SLACK_ADMIN_USER_TOKEN (`xoxp-…` of an admin): can edit/delete other people's messages. */
  adminUserToken?: string;
  /** SLACK_SECURITY_CHANNEL (channel id) for digests, alerts and unowned findings. */
  securityChannel?: string;
  /** SLACK_REDACTION, default `edit`. */
  redaction: 'edit' | 'delete' | 'warn' | 'off';
  /** SLACK_AUTO_REDACT (default true): redact as soon as a finding is recorded. */
  autoRedact: boolean;
  /** SLACK_DIGEST_CRON, default `0 9 * * *` (daily 09:00 UTC); `off` disables (undefined). */
  digestCron?: string;
  /** SLACK_DIGEST_PERIOD, default `daily`. */
  digestPeriod: 'daily' | 'weekly';
  /** SLACK_BACKFILL_RPM, default 50 (Tier 3); 1 for commercially distributed non-Marketplace apps. */
  backfillRequestsPerMinute: number;
  /** SLACK_MAX_FILE_BYTES, default 1 MiB: how much of a shared text file is fetched and scanned. */
  maxFileBytes: number;
  /** SLACK_API_URL, default `https://slack.com/api/` (an enterprise proxy or a local fake can stand in). */
  apiUrl: string;
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

/** Token checks never echo the value: a mistyped token is still a secret. */
const token = (prefix: string, what: string) =>
  z
    .string()
    .min(1)
    .refine((v) => v.startsWith(prefix) && v.length > prefix.length + 8 && !/\s/.test(v), {
      error: `must be ${what} (starts with ${prefix})`,
    });

const CRON_FIELD = /^[\d*,/\-A-Za-z?LW#]+$/;

const schema = z.object({
  SLACK_BOT_TOKEN: token('xoxb-', 'a bot token'),
  SLACK_SIGNING_SECRET: z
    .string()
    .regex(/^[0-9a-f]{16,}$/i, { error: 'must be the app\u2019s signing secret (hex, from Basic Information)' })
    .optional(),
  SLACK_APP_TOKEN: token('xapp-', 'an app-level token').optional(),
  SLACK_ADMIN_USER_TOKEN: token('xoxp-', 'a user token of a workspace admin').optional(),
  SLACK_SECURITY_CHANNEL: z
    .string()
    .regex(/^[CG][A-Z0-9]{6,}$/, { error: 'must be a channel id such as C0123456789 (not a #name)' })
    .optional(),
  SLACK_REDACTION: z.enum(['edit', 'delete', 'warn', 'off']).default('edit'),
  SLACK_AUTO_REDACT: bool.default(true),
  SLACK_DIGEST_CRON: z
    .string()
    .default('0 9 * * *')
    .refine(
      (v) => {
        if (v === 'off') return true;
        const fields = v.trim().split(/\s+/);
        return (fields.length === 5 || fields.length === 6) && fields.every((f) => CRON_FIELD.test(f));
      },
      { error: 'must be a cron expression with 5 fields (e.g. "0 9 * * 1") or "off"' },
    )
    .transform((v) => (v === 'off' ? undefined : v.trim())),
  SLACK_DIGEST_PERIOD: z.enum(['daily', 'weekly']).default('daily'),
  SLACK_BACKFILL_RPM: z.coerce.number().int().min(1).max(1000).default(50),
  SLACK_MAX_FILE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  SLACK_API_URL: z
    .string()
    .default('https://slack.com/api/')
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), {
      error: 'must be an http(s) URL such as https://slack.com/api/',
    })
    .transform((v) => (v.endsWith('/') ? v : `${v}/`)),
});

/** Empty variables count as unset (`SLACK_APP_TOKEN=` in a .env file). */
function present(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('SLACK_') && value !== undefined && value.trim() !== '') out[name] = value.trim();
  }
  return out;
}

function invalid(lines: string[]): LeakwatchError {
  return new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${lines.join('\n  ')}`);
}

/**
 * Reads the Slack settings. Slack is off (undefined) when `SLACK_BOT_TOKEN` is
 * unset; once it is set, every other variable is validated and errors name
 * the variable (never its value).
 *
 * @example
 *   loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-…', SLACK_SIGNING_SECRET: '8f74…' })
 *   // → { botToken: 'xoxb-…', redaction: 'edit', backfillRequestsPerMinute: 50, … }
 */
export function loadSlackConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  const vars = present(env);
  if (vars.SLACK_BOT_TOKEN === undefined) return undefined;
  const parsed = schema.safeParse(vars);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const c = parsed.data;
  if (!c.SLACK_SIGNING_SECRET && !c.SLACK_APP_TOKEN) {
    throw invalid([
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN to verify requests from Slack (or set SLACK_APP_TOKEN for Socket Mode)',
    ]);
  }
  return {
    botToken: c.SLACK_BOT_TOKEN,
    signingSecret: c.SLACK_SIGNING_SECRET,
    appToken: c.SLACK_APP_TOKEN,
    adminUserToken: c.SLACK_ADMIN_USER_TOKEN,
    securityChannel: c.SLACK_SECURITY_CHANNEL,
    redaction: c.SLACK_REDACTION,
    autoRedact: c.SLACK_AUTO_REDACT,
    digestCron: c.SLACK_DIGEST_CRON,
    digestPeriod: c.SLACK_DIGEST_PERIOD,
    backfillRequestsPerMinute: c.SLACK_BACKFILL_RPM,
    maxFileBytes: c.SLACK_MAX_FILE_BYTES,
    apiUrl: c.SLACK_API_URL,
  };
}
