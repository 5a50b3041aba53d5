import type { Kysely } from 'kysely';
import { activeAllowlistEntries } from '../db/allowlist-repository.ts';
import type { AllowlistEntry, Database } from '../db/schema.ts';

/**
 * Allowlist entries in force, re-read at most every `ttlMs`: every recorded
 * document consults them, and they change rarely. A new entry takes effect
 * within the TTL on every process (expiry is still checked per call).
 */
export function cachedAllowlist(db: Kysely<Database>, ttlMs = 5000): (now: Date) => Promise<AllowlistEntry[]> {
  let cached: { at: number; entries: Promise<AllowlistEntry[]> } | undefined;
  return async (now) => {
    const t = Date.now();
    if (!cached || t - cached.at > ttlMs) {
      const entries = activeAllowlistEntries(db, now);
      cached = { at: t, entries };
      entries.catch(() => (cached = undefined));
    }
    const entries = await cached.entries;
    return entries.filter((e) => e.expires_at === null || e.expires_at > now);
  };
}
