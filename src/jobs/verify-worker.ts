import { sql } from 'kysely';
import { jobDb } from '../api/job-db.ts';
import type { Executor } from '../db/executor.ts';
import type { Finding } from '../db/schema.ts';
import type { VerificationResult } from '../core/verification.ts';
import { canTransition } from '../findings/lifecycle.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, findingJobs, type NotifyJob, type RevokeJob, type VerifyJob } from './queues.ts';
import { unsealMatch } from './sealed-match.ts';

/** Checks rate-limited or failed in a way that may pass are rescheduled at most this often; then `unknown` stays. */
const MAX_RESCHEDULES = 5;
/** First pause before re-checking after a failure that may pass (doubling each time: 15 s … 4 min). */
const RETRY_BASE_SECONDS = 15;

/** The finding columns a verification may change. */
interface VerifiedState {
  liveness: string;
  liveness_reason: string | null;
  verification_facts: unknown;
  verified_at: Date;
  updated_at: Date;
  severity: string;
  status: string;
  resolved_at: Date | null;
  status_changed_at: Date;
  escalated_at: Date | null;
  reverify_after: Date | null;
}

/** Checks one finding; see `handleVerifyBatch`. */
export async function handleVerify(ctx: PipelineContext, job: VerifyJob): Promise<VerificationResult | undefined> {
  const [result] = await handleVerifyBatch(ctx, [job]);
  return result;
}

/**
 * verify → notify / revoke: checks liveness under the verification policy
 * (the checks of a batch run concurrently, within the runner's limits),
 * stores the results and their history in one transaction, raises severity
 * for privileged credentials, resolves findings proven dead, escalates
 * remediated ones still live after the grace period, and queues the owner
 * notices and (by policy) the revocations.
 */
export async function handleVerifyBatch(
  ctx: PipelineContext,
  jobs: readonly VerifyJob[],
): Promise<Array<VerificationResult | undefined>> {
  const ids = [...new Set(jobs.map((j) => j.findingId))];
  const found = await ctx.db.selectFrom('findings').selectAll().where('id', 'in', ids).execute();
  const before = new Map(found.map((f) => [f.id, f]));
  const checking = new Set<string>();
  const results = await Promise.all(
    jobs.map(async (job): Promise<VerificationResult | undefined> => {
      const finding = before.get(job.findingId);
      if (!finding) return undefined;
      // A finding sighted again before its first check can be queued twice; in one batch it is checked once.
      // Across batches it is checked again (the runner's cache answers without asking the issuer): a job
      // retried after a crash between storing its results and requesting the revoke must run to the end.
      if (job.reason === 'new') {
        if (checking.has(finding.id)) return undefined;
        checking.add(finding.id);
      }
      const detector = ctx.detectors.get(finding.detector_id);
      if (!detector) return { liveness: 'not_attempted', reason: `detector ${finding.detector_id} is not loaded` };
      return ctx.verification.verify(detector, unsealMatch(finding, job.sealedSecret, job.sealedParts, ctx.transit), {
        fresh: job.reason !== 'new',
      });
    }),
  );

  // The issuer asked us to wait, or failed in a way that may pass (5xx, timeout): come back later
  // (then, or after a growing pause) instead of holding a worker or settling for `unknown`.
  const again = jobs.flatMap((job, i) => {
    const result = results[i];
    const attempt = job.attempt ?? 0;
    if (result?.liveness !== 'unknown' || attempt >= MAX_RESCHEDULES) return [];
    const retryAt =
      result.retryAt ?? (result.retryable ? Date.now() + RETRY_BASE_SECONDS * 1000 * 2 ** attempt : undefined);
    if (retryAt === undefined) return [];
    return [{ data: { ...job, attempt: attempt + 1 }, singletonKey: job.findingId, startAfter: new Date(retryAt) }];
  });
  if (again.length > 0) await ctx.boss.insert(QUEUES.verify, again);

  const now = ctx.now();
  const checked = jobs.flatMap((job, i) => (results[i] ? [{ job, result: results[i]! }] : []));
  const after = new Map<string, Finding>();
  if (checked.length > 0) {
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('verifications')
        .values(
          checked.map(({ job, result }) => ({
            finding_id: job.findingId,
            liveness: result.liveness,
            reason: result.reason ?? null,
            facts: result.facts ? JSON.stringify(result.facts) : null,
          })),
        )
        .execute();
      const locked = await trx
        .selectFrom('findings')
        .selectAll()
        .where('id', 'in', [...new Set(checked.map((c) => c.job.findingId))])
        .orderBy('id')
        .forUpdate()
        .execute();
      const current = new Map(locked.map((f) => [f.id, f]));
      const wasResolved = new Set(locked.filter((f) => f.status === 'resolved').map((f) => f.id));
      const audits: Array<{ action: string; targetId: string; details: Record<string, unknown> }> = [];
      for (const { job, result } of checked) {
        const row = current.get(job.findingId);
        if (!row) continue;
        const next = applyResult(ctx, row, job, result, now, audits);
        current.set(row.id, { ...row, ...next } as Finding);
      }
      await updateFindings(
        trx,
        [...current.values()].filter((f) => checked.some((c) => c.job.findingId === f.id)),
      );
      await trx
        .insertInto('audit_log')
        .values(
          audits.map((a) => ({
            actor: 'system',
            action: a.action,
            target_type: 'finding',
            target_id: a.targetId,
            details: JSON.stringify(a.details),
          })),
        )
        .execute();
      for (const [id, f] of current) after.set(id, f);
      // The owner notices commit with the results: a crash in between cannot leave a new finding untold.
      const notices = checked.flatMap(({ job }): NotifyJob[] => {
        const updated = after.get(job.findingId);
        if (!updated || job.reason !== 'new' || updated.status === 'resolved') return [];
        return [{ findingId: updated.id }];
      });
      if (notices.length > 0) await ctx.boss.insert(QUEUES.notify, findingJobs(notices), { db: jobDb(trx) });
      // Notices already sent for a finding that is now resolved are rewritten to say it is dead (and why).
      const refreshes = [...current.values()].filter((f) => f.status === 'resolved' && !wasResolved.has(f.id));
      if (refreshes.length > 0) {
        await ctx.boss.insert(
          QUEUES.noticeRefresh,
          refreshes.map((f) => ({ data: { findingId: f.id }, singletonKey: f.id })),
          { db: jobDb(trx) },
        );
      }
    });
  }

  for (const { job, result } of checked) {
    const finding = before.get(job.findingId)!;
    const updated = after.get(job.findingId);
    if (!updated) continue;
    if (updated.status === 'resolved' && finding.status !== 'resolved')
      await ctx.events.emit('finding.resolved', updated);
    if (result.liveness === 'live' && finding.liveness !== 'live') {
      await ctx.events.emit('finding.verified_live', updated, job.sealedSecret);
    }
    if (job.reason !== 'new' || updated.status === 'resolved') continue;
    const detector = ctx.detectors.get(finding.detector_id);
    if (result.liveness === 'live' && detector?.revoke) {
      const mode = ctx.revocation.modeFor({
        detectorId: finding.detector_id,
        issuer: finding.issuer,
        severity: updated.severity as never,
      });
      if (mode === 'auto') await requestRevoke(ctx, updated, job, 'policy:auto');
    }
  }
  return results;
}

/** The finding's state after one verification result, with the audit rows it calls for. */
function applyResult(
  ctx: PipelineContext,
  current: Finding,
  job: VerifyJob,
  result: VerificationResult,
  now: Date,
  audits: Array<{ action: string; targetId: string; details: Record<string, unknown> }>,
): VerifiedState {
  const next: VerifiedState = {
    liveness: result.liveness,
    liveness_reason: result.reason ?? null,
    verification_facts: result.facts ?? current.verification_facts,
    verified_at: now,
    updated_at: now,
    severity: result.facts?.privileged ? 'critical' : current.severity,
    status: current.status,
    resolved_at: current.resolved_at,
    status_changed_at: current.status_changed_at,
    escalated_at: current.escalated_at,
    reverify_after: current.reverify_after,
  };
  audits.push({
    action: 'finding.verified',
    targetId: current.id,
    details: { liveness: result.liveness, reason: result.reason ?? null, trigger: job.reason },
  });
  const detector = ctx.detectors.get(current.detector_id);
  // Dead at the SaaS host proves nothing for a token of a self-hosted edition's instance: keep it open.
  const deadElsewhereMaybe = job.reason === 'new' && detector?.verify?.selfHostedEdition === true;
  if (result.liveness === 'dead' && canTransition(current.status, 'resolved') && !deadElsewhereMaybe) {
    Object.assign(next, { status: 'resolved', resolved_at: now, status_changed_at: now });
    audits.push({
      action: 'finding.resolved',
      targetId: current.id,
      details: { because: job.reason === 'new' ? 'dead when found' : 'verified dead' },
    });
  } else if (job.reason === 'reverify' && current.status === 'remediated') {
    if (result.liveness === 'live') {
      const graceEnds = (current.remediated_at?.getTime() ?? now.getTime()) + ctx.reverify.graceSeconds * 1000;
      if (now.getTime() >= graceEnds && current.escalated_at === null) {
        next.escalated_at = now;
        audits.push({
          action: 'finding.escalated',
          targetId: current.id,
          details: { because: 'still live after the grace period' },
        });
      }
    }
    next.reverify_after = new Date(now.getTime() + ctx.reverify.intervalSeconds * 1000);
  }
  return next;
}

/** Writes the verified state of several findings in one statement. */
async function updateFindings(trx: Executor, rows: readonly Finding[]): Promise<void> {
  if (rows.length === 0) return;
  const ts = (d: Date | null) => (d === null ? sql`null::timestamptz` : sql`${d}::timestamptz`);
  const values = rows.map(
    (f) =>
      sql`(${f.id}::uuid, ${f.liveness}, ${f.liveness_reason}::text, ${f.verification_facts == null ? null : JSON.stringify(f.verification_facts)}::jsonb, ${ts(f.verified_at)}, ${ts(f.updated_at)}, ${f.severity}, ${f.status}, ${ts(f.resolved_at)}, ${ts(
        f.status_changed_at,
      )}, ${ts(f.escalated_at)}, ${ts(f.reverify_after)})`,
  );
  await sql`
    update findings set
      liveness = v.liveness, liveness_reason = v.liveness_reason, verification_facts = v.facts,
      verified_at = v.verified_at, updated_at = v.updated_at, severity = v.severity, status = v.status,
      resolved_at = v.resolved_at, status_changed_at = v.status_changed_at, escalated_at = v.escalated_at,
      reverify_after = v.reverify_after
    from (values ${sql.join(values)}) as v(id, liveness, liveness_reason, facts, verified_at, updated_at, severity,
      status, resolved_at, status_changed_at, escalated_at, reverify_after)
    where findings.id = v.id`.execute(trx);
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
