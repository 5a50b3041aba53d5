import type { Expression, SqlBool } from 'kysely';
import { ACTIVE_STATUSES } from '../findings/lifecycle.ts';
import type { Executor } from './executor.ts';
import type { AllowlistEntry, Finding } from './schema.ts';

export interface NewAllowlistEntry {
  kind: string;
  fingerprint: string | null;
  detectorId: string | null;
  pattern: string | null;
  platform: string | null;
  container: string | null;
  item: string | null;
  reason: string;
  createdBy: string;
  expiresAt: Date | null;
}

export async function listAllowlistEntries(
  db: Executor,
  filter: { kind?: string; activeAt?: Date; limit: number },
): Promise<AllowlistEntry[]> {
  let query = db.selectFrom('allowlist_entries').selectAll();
  if (filter.kind) query = query.where('kind', '=', filter.kind);
  if (filter.activeAt) {
    const at = filter.activeAt;
    query = query.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
}

export async function getAllowlistEntry(db: Executor, id: string): Promise<AllowlistEntry | undefined> {
  return db.selectFrom('allowlist_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAllowlistEntry(db: Executor, entry: NewAllowlistEntry): Promise<AllowlistEntry> {
  return db
    .insertInto('allowlist_entries')
    .values({
      kind: entry.kind,
      fingerprint: entry.fingerprint,
      detector_id: entry.detectorId,
      pattern: entry.pattern,
      platform: entry.platform,
      container: entry.container,
      item: entry.item,
      reason: entry.reason,
      created_by: entry.createdBy,
      expires_at: entry.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Only the reason and expiry change in place; what an entry matches is fixed (delete and re-create instead). */
export async function updateAllowlistEntry(
  db: Executor,
  id: string,
  changes: { reason?: string; expiresAt?: Date | null },
): Promise<AllowlistEntry | undefined> {
  if (changes.reason === undefined && changes.expiresAt === undefined) return getAllowlistEntry(db, id);
  return db
    .updateTable('allowlist_entries')
    .set({
      ...(changes.reason !== undefined ? { reason: changes.reason } : {}),
      ...(changes.expiresAt !== undefined ? { expires_at: changes.expiresAt } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteAllowlistEntry(db: Executor, id: string): Promise<AllowlistEntry | undefined> {
  return db.deleteFrom('allowlist_entries').where('id', '=', id).returningAll().executeTakeFirst();
}

/** What an entry matches on, as stored findings can be compared with it (regex aside: that needs the secret). */
export type EntryCriteria = Pick<
  NewAllowlistEntry,
  'kind' | 'fingerprint' | 'detectorId' | 'platform' | 'container' | 'item'
>;

/**
 * Findings still needing action that an entry covers, for the dry run and for
 * closing them when the entry is created. A place entry covers a finding only
 * when every open occurrence is in the place: a secret also leaked elsewhere
 * must stay open. For a regex entry these are the candidates (detector
 * restriction only); the caller tests each secret from the vault.
 */
export async function findingsCoveredBy(
  db: Executor,
  criteria: EntryCriteria,
  limit: number,
): Promise<Array<Finding & { sealed: string | null }>> {
  let query = db
    .selectFrom('findings')
    .leftJoin('secret_vault', 'secret_vault.finding_id', 'findings.id')
    .selectAll('findings')
    .select('secret_vault.sealed')
    .where('findings.status', 'in', [...ACTIVE_STATUSES]);
  if (criteria.detectorId) query = query.where('findings.detector_id', '=', criteria.detectorId);
  if (criteria.kind === 'fingerprint') query = query.where('findings.fingerprint', '=', criteria.fingerprint ?? '');
  if (criteria.kind === 'place') {
    const { platform, container, item } = criteria;
    query = query.where((eb) => {
      const open = () =>
        eb
          .selectFrom('occurrences as o')
          .select('o.id')
          .whereRef('o.finding_id', '=', 'findings.id')
          .where('o.closed_at', 'is', null);
      const elsewhere = open().where((oe) => {
        const inPlace: Expression<SqlBool>[] = [];
        if (platform) inPlace.push(oe('o.platform', '=', platform));
        if (container) inPlace.push(oe('o.container', '=', container));
        if (item) inPlace.push(oe('o.item', '=', item));
        return oe.not(oe.and(inPlace));
      });
      return eb.and([eb.exists(open()), eb.not(eb.exists(elsewhere))]);
    });
  }
  return query.orderBy('findings.first_seen_at', 'desc').limit(limit).execute();
}

/** Closes findings as allowlisted (they stay visible, out of the active queues). */
export async function markFindingsAllowlisted(db: Executor, ids: readonly string[], at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('findings')
    .set({ status: 'allowlisted', status_changed_at: at, updated_at: at })
    .where('id', 'in', [...ids])
    .where('status', 'in', [...ACTIVE_STATUSES])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
