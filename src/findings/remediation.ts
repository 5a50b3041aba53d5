import type { Kysely } from 'kysely';
import { writeAudit } from '../db/audit-repository.ts';
import type { Database, Finding } from '../db/schema.ts';
import { canTransition } from './lifecycle.ts';

/**
 * The owner (or an admin) says the credential was rotated. The finding becomes
 * `remediated` and, when the vault holds the secret, is re-verified on the
 * reverify schedule until it is dead (→ resolved) or the grace period ends
 * (→ escalated). Returns the updated finding, or undefined if the transition is
 * not allowed from its current status.
 */
export async function markRotated(
  db: Kysely<Database>,
  findingId: string,
  actor: string,
  now: Date,
): Promise<Finding | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', findingId)
      .forUpdate()
      .executeTakeFirst();
    if (!current || !canTransition(current.status, 'remediated')) return undefined;
    const vaulted = await trx
      .selectFrom('secret_vault')
      .select('finding_id')
      .where('finding_id', '=', findingId)
      .executeTakeFirst();
    const updated = await trx
      .updateTable('findings')
      .set({
        status: 'remediated',
        remediation: 'rotated',
        remediated_at: now,
        status_changed_at: now,
        updated_at: now,
        // Check right away; later checks follow the reverify interval.
        reverify_after: vaulted ? now : null,
      })
      .where('id', '=', findingId)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor,
      action: 'finding.rotated',
      targetType: 'finding',
      targetId: findingId,
      details: { reverify: vaulted ? 'scheduled' : 'off (no vault key)' },
    });
    return updated;
  });
}
