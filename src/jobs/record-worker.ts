import { recordDocument } from '../findings/record.ts';
import { ACTIVE_STATUSES, type FindingStatus } from '../findings/lifecycle.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type RecordJob, type VerifyJob } from './queues.ts';

/**
 * record → verify: stores findings and occurrences (idempotently), then queues
 * a liveness check for every finding that still needs action and has not been
 * checked, and announces new findings to hooks.
 */
export async function handleRecord(ctx: PipelineContext, job: RecordJob): Promise<{ findings: number }> {
  const result = await recordDocument(
    ctx.db,
    { ref: job.ref, matches: job.matches, seenAt: new Date(job.receivedAt) },
    { transit: ctx.transit, vault: ctx.vault, allowlist: ctx.allowlist },
  );
  for (const r of result.recorded) {
    if (!ACTIVE_STATUSES.includes(r.status as FindingStatus)) continue;
    const finding = r.finding;
    if (r.created) await ctx.events.emit('finding.created', finding);
    // A retried record job finds the finding already checked: nothing more to do.
    if (!r.created && !r.reopened && finding.liveness !== 'not_attempted') continue;
    const verify: VerifyJob = {
      findingId: r.findingId,
      sealedSecret: r.match.sealedSecret,
      sealedParts: r.match.sealedParts,
      reason: 'new',
    };
    await ctx.boss.send(QUEUES.verify, verify, { singletonKey: r.findingId });
  }
  return { findings: result.recorded.length };
}
