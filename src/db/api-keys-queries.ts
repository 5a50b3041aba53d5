import type { Executor } from './executor.ts';
import type { ApiKey } from './schema.ts';

/** API keys without their hashes (never needed outside authentication), newest first. */
export async function listApiKeys(
  db: Executor,
  options: { includeRevoked: boolean },
): Promise<Omit<ApiKey, 'key_hash'>[]> {
  let query = db
    .selectFrom('api_keys')
    .select(['id', 'name', 'prefix', 'scopes', 'created_at', 'last_used_at', 'revoked_at']);
  if (!options.includeRevoked) query = query.where('revoked_at', 'is', null);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1000).execute();
}

export async function getApiKeyById(db: Executor, id: string): Promise<ApiKey | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The active key with this id (sessions refer to a key by id), or undefined. */
export async function findActiveApiKeyById(db: Executor, id: string): Promise<ApiKey | undefined> {
  return db.selectFrom('api_keys').selectAll().where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
}

/** Revokes a key; undefined when there is no such key or it was already revoked. */
export async function revokeApiKey(db: Executor, id: string, at: Date): Promise<ApiKey | undefined> {
  return db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}
