import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { AllowlistEntry } from './schema.ts';

/** Entries in force at `now` (not expired). */
export async function activeAllowlistEntries(db: Executor, now: Date): Promise<AllowlistEntry[]> {
  return db
    .selectFrom('allowlist_entries')
    .selectAll()
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
}

/** Allowlisted matches are counted on their entry, never stored. */
export async function countAllowlistHit(db: Executor, entryId: string, at: Date): Promise<void> {
  await db
    .updateTable('allowlist_entries')
    .set({ hits: sql`hits + 1`, last_hit_at: at })
    .where('id', '=', entryId)
    .execute();
}
