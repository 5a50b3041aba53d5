import { writeAudit } from '../db/audit-repository.ts';
import { getFinding } from '../db/findings-repository.ts';
import { ACTIVE_STATUSES, canTransition, type FindingStatus } from '../findings/lifecycle.ts';
import type { PipelineContext } from './pipeline-context.ts';
import type { NotifyJob } from './queues.ts';

/**
 * notify: tells the owner, exactly once per finding and recipient. The
 * `notifications` row is claimed before sending; a retry that finds it `sent`
 * does nothing, and one that finds it `sending` (the process died mid-send)
 * does not send again but marks it `uncertain` for a human to check: a missed
 * DM is visible in the dashboard, a duplicate one erodes trust.
 */
export async function handleNotify(ctx: PipelineContext, job: NotifyJob): Promise<string> {
  const finding = await getFinding(ctx.db, job.findingId);
  if (!finding || !ACTIVE_STATUSES.includes(finding.status as FindingStatus)) return 'skipped';
  const occurrences = await ctx.db
    .selectFrom('occurrences')
    .selectAll()
    .where('finding_id', '=', finding.id)
    .orderBy('first_seen_at')
    .execute();
  const owner = finding.owner_identity_id
    ? ((await ctx.db
        .selectFrom('identities')
        .selectAll()
        .where('id', '=', finding.owner_identity_id)
        .executeTakeFirst()) ?? null)
    : null;
  const notice = { finding, occurrences, owner };
  const recipient = ctx.notifier.recipientFor(notice);

  const claimed = await ctx.db
    .insertInto('notifications')
    .values({ finding_id: finding.id, recipient, kind: 'owner', status: 'sending' })
    .onConflict((oc) => oc.columns(['finding_id', 'recipient', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!claimed) {
    const existing = await ctx.db
      .selectFrom('notifications')
      .select(['id', 'status'])
      .where('finding_id', '=', finding.id)
      .where('recipient', '=', recipient)
      .where('kind', '=', 'owner')
      .executeTakeFirstOrThrow();
    if (existing.status === 'failed') {
      await ctx.db.updateTable('notifications').set({ status: 'sending' }).where('id', '=', existing.id).execute();
    } else {
      if (existing.status === 'sending') {
        await ctx.db.updateTable('notifications').set({ status: 'uncertain' }).where('id', '=', existing.id).execute();
      }
      return 'already';
    }
  }

  let delivery;
  try {
    delivery = await ctx.notifier.notifyOwner(notice);
  } catch (error) {
    await ctx.db
      .updateTable('notifications')
      .set({ status: 'failed', error: (error as Error).message.slice(0, 500) })
      .where('finding_id', '=', finding.id)
      .where('recipient', '=', recipient)
      .execute();
    throw error;
  }
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('notifications')
      .set({
        status: delivery.delivered ? 'sent' : 'failed',
        external_id: delivery.externalId ?? null,
        error: delivery.reason ?? null,
        sent_at: delivery.delivered ? now : null,
      })
      .where('finding_id', '=', finding.id)
      .where('recipient', '=', recipient)
      .execute();
    if (delivery.delivered && canTransition(finding.status, 'notified') && finding.status !== 'acknowledged') {
      await trx
        .updateTable('findings')
        .set({ status: 'notified', status_changed_at: now, updated_at: now })
        .where('id', '=', finding.id)
        .where('status', 'in', ['open', 'reopened'])
        .execute();
    }
    await writeAudit(trx, {
      actor: 'system',
      action: delivery.delivered ? 'finding.notified' : 'finding.notify_failed',
      targetType: 'finding',
      targetId: finding.id,
      details: { notifier: ctx.notifier.name, recipient, reason: delivery.reason ?? null },
    });
  });
  return delivery.delivered ? 'sent' : 'failed';
}
