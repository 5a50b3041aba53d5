import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Finding, Identity, Occurrence } from '../db/schema.ts';
import { ACTIVE_STATUSES, type FindingStatus } from '../findings/lifecycle.ts';
import type { NoticeDelivery, OwnerNotice } from '../notify/notifier.ts';
import { claimNotices } from './notice-claims.ts';
import type { PipelineContext } from './pipeline-context.ts';
import type { NotifyJob } from './queues.ts';

export type NotifyOutcome = 'sent' | 'failed' | 'already' | 'skipped';

/** Tells one finding's owner; see `handleNotifyBatch`. */
export async function handleNotify(ctx: PipelineContext, job: NotifyJob): Promise<NotifyOutcome> {
  const [outcome] = await handleNotifyBatch(ctx, [job]);
  if (outcome instanceof Error) throw outcome;
  return outcome!;
}

/**
 * notify: tells the owner, exactly once per finding and recipient. The
 * `notifications` row is claimed before sending (`claimNotices`): a job that
 * finds it `sent` does nothing, one that finds another running job sending it
 * is retried later, and one that finds a send cut short by a crash asks the
 * platform whether the notice arrived (`findDelivered`) and sends only if it
 * did not; a notifier that cannot tell marks it `uncertain` for a human to
 * check instead. `jobIds` are the pg-boss jobs the items run under (one per
 * item; without them the call counts as a job of its own). A batch reads
 * and writes its rows together; the notices themselves go out concurrently,
 * and a notice that failed to send fails only its own job (thrown per job).
 */
export async function handleNotifyBatch(
  ctx: PipelineContext,
  jobs: readonly NotifyJob[],
  jobIds?: readonly string[],
): Promise<Array<NotifyOutcome | Error>> {
  const ids = [...new Set(jobs.map((j) => j.findingId))];
  const findings = new Map(
    (await ctx.db.selectFrom('findings').selectAll().where('id', 'in', ids).execute()).map((f) => [f.id, f]),
  );
  // A finding leakwatch revoked (and proved dead) before its notice went out is still told to its owner:
  // their credential stopped working and they need to know why, and where it leaked.
  const active = [...findings.values()].filter(
    (f) =>
      ACTIVE_STATUSES.includes(f.status as FindingStatus) || (f.status === 'resolved' && f.remediation === 'revoked'),
  );
  const outcome = new Map<string, NotifyOutcome | Error>(ids.map((id) => [id, 'skipped']));
  if (active.length === 0) return jobs.map((j) => outcome.get(j.findingId)!);

  const occurrences = await ctx.db
    .selectFrom('occurrences')
    .selectAll()
    .where(
      'finding_id',
      'in',
      active.map((f) => f.id),
    )
    .orderBy('first_seen_at')
    .execute();
  const ownerIds = [...new Set(active.flatMap((f) => (f.owner_identity_id ? [f.owner_identity_id] : [])))];
  const owners = new Map<string, Identity>(
    ownerIds.length === 0
      ? []
      : (await ctx.db.selectFrom('identities').selectAll().where('id', 'in', ownerIds).execute()).map((i) => [i.id, i]),
  );
  for (const [id, owner] of owners) {
    if (owner.email || owner.slack_user_id) continue;
    const learned = await ctx.resolveIdentity(owner).catch((error: unknown) => {
      ctx.logger.warn({ err: error, platform: owner.platform }, 'could not look up the owner on their platform');
      return null;
    });
    if (!learned || Object.keys(learned).length === 0) continue;
    const updated = await ctx.db
      .updateTable('identities')
      .set({ ...learned, updated_at: ctx.now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (updated) owners.set(id, updated);
  }
  const notices = new Map<string, { notice: OwnerNotice; recipient: string }>();
  for (const finding of active) {
    const notice: OwnerNotice = {
      finding,
      occurrences: occurrences.filter((o: Occurrence) => o.finding_id === finding.id),
      owner: finding.owner_identity_id ? (owners.get(finding.owner_identity_id) ?? null) : null,
    };
    notices.set(finding.id, { notice, recipient: ctx.notifier.recipientFor(notice) });
  }

  // Each finding is claimed for the job of its first item.
  const jobOf = new Map<string, string>();
  const ownJob = jobIds ? undefined : randomUUID();
  jobs.forEach((job, i) => {
    if (!jobOf.has(job.findingId)) jobOf.set(job.findingId, jobIds?.[i] ?? ownJob!);
  });
  const claims = await claimNotices(
    ctx,
    new Map(
      [...notices].map(([findingId, n]) => [findingId, { recipient: n.recipient, jobId: jobOf.get(findingId)! }]),
    ),
  );
  const toSend = claims.send;
  const deliveries = new Map<string, NoticeDelivery>();
  for (const findingId of claims.settled) outcome.set(findingId, 'already');
  for (const findingId of claims.busy) {
    outcome.set(findingId, new Error('another job is sending this notice right now; this one is retried'));
  }
  // A send cut short by a crash: ask the platform whether it arrived, and send only if it did not. A notifier
  // that cannot tell leaves it `uncertain` for a human: a missed DM is visible, a duplicate one erodes trust.
  await Promise.all(
    [...claims.interrupted].map(async ([findingId, since]) => {
      const { notice, recipient } = notices.get(findingId)!;
      if (!ctx.notifier.findDelivered) {
        await ctx.db
          .updateTable('notifications')
          .set({ status: 'uncertain' })
          .where('finding_id', '=', findingId)
          .where('recipient', '=', recipient)
          .where('kind', '=', 'owner')
          .execute();
        outcome.set(findingId, 'already');
        return;
      }
      try {
        const found = await ctx.notifier.findDelivered(notice, since);
        if (found) deliveries.set(findingId, found);
        else toSend.add(findingId);
      } catch (error) {
        outcome.set(findingId, error as Error);
      }
    }),
  );

  await Promise.all(
    [...toSend].map(async (findingId) => {
      const { notice, recipient } = notices.get(findingId)!;
      try {
        deliveries.set(findingId, await ctx.notifier.notifyOwner(notice));
      } catch (error) {
        const message = (error as Error).message.slice(0, 500);
        // A send that failed without a clear answer (a timeout, a 5xx) may still have arrived. A notifier that can
        // look keeps the claim `sending`, so the retry asks the platform before sending again; one that cannot
        // marks it `failed` and the retry sends.
        await ctx.db
          .updateTable('notifications')
          .set({ status: ctx.notifier.findDelivered ? 'sending' : 'failed', error: message })
          .where('finding_id', '=', findingId)
          .where('recipient', '=', recipient)
          .where('kind', '=', 'owner')
          .execute();
        outcome.set(findingId, error as Error);
      }
    }),
  );
  if (deliveries.size > 0) await recordDeliveries(ctx, notices, deliveries, findings);
  for (const [findingId, delivery] of deliveries) outcome.set(findingId, delivery.delivered ? 'sent' : 'failed');
  return jobs.map((j) => outcome.get(j.findingId)!);
}

/** Stores the delivery outcomes, moves delivered findings to `notified`, and audits each, in one transaction. */
async function recordDeliveries(
  ctx: PipelineContext,
  notices: ReadonlyMap<string, { notice: OwnerNotice; recipient: string }>,
  deliveries: ReadonlyMap<string, NoticeDelivery>,
  findings: ReadonlyMap<string, Finding>,
): Promise<void> {
  const now = ctx.now();
  const rows = [...deliveries].map(([findingId, d]) => {
    const recipient = notices.get(findingId)!.recipient;
    return sql`(${findingId}::uuid, ${recipient}, ${d.delivered ? 'sent' : 'failed'}, ${d.externalId ?? null}::text, ${
      d.reason ?? null
    }::text, ${d.delivered ? now : null}::timestamptz)`;
  });
  const delivered = [...deliveries].filter(([, d]) => d.delivered).map(([id]) => id);
  await ctx.db.transaction().execute(async (trx) => {
    await sql`
      update notifications set status = v.status, external_id = v.external_id, error = v.error, sent_at = v.sent_at
      from (values ${sql.join(rows)}) as v(finding_id, recipient, status, external_id, error, sent_at)
      where notifications.finding_id = v.finding_id and notifications.recipient = v.recipient
        and notifications.kind = 'owner'`.execute(trx);
    if (delivered.length > 0) {
      // Acknowledged (or later) findings keep their status; only open ones become notified.
      await trx
        .updateTable('findings')
        .set({ status: 'notified', status_changed_at: now, updated_at: now })
        .where('id', 'in', delivered)
        .where('status', 'in', ['open', 'reopened'])
        .execute();
    }
    await trx
      .insertInto('audit_log')
      .values(
        [...deliveries].map(([findingId, d]) => ({
          actor: 'system',
          action: d.delivered ? 'finding.notified' : 'finding.notify_failed',
          target_type: 'finding',
          target_id: findings.get(findingId)!.id,
          details: JSON.stringify({
            notifier: ctx.notifier.name,
            recipient: notices.get(findingId)!.recipient,
            reason: d.reason ?? null,
          }),
        })),
      )
      .execute();
  });
}
