import { createMiddleware } from 'hono/factory';
import { findActiveApiKey, hashApiKey, touchApiKey, type ApiScope } from '../db/api-keys-repository.ts';
import type { ApiKey } from '../db/schema.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';

/** Only record `last_used_at` this often per key, so reads do not turn into writes on every request. */
const TOUCH_INTERVAL_MS = 60_000;
/** A found key is trusted for this long without a database read; a revocation takes effect within it. */
const KEY_CACHE_MS = 10_000;
const keyCache = new Map<string, { key: ApiKey; at: number }>();

async function lookup(ctx: ApiContext, presented: string): Promise<ApiKey | undefined> {
  const hash = hashApiKey(presented);
  const cached = keyCache.get(hash);
  const now = Date.now();
  if (cached && now - cached.at < KEY_CACHE_MS) return cached.key;
  const key = await findActiveApiKey(ctx.db, presented);
  if (key) {
    if (keyCache.size > 1000) keyCache.clear();
    keyCache.set(hash, { key, at: now });
  } else {
    keyCache.delete(hash);
  }
  return key;
}

/**
 * Requires `Authorization: Bearer <api key>` with `scope` (or `admin`).
 * Missing/unknown keys get 401, keys without the scope 403.
 */
export function requireScope(ctx: ApiContext, scope: ApiScope) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthenticated', 'missing bearer API key');
    const key = await lookup(ctx, match[1]!);
    if (!key) throw new ApiError(401, 'unauthenticated', 'unknown or revoked API key');
    if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
      throw new ApiError(403, 'forbidden', `this API key lacks the "${scope}" scope`);
    }
    const now = ctx.now();
    if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
      key.last_used_at = now;
      await touchApiKey(ctx.db, key.id, now);
    }
    c.set('apiKey', key);
    await next();
  });
}
