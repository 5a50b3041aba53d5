import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { detectors as builtInDetectors } from '../detectors/index.ts';
import { createIntegrations } from '../integrations/index.ts';
import { createApp } from './api/app.ts';
import type { Config } from './config.ts';
import type { DocumentSink, Integration, IntegrationDeps } from './core/integration.ts';
import { openDatabase, type DatabaseHandle } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadFingerprintKey } from './detection/fingerprint.ts';
import { createScanner } from './detection/scanner.ts';
import { cachedAllowlist } from './findings/allowlist-cache.ts';
import { SealedBox } from './findings/sealed-box.ts';
import { createDocumentSink, inlineScan } from './jobs/document-sink.ts';
import { ensureQueues, startJobQueue } from './jobs/job-queue.ts';
import { handleRedact } from './jobs/redact-worker.ts';
import { handleHook } from './jobs/hook-worker.ts';
import type { PipelineContext } from './jobs/pipeline-context.ts';
import { QUEUES, type HookJob, type RedactJob } from './jobs/queues.ts';
import { startWorkers } from './jobs/workers.ts';
import { createLogger, type Logger } from './logger.ts';
import { createMetrics } from './metrics.ts';
import { LogNotifier } from './notify/log-notifier.ts';
import type { Notifier } from './notify/notifier.ts';
import { HookEvents } from './revocation/hook-events.ts';
import { revocationModeFor } from './revocation/revocation-policy.ts';
import { withCustomRules } from './rules/load-rules.ts';
import { createVerificationRunner } from './verification/runner.ts';

export interface ServiceRoles {
  /** Serve the HTTP API and webhooks. */
  http: boolean;
  /** Run the pipeline workers and schedules. */
  workers: boolean;
}

export interface Service {
  ctx: PipelineContext;
  handle: DatabaseHandle;
  /** The durable way into the pipeline (what webhooks and pollers submit to). */
  sink: DocumentSink;
  integrations: readonly Integration[];
  app: ReturnType<typeof createApp>;
  /** Bound port when `http` is on. */
  port: number | undefined;
  /** Stops taking work, lets running jobs finish (bounded), closes everything. */
  stop(): Promise<void>;
}

export interface ServiceOverrides {
  logger?: Logger;
  notifier?: Notifier;
  /** Platform integrations to run instead of those the configuration enables (tests, demo). */
  integrations?: (deps: IntegrationDeps) => Integration[];
  now?: () => Date;
  /** Reuse an open database (tests). */
  handle?: DatabaseHandle;
}

/**
 * Builds and starts leakwatch: configuration → database (migrated) → job
 * queue → detectors, verification, notifier, hooks → workers and/or HTTP.
 * `leakwatch serve` runs both roles in one process, `leakwatch worker` only
 * the workers; any number of either can share one PostgreSQL.
 */
export async function startService(
  config: Config,
  roles: ServiceRoles,
  overrides: ServiceOverrides = {},
): Promise<Service> {
  const fingerprintKey = loadFingerprintKey(config.dataDir, config.fingerprintKey);
  const { detectors, warnings } = withCustomRules(builtInDetectors, config.rulesFiles);
  const scanner = createScanner({ detectors, fingerprintKey, windowChars: config.maxWindowChars });
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, scanner });
  for (const warning of warnings) logger.warn(warning);

  const handle =
    overrides.handle ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.databasePoolSize,
    }));
  await migrateToLatest(handle.db);
  const boss: PgBoss = await startJobQueue(handle, { supervise: roles.workers });
  boss.on('error', (error) => logger.error({ err: error }, 'job queue error'));
  const metrics = createMetrics();
  const now = overrides.now ?? (() => new Date());

  const transit = new SealedBox(fingerprintKey, 'transit');
  const autoRedact = new Set(config.autoRedact);
  const ctx: PipelineContext = {
    db: handle.db,
    boss,
    scanner,
    detectors: new Map(detectors.map((d) => [d.id, d])),
    verification: createVerificationRunner(config.verification),
    transit,
    vault: config.encryptionKey ? new SealedBox(config.encryptionKey, 'vault') : undefined,
    notifier: overrides.notifier ?? new LogNotifier(logger),
    resolveIdentity: async () => null,
    autoRedact: (platform) => autoRedact.has('all') || autoRedact.has(platform),
    revocation: {
      dryRun: config.revocation.dryRun,
      modeFor: (finding) => revocationModeFor(config.revocation, finding),
    },
    events: new HookEvents(handle.db, boss, config.hooks),
    allowlist: cachedAllowlist(handle.db),
    logger,
    now,
    reverify: config.reverify,
  };
  // A process that runs the pipeline scans small documents as they arrive; one that only takes them in queues them.
  const sink = createDocumentSink(boss, transit, now, roles.workers ? { inline: inlineScan(ctx) } : {});
  const integrationDeps: IntegrationDeps = {
    db: handle.db,
    boss,
    sink,
    scanner,
    detectors: ctx.detectors,
    logger,
    now,
    notifier: () => ctx.notifier,
    revocation: { policy: ctx.revocation, transit, vault: ctx.vault, events: ctx.events },
  };
  const integrations = (overrides.integrations ?? ((deps) => createIntegrations(config.integrations, deps)))(
    integrationDeps,
  );
  // The first integration that can reach people delivers owner notices (Slack before Teams).
  const chatNotifier = integrations.find((i) => i.notifier)?.notifier;
  if (!overrides.notifier && chatNotifier) ctx.notifier = chatNotifier;
  const byPlatform = new Map(integrations.map((i) => [i.platform, i]));
  for (const i of integrations) if (i.autoRedact) autoRedact.add(i.platform);
  ctx.resolveIdentity = async (identity) =>
    (await byPlatform.get(identity.platform)?.resolveIdentity?.(identity)) ?? null;
  const integrationQueues = Object.assign({}, ...integrations.map((i) => i.queues ?? {})) as Record<
    string,
    (data: unknown) => Promise<unknown>
  >;
  await ensureQueues(
    boss,
    Object.keys(integrationQueues),
    Object.assign({}, ...integrations.map((i) => i.queueOptions ?? {})),
  );

  if (!ctx.vault)
    logger.info(
      'LEAKWATCH_ENCRYPTION_KEY is not set: secrets are not kept, re-verification of rotated credentials is off',
    );

  if (roles.workers) {
    await startWorkers(
      ctx,
      metrics,
      {
        concurrency: config.workerConcurrency,
        batchSize: config.workerBatchSize,
        verifyNotifyBatchSize: config.verifyNotifyBatchSize,
        pollingIntervalSeconds: config.pollIntervalSeconds,
      },
      {
        [QUEUES.hook]: (data) => handleHook(ctx, config.hooks, data as HookJob, 0),
        [QUEUES.redact]: (data) => handleRedact(ctx, byPlatform, data as RedactJob),
        ...integrationQueues,
      },
    );
    for (const integration of integrations) {
      for (const { queue, cron, data } of integration.schedules ?? []) await boss.schedule(queue, cron, data ?? null);
    }
  }

  const app = createApp({
    db: handle.db,
    boss,
    transit: ctx.transit,
    logger,
    metrics: metrics.registry,
    integrationRoutes: integrations.flatMap((i) => (i.routes ? [i.routes] : [])),
    maxDocumentBytes: config.maxDocumentBytes,
    now,
    sink,
    vault: ctx.vault,
    revocationPolicy: config.revocation,
    detectors: ctx.detectors,
    events: ctx.events,
    scanner,
    sessions: new SealedBox(fingerprintKey, 'dashboard-session'),
    trustProxy: config.trustProxy,
    ready: async () => {
      await sql`select 1`.execute(handle.db);
      return true;
    },
  });

  let server: ServerType | undefined;
  let port: number | undefined;
  if (roles.http) {
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
        port = info.port;
        resolve();
      });
    });
    logger.info({ port, host: config.host }, 'leakwatch is listening');
  }
  // After the HTTP server listens: starting may ask a platform to call our webhook back (Graph validation).
  if (roles.workers) for (const integration of integrations) await integration.start?.();

  return {
    ctx,
    handle,
    sink,
    integrations,
    app,
    get port() {
      return port;
    },
    async stop() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const integration of integrations) await integration.stop?.();
      await boss.stop({ graceful: true, timeout: 20_000, close: true });
      if (!overrides.handle) await handle.close();
    },
  };
}
