import { resolve } from 'node:path';
import { z } from 'zod';
import { loadIntegrationsConfig, type IntegrationsConfig } from '../integrations/integrations-config.ts';
import { LeakwatchError, ErrorCode } from './core/errors.ts';
import { parseHooksConfig, type HookConfig } from './revocation/hook-config.ts';
import { parseRevocationPolicy, type RevocationPolicy } from './revocation/revocation-policy.ts';
import type { VerificationPolicy } from './verification/runner.ts';

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
const keyOf32 = z.string().min(32, 'must be at least 32 characters (use e.g. `openssl rand -hex 32`)');

const schema = z.object({
  LEAKWATCH_DATA_DIR: z.string().min(1).default('./.leakwatch'),
  LEAKWATCH_FINGERPRINT_KEY: keyOf32.optional(),
  LEAKWATCH_ENCRYPTION_KEY: keyOf32.optional(),
  LEAKWATCH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LEAKWATCH_MAX_WINDOW_CHARS: z.coerce
    .number()
    .int()
    .min(65_536)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  LEAKWATCH_RULES: csv,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  LEAKWATCH_DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(10),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  LEAKWATCH_HOST: z.string().min(1).default('127.0.0.1'),
  LEAKWATCH_SERVE_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  LEAKWATCH_TRUST_PROXY: bool.default(false),
  LEAKWATCH_MAX_DOCUMENT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  LEAKWATCH_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
  LEAKWATCH_WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  LEAKWATCH_VERIFY_NOTIFY_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(100),
  LEAKWATCH_POLL_INTERVAL_SECONDS: z.coerce.number().min(0.5).max(60).default(0.5),
  LEAKWATCH_VERIFY: bool.default(true),
  LEAKWATCH_VERIFY_DISABLED: csv,
  LEAKWATCH_VERIFY_ALLOW_PRIVATE: bool.default(false),
  LEAKWATCH_VERIFY_BASE_URLS: csv,
  LEAKWATCH_VERIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  LEAKWATCH_VERIFY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  LEAKWATCH_VERIFY_HOST_RPS: z.coerce.number().min(0.01).max(1000).default(5),
  LEAKWATCH_VERIFY_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(3600),
  LEAKWATCH_REVERIFY_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(3600),
  LEAKWATCH_REVERIFY_GRACE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(90 * 86_400)
    .default(86_400),
  LEAKWATCH_AUTO_REDACT: csv,
  LEAKWATCH_HOOKS: z.string().optional(),
  LEAKWATCH_REVOCATION_POLICY: z.string().optional(),
});

export interface Config {
  dataDir: string;
  fingerprintKey: string | undefined;
  /** Opt-in vault key; without it secrets are not kept and re-verification is off. */
  encryptionKey: string | undefined;
  logLevel: z.infer<typeof schema>['LEAKWATCH_LOG_LEVEL'];
  maxWindowChars: number;
  /** Custom rule files (gitleaks TOML or leakwatch JSON/YAML). */
  rulesFiles: string[];
  databaseUrl: string | undefined;
  /** PostgreSQL connections per pool; each process has two (queries, job queue). */
  databasePoolSize: number;
  port: number;
  host: string;
  /** `serve` processes sharing the port (node:cluster); more than one needs PostgreSQL. */
  serveProcesses: number;
  /** Behind a trusted reverse proxy: client address from X-Forwarded-For, Secure cookies from X-Forwarded-Proto. */
  trustProxy: boolean;
  maxDocumentBytes: number;
  workerConcurrency: number;
  workerBatchSize: number;
  /** Jobs a verify or notify worker fetches and handles as one batch (a fixed number of statements per batch). */
  verifyNotifyBatchSize: number;
  pollIntervalSeconds: number;
  verification: VerificationPolicy;
  reverify: { intervalSeconds: number; graceSeconds: number };
  hooks: HookConfig[];
  revocation: RevocationPolicy;
  /** Platforms whose findings are redacted at the source as soon as recorded (`all` for every platform). */
  autoRedact: string[];
  /** Platform integrations' settings (each validated by its own schema). */
  integrations: IntegrationsConfig;
}

function parseBaseUrls(entries: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const entry of entries) {
    const [issuer, url] = entry.split('=', 2);
    if (!issuer || !url || !/^https?:\/\/[^/\s]+/.test(url)) {
      throw new LeakwatchError(
        ErrorCode.ConfigInvalid,
        `invalid configuration:\n  LEAKWATCH_VERIFY_BASE_URLS: "${entry}" must be issuer=https://host (e.g. gitlab=https://gitlab.corp.example)`,
      );
    }
    (out[issuer] ??= []).push(url.replace(/\/+$/, ''));
  }
  return out;
}

/**
 * Reads and validates configuration from the environment once, at start.
 * Errors name the variable; nothing is half-applied.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  if (c.LEAKWATCH_SERVE_PROCESSES > 1 && !c.DATABASE_URL) {
    throw new LeakwatchError(
      ErrorCode.ConfigInvalid,
      'invalid configuration:\n  LEAKWATCH_SERVE_PROCESSES: more than one process needs DATABASE_URL (embedded PGlite is single-process)',
    );
  }
  return {
    dataDir: resolve(c.LEAKWATCH_DATA_DIR),
    fingerprintKey: c.LEAKWATCH_FINGERPRINT_KEY,
    encryptionKey: c.LEAKWATCH_ENCRYPTION_KEY,
    logLevel: c.LEAKWATCH_LOG_LEVEL,
    maxWindowChars: c.LEAKWATCH_MAX_WINDOW_CHARS,
    rulesFiles: c.LEAKWATCH_RULES,
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.LEAKWATCH_DATABASE_POOL_SIZE,
    port: c.PORT,
    host: c.LEAKWATCH_HOST,
    serveProcesses: c.LEAKWATCH_SERVE_PROCESSES,
    trustProxy: c.LEAKWATCH_TRUST_PROXY,
    maxDocumentBytes: c.LEAKWATCH_MAX_DOCUMENT_BYTES,
    workerConcurrency: c.LEAKWATCH_WORKER_CONCURRENCY,
    workerBatchSize: c.LEAKWATCH_WORKER_BATCH_SIZE,
    verifyNotifyBatchSize: c.LEAKWATCH_VERIFY_NOTIFY_BATCH_SIZE,
    pollIntervalSeconds: c.LEAKWATCH_POLL_INTERVAL_SECONDS,
    verification: {
      enabled: c.LEAKWATCH_VERIFY,
      disabledDetectors: new Set(c.LEAKWATCH_VERIFY_DISABLED),
      allowPrivate: c.LEAKWATCH_VERIFY_ALLOW_PRIVATE,
      baseUrls: parseBaseUrls(c.LEAKWATCH_VERIFY_BASE_URLS),
      timeoutMs: c.LEAKWATCH_VERIFY_TIMEOUT_MS,
      concurrency: c.LEAKWATCH_VERIFY_CONCURRENCY,
      hostRequestsPerSecond: c.LEAKWATCH_VERIFY_HOST_RPS,
      cacheTtlMs: c.LEAKWATCH_VERIFY_CACHE_TTL_SECONDS * 1000,
    },
    reverify: {
      intervalSeconds: c.LEAKWATCH_REVERIFY_INTERVAL_SECONDS,
      graceSeconds: c.LEAKWATCH_REVERIFY_GRACE_SECONDS,
    },
    hooks: parseHooksConfig(c.LEAKWATCH_HOOKS),
    revocation: parseRevocationPolicy(c.LEAKWATCH_REVOCATION_POLICY),
    autoRedact: c.LEAKWATCH_AUTO_REDACT,
    integrations: loadIntegrationsConfig(env),
  };
}
