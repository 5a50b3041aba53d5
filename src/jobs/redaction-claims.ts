import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { QUEUE_OPTIONS } from './queues.ts';

/** Outcomes after which an occurrence is not tried again (a retry would repeat a visible effect or do nothing). */
export const FINAL_REDACTION_STATUSES: ReadonlySet<string> = new Set([
  'redacted',
  'deleted',
  'not_found',
  'warned',
  'unsupported',
]);

/**
 * How long a `pending` claim holds: as long as a redact job may run. A claim
 * older than that belongs to a job whose process died; it may be taken over.
 */
const CLAIM_LEASE_MS = (QUEUE_OPTIONS.redact.expireInSeconds ?? 300) * 1000;

export interface RedactionClaim {
  /** Occurrences this job now holds (`pending`): it edits their item and records their outcome. */
  claimed: Set<string>;
  /** Occurrences another job holds right now (a fresh `pending` claim): it records their outcome. */
  busy: Set<string>;
}

/**
 * Claims the redaction of occurrences of one item before it is edited. The
 * redact jobs of the findings of one item are queued together and run side by
 * side; a claim makes one of them edit the item (for all of them) and the
 * others find it taken. An occurrence with a final outcome is not claimed; one
 * that `failed` or whose claim lapsed is claimed again.
 */
export async function claimRedactions(
  db: Kysely<Database>,
  places: ReadonlyArray<{ findingId: string; occurrenceId: string; platform: string }>,
  requestedBy: string,
  now: Date,
): Promise<RedactionClaim> {
  if (places.length === 0) return { claimed: new Set(), busy: new Set() };
  const staleBefore = new Date(now.getTime() - CLAIM_LEASE_MS);
  // One order for every job, so two jobs claiming the same rows wait for each other instead of deadlocking.
  const sorted = [...places].sort((a, b) =>
    a.occurrenceId < b.occurrenceId ? -1 : a.occurrenceId > b.occurrenceId ? 1 : 0,
  );
  const final = [...FINAL_REDACTION_STATUSES];
  const taken = await db
    .insertInto('redactions')
    .values(
      sorted.map((p) => ({
        finding_id: p.findingId,
        occurrence_id: p.occurrenceId,
        platform: p.platform,
        status: 'pending',
        detail: null,
        requested_by: requestedBy,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc
        .column('occurrence_id')
        .doUpdateSet({ status: 'pending', detail: null, updated_at: now })
        .where((eb) =>
          eb.and([
            eb('redactions.status', 'not in', final),
            eb.or([eb('redactions.status', '!=', 'pending'), eb('redactions.updated_at', '<', staleBefore)]),
          ]),
        ),
    )
    .returning('occurrence_id')
    .execute();
  const claimed = new Set(taken.map((r) => r.occurrence_id));
  const others = places.map((p) => p.occurrenceId).filter((id) => !claimed.has(id));
  const busy = new Set<string>();
  if (others.length > 0) {
    const rows = await db
      .selectFrom('redactions')
      .select(['occurrence_id', 'status'])
      .where('occurrence_id', 'in', others)
      .execute();
    for (const r of rows) if (!FINAL_REDACTION_STATUSES.has(r.status)) busy.add(r.occurrence_id);
  }
  return { claimed, busy };
}
