import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type RecordJob, type ScanJob } from './queues.ts';

/**
 * scan → record: runs the detectors over the document and hands the matches on
 * with their secrets sealed. The text itself goes no further.
 */
export async function handleScan(ctx: PipelineContext, job: ScanJob): Promise<{ matches: number }> {
  const text = ctx.transit.open(job.sealedText);
  const matches = ctx.scanner.scan(text, { format: job.format });
  const record: RecordJob = {
    ref: job.ref,
    receivedAt: job.receivedAt,
    matches: matches.map((m) => ({
      detectorId: m.detectorId,
      issuer: m.issuer,
      severity: m.severity,
      confidence: m.confidence,
      fingerprint: m.fingerprint,
      redacted: m.redacted,
      start: m.start,
      end: m.end,
      sealedSecret: ctx.transit.seal(m.secret.reveal()),
      sealedParts: Object.fromEntries(m.parts.map((p) => [p.name, ctx.transit.seal(p.secret.reveal())])),
    })),
  };
  // Documents without matches are still recorded: an edit that removed a secret closes its occurrence.
  await ctx.boss.send(QUEUES.record, record);
  return { matches: matches.length };
}
