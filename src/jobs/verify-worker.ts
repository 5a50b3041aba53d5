import { writeAudit } from '../db/audit-repository.ts';
import { getFinding } from '../db/findings-repository.ts';
import type { Finding } from '../db/schema.ts';
import type { VerificationResult } from '../core/verification.ts';
import { canTransition } from '../findings/lifecycle.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type NotifyJob, type RevokeJob, type VerifyJob } from './queues.ts';
import { unsealMatch } from './sealed-match.ts';

/** Rate-limited checks are rescheduled at most this many times before the result stays `unknown`. */
const MAX_RESCHEDULES = 5;

/**
 * verify → notify / revoke: checks liveness under the verification policy,
 * stores the result and its history, raises severity for privileged
 * credentials, resolves findings proven dead, escalates remediated ones still
 * live after the grace period, and queues the owner notice and (by policy) the
 * revocation.
 */
export async function handleVerify(ctx: PipelineContext, job: VerifyJob): Promise<VerificationResult | undefined> {
  const finding = await getFinding(ctx.db, job.findingId);
  if (!finding) return undefined;
  const detector = ctx.detectors.get(finding.detector_id);
  const result: VerificationResult = detector
    ? await ctx.verification.verify(detector, unsealMatch(finding, job.sealedSecret, job.sealedParts, ctx.transit), {
        fresh: job.reason !== 'new',
      })
    : { liveness: 'not_attempted', reason: `detector ${finding.detector_id} is not loaded` };

  if (result.liveness === 'unknown' && result.retryAt !== undefined && (job.attempt ?? 0) < MAX_RESCHEDULES) {
    // The issuer asked us to wait: come back then instead of holding a worker.
    await ctx.boss.send(
      QUEUES.verify,
      { ...job, attempt: (job.attempt ?? 0) + 1 },
      {
        singletonKey: job.findingId,
        startAfter: new Date(result.retryAt),
      },
    );
  }

  const now = ctx.now();
  const updated = await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('verifications')
      .values({
        finding_id: finding.id,
        liveness: result.liveness,
        reason: result.reason ?? null,
        facts: result.facts ? JSON.stringify(result.facts) : null,
      })
      .execute();
    const current = await trx
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', finding.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const changes: Partial<Record<keyof Finding, unknown>> = {
      liveness: result.liveness,
      liveness_reason: result.reason ?? null,
      verified_at: now,
      updated_at: now,
      ...(result.facts ? { verification_facts: JSON.stringify(result.facts) } : {}),
      ...(result.facts?.privileged && current.severity !== 'critical' ? { severity: 'critical' } : {}),
    };
    let audit: { action: string; details: Record<string, unknown> } | undefined;
    // Dead at the SaaS host proves nothing for a token of a self-hosted edition's instance: keep it open.
    const deadElsewhereMaybe = job.reason === 'new' && detector?.verify?.selfHostedEdition === true;
    if (result.liveness === 'dead' && canTransition(current.status, 'resolved') && !deadElsewhereMaybe) {
      Object.assign(changes, { status: 'resolved', resolved_at: now, status_changed_at: now });
      audit = {
        action: 'finding.resolved',
        details: { because: job.reason === 'new' ? 'dead when found' : 'verified dead' },
      };
    } else if (job.reason === 'reverify' && current.status === 'remediated') {
      if (result.liveness === 'live') {
        const graceEnds = (current.remediated_at?.getTime() ?? now.getTime()) + ctx.reverify.graceSeconds * 1000;
        if (now.getTime() >= graceEnds && current.escalated_at === null) {
          Object.assign(changes, { escalated_at: now });
          audit = { action: 'finding.escalated', details: { because: 'still live after the grace period' } };
        }
      }
      Object.assign(changes, { reverify_after: new Date(now.getTime() + ctx.reverify.intervalSeconds * 1000) });
    }
    const row = await trx
      .updateTable('findings')
      .set(changes as never)
      .where('id', '=', finding.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor: 'system',
      action: 'finding.verified',
      targetType: 'finding',
      targetId: finding.id,
      details: { liveness: result.liveness, reason: result.reason ?? null, trigger: job.reason },
    });
    if (audit) await writeAudit(trx, { actor: 'system', targetType: 'finding', targetId: finding.id, ...audit });
    return row;
  });

  if (updated.status === 'resolved' && finding.status !== 'resolved')
    await ctx.events.emit('finding.resolved', updated);
  if (result.liveness === 'live' && finding.liveness !== 'live') {
    await ctx.events.emit('finding.verified_live', updated, job.sealedSecret);
  }
  if (job.reason === 'new' && updated.status !== 'resolved') {
    const notify: NotifyJob = { findingId: finding.id };
    await ctx.boss.send(QUEUES.notify, notify, { singletonKey: finding.id });
    if (result.liveness === 'live' && detector?.revoke) {
      const mode = ctx.revocation.modeFor({
        detectorId: finding.detector_id,
        issuer: finding.issuer,
        severity: updated.severity as never,
      });
      if (mode === 'auto') await requestRevoke(ctx, updated, job, 'policy:auto');
    }
  }
  return result;
}

/** Queues a revocation (idempotent per finding) and announces it. */
export async function requestRevoke(
  ctx: PipelineContext,
  finding: Finding,
  secret: { sealedSecret: string; sealedParts: Record<string, string> },
  requestedBy: string,
): Promise<void> {
  const job: RevokeJob = { findingId: finding.id, ...secret, requestedBy };
  const id = await ctx.boss.send(QUEUES.revoke, job, { singletonKey: finding.id });
  if (id !== null) await ctx.events.emit('finding.revoke_requested', finding, secret.sealedSecret);
}
