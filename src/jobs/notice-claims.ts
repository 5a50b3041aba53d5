import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Database } from '../db/schema.ts';
import { QUEUES } from './queues.ts';

export interface NoticeClaims {
  /** Findings whose notice this job sends now: newly claimed, or a failed send tried again. */
  send: Set<string>;
  /**
   * Findings whose send this job took over from a job that stopped mid-send
   * (its process died): the notice may or may not have arrived. Maps to when
   * that send was first claimed.
   */
  interrupted: Map<string, Date>;
  /** Findings whose notice is settled (sent, undeliverable, or left for a human): nothing to do. */
  settled: Set<string>;
  /** Findings another running job is sending right now: this job is retried and then finds them settled. */
  busy: Set<string>;
}

export interface NoticeClaimDeps {
  db: Kysely<Database>;
  boss: Pick<PgBoss, 'getJobById'>;
}

/**
 * Claims owner notices before they are sent, so that each goes out once per
 * finding and recipient. Whoever inserts the `notifications` row sends. A row
 * found `sending` belongs to the attempt of the pg-boss job that claimed it
 * (`claimed_by`: job id and attempt): while that job is active it is being
 * sent right now (two jobs for one finding can run side by side, e.g. when a
 * finding was sighted twice before its first check), so it is left alone;
 * once that job is no longer active, or it is this job's own earlier attempt,
 * the send was cut short and may be taken over, by one job only
 * (compare-and-set on `claimed_by`): a dead job's retry and another job can
 * both find it.
 *
 * @param wanted finding id → the recipient and the id of the job the notice runs under
 */
export async function claimNotices(
  deps: NoticeClaimDeps,
  wanted: ReadonlyMap<string, { recipient: string; jobId: string }>,
): Promise<NoticeClaims> {
  const claims: NoticeClaims = { send: new Set(), interrupted: new Map(), settled: new Set(), busy: new Set() };
  if (wanted.size === 0) return claims;
  const attempt = randomUUID();
  const claimOf = (jobId: string) => `${jobId} ${attempt}`;
  const inserted = await deps.db
    .insertInto('notifications')
    .values(
      [...wanted].map(([findingId, w]) => ({
        finding_id: findingId,
        recipient: w.recipient,
        kind: 'owner',
        status: 'sending',
        claimed_by: claimOf(w.jobId),
      })),
    )
    .onConflict((oc) => oc.columns(['finding_id', 'recipient', 'kind']).doNothing())
    .returning('finding_id')
    .execute();
  for (const row of inserted) claims.send.add(row.finding_id);
  const unclaimed = [...wanted.keys()].filter((id) => !claims.send.has(id));
  if (unclaimed.length === 0) return claims;

  const existing = await deps.db
    .selectFrom('notifications')
    .select(['id', 'finding_id', 'recipient', 'status', 'claimed_by', 'created_at'])
    .where('finding_id', 'in', unclaimed)
    .where('kind', '=', 'owner')
    .execute();
  await Promise.all(
    existing.map(async (row) => {
      const { recipient, jobId } = wanted.get(row.finding_id)!;
      // Rows for another recipient are other notices (the owner was someone else then).
      if (row.recipient !== recipient) return;
      if (row.status === 'failed') {
        const retaken = await deps.db
          .updateTable('notifications')
          .set({ status: 'sending', claimed_by: claimOf(jobId) })
          .where('id', '=', row.id)
          .where('status', '=', 'failed')
          .returning('id')
          .executeTakeFirst();
        (retaken ? claims.send : claims.busy).add(row.finding_id);
        return;
      }
      if (row.status !== 'sending') {
        claims.settled.add(row.finding_id);
        return;
      }
      const holder = row.claimed_by?.split(' ')[0];
      if (holder && holder !== jobId && (await isActive(deps.boss, holder))) {
        claims.busy.add(row.finding_id);
        return;
      }
      const takenOver = await deps.db
        .updateTable('notifications')
        .set({ claimed_by: claimOf(jobId) })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .where('claimed_by', 'is not distinct from', row.claimed_by)
        .returning('id')
        .executeTakeFirst();
      if (takenOver) claims.interrupted.set(row.finding_id, row.created_at);
      else claims.busy.add(row.finding_id);
    }),
  );
  return claims;
}

/** Whether a notify job is being worked on right now (its worker keeps its heartbeat; a dead one's job is retried). */
async function isActive(boss: NoticeClaimDeps['boss'], jobId: string): Promise<boolean> {
  const job = await boss.getJobById(QUEUES.notify, jobId);
  return job?.state === 'active';
}
