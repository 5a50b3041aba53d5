import { randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { DocumentSink, InboundDocument } from '../core/integration.ts';
import type { SealedBox } from '../findings/sealed-box.ts';
import { QUEUES, type ScanJob } from './queues.ts';

/** A sink that also tells the ingest API the job id of each accepted document. */
export interface CoalescingDocumentSink extends DocumentSink {
  /** Like `submit`, returning the scan job id of each document, in order. */
  submitWithIds(documents: readonly InboundDocument[]): Promise<string[]>;
}

/** Most documents written by one statement. */
const MAX_BATCH = 500;

/**
 * The pipeline's way in for integrations and the ingest API: each document
 * becomes a scan job with its text sealed. Submissions arriving in the same
 * turn of the event loop (concurrent webhook or API requests) are written by
 * one INSERT, so a burst costs a few round trips instead of one per
 * document. When `submit` resolves the documents are durable.
 */
export function createDocumentSink(boss: PgBoss, transit: SealedBox, now: () => Date): CoalescingDocumentSink {
  let pending: Array<{ id: string; data: ScanJob }> = [];
  let flushing: Promise<void> | undefined;

  const flush = async (batch: Array<{ id: string; data: ScanJob }>) => {
    for (let i = 0; i < batch.length; i += MAX_BATCH) await boss.insert(QUEUES.scan, batch.slice(i, i + MAX_BATCH));
  };

  const submitWithIds = async (documents: readonly InboundDocument[]): Promise<string[]> => {
    if (documents.length === 0) return [];
    const receivedAt = now().toISOString();
    const jobs = documents.map((doc) => ({
      id: randomUUID(),
      data: { ref: doc.ref, format: doc.format, sealedText: transit.seal(doc.text), receivedAt } satisfies ScanJob,
    }));
    pending.push(...jobs);
    if (!flushing) {
      flushing = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        const batch = pending;
        pending = [];
        flushing = undefined;
        return flush(batch);
      });
    }
    await flushing;
    return jobs.map((j) => j.id);
  };

  return {
    submitWithIds,
    async submit(documents) {
      await submitWithIds(documents);
    },
  };
}
