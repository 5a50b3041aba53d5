import type { Kysely } from 'kysely';

/**
 * The pg-boss job that claimed a notice for sending. A notice found `sending`
 * by another job is being sent right now if that job is still active, and was
 * cut short by a crash if it is not: only then may another job take it over.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').addColumn('claimed_by', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notifications').dropColumn('claimed_by').execute();
}
