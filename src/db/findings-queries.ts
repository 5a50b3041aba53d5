import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { Finding, Identity, Occurrence, Redaction } from './schema.ts';

export interface FindingFilters {
  status?: string;
  liveness?: string;
  severity?: string;
  detector?: string;
  /** Has an occurrence on this platform (and in `container`, when both are given: the same occurrence). */
  platform?: string;
  container?: string;
  /** Owner: identity id, email (case-insensitive), platform user id or Slack user id. */
  owner?: string;
  /** First seen at or after. */
  from?: Date;
  /** First seen before. */
  to?: Date;
}

/** Position after which a page starts: the last row's first-seen time (microseconds, UTC) and id. */
export interface FindingsPosition {
  firstSeenAt: string;
  id: string;
}

export type ListedFinding = Finding & { position: FindingsPosition };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Findings newest first by (first_seen_at, id). First-seen never changes, so
 * pages stay stable while findings are re-sighted; the position carries the
 * timestamp at full (microsecond) precision so no row is skipped or repeated.
 */
export async function listFindings(
  db: Executor,
  filters: FindingFilters,
  page: { limit: number; after?: FindingsPosition },
): Promise<{ findings: ListedFinding[]; more: boolean }> {
  let query = db
    .selectFrom('findings')
    .selectAll('findings')
    .select(
      sql<string>`to_char(findings.first_seen_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
        'position_at',
      ),
    );
  if (filters.status) query = query.where('findings.status', '=', filters.status);
  if (filters.liveness) query = query.where('findings.liveness', '=', filters.liveness);
  if (filters.severity) query = query.where('findings.severity', '=', filters.severity);
  if (filters.detector) query = query.where('findings.detector_id', '=', filters.detector);
  if (filters.from) query = query.where('findings.first_seen_at', '>=', filters.from);
  if (filters.to) query = query.where('findings.first_seen_at', '<', filters.to);
  if (filters.platform || filters.container) {
    const { platform, container } = filters;
    query = query.where((eb) => {
      let place = eb
        .selectFrom('occurrences')
        .select('occurrences.id')
        .whereRef('occurrences.finding_id', '=', 'findings.id');
      if (platform) place = place.where('occurrences.platform', '=', platform);
      if (container) place = place.where('occurrences.container', '=', container);
      return eb.exists(place);
    });
  }
  if (filters.owner) {
    const owner = filters.owner;
    query = UUID.test(owner)
      ? query.where('findings.owner_identity_id', '=', owner)
      : query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('identities')
              .select('identities.id')
              .whereRef('identities.id', '=', 'findings.owner_identity_id')
              .where((w) =>
                w.or([
                  w(sql`lower(identities.email)`, '=', owner.toLowerCase()),
                  w('identities.platform_user_id', '=', owner),
                  w('identities.slack_user_id', '=', owner),
                ]),
              ),
          ),
        );
  }
  if (page.after) {
    const { firstSeenAt, id } = page.after;
    query = query.where(
      sql<boolean>`(findings.first_seen_at, findings.id) < (${firstSeenAt}::timestamptz, ${id}::uuid)`,
    );
  }
  const rows = await query
    .orderBy('findings.first_seen_at', 'desc')
    .orderBy('findings.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const findings = rows.slice(0, page.limit).map(({ position_at, ...finding }) => ({
    ...finding,
    position: { firstSeenAt: position_at, id: finding.id },
  }));
  return { findings, more: rows.length > page.limit };
}

/** Occurrences of the given findings, oldest first. */
export async function occurrencesOf(db: Executor, findingIds: readonly string[]): Promise<Occurrence[]> {
  if (findingIds.length === 0) return [];
  return db
    .selectFrom('occurrences')
    .selectAll()
    .where('finding_id', 'in', [...findingIds])
    .orderBy('first_seen_at')
    .execute();
}

export interface FindingDetail {
  finding: Finding;
  owner: Identity | undefined;
  occurrences: Occurrence[];
  verifications: { liveness: string; reason: string | null; facts: unknown; checked_at: Date }[];
  notifications: { recipient: string; kind: string; status: string; error: string | null; sent_at: Date | null }[];
  revocation:
    | {
        requested_by: string;
        mode: string;
        status: string;
        outcome: string | null;
        reason: string | null;
        requested_at: Date;
        completed_at: Date | null;
      }
    | undefined;
  redactions: Redaction[];
  vaulted: boolean;
}

/** A finding with everything known about it: places, verification history, notices, revocation, redactions. */
export async function getFindingDetail(db: Executor, id: string): Promise<FindingDetail | undefined> {
  const finding = await db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!finding) return undefined;
  const [owner, occurrences, verifications, notifications, revocation, redactions, vaulted] = await Promise.all([
    finding.owner_identity_id
      ? db.selectFrom('identities').selectAll().where('id', '=', finding.owner_identity_id).executeTakeFirst()
      : Promise.resolve(undefined),
    occurrencesOf(db, [id]),
    db
      .selectFrom('verifications')
      .select(['liveness', 'reason', 'facts', 'checked_at'])
      .where('finding_id', '=', id)
      .orderBy('checked_at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute(),
    db
      .selectFrom('notifications')
      .select(['recipient', 'kind', 'status', 'error', 'sent_at'])
      .where('finding_id', '=', id)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('revocations')
      .select(['requested_by', 'mode', 'status', 'outcome', 'reason', 'requested_at', 'completed_at'])
      .where('finding_id', '=', id)
      .executeTakeFirst(),
    db.selectFrom('redactions').selectAll().where('finding_id', '=', id).orderBy('created_at').execute(),
    db.selectFrom('secret_vault').select('finding_id').where('finding_id', '=', id).executeTakeFirst(),
  ]);
  return {
    finding,
    owner,
    occurrences,
    verifications,
    notifications,
    revocation,
    redactions,
    vaulted: vaulted !== undefined,
  };
}

/** The finding, locked for the rest of the transaction (actions decide on its current status). */
export async function lockFinding(trx: Executor, id: string): Promise<Finding | undefined> {
  return trx.selectFrom('findings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Distinct values present, for filter menus. */
export async function findingFacets(db: Executor): Promise<{ detectors: string[]; platforms: string[] }> {
  const [detectors, platforms] = await Promise.all([
    db.selectFrom('findings').select('detector_id').distinct().orderBy('detector_id').execute(),
    db.selectFrom('occurrences').select('platform').distinct().orderBy('platform').execute(),
  ]);
  return { detectors: detectors.map((d) => d.detector_id), platforms: platforms.map((p) => p.platform) };
}

/** Moves a finding to `status` (the caller checked the transition under `lockFinding`). */
export async function setFindingStatus(trx: Executor, id: string, status: string, at: Date): Promise<Finding> {
  return trx
    .updateTable('findings')
    .set({ status, status_changed_at: at, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setFindingOwner(
  trx: Executor,
  id: string,
  ownerIdentityId: string | null,
  at: Date,
): Promise<Finding> {
  return trx
    .updateTable('findings')
    .set({ owner_identity_id: ownerIdentityId, updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The vault row holding a finding's sealed secret, if any. */
export async function vaultedSecret(db: Executor, findingId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('secret_vault')
    .select('sealed')
    .where('finding_id', '=', findingId)
    .executeTakeFirst();
  return row?.sealed;
}

export async function openOccurrenceCount(db: Executor, findingId: string): Promise<number> {
  const row = await db
    .selectFrom('occurrences')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('finding_id', '=', findingId)
    .where('closed_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function revocationOf(db: Executor, findingId: string) {
  return db.selectFrom('revocations').selectAll().where('finding_id', '=', findingId).executeTakeFirst();
}
