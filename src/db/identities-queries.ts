import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { Identity } from './schema.ts';

export interface IdentityFields {
  email?: string | null;
  displayName?: string | null;
  slackUserId?: string | null;
  active?: boolean;
}

/** Identities newest first, keyset-paginated on (created_at, id); `search` matches email, name or user ids. */
export async function listIdentities(
  db: Executor,
  filter: { platform?: string; search?: string; limit: number; after?: { createdAt: string; id: string } },
): Promise<{ identities: (Identity & { position_at: string })[]; more: boolean }> {
  let query = db
    .selectFrom('identities')
    .selectAll()
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position_at'));
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('email', 'ilike', like),
        eb('display_name', 'ilike', like),
        eb('platform_user_id', 'ilike', like),
        eb('slack_user_id', 'ilike', like),
      ]),
    );
  }
  if (filter.after) {
    const { createdAt, id } = filter.after;
    query = query.where(sql<boolean>`(created_at, id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return { identities: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}

export async function getIdentity(db: Executor, id: string): Promise<Identity | undefined> {
  return db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Open findings owned by the identity (shown beside it). */
export async function ownedFindingCount(db: Executor, id: string): Promise<number> {
  const row = await db
    .selectFrom('findings')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('owner_identity_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts an identity; undefined when (platform, platform user id) already exists. */
export async function insertIdentity(
  db: Executor,
  input: { platform: string; platformUserId: string } & IdentityFields,
): Promise<Identity | undefined> {
  return db
    .insertInto('identities')
    .values({
      platform: input.platform,
      platform_user_id: input.platformUserId,
      email: input.email ?? null,
      display_name: input.displayName ?? null,
      slack_user_id: input.slackUserId ?? null,
      ...(input.active !== undefined ? { active: input.active } : {}),
    })
    .onConflict((oc) => oc.columns(['platform', 'platform_user_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateIdentity(
  db: Executor,
  id: string,
  changes: IdentityFields,
  at: Date,
): Promise<Identity | undefined> {
  return db
    .updateTable('identities')
    .set({
      ...(changes.email !== undefined ? { email: changes.email } : {}),
      ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
      ...(changes.slackUserId !== undefined ? { slack_user_id: changes.slackUserId } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
      updated_at: at,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Deletes an identity; findings and occurrences it owned/authored keep existing without it. */
export async function deleteIdentity(db: Executor, id: string): Promise<Identity | undefined> {
  return db.deleteFrom('identities').where('id', '=', id).returningAll().executeTakeFirst();
}
