import type { DocumentRef } from '../core/document.ts';
import type { Finding } from '../db/schema.ts';
import type { TextFormat } from '../detection/normalize.ts';
import { jobDb } from '../api/job-db.ts';
import { recordDocuments, type DocumentSighting, type SealedMatch } from '../findings/record.ts';
import { ACTIVE_STATUSES, type FindingStatus } from '../findings/lifecycle.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, findingJobs, type RedactJob, type ScanJob, type VerifyJob } from './queues.ts';

export interface ScanOutcome {
  matches: number;
  findings: number;
}

/** A document as leakwatch received it; its text lives only in memory (or sealed in a scan job). */
export interface ReceivedDocument {
  ref: DocumentRef;
  format: TextFormat;
  text: string;
  /** When leakwatch received it; used as the sighting time. */
  receivedAt: Date;
  /** See `InboundDocument.firstVersion`. */
  firstVersion?: boolean;
}

/** Scans and records one document; see `handleScanBatch`. */
export async function handleScan(ctx: PipelineContext, job: ScanJob): Promise<ScanOutcome> {
  const [outcome] = await handleScanBatch(ctx, [job]);
  return outcome!;
}

/** The scan worker: opens the sealed texts of a fetched batch and scans and records them (`scanAndRecord`). */
export async function handleScanBatch(ctx: PipelineContext, jobs: readonly ScanJob[]): Promise<ScanOutcome[]> {
  return scanAndRecord(
    ctx,
    jobs.map((job) => ({
      ref: job.ref,
      format: job.format,
      text: ctx.transit.open(job.sealedText),
      receivedAt: new Date(job.receivedAt),
    })),
  );
}

/**
 * scan → verify: runs the detectors over each document, records what they
 * found (all documents in one transaction), and in the same transaction
 * queues a liveness check for every finding that still needs action and has
 * not been checked (and, by policy, a redaction); then announces new findings
 * to hooks. Used by the scan worker and, for small documents, by the ingest
 * path itself (`createDocumentSink`). The text goes no further than this
 * function; secrets travel on sealed. Documents without matches are recorded
 * too: an edit that removed a secret closes its occurrence. Safe to repeat.
 */
export async function scanAndRecord(
  ctx: PipelineContext,
  documents: readonly ReceivedDocument[],
): Promise<ScanOutcome[]> {
  const sightings: DocumentSighting[] = documents.map((doc) => ({
    ref: doc.ref,
    matches: ctx.scanner.scan(doc.text, { format: doc.format }).map((m): SealedMatch => ({
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
    seenAt: doc.receivedAt,
  }));
  // A first version in which nothing was found has nothing to record and nothing to close: no write at all
  // (nearly every new chat message).
  const toRecord = sightings.filter((s, i) => s.matches.length > 0 || !documents[i]!.firstVersion);
  const created: Finding[] = [];
  const recordedResults = await recordDocuments(ctx.db, toRecord, {
    transit: ctx.transit,
    vault: ctx.vault,
    allowlist: ctx.allowlist,
    // The next jobs commit with the findings: a crash in between cannot leave a finding nobody checks.
    inTransaction: async (trx, recorded) => {
      const verify: VerifyJob[] = [];
      const redact = new Map<string, { data: RedactJob; singletonKey: string }>();
      const queued = new Set<string>();
      for (const [i, result] of recorded.entries()) {
        for (const r of result.recorded) {
          if (!ACTIVE_STATUSES.includes(r.status as FindingStatus)) continue;
          // Every sighting may be a new place: the redact job skips places already handled.
          if (ctx.autoRedact(toRecord[i]!.ref.platform)) {
            redact.set(r.findingId, {
              data: { findingId: r.findingId, requestedBy: 'policy:auto' },
              singletonKey: r.findingId,
            });
          }
          if (r.created) created.push(r.finding);
          // A repeated sighting finds the finding already checked: nothing more to do.
          if (!r.created && !r.reopened && r.finding.liveness !== 'not_attempted') continue;
          if (queued.has(r.findingId)) continue;
          queued.add(r.findingId);
          verify.push({
            findingId: r.findingId,
            sealedSecret: r.match.sealedSecret,
            sealedParts: r.match.sealedParts,
            reason: 'new',
          });
        }
      }
      // One statement per queue, one job per batch of findings.
      if (verify.length > 0) await ctx.boss.insert(QUEUES.verify, findingJobs(verify), { db: jobDb(trx) });
      if (redact.size > 0) await ctx.boss.insert(QUEUES.redact, [...redact.values()], { db: jobDb(trx) });
    },
  });
  for (const finding of created) await ctx.events.emit('finding.created', finding);
  const findingsOf = new Map(toRecord.map((s, i) => [s, recordedResults[i]!.recorded.length]));
  return sightings.map((s) => ({ matches: s.matches.length, findings: findingsOf.get(s) ?? 0 }));
}
