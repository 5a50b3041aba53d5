import type { Metrics } from '../metrics.ts';
import { handleNoticeRefresh } from './notice-refresh-worker.ts';
import { handleNotifyBatch } from './notify-worker.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { jobHandlers, type BatchHandler } from './job-handlers.ts';
import {
  QUEUES,
  type NoticeRefreshJob,
  type NotifyJob,
  type RevokeJob,
  type ScanJob,
  type VerifyJob,
} from './queues.ts';
import { handleReverifyDue } from './reverify-worker.ts';
import { handleRevoke } from './revoke-worker.ts';
import { handleScanBatch } from './scan-worker.ts';
import { handleVerifyBatch } from './verify-worker.ts';

export interface WorkerOptions {
  /** Workers per queue in this process. */
  concurrency: number;
  /** Jobs each worker fetches (and handles in parallel) at once. */
  batchSize: number;
  /**
   * Jobs a verify or notify worker fetches at once. Their batches cost a fixed
   * number of statements whatever their size, so under load larger batches
   * mean fewer statements per finding; with little traffic batches stay small.
   */
  verifyNotifyBatchSize: number;
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
  const { batched, eachOnItsOwn } = jobHandlers({ boss: ctx.boss, logger: ctx.logger, metrics });

  const handlers: Record<string, BatchHandler> = {
    [QUEUES.scan]: batched(QUEUES.scan, (data) => handleScanBatch(ctx, data as ScanJob[])),
    [QUEUES.verify]: batched(QUEUES.verify, async (data) => {
      const results = await handleVerifyBatch(ctx, data as VerifyJob[]);
      for (const r of results) if (r) metrics.verifications.inc({ liveness: r.liveness });
      return results.map((r) => (r ? { liveness: r.liveness } : null));
    }),
    [QUEUES.notify]: batched(QUEUES.notify, (data, jobIds) => handleNotifyBatch(ctx, data as NotifyJob[], jobIds)),
    [QUEUES.noticeRefresh]: eachOnItsOwn(QUEUES.noticeRefresh, (d) => handleNoticeRefresh(ctx, d as NoticeRefreshJob)),
    [QUEUES.revoke]: eachOnItsOwn(QUEUES.revoke, (d) => handleRevoke(ctx, d as RevokeJob)),
    [QUEUES.reverify]: eachOnItsOwn(QUEUES.reverify, () => handleReverifyDue(ctx)),
    ...Object.fromEntries(Object.entries(extra).map(([queue, handle]) => [queue, eachOnItsOwn(queue, handle)])),
  };
  for (const [queue, handle] of Object.entries(handlers)) {
    await ctx.boss.work(
      queue,
      {
        // Fetch several jobs at once and keep fetching while batches come back full;
        // each job is settled on its own, so one failure retries only that job.
        batchSize:
          queue === QUEUES.verify || queue === QUEUES.notify ? options.verifyNotifyBatchSize : options.batchSize,
        perJobResults: true,
        burstWhenBatchFull: true,
        localConcurrency: options.concurrency,
        pollingIntervalSeconds: options.pollingIntervalSeconds,
        notifyPollingIntervalSeconds: 10,
      },
      handle,
    );
  }
  // Remediated findings are re-checked every minute until dead (or escalated).
  await ctx.boss.schedule(QUEUES.reverify, '* * * * *');
}
