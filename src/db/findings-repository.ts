import type { Severity } from '../core/severity.ts';
import type { Executor } from './executor.ts';
import type { Finding } from './schema.ts';

export interface FindingCandidate {
  detectorId: string;
  issuer: string;
  fingerprint: string;
  redacted: string;
  severity: Severity;
  confidence: number;
  seenAt: Date;
  ownerIdentityId: string | null;
}

export interface UpsertedFinding {
  finding: Finding;
  created: boolean;
  /** A resolved finding whose secret appeared again. */
  reopened: boolean;
}

/**
 * Records a sighting of a credential: one finding per detector + fingerprint.
 * Concurrent workers may race on a new fingerprint; the insert-or-lock sequence
 * makes exactly one of them the creator and the others updaters.
 */
export async function upsertFinding(db: Executor, c: FindingCandidate): Promise<UpsertedFinding> {
  const inserted = await db
    .insertInto('findings')
    .values({
      detector_id: c.detectorId,
      issuer: c.issuer,
      fingerprint: c.fingerprint,
      redacted: c.redacted,
      severity: c.severity,
      confidence: c.confidence,
      owner_identity_id: c.ownerIdentityId,
      first_seen_at: c.seenAt,
      last_seen_at: c.seenAt,
    })
    .onConflict((oc) => oc.columns(['detector_id', 'fingerprint']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { finding: inserted, created: true, reopened: false };

  const existing = await db
    .selectFrom('findings')
    .selectAll()
    .where('detector_id', '=', c.detectorId)
    .where('fingerprint', '=', c.fingerprint)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const reopened = existing.status === 'resolved';
  const updated = await db
    .updateTable('findings')
    .set({
      last_seen_at: existing.last_seen_at > c.seenAt ? existing.last_seen_at : c.seenAt,
      owner_identity_id: existing.owner_identity_id ?? c.ownerIdentityId,
      updated_at: new Date(),
      ...(reopened ? { status: 'reopened', status_changed_at: new Date(), resolved_at: null } : {}),
    })
    .where('id', '=', existing.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { finding: updated, created: false, reopened };
}

export async function getFinding(db: Executor, id: string): Promise<Finding | undefined> {
  return db.selectFrom('findings').selectAll().where('id', '=', id).executeTakeFirst();
}
