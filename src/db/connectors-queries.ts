import type { Executor } from './executor.ts';
import type { BackfillRun } from './schema.ts';

export async function listConnectorCursors(db: Executor) {
  return db.selectFrom('connector_cursors').selectAll().orderBy('connector').execute();
}

/** Backfill runs, unfinished first, then the most recently touched. */
export async function listBackfillRuns(
  db: Executor,
  filter: { platform?: string; limit: number },
): Promise<BackfillRun[]> {
  let query = db.selectFrom('backfill_runs').selectAll();
  if (filter.platform) query = query.where('platform', '=', filter.platform);
  return query
    .orderBy((eb) => eb.case().when('finished_at', 'is', null).then(0).else(1).end())
    .orderBy('updated_at', 'desc')
    .limit(filter.limit)
    .execute();
}
