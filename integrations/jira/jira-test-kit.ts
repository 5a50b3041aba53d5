import type { PgBoss } from 'pg-boss';
import { detectors } from '../../detectors/index.ts';
import type { DocumentRef } from '../../src/core/document.ts';
import type { DocumentSink, InboundDocument, IntegrationDeps } from '../../src/core/integration.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import type { TextFormat } from '../../src/detection/normalize.ts';
import { createScanner, type Scanner } from '../../src/detection/scanner.ts';
import { SealedBox } from '../../src/findings/sealed-box.ts';
import { createDocumentSink } from '../../src/jobs/document-sink.ts';
import { startJobQueue } from '../../src/jobs/job-queue.ts';
import { QUEUES, type ScanJob } from '../../src/jobs/queues.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { LogNotifier } from '../../src/notify/log-notifier.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { loadJiraConfig, type JiraConfig } from './jira-config.ts';
import { JIRA_QUEUE_OPTIONS } from './jira-queues.ts';
import { CLOUD_SITE, DC_SITE, type FakeKind } from './jira-fake-server.ts';

/** Real-format tokens the built-in detectors find (GitHub checksum-valid PAT, Slack bot token). */
export const GITHUB_TOKEN = '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';
export const SLACK_TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
export const FINGERPRINT_KEY = 'jira-test-fingerprint-key-0123456789abcdef';
export const WEBHOOK_SECRET = 'jira-webhook-secret-0123456789';

export function jiraTestConfig(kind: FakeKind, env: Record<string, string> = {}): JiraConfig {
  const config = loadJiraConfig({
    JIRA_URL: kind === 'cloud' ? CLOUD_SITE : DC_SITE,
    ...(kind === 'cloud'
      ? { JIRA_EMAIL: 'leakwatch@acme.example', JIRA_API_TOKEN: 'ATATT3xFfGF0-test-api-token' }
      : { JIRA_PAT: 'NjM4MzQ1OTk0MjQ3OkdrZXlfdGVzdF9wYXQ' }),
    JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JIRA_REQUESTS_PER_SECOND: '100',
    ...env,
  });
  if (!config) throw new Error('test config is incomplete');
  return config;
}

export interface PipelineKit {
  handle: DatabaseHandle & { drop(): Promise<void> };
  boss: PgBoss;
  sink: DocumentSink;
  scanner: Scanner;
  logger: Logger;
  logs: string[];
  /** Documents submitted since the last call (drained from the scan queue and unsealed). */
  submitted(): Promise<InboundDocument[]>;
  /** What the service hands an integration, on this kit's database, queue and sink. */
  integrationDeps(): IntegrationDeps;
  /** A `locate` as the pipeline would give the redactor: spans of `secret`'s matches in a text. */
  locateFor(secret: string): (text: string, format: TextFormat) => { start: number; end: number; redacted: string }[];
  stop(): Promise<void>;
}

/** A real (PGlite or PostgreSQL) database with migrations, pg-boss with the pipeline and Jira queues, and the real sink. */
export async function startPipelineKit(): Promise<PipelineKit> {
  const handle = await createTestDatabase();
  const boss = await startJobQueue(handle, { supervise: false });
  for (const [name, options] of Object.entries(JIRA_QUEUE_OPTIONS)) {
    if (!(await boss.getQueue(name))) await boss.createQueue(name, options);
  }
  const transit = new SealedBox(FINGERPRINT_KEY, 'transit');
  const sink = createDocumentSink(boss, transit, () => new Date());
  const scanner = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', scanner, write: (line) => logs.push(line) });
  return {
    handle,
    boss,
    sink,
    scanner,
    logger,
    logs,
    async submitted() {
      const jobs = await boss.fetch<ScanJob>(QUEUES.scan, { batchSize: 1000 });
      return jobs.map((job) => ({
        ref: job.data.ref as DocumentRef,
        format: job.data.format,
        text: transit.open(job.data.sealedText),
      }));
    },
    integrationDeps() {
      return {
        db: handle.db,
        boss,
        sink,
        scanner,
        detectors: new Map(detectors.map((d) => [d.id, d])),
        logger,
        now: () => new Date(),
        notifier: () => new LogNotifier(logger),
        revocation: {
          policy: { modeFor: () => 'off', dryRun: true },
          transit,
          vault: undefined,
          events: {
            emit: async () => {
              throw new Error('the Jira integration emits no finding events');
            },
          },
        },
      };
    },
    locateFor(secret) {
      return (text, format) =>
        scanner
          .scan(text, { format })
          .filter((m) => m.secret.reveal() === secret)
          .map((m) => ({ start: m.start, end: m.end, redacted: m.redacted }));
    },
    async stop() {
      await boss.stop({ graceful: false, close: true });
      await handle.drop();
    },
  };
}
