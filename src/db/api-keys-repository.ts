import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from './executor.ts';
import type { ApiKey } from './schema.ts';

export const API_SCOPES = ['findings:read', 'findings:write', 'allowlist:write', 'admin', 'ingest'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const PREFIX = 'lwk_';

/**
 * API keys are 32 random bytes, so a fast SHA-256 is enough to store them:
 * there is nothing to brute-force that a slow hash would protect. The first
 * characters are kept in clear to let admins tell keys apart.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function createApiKey(
  db: Executor,
  input: { name: string; scopes: readonly ApiScope[] },
): Promise<{ key: string; record: ApiKey }> {
  const key = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await db
    .insertInto('api_keys')
    .values({
      name: input.name,
      prefix: key.slice(0, PREFIX.length + 6),
      key_hash: hashApiKey(key),
      scopes: [...input.scopes],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { key, record };
}

/** The active key with this value, or undefined. */
export async function findActiveApiKey(db: Executor, key: string): Promise<ApiKey | undefined> {
  if (!key.startsWith(PREFIX)) return undefined;
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', hashApiKey(key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function touchApiKey(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
}
