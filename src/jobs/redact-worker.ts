import type { Integration, RedactionOutcome } from '../core/integration.ts';
import { writeAudit } from '../db/audit-repository.ts';
import { getFinding } from '../db/findings-repository.ts';
import { locateSecrets, otherSecretsInItem, outcomeFor } from './item-secrets.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { claimRedactions, FINAL_REDACTION_STATUSES } from './redaction-claims.ts';
import type { RedactJob } from './queues.ts';

/**
 * redact: replaces the secret with its redacted form wherever the finding is
 * still open, through each platform's integration. One `redactions` row per
 * occurrence records the outcome; an occurrence already handled is skipped, so
 * a retried job edits nothing twice and posts no second warning. Occurrences
 * whose platform cannot redact are recorded as `unsupported`, with the reason.
 * An item holding several secrets is edited once: the edit also replaces the
 * secrets of every other active finding open in that item, and records their
 * outcome there too, so their own jobs find it handled.
 */
export async function handleRedact(
  ctx: PipelineContext,
  integrations: ReadonlyMap<string, Integration>,
  job: RedactJob,
): Promise<Record<string, number>> {
  const finding = await getFinding(ctx.db, job.findingId);
  if (!finding) return {};
  const occurrences = await ctx.db
    .selectFrom('occurrences')
    .selectAll()
    .where('finding_id', '=', finding.id)
    .where('closed_at', 'is', null)
    .execute();
  const done = await ctx.db
    .selectFrom('redactions')
    .select(['occurrence_id', 'status'])
    .where('finding_id', '=', finding.id)
    .execute();
  const handled = new Set(done.filter((r) => FINAL_REDACTION_STATUSES.has(r.status)).map((r) => r.occurrence_id));
  const tally: Record<string, number> = {};
  let failure: Error | undefined;
  let busy: Error | undefined;

  for (const occurrence of occurrences) {
    if (handled.has(occurrence.id)) continue;
    // Every other active secret in the same item goes in the same edit: no intermediate version keeps one raw,
    // and their own jobs find the item already handled.
    const others = await otherSecretsInItem(ctx.db, occurrence);
    // The other findings' jobs for this item are queued with this one and may run side by side: the item's
    // occurrences are claimed first, so one job edits it for all. Alone in its item, a finding's job (one per
    // finding at a time) has nobody to share it with.
    let claimed = new Set([occurrence.id]);
    if (others.length > 0) {
      const claim = await claimRedactions(
        ctx.db,
        [{ finding, occurrence }, ...others].map((o) => ({
          findingId: o.finding.id,
          occurrenceId: o.occurrence.id,
          platform: o.occurrence.platform,
        })),
        job.requestedBy,
        ctx.now(),
      );
      if (!claim.claimed.has(occurrence.id)) {
        // Another finding's job is editing this item right now; this job is retried and then finds it handled.
        if (claim.busy.has(occurrence.id)) busy ??= new Error('another redact job is editing the same item');
        continue;
      }
      claimed = claim.claimed;
    }
    const integration = integrations.get(occurrence.platform);
    const locator = locateSecrets(ctx.scanner, [finding, ...others.map((o) => o.finding)]);
    let outcome: RedactionOutcome;
    if (!integration?.redact) {
      outcome = { status: 'unsupported', detail: `no ${occurrence.platform} connector that can redact is configured` };
    } else {
      try {
        outcome = await integration.redact({
          finding,
          occurrence,
          locate: (text, format) => locator.locate(text, format),
          requestedBy: job.requestedBy,
        });
      } catch (error) {
        // Transient (rate limit, timeout, 5xx): recorded, and the job is retried with backoff.
        outcome = { status: 'failed', detail: (error as Error).message.slice(0, 500) };
        failure ??= error as Error;
      }
    }
    // Only the occurrences this job claimed: one settled (or held) by another job keeps its own record.
    const records = [{ finding, occurrence }, ...others]
      .filter((o) => claimed.has(o.occurrence.id))
      .map((o) => ({ ...o, outcome: outcomeFor(o.finding.id, locator, outcome) }));
    tally[records[0]!.outcome.status] = (tally[records[0]!.outcome.status] ?? 0) + 1;
    const now = ctx.now();
    await ctx.db.transaction().execute(async (trx) => {
      for (const record of records) {
        await trx
          .insertInto('redactions')
          .values({
            finding_id: record.finding.id,
            occurrence_id: record.occurrence.id,
            platform: record.occurrence.platform,
            status: record.outcome.status,
            detail: record.outcome.detail ?? null,
            requested_by: job.requestedBy,
          })
          .onConflict((oc) =>
            oc
              .column('occurrence_id')
              .doUpdateSet({ status: record.outcome.status, detail: record.outcome.detail ?? null, updated_at: now }),
          )
          .execute();
        await writeAudit(trx, {
          actor: job.requestedBy,
          action: `occurrence.redaction_${record.outcome.status}`,
          targetType: 'finding',
          targetId: record.finding.id,
          details: {
            platform: record.occurrence.platform,
            container: record.occurrence.container,
            item: record.occurrence.item,
            detail: record.outcome.detail ?? null,
            // Redacted in the same edit as another finding's secret, by that finding's job.
            ...(record.finding.id === finding.id ? {} : { alongside: finding.id }),
          },
        });
      }
    });
  }
  if (busy && !failure) throw busy;
  if (failure) throw failure;
  return tally;
}
