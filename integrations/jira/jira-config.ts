import { z } from 'zod';
import { ErrorCode, LeakwatchError } from '../../src/core/errors.ts';
import { Secret } from '../../src/core/secret.ts';

export type JiraDeployment = 'cloud' | 'datacenter';

/** How leakwatch signs in to Jira. Credentials are `Secret`s so a logged config prints them redacted. */
export type JiraAuth =
  | { kind: 'basic'; email: string; apiToken: Secret }
  | { kind: 'pat'; token: Secret }
  | { kind: 'oauth'; accessToken: Secret; cloudId: string | undefined };

export interface JiraConfig {
  /** Site base URL without a trailing slash, e.g. `https://acme.atlassian.net` or `https://jira.corp.example/jira`. */
  url: string;
  /** Host of the site: the `workspace` of every Jira document and the `jira:<host>` connector name. */
  host: string;
  auth: JiraAuth;
  /** From `JIRA_DEPLOYMENT`, or inferred from an `*.atlassian.net` URL; `undefined` = ask `/rest/api/2/serverInfo`. */
  deployment: JiraDeployment | undefined;
  webhookSecret: Secret | undefined;
  /** Project keys to watch; empty = every project the account can browse. */
  projects: string[];
  pollIntervalSeconds: number;
  /** Text attachments are read up to this many bytes (0 turns attachment scanning off). */
  maxAttachmentBytes: number;
  /** Outbound requests per second to the site (Atlassian rate-limits per site and account). */
  requestsPerSecond: number;
  /** Cloud: ask Atlassian's redaction API (`POST /rest/api/3/redact`) to remove the value from history too. */
  historyRedaction: boolean;
  requestTimeoutMs: number;
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{0,254}$/;

/** The raw environment variables the Jira connector reads; `loadJiraConfig` turns them into a `JiraConfig`. */
export const jiraEnvSchema = z.object({
  JIRA_URL: optionalText.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^/\s]+(\/\S*)?$/, 'must be an http(s) URL such as https://acme.atlassian.net')
      .optional(),
  ),
  JIRA_EMAIL: optionalText.pipe(
    z
      .string()
      .regex(/^[^@\s]+@[^@\s]+$/, 'must be an email address')
      .optional(),
  ),
  JIRA_API_TOKEN: optionalText,
  JIRA_PAT: optionalText,
  JIRA_OAUTH_TOKEN: optionalText,
  JIRA_CLOUD_ID: optionalText,
  JIRA_WEBHOOK_SECRET: optionalText.pipe(
    z.string().min(16, 'must be at least 16 characters (Jira can generate one)').optional(),
  ),
  JIRA_PROJECTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim().toUpperCase())
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(z.string().regex(PROJECT_KEY, 'must be a comma-separated list of project keys (e.g. OPS,ENG)'))),
  JIRA_DEPLOYMENT: optionalText.pipe(z.enum(['cloud', 'datacenter']).optional()),
  LEAKWATCH_POLL_INTERVAL: z.coerce.number().int().min(1).max(86_400).default(60),
  JIRA_MAX_ATTACHMENT_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  JIRA_REQUESTS_PER_SECOND: z.coerce.number().min(0.1).max(100).default(5),
  JIRA_HISTORY_REDACTION: z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .default('true')
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v)),
  JIRA_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(30_000),
});

function invalid(lines: string[]): LeakwatchError {
  return new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${lines.join('\n  ')}`);
}

/**
 * Reads the Jira connector's configuration. Returns `undefined` when Jira is
 * not configured at all (no URL and no credentials); throws a
 * `config_invalid` error naming the variable when it is half configured.
 *
 * @example loadJiraConfig({ JIRA_URL: 'https://acme.atlassian.net', JIRA_EMAIL: 'bot@acme.com', JIRA_API_TOKEN: '…' })
 */
export function loadJiraConfig(env: Record<string, string | undefined> = process.env): JiraConfig | undefined {
  const parsed = jiraEnvSchema.safeParse(env);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;

  const methods = [
    e.JIRA_EMAIL !== undefined || e.JIRA_API_TOKEN !== undefined ? 'JIRA_EMAIL + JIRA_API_TOKEN' : undefined,
    e.JIRA_PAT !== undefined ? 'JIRA_PAT' : undefined,
    e.JIRA_OAUTH_TOKEN !== undefined ? 'JIRA_OAUTH_TOKEN' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (e.JIRA_URL === undefined) {
    if (methods.length === 0) return undefined;
    throw invalid([`JIRA_URL: is required when ${methods.join(' / ')} is set`]);
  }
  if (methods.length === 0) {
    throw invalid([
      'JIRA_URL: is set but no credentials: set JIRA_EMAIL and JIRA_API_TOKEN, JIRA_PAT or JIRA_OAUTH_TOKEN',
    ]);
  }
  if (methods.length > 1) {
    const variable = methods[1]!.split(' ')[0];
    throw invalid([`${variable}: set only one way to sign in, not ${methods.join(' and ')}`]);
  }
  if (e.JIRA_EMAIL !== undefined && e.JIRA_API_TOKEN === undefined) {
    throw invalid(['JIRA_API_TOKEN: is required with JIRA_EMAIL']);
  }
  if (e.JIRA_API_TOKEN !== undefined && e.JIRA_EMAIL === undefined) {
    throw invalid(['JIRA_EMAIL: is required with JIRA_API_TOKEN']);
  }

  const url = e.JIRA_URL.replace(/\/+$/, '');
  const host = new URL(url).host.toLowerCase();
  const inferred: JiraDeployment | undefined = isAtlassianCloudHost(host) ? 'cloud' : undefined;
  const deployment = e.JIRA_DEPLOYMENT ?? inferred;

  let auth: JiraAuth;
  if (e.JIRA_PAT !== undefined) auth = { kind: 'pat', token: new Secret(e.JIRA_PAT, 'JIRA_PAT(********)') };
  else if (e.JIRA_OAUTH_TOKEN !== undefined)
    auth = {
      kind: 'oauth',
      accessToken: new Secret(e.JIRA_OAUTH_TOKEN, 'JIRA_OAUTH_TOKEN(********)'),
      cloudId: e.JIRA_CLOUD_ID,
    };
  else
    auth = { kind: 'basic', email: e.JIRA_EMAIL!, apiToken: new Secret(e.JIRA_API_TOKEN!, 'JIRA_API_TOKEN(********)') };

  if (deployment === 'cloud' && auth.kind === 'pat') {
    throw invalid([
      'JIRA_PAT: personal access tokens are a Data Center feature; on Jira Cloud use JIRA_EMAIL + JIRA_API_TOKEN or JIRA_OAUTH_TOKEN',
    ]);
  }
  if (deployment === 'datacenter' && auth.kind === 'oauth') {
    throw invalid(['JIRA_OAUTH_TOKEN: Atlassian OAuth 2.0 access tokens work with Jira Cloud only; use JIRA_PAT']);
  }

  return {
    url,
    host,
    auth,
    deployment,
    webhookSecret:
      e.JIRA_WEBHOOK_SECRET === undefined
        ? undefined
        : new Secret(e.JIRA_WEBHOOK_SECRET, 'JIRA_WEBHOOK_SECRET(********)'),
    projects: [...new Set(e.JIRA_PROJECTS)],
    pollIntervalSeconds: e.LEAKWATCH_POLL_INTERVAL,
    maxAttachmentBytes: e.JIRA_MAX_ATTACHMENT_BYTES,
    requestsPerSecond: e.JIRA_REQUESTS_PER_SECOND,
    historyRedaction: e.JIRA_HISTORY_REDACTION,
    requestTimeoutMs: e.JIRA_REQUEST_TIMEOUT_MS,
  };
}

function isAtlassianCloudHost(host: string): boolean {
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com');
}

/**
 * Cloud or Data Center: the configured/inferred value, else the site's own
 * answer (`GET /rest/api/2/serverInfo`, readable without signing in:
 * `deploymentType` is `Cloud` on Cloud, `Server` or `DataCenter` otherwise).
 */
export async function resolveJiraDeployment(
  config: JiraConfig,
  fetchImpl: typeof fetch = fetch,
): Promise<JiraDeployment> {
  if (config.deployment !== undefined) return config.deployment;
  let response: Response;
  try {
    response = await fetchImpl(`${config.url}/rest/api/2/serverInfo`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(config.requestTimeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new LeakwatchError(
      ErrorCode.ConfigInvalid,
      `JIRA_URL: could not reach ${config.url}/rest/api/2/serverInfo to tell Cloud from Data Center (${(error as Error).name}); set JIRA_DEPLOYMENT=cloud|datacenter`,
    );
  }
  const body = (await response.json().catch(() => null)) as { deploymentType?: unknown } | null;
  if (!response.ok || typeof body?.deploymentType !== 'string') {
    throw new LeakwatchError(
      ErrorCode.ConfigInvalid,
      `JIRA_URL: ${config.url}/rest/api/2/serverInfo answered ${response.status} without a deploymentType; set JIRA_DEPLOYMENT=cloud|datacenter`,
    );
  }
  const deployment: JiraDeployment = body.deploymentType.toLowerCase() === 'cloud' ? 'cloud' : 'datacenter';
  if (deployment === 'cloud' && config.auth.kind === 'pat') {
    throw new LeakwatchError(
      ErrorCode.ConfigInvalid,
      'JIRA_PAT: the site is Jira Cloud, where personal access tokens do not exist; use JIRA_EMAIL + JIRA_API_TOKEN',
    );
  }
  if (deployment === 'datacenter' && config.auth.kind === 'oauth') {
    throw new LeakwatchError(
      ErrorCode.ConfigInvalid,
      'JIRA_OAUTH_TOKEN: the site is Jira Data Center, which does not accept Atlassian OAuth 2.0 tokens; use JIRA_PAT',
    );
  }
  return deployment;
}
