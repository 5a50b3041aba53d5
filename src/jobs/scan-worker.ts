import { recordDocuments, type SealedMatch } from '../findings/record.ts';
import { ACTIVE_STATUSES, type FindingStatus } from '../findings/lifecycle.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type RedactJob, type ScanJob, type VerifyJob } from './queues.ts';

export interface ScanOutcome {
  matches: number;
  findings: number;
}

/** Scans and records one document; see `handleScanBatch`. */
export async function handleScan(ctx: PipelineContext, job: ScanJob): Promise<ScanOutcome> {
  const [outcome] = await handleScanBatch(ctx, [job]);
  return outcome!;
}

/**
 * scan → verify: runs the detectors over each document, records what they
 * found (all documents of the batch in one transaction), then queues a
 * liveness check for every finding that still needs action and has not been
 * checked, and announces new findings to hooks. The text goes no further
 * than this worker; secrets travel on sealed. Documents without matches are
 * recorded too: an edit that removed a secret closes its occurrence.
 */
export async function handleScanBatch(ctx: PipelineContext, jobs: readonly ScanJob[]): Promise<ScanOutcome[]> {
  const sightings = jobs.map((job) => {
    const text = ctx.transit.open(job.sealedText);
    const matches: SealedMatch[] = ctx.scanner.scan(text, { format: job.format }).map((m) => ({
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
    }));
    return { ref: job.ref, matches, seenAt: new Date(job.receivedAt) };
  });
  const results = await recordDocuments(ctx.db, sightings, {
    transit: ctx.transit,
    vault: ctx.vault,
    allowlist: ctx.allowlist,
  });

  const verify: Array<{ data: VerifyJob; singletonKey: string }> = [];
  const redact = new Map<string, { data: RedactJob; singletonKey: string }>();
  const queued = new Set<string>();
  for (const [i, result] of results.entries()) {
    for (const r of result.recorded) {
      if (!ACTIVE_STATUSES.includes(r.status as FindingStatus)) continue;
      // Every sighting may be a new place: the redact job skips places already handled.
      if (ctx.autoRedact(jobs[i]!.ref.platform)) {
        redact.set(r.findingId, {
          data: { findingId: r.findingId, requestedBy: 'policy:auto' },
          singletonKey: r.findingId,
        });
      }
      if (r.created) await ctx.events.emit('finding.created', r.finding);
      // A retried scan finds the finding already checked: nothing more to do.
      if (!r.created && !r.reopened && r.finding.liveness !== 'not_attempted') continue;
      if (queued.has(r.findingId)) continue;
      queued.add(r.findingId);
      verify.push({
        data: {
          findingId: r.findingId,
          sealedSecret: r.match.sealedSecret,
          sealedParts: r.match.sealedParts,
          reason: 'new',
        },
        singletonKey: r.findingId,
      });
    }
  }
  // One statement for the batch; the stately verify queue drops a second check of the same finding.
  if (verify.length > 0) await ctx.boss.insert(QUEUES.verify, verify);
  if (redact.size > 0) await ctx.boss.insert(QUEUES.redact, [...redact.values()]);
  return results.map((r, i) => ({ matches: sightings[i]!.matches.length, findings: r.recorded.length }));
}
