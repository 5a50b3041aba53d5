import { randomUUID } from 'node:crypto';
import type { Executor } from '../../src/db/executor.ts';

const LEASE_PREFIX = 'teams:lease:';

/**
 * Runs `work` only if no other worker holds the named lease, so two processes
 * never reconcile subscriptions, catch up or advance one backfill run at the
 * same time, whatever policy the queue was created with. The lease is a
 * `connector_cursors` row whose `updated_at` is its start; it lapses after
 * `ttlMs`, so a crashed holder blocks nobody for long. Returns `undefined`
 * (without running `work`) when the lease is taken.
 */
export async function withLease<T>(
  db: Executor,
  name: string,
  ttlMs: number,
  now: () => Date,
  work: () => Promise<T>,
): Promise<{ value: T } | undefined> {
  const key = `${LEASE_PREFIX}${name}`;
  const holder = randomUUID();
  const start = now();
  const acquired = await db
    .insertInto('connector_cursors')
    .values({ connector: key, cursor: holder, updated_at: start })
    .onConflict((oc) =>
      oc
        .column('connector')
        .doUpdateSet({ cursor: holder, updated_at: start })
        .where('connector_cursors.updated_at', '<', new Date(start.getTime() - ttlMs)),
    )
    .returning('connector')
    .executeTakeFirst();
  if (!acquired) return undefined;
  try {
    return { value: await work() };
  } finally {
    await db.deleteFrom('connector_cursors').where('connector', '=', key).where('cursor', '=', holder).execute();
  }
}
