import { sql } from 'kysely';
import type { Executor } from './executor.ts';

export interface AuditFilter {
  actor?: string;
  /** Exact action, or a prefix ending in `.` (`finding.`). */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** Audit rows newest first, keyset-paginated on the (monotonic) id. */
export async function queryAuditLog(db: Executor, filter: AuditFilter, page: { limit: number; beforeId?: string }) {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actor) query = query.where('actor', '=', filter.actor);
  if (filter.action) {
    query = filter.action.endsWith('.')
      ? query.where('action', 'like', `${filter.action.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)
      : query.where('action', '=', filter.action);
  }
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (page.beforeId) query = query.where(sql<boolean>`id < ${page.beforeId}::bigint`);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return { entries: rows.slice(0, page.limit), more: rows.length > page.limit };
}
