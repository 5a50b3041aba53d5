import { writeAudit } from '../db/audit-repository.ts';
import { getFinding } from '../db/findings-repository.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type RevokeJob, type VerifyJob } from './queues.ts';
import { unsealMatch } from './sealed-match.ts';

/**
 * revoke: at most one revocation per finding. The `revocations` row is
 * claimed first; a completed one is never repeated. The row says `revoking`
 * while the issuer is being asked: a retry that finds it so (the process
 * died mid-call, or the call failed in a way that may pass: rate limit, 5xx,
 * timeout) first checks the credential afresh and calls the issuer again only
 * if it still works, so the issuer is asked once per secret in practice. A
 * retryable failure is thrown, so pg-boss retries with backoff. After a
 * revocation, a liveness check proves the credential dead.
 */
export async function handleRevoke(ctx: PipelineContext, job: RevokeJob): Promise<string> {
  const finding = await getFinding(ctx.db, job.findingId);
  if (!finding) return 'missing';
  const dryRun = ctx.revocation.dryRun;
  await ctx.db
    .insertInto('revocations')
    .values({ finding_id: finding.id, requested_by: job.requestedBy, mode: dryRun ? 'dry_run' : 'live' })
    .onConflict((oc) => oc.column('finding_id').doNothing())
    .execute();
  const claim = await ctx.db
    .selectFrom('revocations')
    .selectAll()
    .where('finding_id', '=', finding.id)
    .executeTakeFirstOrThrow();
  if (claim.status === 'completed') return claim.outcome ?? 'completed';

  const detector = ctx.detectors.get(finding.detector_id);
  let result: { outcome: string; reason?: string };
  if (dryRun) result = { outcome: 'dry_run', reason: 'revocation policy is in dry-run mode' };
  else if (!detector) result = { outcome: 'failed', reason: `detector ${finding.detector_id} is not loaded` };
  else {
    const match = () => unsealMatch(finding, job.sealedSecret, job.sealedParts, ctx.transit);
    const before =
      claim.status === 'revoking' ? await ctx.verification.verify(detector, match(), { fresh: true }) : null;
    if (before?.liveness === 'dead') {
      result = { outcome: 'revoked', reason: 'an earlier, interrupted revocation took effect (verified dead)' };
    } else if (before?.liveness === 'unknown') {
      throw new Error(
        `cannot tell whether an earlier revocation took effect (${before.reason ?? 'unknown'}); will retry`,
      );
    } else {
      await ctx.db
        .updateTable('revocations')
        .set({ status: 'revoking' })
        .where('finding_id', '=', finding.id)
        .execute();
      const revocation = await ctx.verification.revoke(detector, match());
      if (revocation.outcome === 'failed' && revocation.retryable) {
        throw new Error(`revocation failed, will retry: ${revocation.reason ?? 'unknown'}`);
      }
      result = revocation;
    }
  }
  const revoked = result.outcome === 'revoked' || result.outcome === 'already_invalid';
  const now = ctx.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('revocations')
      .set({ status: 'completed', outcome: result.outcome, reason: result.reason ?? null, completed_at: now })
      .where('finding_id', '=', finding.id)
      .execute();
    if (revoked) {
      await trx
        .updateTable('findings')
        .set({
          status: 'remediated',
          remediation: 'revoked',
          remediated_at: now,
          status_changed_at: now,
          updated_at: now,
        })
        .where('id', '=', finding.id)
        .where('status', 'not in', ['resolved', 'false_positive', 'allowlisted'])
        .execute();
    }
    await writeAudit(trx, {
      actor: job.requestedBy,
      action: dryRun ? 'finding.revoke_dry_run' : 'finding.revoked',
      targetType: 'finding',
      targetId: finding.id,
      details: { outcome: result.outcome, reason: result.reason ?? null, redacted: finding.redacted },
    });
  });
  if (revoked) {
    // Prove it: a revoked credential must now verify as dead.
    const verify: VerifyJob = {
      findingId: finding.id,
      sealedSecret: job.sealedSecret,
      sealedParts: job.sealedParts,
      reason: 'reverify',
    };
    await ctx.boss.send(QUEUES.verify, verify, { singletonKey: finding.id });
  }
  return result.outcome;
}
