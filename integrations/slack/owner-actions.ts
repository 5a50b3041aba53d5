import type { Severity } from '../../src/core/severity.ts';
import { jobDb } from '../../src/api/job-db.ts';
import { writeAudit } from '../../src/db/audit-repository.ts';
import { lockFinding, revocationOf, vaultedSecret } from '../../src/db/findings-queries.ts';
import type { Finding } from '../../src/db/schema.ts';
import { canTransition } from '../../src/findings/lifecycle.ts';
import { markRotated } from '../../src/findings/remediation.ts';
import { QUEUES, type RevokeJob } from '../../src/jobs/queues.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';

/**
 * What an owner can do from their Slack notice, platform logic only: each
 * action decides on the finding's current state under a row lock and writes
 * its audit row (and its job) in the same transaction. The Slack handlers in
 * `interactions.ts` only check who clicked and say what happened.
 */

/** Statuses after which nothing is left for the owner to do. */
const CLOSED = new Set(['resolved', 'false_positive', 'allowlisted']);

export type ActionResult = { done: true; message: string } | { done: false; message: string };

/** "Revoke it now" is offered when the detector can revoke and the policy does not forbid it. */
export function revokeOffered(deps: SlackOutboundDeps, finding: Finding): boolean {
  if (!deps.revocation || !deps.detectors.get(finding.detector_id)?.revoke) return false;
  return deps.revocation.policy.modeFor(subject(finding)) !== 'off';
}

function subject(finding: Finding) {
  return { detectorId: finding.detector_id, issuer: finding.issuer, severity: finding.severity as Severity };
}

/**
 * The owner says they rotated it. The finding becomes `remediated`; with the
 * vault, the reverify schedule checks the old credential within a minute and
 * resolves the finding once it is dead (a click alone never closes it).
 */
export async function ownerRotated(deps: SlackOutboundDeps, findingId: string, actor: string): Promise<ActionResult> {
  const updated = await markRotated(deps.db, findingId, actor, deps.now());
  if (!updated) {
    const current = await deps.db
      .selectFrom('findings')
      .select('status')
      .where('id', '=', findingId)
      .executeTakeFirst();
    return {
      done: false,
      message: current ? `Nothing to do: this finding is already ${current.status}.` : 'This finding no longer exists.',
    };
  }
  const vaulted = updated.reverify_after !== null;
  return {
    done: true,
    message: vaulted
      ? ':hourglass_flowing_sand: Thanks! leakwatch is re-checking the old credential; the finding closes once it is proven dead.'
      : ':white_check_mark: Thanks! Marked as rotated. leakwatch cannot re-check it (no LEAKWATCH_ENCRYPTION_KEY, so the secret was not kept): make sure the old one is revoked at the issuer.',
  };
}

/**
 * Queues the revocation the owner asked for, if the detector can revoke, the
 * policy allows it (`manual` or `auto`; `off` refuses) and the vault holds the
 * secret. The revoke worker does it at most once per finding, honours the
 * policy's dry run, and then verifies the credential is dead.
 */
export async function ownerRequestedRevoke(
  deps: SlackOutboundDeps,
  findingId: string,
  actor: string,
): Promise<ActionResult> {
  const revocation = deps.revocation;
  const result = await deps.db
    .transaction()
    .execute(async (trx): Promise<ActionResult & { finding?: Finding; sealedSecret?: string }> => {
      const finding = await lockFinding(trx, findingId);
      if (!finding) return { done: false, message: 'This finding no longer exists.' };
      if (CLOSED.has(finding.status))
        return { done: false, message: `Nothing to revoke: this finding is already ${finding.status}.` };
      if (!deps.detectors.get(finding.detector_id)?.revoke) {
        return {
          done: false,
          message: 'leakwatch cannot revoke this kind of credential. Please rotate it at the issuer.',
        };
      }
      if (!revocation || revocation.policy.modeFor(subject(finding)) === 'off') {
        return {
          done: false,
          message: 'The revocation policy does not allow revoking this credential. Please rotate it at the issuer.',
        };
      }
      const previous = await revocationOf(trx, findingId);
      if (previous?.status === 'completed') {
        return {
          done: false,
          message: `A revocation already ran for this credential (outcome: ${previous.outcome ?? 'unknown'}).`,
        };
      }
      if (!revocation.vault) {
        return {
          done: false,
          message:
            'Revocation is not possible here: leakwatch runs without LEAKWATCH_ENCRYPTION_KEY, so it did not keep the secret. Please rotate it at the issuer.',
        };
      }
      const sealed = await vaultedSecret(trx, findingId);
      if (!sealed) {
        return {
          done: false,
          message:
            'Revocation is not possible: leakwatch did not keep this secret (it was found before LEAKWATCH_ENCRYPTION_KEY was set). Please rotate it at the issuer.',
        };
      }
      const { secret, parts } = JSON.parse(revocation.vault.open(sealed)) as {
        secret: string;
        parts: Record<string, string>;
      };
      const job: RevokeJob = {
        findingId,
        sealedSecret: revocation.transit.seal(secret),
        sealedParts: Object.fromEntries(
          Object.entries(parts).map(([name, value]) => [name, revocation.transit.seal(value)]),
        ),
        requestedBy: actor,
      };
      // One revocation per finding: a second click while one waits is a no-op (null id).
      const jobId = await deps.boss.send(QUEUES.revoke, job, { singletonKey: findingId, db: jobDb(trx) });
      await writeAudit(trx, {
        actor,
        action: 'finding.revoke_requested',
        targetType: 'finding',
        targetId: findingId,
        details: { via: 'slack', queued: jobId !== null, dryRun: revocation.policy.dryRun, redacted: finding.redacted },
      });
      if (jobId === null) return { done: true, message: ':hourglass_flowing_sand: A revocation is already under way.' };
      return {
        done: true,
        finding,
        sealedSecret: job.sealedSecret,
        message: revocation.policy.dryRun
          ? ':test_tube: Revocation requested, but the policy is in dry-run mode: nothing will be revoked. Please rotate it at the issuer.'
          : ':hourglass_flowing_sand: Revocation requested. leakwatch will revoke it and check that it is dead.',
      };
    });
  if (result.finding && result.sealedSecret && revocation?.events) {
    // Hooks hear about it as they do for a policy-driven revocation; the job is already committed.
    await revocation.events
      .emit('finding.revoke_requested', result.finding, result.sealedSecret)
      .catch((error: unknown) => {
        deps.logger.error({ err: error, findingId }, 'could not announce the revocation request to hooks');
      });
  }
  return { done: result.done, message: result.message } as ActionResult;
}

/**
 * "Not a secret": the value is allowlisted by fingerprint (it will not be
 * reported again anywhere) and the finding becomes `false_positive`, with the
 * audit row in the same transaction. A credential verified live is refused:
 * the issuer just proved it is a real secret.
 */
export async function ownerMarkedNotASecret(
  deps: SlackOutboundDeps,
  findingId: string,
  actor: string,
): Promise<ActionResult> {
  return deps.db.transaction().execute(async (trx): Promise<ActionResult> => {
    const finding = await lockFinding(trx, findingId);
    if (!finding) return { done: false, message: 'This finding no longer exists.' };
    if (finding.liveness === 'live') {
      return {
        done: false,
        message:
          ':no_entry: leakwatch verified that this credential works at the issuer, so it is a real secret. Please rotate it, or ask the security team if you think this is wrong.',
      };
    }
    if (!canTransition(finding.status, 'false_positive')) {
      return { done: false, message: `Nothing to do: this finding is already ${finding.status}.` };
    }
    const now = deps.now();
    const entry = await trx
      .insertInto('allowlist_entries')
      .values({
        kind: 'fingerprint',
        fingerprint: finding.fingerprint,
        detector_id: finding.detector_id,
        reason: `marked "not a secret" in Slack by ${actor}`,
        created_by: actor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('findings')
      .set({ status: 'false_positive', status_changed_at: now, updated_at: now })
      .where('id', '=', findingId)
      .execute();
    await writeAudit(trx, {
      actor,
      action: 'finding.false_positive',
      targetType: 'finding',
      targetId: findingId,
      details: { via: 'slack', from: finding.status, allowlistEntry: entry.id, redacted: finding.redacted },
    });
    await writeAudit(trx, {
      actor,
      action: 'allowlist.created',
      targetType: 'allowlist_entry',
      targetId: entry.id,
      details: { kind: 'fingerprint', detector: finding.detector_id, finding: findingId },
    });
    return {
      done: true,
      message: ':ok_hand: Marked as not a secret. leakwatch will not report this value again.',
    };
  });
}
