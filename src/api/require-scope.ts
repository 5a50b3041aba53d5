import { createMiddleware } from 'hono/factory';
import type { Context } from 'hono';
import { findActiveApiKey, hashApiKey, touchApiKey, type ApiScope } from '../db/api-keys-repository.ts';
import type { ApiKey } from '../db/schema.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { AuthFailureLimiter } from './auth-failure-limiter.ts';
import { clientAddress } from './client-address.ts';

/** Only record `last_used_at` this often per key, so reads do not turn into writes on every request. */
const TOUCH_INTERVAL_MS = 60_000;
/** A found key is trusted for this long without a database read; a revocation elsewhere takes effect within it. */
const KEY_CACHE_MS = 10_000;
const DEFAULT_FAILURE_LIMIT = { maxFailures: 10, windowMs: 5 * 60_000 };
const keyCache = new Map<string, { key: ApiKey; at: number }>();
/** Hashes of keys that authenticated here lately: they are not locked out with their address. */
const AUTHENTICATED_MEMORY_MS = 24 * 3600_000;
const authenticated = new Map<string, number>();
const limiters = new WeakMap<ApiContext, AuthFailureLimiter>();

/** Drops a key from this process's cache, so its revocation takes effect at once here. */
export function forgetApiKey(id: string): void {
  for (const [hash, entry] of keyCache) {
    if (entry.key.id === id) {
      keyCache.delete(hash);
      authenticated.delete(hash);
    }
  }
}

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

function limiterFor(ctx: ApiContext): AuthFailureLimiter {
  let limiter = limiters.get(ctx);
  if (!limiter) {
    limiter = new AuthFailureLimiter(ctx.authFailureLimit ?? DEFAULT_FAILURE_LIMIT);
    limiters.set(ctx, limiter);
  }
  return limiter;
}

/** True when the key carries `scope` (an `admin` key carries every scope). */
export function hasScope(key: Pick<ApiKey, 'scopes'>, scope: ApiScope): boolean {
  return key.scopes.includes(scope) || key.scopes.includes('admin');
}

/**
 * Checks a presented API key under the brute-force limit. While an address is
 * locked out (429 with Retry-After), only keys that authenticated in this
 * process recently are still looked up — so a client that is already signed in
 * keeps working, while a new guess is refused without being checked (the
 * answer would confirm it). An unknown or revoked key gets 401 and counts.
 */
export async function authenticateApiKey(ctx: ApiContext, c: Context, presented: string): Promise<ApiKey> {
  const limiter = limiterFor(ctx);
  const address = clientAddress(c, ctx.trustProxy ?? false);
  const hash = hashApiKey(presented);
  const wait = limiter.retryAfterSeconds(address);
  if (wait !== undefined && !recentlyAuthenticated(hash)) {
    c.header('Retry-After', String(wait));
    throw new ApiError(429, 'too_many_failures', `too many failed authentications; retry in ${wait} s`);
  }
  const key = await lookup(ctx, presented);
  if (!key) {
    limiter.recordFailure(address);
    throw new ApiError(401, 'unauthenticated', 'unknown or revoked API key');
  }
  rememberAuthenticated(hash);
  return key;
}

function recentlyAuthenticated(hash: string): boolean {
  const at = authenticated.get(hash);
  return at !== undefined && Date.now() - at < AUTHENTICATED_MEMORY_MS;
}

function rememberAuthenticated(hash: string): void {
  if (authenticated.size > 10_000) authenticated.clear();
  authenticated.set(hash, Date.now());
}

/** Records that the key was used, at most once a minute per key. */
export async function recordKeyUse(ctx: ApiContext, key: ApiKey): Promise<void> {
  const now = ctx.now();
  if (!key.last_used_at || now.getTime() - key.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
    key.last_used_at = now;
    await touchApiKey(ctx.db, key.id, now);
  }
}

/**
 * Requires `Authorization: Bearer <api key>` with `scope` (or `admin`).
 * Missing/unknown keys get 401, keys without the scope 403, and an address
 * with too many recent failures 429 (see `authenticateApiKey`).
 */
export function requireScope(ctx: ApiContext, scope: ApiScope) {
  return createMiddleware<ApiEnv>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'unauthenticated', 'missing bearer API key');
    const key = await authenticateApiKey(ctx, c, match[1]!);
    if (!hasScope(key, scope)) throw new ApiError(403, 'forbidden', `this API key lacks the "${scope}" scope`);
    await recordKeyUse(ctx, key);
    c.set('apiKey', key);
    await next();
  });
}

/** The audit actor for a request made with `key`. */
export function actorOf(key: Pick<ApiKey, 'name'>): string {
  return `api-key:${key.name}`;
}
