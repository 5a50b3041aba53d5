import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ErrorCode, LeakwatchError } from '../../src/core/errors.ts';
import { Secret } from '../../src/core/secret.ts';

/** How leakwatch proves to Entra ID that it is the registered app. */
export type TeamsCredential =
  | { kind: 'secret'; secret: Secret }
  | {
      kind: 'certificate';
      /** PKCS#8 PEM, as msal-node wants it. */
      privateKey: Secret;
      /** Hex SHA-256 thumbprint of the certificate registered on the app. */
      thumbprintSha256?: string;
      /** Hex SHA-1 thumbprint, for registrations that only know that one. */
      thumbprintSha1?: string;
    };

/** Which chats to watch: every chat in the tenant, none, or the listed ones (resource-specific consent). */
export type TeamsChatScope = { mode: 'all' } | { mode: 'off' } | { mode: 'listed'; chatIds: string[] };

export interface TeamsConfig {
  tenantId: string;
  clientId: string;
  credential: TeamsCredential;
  /** Public URL of `/webhooks/teams`; without it no subscriptions are made and catch-up polling does the work. */
  notificationUrl: string | undefined;
  /** Limit to these teams (per-channel subscriptions); empty = the whole tenant (`/teams/getAllMessages`). */
  teams: string[];
  chats: TeamsChatScope;
  /** Fixed clientState; when absent one is generated once and kept in the database. */
  clientState: Secret | undefined;
  /** A delegated user token (ChannelMessage.ReadWrite / Chat.ReadWrite) that allows `softDelete`. */
  delegatedToken: Secret | undefined;
  /** The app holds `ChannelMessage/Chat.UpdatePolicyViolation.All` (and a DLP licence): hide messages via policyViolation. */
  dlp: boolean;
  /** Incoming webhook / Workflows URL for owner notices in Teams-only organisations (the URL is a credential). */
  botWebhookUrl: Secret | undefined;
  /** Graph base without version, e.g. `https://graph.microsoft.com`. */
  graphApiUrl: string;
  /** Entra ID login base, e.g. `https://login.microsoftonline.com`. */
  graphLoginUrl: string;
  /** Requested lifetime of each change-notification subscription. */
  subscriptionMinutes: number;
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  );
const isLoopback = (url: URL): boolean => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
/** https, or http on loopback only (a local fake): a bearer token never crosses a network in clear text. */
const httpsUrl = z
  .string()
  .url()
  .refine((value) => {
    // Refinements run even when .url() failed: never throw on an unparseable value.
    const url = URL.canParse(value) ? new URL(value) : undefined;
    return url?.protocol === 'https:' || (url?.protocol === 'http:' && isLoopback(url));
  }, 'must be an https:// URL (http:// only for localhost)')
  .transform((value) => value.replace(/\/+$/, ''));

/**
 * Graph's maximum for chatMessage subscriptions is 4,320 minutes (3 days), provided a
 * lifecycleNotificationUrl is given, which leakwatch always does. The default stays two hours
 * under it so clock skew never makes Graph reject a renewal.
 */
export const MAX_SUBSCRIPTION_MINUTES = 4320;

const REQUIRED = 'is required when Teams is configured';

/** The Teams variables, validated; `loadTeamsConfig` turns them into a `TeamsConfig`. */
export const teamsEnvSchema = z.object({
  TEAMS_TENANT_ID: z.string({ error: REQUIRED }).trim().min(1, REQUIRED),
  TEAMS_CLIENT_ID: z.string({ error: REQUIRED }).trim().min(1, REQUIRED),
  TEAMS_CLIENT_SECRET: z.string().min(1).optional(),
  TEAMS_CERTIFICATE_PATH: z.string().min(1).optional(),
  TEAMS_CERTIFICATE_THUMBPRINT: z
    .string()
    .transform((v) => v.replace(/[:\s]/g, '').toLowerCase())
    .refine((v) => /^([0-9a-f]{40}|[0-9a-f]{64})$/.test(v), 'must be a hex SHA-1 (40) or SHA-256 (64) thumbprint')
    .optional(),
  TEAMS_NOTIFICATION_URL: httpsUrl.optional(),
  TEAMS_TEAMS: csv,
  TEAMS_CHATS: z.string().trim().default('all'),
  TEAMS_CLIENT_STATE: z
    .string()
    .min(16, 'must be at least 16 characters')
    .max(128, 'Graph allows at most 128')
    .optional(),
  TEAMS_DELEGATED_TOKEN: z.string().min(1).optional(),
  TEAMS_DLP: bool.default(false),
  TEAMS_BOT_WEBHOOK_URL: httpsUrl.optional(),
  TEAMS_SUBSCRIPTION_MINUTES: z.coerce.number().int().min(10).max(MAX_SUBSCRIPTION_MINUTES).default(4200),
  GRAPH_API_URL: httpsUrl.default('https://graph.microsoft.com'),
  GRAPH_LOGIN_URL: z
    .string()
    .url()
    // msal-node refuses a non-https authority, so a local fake must speak TLS too.
    .refine(
      (value) => URL.canParse(value) && new URL(value).protocol === 'https:',
      'must be an https:// URL (msal-node requires it)',
    )
    .transform((value) => value.replace(/\/+$/, ''))
    .default('https://login.microsoftonline.com'),
});

function invalid(variable: string, message: string): LeakwatchError {
  return new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${variable}: ${message}`);
}

function loadCertificate(path: string, thumbprint: string | undefined): TeamsCredential {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw invalid(
      'TEAMS_CERTIFICATE_PATH',
      `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const keyBlock = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem);
  if (!keyBlock) throw invalid('TEAMS_CERTIFICATE_PATH', 'the PEM file holds no private key');
  let privateKey: string;
  try {
    // msal-node signs its client assertion with a PKCS#8 key; accept PKCS#1/SEC1 files too.
    privateKey = createPrivateKey(keyBlock[0]).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch {
    throw invalid('TEAMS_CERTIFICATE_PATH', 'the private key cannot be parsed (encrypted keys are not supported)');
  }
  const secretKey = new Secret(privateKey, '[private key]');
  if (thumbprint) {
    return thumbprint.length === 64
      ? { kind: 'certificate', privateKey: secretKey, thumbprintSha256: thumbprint }
      : { kind: 'certificate', privateKey: secretKey, thumbprintSha1: thumbprint };
  }
  const certBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  if (!certBlock) {
    throw invalid(
      'TEAMS_CERTIFICATE_THUMBPRINT',
      'is required when the PEM file holds no certificate to compute it from',
    );
  }
  const thumbprintSha256 = new X509Certificate(certBlock[0]).fingerprint256.replace(/:/g, '').toLowerCase();
  return { kind: 'certificate', privateKey: secretKey, thumbprintSha256 };
}

function parseChats(value: string): TeamsChatScope {
  if (value === 'all') return { mode: 'all' };
  if (value === 'off' || value === 'none') return { mode: 'off' };
  const chatIds = value
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
  if (chatIds.length === 0 || chatIds.some((id) => !/^19:\S+$/.test(id))) {
    throw invalid('TEAMS_CHATS', 'must be "all", "off" or a comma-separated list of chat ids (19:…)');
  }
  return { mode: 'listed', chatIds };
}

/**
 * Reads the Teams configuration. Returns `undefined` when Teams is not
 * configured (neither TEAMS_TENANT_ID nor TEAMS_CLIENT_ID set); throws a
 * `LeakwatchError` naming the variable when something is wrong.
 *
 * @example loadTeamsConfig({ TEAMS_TENANT_ID: 't', TEAMS_CLIENT_ID: 'c', TEAMS_CLIENT_SECRET: 's' })
 */
export function loadTeamsConfig(environment: NodeJS.ProcessEnv = process.env): TeamsConfig | undefined {
  // An empty variable (`TEAMS_CLIENT_STATE=` in a compose file) means "not set".
  const env = Object.fromEntries(Object.entries(environment).filter(([, value]) => value !== ''));
  if (!env.TEAMS_TENANT_ID && !env.TEAMS_CLIENT_ID) return undefined;
  const parsed = teamsEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  if (c.TEAMS_CLIENT_SECRET && c.TEAMS_CERTIFICATE_PATH) {
    throw invalid('TEAMS_CLIENT_SECRET', 'set either TEAMS_CLIENT_SECRET or TEAMS_CERTIFICATE_PATH, not both');
  }
  if (!c.TEAMS_CLIENT_SECRET && !c.TEAMS_CERTIFICATE_PATH) {
    throw invalid('TEAMS_CLIENT_SECRET', 'is required (or TEAMS_CERTIFICATE_PATH for certificate credentials)');
  }
  if (c.TEAMS_CERTIFICATE_THUMBPRINT && !c.TEAMS_CERTIFICATE_PATH) {
    throw invalid('TEAMS_CERTIFICATE_THUMBPRINT', 'only applies together with TEAMS_CERTIFICATE_PATH');
  }
  const credential: TeamsCredential = c.TEAMS_CLIENT_SECRET
    ? { kind: 'secret', secret: new Secret(c.TEAMS_CLIENT_SECRET, '[client secret]') }
    : loadCertificate(c.TEAMS_CERTIFICATE_PATH!, c.TEAMS_CERTIFICATE_THUMBPRINT);
  return {
    tenantId: c.TEAMS_TENANT_ID,
    clientId: c.TEAMS_CLIENT_ID,
    credential,
    notificationUrl: c.TEAMS_NOTIFICATION_URL,
    teams: c.TEAMS_TEAMS,
    chats: parseChats(c.TEAMS_CHATS),
    clientState: c.TEAMS_CLIENT_STATE ? new Secret(c.TEAMS_CLIENT_STATE, '[client state]') : undefined,
    delegatedToken: c.TEAMS_DELEGATED_TOKEN ? new Secret(c.TEAMS_DELEGATED_TOKEN, '[delegated token]') : undefined,
    dlp: c.TEAMS_DLP,
    botWebhookUrl: c.TEAMS_BOT_WEBHOOK_URL
      ? new Secret(c.TEAMS_BOT_WEBHOOK_URL, `${new URL(c.TEAMS_BOT_WEBHOOK_URL).origin}/[webhook]`)
      : undefined,
    graphApiUrl: c.GRAPH_API_URL,
    graphLoginUrl: c.GRAPH_LOGIN_URL,
    subscriptionMinutes: c.TEAMS_SUBSCRIPTION_MINUTES,
  };
}
