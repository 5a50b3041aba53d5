import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { HookDelivery } from './schema.ts';

/** Outbound hook deliveries newest first, keyset-paginated on (created_at, id). */
export async function listHookDeliveries(
  db: Executor,
  filter: {
    hook?: string;
    status?: string;
    findingId?: string;
    limit: number;
    after?: { createdAt: string; id: string };
  },
): Promise<{ deliveries: (HookDelivery & { position_at: string })[]; more: boolean }> {
  let query = db
    .selectFrom('hook_deliveries')
    .selectAll()
    .select(sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('position_at'));
  if (filter.hook) query = query.where('hook', '=', filter.hook);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.findingId) query = query.where('finding_id', '=', filter.findingId);
  if (filter.after) {
    const { createdAt, id } = filter.after;
    query = query.where(sql<boolean>`(created_at, id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return { deliveries: rows.slice(0, filter.limit), more: rows.length > filter.limit };
}
