import { writeAudit } from '../db/audit-repository.ts';
import type { Executor } from '../db/executor.ts';
import {
  lockFinding,
  openOccurrenceCount,
  revocationOf,
  setFindingOwner,
  setFindingStatus,
  vaultedSecret,
} from '../db/findings-queries.ts';
import type { Finding } from '../db/schema.ts';
import type { Severity } from '../core/severity.ts';
import { canTransition } from '../findings/lifecycle.ts';
import { markRotated } from '../findings/remediation.ts';
import { QUEUES, type RedactJob, type RevokeJob, type VerifyJob } from '../jobs/queues.ts';
import { revocationModeFor, type RevocationMode } from '../revocation/revocation-policy.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext } from './api-context.ts';
import { jobDb } from './job-db.ts';

/**
 * What an admin can do to a finding, shared by the API and the dashboard.
 * Each action decides on the finding's current status under a row lock and
 * writes its audit row — and queues its job, when it has one — in the same
 * transaction, so an action is either fully recorded or not at all.
 */

const STATUS_VERBS = { acknowledged: 'acknowledge', false_positive: 'mark as false positive' } as const;

async function lockedOr404(trx: Executor, id: string): Promise<Finding> {
  const finding = await lockFinding(trx, id);
  if (!finding) throw new ApiError(404, 'not_found', `no finding ${id}`);
  return finding;
}

/** Acknowledge (someone is on it) or mark a false positive (not a credential). */
export async function changeFindingStatus(
  ctx: ApiContext,
  actor: string,
  id: string,
  to: keyof typeof STATUS_VERBS,
  note: string | undefined,
): Promise<Finding> {
  return ctx.db.transaction().execute(async (trx) => {
    const finding = await lockedOr404(trx, id);
    if (!canTransition(finding.status, to)) {
      throw new ApiError(409, 'invalid_transition', `cannot ${STATUS_VERBS[to]} a finding that is ${finding.status}`);
    }
    const updated = await setFindingStatus(trx, id, to, ctx.now());
    await writeAudit(trx, {
      actor,
      action: to === 'acknowledged' ? 'finding.acknowledged' : 'finding.false_positive',
      targetType: 'finding',
      targetId: id,
      details: { from: finding.status, redacted: finding.redacted, ...(note ? { note } : {}) },
    });
    return updated;
  });
}

/** The owner rotated the credential: remediated, re-verified until dead when the vault holds it. */
export async function markFindingRotated(ctx: ApiContext, actor: string, id: string): Promise<Finding> {
  const updated = await markRotated(ctx.db, id, actor, ctx.now());
  if (updated) return updated;
  const current = await ctx.db.selectFrom('findings').select('status').where('id', '=', id).executeTakeFirst();
  if (!current) throw new ApiError(404, 'not_found', `no finding ${id}`);
  throw new ApiError(409, 'invalid_transition', `cannot mark a finding that is ${current.status} as rotated`);
}

/** Reassigns (or clears) the owner: the identity that is told about the leak. */
export async function reassignFindingOwner(
  ctx: ApiContext,
  actor: string,
  id: string,
  identityId: string | null,
): Promise<Finding> {
  return ctx.db.transaction().execute(async (trx) => {
    const finding = await lockedOr404(trx, id);
    if (identityId !== null) {
      const identity = await trx.selectFrom('identities').select('id').where('id', '=', identityId).executeTakeFirst();
      if (!identity) throw new ApiError(400, 'invalid_request', `identityId: no identity ${identityId}`, 'identityId');
    }
    const updated = await setFindingOwner(trx, id, identityId, ctx.now());
    await writeAudit(trx, {
      actor,
      action: 'finding.owner_changed',
      targetType: 'finding',
      targetId: id,
      details: { from: finding.owner_identity_id, to: identityId },
    });
    return updated;
  });
}

/** The secret of a finding from the vault, re-sealed for a job payload; 409 when it cannot be had. */
async function secretForJob(ctx: ApiContext, trx: Executor, id: string, purpose: string) {
  if (!ctx.vault) {
    throw new ApiError(
      409,
      'vault_disabled',
      `${purpose} needs the secret vault, which is off: set LEAKWATCH_ENCRYPTION_KEY (secrets found after that are kept, encrypted)`,
    );
  }
  const sealed = await vaultedSecret(trx, id);
  if (!sealed) {
    throw new ApiError(
      409,
      'secret_not_vaulted',
      `${purpose} needs the secret, but the vault holds none for this finding (it was recorded before the vault was enabled)`,
    );
  }
  const { secret, parts } = JSON.parse(ctx.vault.open(sealed)) as { secret: string; parts: Record<string, string> };
  return {
    sealedSecret: ctx.transit.seal(secret),
    sealedParts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, ctx.transit.seal(v)])),
  };
}

/** Queues a fresh liveness check (reason `requested`); needs the vault. */
export async function requestReverify(
  ctx: ApiContext,
  actor: string,
  id: string,
): Promise<{ queued: boolean; jobId: string | null }> {
  return ctx.db.transaction().execute(async (trx) => {
    const finding = await lockedOr404(trx, id);
    const secret = await secretForJob(ctx, trx, id, 're-verification');
    const job: VerifyJob = { findingId: id, ...secret, reason: 'requested' };
    // One queued check per finding: a second request while one waits is a no-op (jobId null).
    const jobId = await ctx.boss.send(QUEUES.verify, job, { singletonKey: id, db: jobDb(trx) });
    await writeAudit(trx, {
      actor,
      action: 'finding.reverify_requested',
      targetType: 'finding',
      targetId: id,
      details: { queued: jobId !== null, liveness: finding.liveness },
    });
    return { queued: jobId !== null, jobId };
  });
}

const CLOSED_STATUSES = new Set(['resolved', 'false_positive', 'allowlisted']);

/**
 * Queues a revocation if the policy allows it for this finding (`off` refuses;
 * `manual` and `auto` accept a request). Needs the vault for the secret. The
 * revoke worker does it at most once per finding and honours the policy's dry run.
 */
export async function requestRevoke(
  ctx: ApiContext,
  actor: string,
  id: string,
): Promise<{ queued: boolean; mode: RevocationMode; dryRun: boolean; builtInRevoker: boolean }> {
  const policy = ctx.revocationPolicy;
  if (!policy) throw new ApiError(503, 'revocation_unavailable', 'the revocation policy is not loaded in this process');
  const result = await ctx.db.transaction().execute(async (trx) => {
    const finding = await lockedOr404(trx, id);
    if (CLOSED_STATUSES.has(finding.status)) {
      throw new ApiError(409, 'invalid_transition', `cannot revoke a finding that is ${finding.status}`);
    }
    const mode = revocationModeFor(policy, {
      detectorId: finding.detector_id,
      issuer: finding.issuer,
      severity: finding.severity as Severity,
    });
    if (mode === 'off') {
      throw new ApiError(
        409,
        'revocation_off',
        `the revocation policy does not allow revoking ${finding.detector_id} findings (mode "off")`,
      );
    }
    const previous = await revocationOf(trx, id);
    if (previous?.status === 'completed') {
      throw new ApiError(409, 'already_revoked', `a revocation already ran for this finding (${previous.outcome})`);
    }
    const secret = await secretForJob(ctx, trx, id, 'revocation');
    const job: RevokeJob = { findingId: id, ...secret, requestedBy: actor };
    const jobId = await ctx.boss.send(QUEUES.revoke, job, { singletonKey: id, db: jobDb(trx) });
    await writeAudit(trx, {
      actor,
      action: 'finding.revoke_requested',
      targetType: 'finding',
      targetId: id,
      details: { mode, dryRun: policy.dryRun, queued: jobId !== null, redacted: finding.redacted },
    });
    return { finding, queued: jobId !== null, mode, sealedSecret: secret.sealedSecret };
  });
  if (result.queued && ctx.events) {
    // Hooks hear about it as they do for a policy-driven revocation; the job is already committed.
    await ctx.events.emit('finding.revoke_requested', result.finding, result.sealedSecret).catch((error: unknown) => {
      ctx.logger.error({ err: error, findingId: id }, 'could not announce the revocation request to hooks');
    });
  }
  return {
    queued: result.queued,
    mode: result.mode,
    dryRun: policy.dryRun,
    builtInRevoker: ctx.detectors?.get(result.finding.detector_id)?.revoke !== undefined,
  };
}

/** Queues redaction of every open occurrence (the redact worker edits each place). */
export async function requestRedaction(
  ctx: ApiContext,
  actor: string,
  id: string,
): Promise<{ queued: boolean; occurrences: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const finding = await lockedOr404(trx, id);
    const occurrences = await openOccurrenceCount(trx, id);
    if (occurrences === 0) {
      throw new ApiError(409, 'nothing_to_redact', 'the finding has no open occurrence left to redact');
    }
    const job: RedactJob = { findingId: id, requestedBy: actor };
    const jobId = await ctx.boss.send(QUEUES.redact, job, { singletonKey: id, db: jobDb(trx) });
    await writeAudit(trx, {
      actor,
      action: 'finding.redaction_requested',
      targetType: 'finding',
      targetId: id,
      details: { queued: jobId !== null, occurrences, redacted: finding.redacted },
    });
    return { queued: jobId !== null, occurrences };
  });
}
