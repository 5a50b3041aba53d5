import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type VerifyJob } from './queues.ts';

/**
 * reverify (scheduled): findings the owner remediated (rotated) are checked
 * again until the credential is dead, then resolved; still live after the
 * grace period, they are escalated (see the verify worker). Needs the opt-in
 * vault: without LEAKWATCH_ENCRYPTION_KEY no secret is kept to check with.
 */
export async function handleReverifyDue(ctx: PipelineContext): Promise<{ queued: number; withoutVault: number }> {
  const now = ctx.now();
  const due = await ctx.db
    .selectFrom('findings')
    .leftJoin('secret_vault', 'secret_vault.finding_id', 'findings.id')
    .select(['findings.id', 'secret_vault.sealed'])
    .where('findings.status', '=', 'remediated')
    .where('findings.reverify_after', '<=', now)
    .orderBy('findings.reverify_after')
    .limit(500)
    .execute();
  let queued = 0;
  let withoutVault = 0;
  for (const row of due) {
    if (!ctx.vault || !row.sealed) {
      withoutVault++;
      continue;
    }
    const { secret, parts } = JSON.parse(ctx.vault.open(row.sealed)) as {
      secret: string;
      parts: Record<string, string>;
    };
    const job: VerifyJob = {
      findingId: row.id,
      sealedSecret: ctx.transit.seal(secret),
      sealedParts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, ctx.transit.seal(v)])),
      reason: 'reverify',
    };
    if ((await ctx.boss.send(QUEUES.verify, job, { singletonKey: row.id })) !== null) queued++;
  }
  return { queued, withoutVault };
}
