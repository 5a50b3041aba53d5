import { writeAudit } from '../db/audit-repository.ts';
import { getFinding } from '../db/findings-repository.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type RevokeJob, type VerifyJob } from './queues.ts';
import { unsealMatch } from './sealed-match.ts';

/**
 * revoke: at most one revocation per finding. The `revocations` row is
 * claimed first; a completed one is never repeated. Re-running an interrupted
 * call is safe because revoking an already-revoked credential is a no-op at
 * the issuer. After a revocation, a liveness check proves the credential dead.
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
  const result = dryRun
    ? { outcome: 'dry_run', reason: 'revocation policy is in dry-run mode' }
    : detector
      ? await ctx.verification.revoke(detector, unsealMatch(finding, job.sealedSecret, job.sealedParts, ctx.transit))
      : { outcome: 'failed', reason: `detector ${finding.detector_id} is not loaded` };
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
