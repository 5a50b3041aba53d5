import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { DocumentSink, InboundDocument } from '../core/integration.ts';
import type { SealedBox } from '../findings/sealed-box.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type ScanJob } from './queues.ts';
import { scanAndRecord, type ReceivedDocument } from './scan-worker.ts';

/** A sink that also tells the ingest API what became of each accepted document. */
export interface CoalescingDocumentSink extends DocumentSink {
  /**
   * Like `submit`, returning per document (in order) the id of its scan job,
   * or null when it was scanned and recorded before this resolved.
   */
  submitWithIds(documents: readonly InboundDocument[]): Promise<Array<string | null>>;
}

/** Scanning small documents as they arrive, in the process that takes them in. */
export interface InlineScan {
  /** Scans and records documents, queuing their next jobs in the same transaction (`scanAndRecord`). */
  scanAndRecord(documents: readonly ReceivedDocument[]): Promise<unknown>;
  /** Documents longer than this (in characters) go to a scan job instead. */
  maxChars: number;
  /** Told when an inline scan failed and its documents were queued as scan jobs instead. */
  onFallback?(error: unknown, documents: number): void;
}

export interface DocumentSinkOptions {
  /** Without it every document becomes a scan job (a process that only takes documents in). */
  inline?: InlineScan;
}

/** Documents up to this many characters are scanned as they arrive (well under a millisecond each). */
export const INLINE_MAX_CHARS = 16_384;

/** Inline scanning with the pipeline's own scanner and store; failures are logged and queued. */
export function inlineScan(ctx: PipelineContext): InlineScan {
  return {
    maxChars: INLINE_MAX_CHARS,
    scanAndRecord: (documents) => scanAndRecord(ctx, documents),
    onFallback: (error, documents) =>
      ctx.logger.warn({ err: error, documents }, 'could not scan documents as they arrived; queued them for a worker'),
  };
}

/** Most documents written by one flush (and one statement). */
const MAX_BATCH = 500;
/** Characters one flush scans inline at most, so a flush holds the event loop for milliseconds, not seconds. */
const INLINE_BUDGET_CHARS = 1 << 20;
/**
 * Flushes running at once. While they wait on the database, new submissions
 * gather into the next one, so the busier the sink, the larger its batches
 * and the fewer statements per document (group commit).
 */
const MAX_IN_FLIGHT = 2;

interface Pending {
  document: InboundDocument;
  receivedAt: Date;
  resolve(id: string | null): void;
  reject(error: unknown): void;
}

/**
 * The pipeline's way in for integrations and the ingest API. Submissions
 * arriving together (concurrent webhook or API requests) are written by one
 * flush. With `inline`, small documents are scanned and recorded right away:
 * their findings and verify jobs commit in one transaction, so nothing waits
 * in a scan job; larger documents, and any whose inline scan failed, become
 * scan jobs with their text sealed. Either way, when `submit` resolves the
 * documents (or what was found in them) are durable, and submitting the same
 * document again repeats no effect.
 */
export function createDocumentSink(
  boss: PgBoss,
  transit: SealedBox,
  now: () => Date,
  options: DocumentSinkOptions = {},
): CoalescingDocumentSink {
  const { inline } = options;
  let pending: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;

  const queueAsJobs = async (items: readonly Pending[]): Promise<string[]> => {
    const jobs = items.map((p) => ({
      id: randomUUID(),
      data: {
        ref: p.document.ref,
        format: p.document.format,
        sealedText: transit.seal(p.document.text),
        receivedAt: p.receivedAt.toISOString(),
      } satisfies ScanJob,
    }));
    await boss.insert(QUEUES.scan, jobs);
    return jobs.map((j) => j.id);
  };

  const flush = async (batch: Pending[]) => {
    let queued = batch;
    if (inline) {
      let budget = INLINE_BUDGET_CHARS;
      const scanNow: Pending[] = [];
      queued = [];
      for (const p of batch) {
        const size = p.document.text.length;
        if (size <= inline.maxChars && size <= budget) {
          budget -= size;
          scanNow.push(p);
        } else queued.push(p);
      }
      if (scanNow.length > 0) {
        try {
          await inline.scanAndRecord(
            scanNow.map((p) => ({ ...p.document, receivedAt: p.receivedAt }) satisfies ReceivedDocument),
          );
          for (const p of scanNow) p.resolve(null);
        } catch (error) {
          // A scan job retries them (one by one, with backoff) in a worker: the caller still gets a durable answer.
          inline.onFallback?.(error, scanNow.length);
          queued = batch;
        }
      }
    }
    if (queued.length === 0) return;
    try {
      const ids = await queueAsJobs(queued);
      queued.forEach((p, i) => p.resolve(ids[i]!));
    } catch (error) {
      for (const p of queued) p.reject(error);
    }
  };

  const schedule = () => {
    if (scheduled || inFlight >= MAX_IN_FLIGHT || pending.length === 0) return;
    scheduled = true;
    // Waiting one turn of the event loop lets concurrent callers join the flush.
    setImmediate(() => {
      scheduled = false;
      while (inFlight < MAX_IN_FLIGHT && pending.length > 0) {
        const batch = pending.slice(0, MAX_BATCH);
        pending = pending.slice(MAX_BATCH);
        inFlight++;
        void flush(batch)
          // Settling twice is harmless: only callers not yet answered see the error.
          .catch((error: unknown) => batch.forEach((p) => p.reject(error)))
          .finally(() => {
            inFlight--;
            schedule();
          });
      }
    });
  };

  const submitWithIds = (documents: readonly InboundDocument[]): Promise<Array<string | null>> => {
    if (documents.length === 0) return Promise.resolve([]);
    const receivedAt = now();
    const accepted = documents.map(
      (document) =>
        new Promise<string | null>((resolve, reject) => pending.push({ document, receivedAt, resolve, reject })),
    );
    schedule();
    return Promise.all(accepted);
  };

  return {
    submitWithIds,
    async submit(documents) {
      await submitWithIds(documents);
    },
  };
}
