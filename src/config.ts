import { resolve } from 'node:path';
import { z } from 'zod';
import { LeakwatchError, ErrorCode } from './core/errors.ts';

const schema = z.object({
  LEAKWATCH_DATA_DIR: z.string().min(1).default('./.leakwatch'),
  LEAKWATCH_FINGERPRINT_KEY: z
    .string()
    .min(32, 'must be at least 32 characters (use e.g. `openssl rand -hex 32`)')
    .optional(),
  LEAKWATCH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LEAKWATCH_RULES: z.string().optional(),
  LEAKWATCH_MAX_WINDOW_CHARS: z.coerce
    .number()
    .int()
    .min(65_536)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
});

export interface Config {
  dataDir: string;
  fingerprintKey: string | undefined;
  logLevel: z.infer<typeof schema>['LEAKWATCH_LOG_LEVEL'];
  maxWindowChars: number;
  /** Custom rule files (gitleaks TOML or leakwatch JSON/YAML). */
  rulesFiles: string[];
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
  return {
    dataDir: resolve(c.LEAKWATCH_DATA_DIR),
    fingerprintKey: c.LEAKWATCH_FINGERPRINT_KEY,
    logLevel: c.LEAKWATCH_LOG_LEVEL,
    maxWindowChars: c.LEAKWATCH_MAX_WINDOW_CHARS,
    rulesFiles: (c.LEAKWATCH_RULES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  };
}
