import type { PgBoss } from 'pg-boss';
import type { DocumentSink, InboundDocument } from '../core/integration.ts';
import type { SealedBox } from '../findings/sealed-box.ts';
import { QUEUES, type ScanJob } from './queues.ts';

/**
 * The pipeline's way in for integrations and the ingest API: each document
 * becomes a scan job with its text sealed, inserted in one statement per
 * batch. When `submit` resolves the documents are durable.
 */
export function createDocumentSink(boss: PgBoss, transit: SealedBox, now: () => Date): DocumentSink {
  return {
    async submit(documents: readonly InboundDocument[]) {
      if (documents.length === 0) return;
      const receivedAt = now().toISOString();
      const jobs = documents.map((doc) => {
        const data: ScanJob = { ref: doc.ref, format: doc.format, sealedText: transit.seal(doc.text), receivedAt };
        return { data };
      });
      await boss.insert(QUEUES.scan, jobs);
    },
  };
}
