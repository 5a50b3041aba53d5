import type { Executor } from '../../src/db/executor.ts';

/**
 * Teams keeps its sync state in `connector_cursors`, one row per key, the
 * cursor a JSON document:
 * - `teams:channel:<teamId>/<channelId>`: `ChannelCursor` (delta link, or where a round stopped)
 * - `teams:chat:<chatId>`: `ChatCursor` (lastModifiedDateTime high-water mark)
 * - `teams:subscriptions`: the subscriptions leakwatch created
 * - `teams:client-state`: the generated clientState (when TEAMS_CLIENT_STATE is unset)
 * - `teams:discovery`: when channels were last discovered
 * - `teams:lease:<name>`: who runs subscriptions / catch-up / a backfill run right now
 */
export const CURSOR_PREFIX = {
  channel: 'teams:channel:',
  chat: 'teams:chat:',
} as const;
export const SUBSCRIPTIONS_KEY = 'teams:subscriptions';
/** When catch-up last listed teams and channels. */
export const DISCOVERY_KEY = 'teams:discovery';
export const CLIENT_STATE_KEY = 'teams:client-state';

export interface ChannelCursor {
  teamId: string;
  channelId: string;
  /** End of the last completed delta round: follow it for what changed since. */
  deltaLink?: string;
  /** A round in progress stopped here (rescheduled or crashed): resume from it. */
  nextLink?: string;
  /** No delta round yet: start one filtered to messages modified after this time. */
  since?: string;
}

export interface ChatCursor {
  chatId: string;
  /** Every message modified up to here has been submitted. */
  since: string;
  /** A round in progress stopped here. */
  nextLink?: string;
  /** Highest lastModifiedDateTime seen in the round in progress. */
  roundMax?: string;
}

export const channelKey = (teamId: string, channelId: string): string =>
  `${CURSOR_PREFIX.channel}${teamId}/${channelId}`;
export const chatKey = (chatId: string): string => `${CURSOR_PREFIX.chat}${chatId}`;

export async function readCursor<T>(db: Executor, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('connector_cursors').select('cursor').where('connector', '=', key).executeTakeFirst();
  return row?.cursor ? (JSON.parse(row.cursor) as T) : undefined;
}

export async function writeCursor(db: Executor, key: string, value: unknown, now: Date): Promise<void> {
  const cursor = JSON.stringify(value);
  await db
    .insertInto('connector_cursors')
    .values({ connector: key, cursor, last_polled_at: now, last_error: null, updated_at: now })
    .onConflict((oc) =>
      oc.column('connector').doUpdateSet({ cursor, last_polled_at: now, last_error: null, updated_at: now }),
    )
    .execute();
}

/** Registers a cursor only if none exists (a container seen for the first time). */
export async function addCursor(db: Executor, key: string, value: unknown, now: Date): Promise<void> {
  await db
    .insertInto('connector_cursors')
    .values({ connector: key, cursor: JSON.stringify(value), updated_at: now })
    .onConflict((oc) => oc.column('connector').doNothing())
    .execute();
}

export async function recordCursorError(db: Executor, key: string, error: string, now: Date): Promise<void> {
  await db
    .updateTable('connector_cursors')
    .set({ last_error: error.slice(0, 500), updated_at: now })
    .where('connector', '=', key)
    .execute();
}

export async function deleteCursor(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('connector_cursors').where('connector', '=', key).execute();
}

export async function listCursors<T>(db: Executor, prefix: string): Promise<Array<{ key: string; value: T }>> {
  const rows = await db
    .selectFrom('connector_cursors')
    .select(['connector', 'cursor'])
    .where('connector', 'like', `${prefix.replace(/[%_\\]/g, '\\$&')}%`)
    .orderBy('connector')
    .execute();
  return rows.filter((r) => r.cursor).map((r) => ({ key: r.connector, value: JSON.parse(r.cursor!) as T }));
}
