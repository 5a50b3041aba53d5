import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import type { TeamsConfig } from './teams-config.ts';
import { CLIENT_STATE_KEY } from './teams-cursors.ts';

/**
 * The clientState shared with Graph: TEAMS_CLIENT_STATE when set, otherwise
 * 32 random bytes generated once and kept in the database, so every process
 * (and every restart) checks notifications against the same value. The first
 * process to store it wins; the others read it back.
 */
export function clientStateSource(db: Kysely<Database>, config: TeamsConfig): () => Promise<string> {
  let cached: string | undefined = config.clientState?.reveal();
  return async () => {
    if (cached) return cached;
    await db
      .insertInto('connector_cursors')
      .values({ connector: CLIENT_STATE_KEY, cursor: randomBytes(32).toString('base64url') })
      .onConflict((oc) => oc.column('connector').doNothing())
      .execute();
    const row = await db
      .selectFrom('connector_cursors')
      .select('cursor')
      .where('connector', '=', CLIENT_STATE_KEY)
      .executeTakeFirstOrThrow();
    cached = row.cursor!;
    return cached;
  };
}
