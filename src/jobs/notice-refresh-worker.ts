import type { PipelineContext } from './pipeline-context.ts';
import type { NoticeRefreshJob } from './queues.ts';

export type NoticeRefreshOutcome = 'refreshed' | 'skipped';

/**
 * notice-refresh: once a finding is resolved, the notices its owner (or the
 * security channel) received are rewritten to say so — the credential was
 * revoked or rotated and leakwatch checked with the issuer that it no longer
 * works — and lose their buttons, so the person who leaked it sees the proof
 * where they were told (and a security-channel alert about it stops calling for
 * action). Only notices recorded as sent, with a platform message id, are
 * touched, and a notice still being sent is waited for (the job is retried);
 * a notifier without `refreshNotice` leaves them as they are.
 */
export async function handleNoticeRefresh(ctx: PipelineContext, job: NoticeRefreshJob): Promise<NoticeRefreshOutcome> {
  const refresh = ctx.notifier.refreshNotice?.bind(ctx.notifier);
  if (!refresh) return 'skipped';
  const finding = await ctx.db.selectFrom('findings').selectAll().where('id', '=', job.findingId).executeTakeFirst();
  // Re-opened (seen again) since the job was queued: the notice must keep asking for action.
  if (!finding || finding.status !== 'resolved') return 'skipped';
  const rows = await ctx.db
    .selectFrom('notifications')
    .select(['status', 'external_id'])
    .where('finding_id', '=', finding.id)
    .where('status', 'in', ['sent', 'sending'])
    .execute();
  // A notice going out right now was rendered before the finding resolved: come back once it is recorded.
  if (rows.some((r) => r.status === 'sending'))
    throw new Error('a notice for this finding is being sent; refreshed later');
  const sent = rows.filter((r) => r.external_id !== null);
  if (sent.length === 0) return 'skipped';
  const [occurrences, owner] = await Promise.all([
    ctx.db
      .selectFrom('occurrences')
      .selectAll()
      .where('finding_id', '=', finding.id)
      .orderBy('first_seen_at')
      .execute(),
    finding.owner_identity_id
      ? ctx.db.selectFrom('identities').selectAll().where('id', '=', finding.owner_identity_id).executeTakeFirst()
      : undefined,
  ]);
  for (const { external_id } of sent) {
    await refresh({ finding, occurrences, owner: owner ?? null }, external_id!);
  }
  return 'refreshed';
}
