import { z } from 'zod';
import { ErrorCode, LeakwatchError } from '../../src/core/errors.ts';
import { Secret } from '../../src/core/secret.ts';
import { redactSecret } from '../../src/detection/redact.ts';

export type ConfluenceDeployment = 'cloud' | 'datacenter';

export type ConfluenceAuth = { kind: 'basic'; email: string; token: Secret } | { kind: 'bearer'; token: Secret };

export interface ConfluenceConfig {
  /** Where the REST APIs live: the site origin on Cloud (no `/wiki`), origin plus context path on Data Center. */
  baseUrl: string;
  /** The site's host name: the `workspace` of every document read from it. */
  host: string;
  deployment: ConfluenceDeployment;
  auth: ConfluenceAuth;
  /** Shared secret of the Data Center webhook; without it `/webhooks/confluence` is not served. */
  webhookSecret: Secret | undefined;
  /** Space keys to watch; empty means every space the credentials can read. */
  spaces: string[];
  /** How often the poller runs (seconds; schedules have minute resolution, so it is rounded up to minutes). */
  pollIntervalSeconds: number;
  /** How far before the cursor each poll looks again (CQL `lastmodified` has minute resolution and search is eventually consistent). */
  pollOverlapSeconds: number;
  /** Pacing of requests to the site. */
  requestsPerSecond: number;
  /** Deadline of every HTTP request. */
  requestTimeoutMs: number;
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** The environment variables of the Confluence connector, as zod parses them (before cross-field checks). */
export const confluenceEnvSchema = z.object({
  CONFLUENCE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^/\s]+/, 'must be an http(s) URL such as https://acme.atlassian.net')
      .optional(),
  ),
  CONFLUENCE_EMAIL: optionalText,
  CONFLUENCE_API_TOKEN: optionalText,
  CONFLUENCE_PAT: optionalText,
  CONFLUENCE_WEBHOOK_SECRET: optionalText.pipe(
    z.string().min(16, 'must be at least 16 characters (use e.g. `openssl rand -hex 32`)').optional(),
  ),
  CONFLUENCE_SPACES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9_~-]+$/, 'each space key must be letters, digits, _ ~ or -'))),
  CONFLUENCE_DEPLOYMENT: optionalText.pipe(z.enum(['cloud', 'datacenter']).optional()),
  LEAKWATCH_POLL_INTERVAL: z.coerce.number().int().min(1).max(86_400).default(60),
  CONFLUENCE_POLL_OVERLAP_SECONDS: z.coerce.number().int().min(60).max(86_400).default(300),
  CONFLUENCE_REQUESTS_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(5),
  CONFLUENCE_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(30_000),
});

function invalid(lines: string[]): LeakwatchError {
  return new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${lines.join('\n  ')}`);
}

function secret(value: string): Secret {
  return new Secret(value, redactSecret(value));
}

/**
 * Reads the Confluence connector's settings from the environment. Returns
 * `undefined` when `CONFLUENCE_URL` is not set (the connector is off); throws
 * a `config_invalid` error naming the variable when a setting is wrong or
 * credentials are missing.
 *
 * @example
 *   loadConfluenceConfig({ CONFLUENCE_URL: 'https://acme.atlassian.net', CONFLUENCE_EMAIL: 'bot@acme.test',
 *     CONFLUENCE_API_TOKEN: '…' }) // { deployment: 'cloud', host: 'acme.atlassian.net', … }
 */
export function loadConfluenceConfig(env: NodeJS.ProcessEnv = process.env): ConfluenceConfig | undefined {
  const parsed = confluenceEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const c = parsed.data;
  if (c.CONFLUENCE_URL === undefined) return undefined;

  const url = new URL(c.CONFLUENCE_URL);
  const deployment: ConfluenceDeployment =
    c.CONFLUENCE_DEPLOYMENT ?? (url.hostname.endsWith('.atlassian.net') ? 'cloud' : 'datacenter');
  let path = url.pathname.replace(/\/+$/, '');
  // Cloud serves Confluence under /wiki; people paste either form.
  if (deployment === 'cloud') path = path.replace(/\/wiki$/, '');
  const baseUrl = `${url.origin}${path}`;

  const errors: string[] = [];
  let auth: ConfluenceAuth | undefined;
  if (c.CONFLUENCE_EMAIL !== undefined || c.CONFLUENCE_API_TOKEN !== undefined) {
    if (c.CONFLUENCE_EMAIL === undefined) errors.push('CONFLUENCE_EMAIL: required with CONFLUENCE_API_TOKEN');
    else if (c.CONFLUENCE_API_TOKEN === undefined) errors.push('CONFLUENCE_API_TOKEN: required with CONFLUENCE_EMAIL');
    else auth = { kind: 'basic', email: c.CONFLUENCE_EMAIL, token: secret(c.CONFLUENCE_API_TOKEN) };
  } else if (c.CONFLUENCE_PAT !== undefined) {
    if (deployment === 'cloud') {
      errors.push(
        'CONFLUENCE_PAT: personal access tokens exist only on Data Center; Confluence Cloud needs CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN',
      );
    } else auth = { kind: 'bearer', token: secret(c.CONFLUENCE_PAT) };
  } else {
    errors.push(
      'CONFLUENCE_API_TOKEN: CONFLUENCE_URL is set, so set CONFLUENCE_EMAIL + CONFLUENCE_API_TOKEN or CONFLUENCE_PAT',
    );
  }
  if (c.CONFLUENCE_WEBHOOK_SECRET !== undefined && deployment === 'cloud') {
    errors.push(
      'CONFLUENCE_WEBHOOK_SECRET: Confluence Cloud has no admin webhooks (only Connect/Forge apps); Cloud is polled, leave it unset',
    );
  }
  if (errors.length > 0 || auth === undefined) throw invalid(errors);

  return {
    baseUrl,
    host: url.host,
    deployment,
    auth,
    webhookSecret: c.CONFLUENCE_WEBHOOK_SECRET === undefined ? undefined : secret(c.CONFLUENCE_WEBHOOK_SECRET),
    spaces: c.CONFLUENCE_SPACES,
    pollIntervalSeconds: c.LEAKWATCH_POLL_INTERVAL,
    pollOverlapSeconds: c.CONFLUENCE_POLL_OVERLAP_SECONDS,
    requestsPerSecond: c.CONFLUENCE_REQUESTS_PER_SECOND,
    requestTimeoutMs: c.CONFLUENCE_TIMEOUT_MS,
  };
}
