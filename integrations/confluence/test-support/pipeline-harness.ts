import type { PgBoss } from 'pg-boss';
import { detectors } from '../../../detectors/index.ts';
import type { DocumentRef } from '../../../src/core/document.ts';
import type { DocumentSink, LocatedSecret } from '../../../src/core/integration.ts';
import type { DatabaseHandle } from '../../../src/db/connection.ts';
import type { TextFormat } from '../../../src/detection/normalize.ts';
import { createScanner, type Scanner } from '../../../src/detection/scanner.ts';
import { SealedBox } from '../../../src/findings/sealed-box.ts';
import { createDocumentSink } from '../../../src/jobs/document-sink.ts';
import { startJobQueue } from '../../../src/jobs/job-queue.ts';
import { QUEUES, type ScanJob } from '../../../src/jobs/queues.ts';
import { createLogger, type Logger } from '../../../src/logger.ts';
import { createTestDatabase } from '../../../test/test-database.ts';
import { BACKFILL_QUEUE } from '../backfill.ts';
import { POLL_QUEUE } from '../poller.ts';

const KEY = 'confluence-test-fingerprint-key-0123456789abcdef';

export interface SubmittedDocument {
  ref: DocumentRef;
  format: TextFormat;
  text: string;
}

/**
 * A real test database with pg-boss and the real document sink (scan jobs
 * with sealed text), plus helpers to read back what was submitted and to
 * locate a secret the way the redact job does.
 */
export interface PipelineHarness {
  database: DatabaseHandle & { drop(): Promise<void> };
  boss: PgBoss;
  sink: DocumentSink;
  scanner: Scanner;
  logger: Logger;
  logs: string[];
  /** Scan jobs queued since the last call, opened. */
  takeSubmitted(): Promise<SubmittedDocument[]>;
  /** `RedactionRequest.locate` for the credential with this fingerprint. */
  locator(fingerprint: string): (text: string, format: TextFormat) => LocatedSecret[];
  stop(): Promise<void>;
}

export async function startPipelineHarness(): Promise<PipelineHarness> {
  const database = await createTestDatabase();
  const boss = await startJobQueue(database, { supervise: false });
  for (const queue of [POLL_QUEUE, BACKFILL_QUEUE]) await boss.createQueue(queue);
  const transit = new SealedBox(KEY, 'transit');
  const scanner = createScanner({ detectors, fingerprintKey: KEY });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', scanner, write: (line) => logs.push(line) });
  return {
    database,
    boss,
    sink: createDocumentSink(boss, transit, () => new Date()),
    scanner,
    logger,
    logs,
    async takeSubmitted() {
      const out: SubmittedDocument[] = [];
      for (;;) {
        const jobs = await boss.fetch<ScanJob>(QUEUES.scan, { batchSize: 500 });
        if (jobs.length === 0) return out;
        for (const job of jobs) {
          out.push({ ref: job.data.ref, format: job.data.format, text: transit.open(job.data.sealedText) });
        }
        await boss.complete(
          QUEUES.scan,
          jobs.map((j) => j.id),
        );
      }
    },
    locator(fingerprint) {
      return (text, format) =>
        scanner
          .scan(text, { format })
          .filter((m) => m.fingerprint === fingerprint)
          .map((m) => ({ start: m.start, end: m.end, redacted: m.redacted }));
    },
    async stop() {
      await boss.stop({ graceful: false, close: true });
      await database.drop();
    },
  };
}

/** Items whose text holds a credential, with the detector that found it. */
export function itemsWithSecrets(scanner: Scanner, documents: readonly SubmittedDocument[]): string[] {
  return documents
    .filter((d) => scanner.scan(d.text, { format: d.format }).length > 0)
    .map((d) => d.ref.item)
    .sort();
}
