import type { Integration, LocatedSecret, RedactionOutcome } from '../core/integration.ts';
import { writeAudit } from '../db/audit-repository.ts';
import { getFinding } from '../db/findings-repository.ts';
import type { Finding } from '../db/schema.ts';
import type { TextFormat } from '../detection/normalize.ts';
import type { Scanner } from '../detection/scanner.ts';
import type { PipelineContext } from './pipeline-context.ts';
import type { RedactJob } from './queues.ts';

/** Outcomes after which an occurrence is not tried again (a retry would repeat a visible effect or do nothing). */
const FINAL = new Set(['redacted', 'deleted', 'not_found', 'warned', 'unsupported']);

/**
 * Finds the finding's secret (and its companion parts) in a text as it is now,
 * by scanning it again: spans in the text's own offsets, each with the
 * redacted form to write instead. No raw secret travels in the redact job.
 */
export function locateFinding(scanner: Scanner, finding: Finding) {
  return (text: string, format: TextFormat): LocatedSecret[] =>
    scanner
      .scan(text, { format })
      .filter((m) => m.detectorId === finding.detector_id && m.fingerprint === finding.fingerprint)
      .flatMap((m) => [
        { start: m.start, end: m.end, redacted: m.secret.redacted },
        ...m.parts.map((p) => ({ start: p.start, end: p.end, redacted: p.secret.redacted })),
      ]);
}

/**
 * redact: replaces the secret with its redacted form wherever the finding is
 * still open, through each platform's integration. One `redactions` row per
 * occurrence records the outcome; an occurrence already handled is skipped, so
 * a retried job edits nothing twice and posts no second warning. Occurrences
 * whose platform cannot redact are recorded as `unsupported`, with the reason.
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
  const handled = new Set(done.filter((r) => FINAL.has(r.status)).map((r) => r.occurrence_id));
  const tally: Record<string, number> = {};
  let failure: Error | undefined;

  for (const occurrence of occurrences) {
    if (handled.has(occurrence.id)) continue;
    const integration = integrations.get(occurrence.platform);
    let outcome: RedactionOutcome;
    if (!integration?.redact) {
      outcome = { status: 'unsupported', detail: `no ${occurrence.platform} connector that can redact is configured` };
    } else {
      try {
        outcome = await integration.redact({
          finding,
          occurrence,
          locate: locateFinding(ctx.scanner, finding),
          requestedBy: job.requestedBy,
        });
      } catch (error) {
        // Transient (rate limit, timeout, 5xx): recorded, and the job is retried with backoff.
        outcome = { status: 'failed', detail: (error as Error).message.slice(0, 500) };
        failure ??= error as Error;
      }
    }
    tally[outcome.status] = (tally[outcome.status] ?? 0) + 1;
    const now = ctx.now();
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('redactions')
        .values({
          finding_id: finding.id,
          occurrence_id: occurrence.id,
          platform: occurrence.platform,
          status: outcome.status,
          detail: outcome.detail ?? null,
          requested_by: job.requestedBy,
        })
        .onConflict((oc) =>
          oc
            .column('occurrence_id')
            .doUpdateSet({ status: outcome.status, detail: outcome.detail ?? null, updated_at: now }),
        )
        .execute();
      await writeAudit(trx, {
        actor: job.requestedBy,
        action: `occurrence.redaction_${outcome.status}`,
        targetType: 'finding',
        targetId: finding.id,
        details: {
          platform: occurrence.platform,
          container: occurrence.container,
          item: occurrence.item,
          detail: outcome.detail ?? null,
        },
      });
    });
  }
  if (failure) throw failure;
  return tally;
}
