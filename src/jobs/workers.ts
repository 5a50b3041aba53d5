import type { Metrics } from '../metrics.ts';
import { handleNotify } from './notify-worker.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, type NotifyJob, type RecordJob, type RevokeJob, type ScanJob, type VerifyJob } from './queues.ts';
import { handleRecord } from './record-worker.ts';
import { handleReverifyDue } from './reverify-worker.ts';
import { handleRevoke } from './revoke-worker.ts';
import { handleScan } from './scan-worker.ts';
import { handleVerify } from './verify-worker.ts';

export interface WorkerOptions {
  /** Workers per queue in this process. */
  concurrency: number;
  /** Jobs each worker fetches (and handles in parallel) at once. */
  batchSize: number;
  pollingIntervalSeconds: number;
}

/**
 * Subscribes this process to every pipeline queue. A handler that throws gets
 * its job retried with backoff by pg-boss, then dead-lettered; handlers are
 * idempotent, so a retry after a crash repeats no effect.
 */
export async function startWorkers(
  ctx: PipelineContext,
  metrics: Metrics,
  options: WorkerOptions,
  extra: Record<string, (data: unknown) => Promise<unknown>> = {},
): Promise<void> {
  const handlers: Record<string, (data: unknown) => Promise<unknown>> = {
    [QUEUES.scan]: async (d) => {
      const out = await handleScan(ctx, d as ScanJob);
      return out;
    },
    [QUEUES.record]: (d) => handleRecord(ctx, d as RecordJob),
    [QUEUES.verify]: async (d) => {
      const result = await handleVerify(ctx, d as VerifyJob);
      if (result) metrics.verifications.inc({ liveness: result.liveness });
      return result ? { liveness: result.liveness } : null;
    },
    [QUEUES.notify]: (d) => handleNotify(ctx, d as NotifyJob),
    [QUEUES.revoke]: (d) => handleRevoke(ctx, d as RevokeJob),
    [QUEUES.reverify]: () => handleReverifyDue(ctx),
    ...extra,
  };
  for (const [queue, handle] of Object.entries(handlers)) {
    await ctx.boss.work(
      queue,
      {
        // Fetch several jobs at once and keep fetching while batches come back full;
        // each job is settled on its own, so one failure retries only that job.
        batchSize: options.batchSize,
        perJobResults: true,
        burstWhenBatchFull: true,
        localConcurrency: options.concurrency,
        pollingIntervalSeconds: options.pollingIntervalSeconds,
        notifyPollingIntervalSeconds: 10,
      },
      async (jobs) =>
        Promise.all(
          jobs.map(async (job) => {
            const stop = metrics.jobSeconds.startTimer({ queue });
            try {
              const output = await handle(job.data);
              metrics.jobs.inc({ queue, outcome: 'completed' });
              return { id: job.id, status: 'completed' as const, output };
            } catch (error) {
              metrics.jobs.inc({ queue, outcome: 'failed' });
              ctx.logger.warn({ queue, jobId: job.id, err: error }, 'job failed; pg-boss will retry it');
              return { id: job.id, status: 'failed' as const, output: { message: (error as Error).message } };
            } finally {
              stop();
            }
          }),
        ),
    );
  }
  // Remediated findings are re-checked every minute until dead (or escalated).
  await ctx.boss.schedule(QUEUES.reverify, '* * * * *');
}
