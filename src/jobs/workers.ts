import type { Job } from 'pg-boss';
import type { Metrics } from '../metrics.ts';
import { handleNotifyBatch } from './notify-worker.ts';
import type { PipelineContext } from './pipeline-context.ts';
import { QUEUES, isJobBatch, unbatch, type NotifyJob, type RevokeJob, type ScanJob, type VerifyJob } from './queues.ts';
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

type JobResult = { id: string; status: 'completed' | 'failed'; output: unknown };
/** Handles a fetched batch and settles each job on its own. */
type BatchHandler = (jobs: Job<unknown>[]) => Promise<JobResult[]>;

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
  const one = (queue: string, handle: (data: unknown) => Promise<unknown>) => async (job: Job<unknown>) => {
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
  };
  const eachOnItsOwn =
    (queue: string, handle: (data: unknown) => Promise<unknown>): BatchHandler =>
    (jobs) =>
      Promise.all(jobs.map(one(queue, handle)));

  /**
   * A fetched batch shares its reads, writes and transaction. A job may itself
   * carry several findings' items (`JobBatch`); the handler sees every item
   * as a job of its own. An error the handler returns for one item fails only
   * that item: a plain job fails (pg-boss retries it), a batched job completes
   * and its failed items are queued again as jobs of their own, so one bad
   * item is retried and dead-lettered alone. If the whole batch throws, each
   * job is retried on its own so the others still complete.
   */
  const batched =
    (queue: string, handleBatch: (data: unknown[]) => Promise<unknown[]>): BatchHandler =>
    async (jobs) => {
      const stop = metrics.jobSeconds.startTimer({ queue });
      const items = jobs.map((job) => unbatch(job.data));
      try {
        const outputs = await handleBatch(items.flat());
        const results: JobResult[] = [];
        let next = 0;
        for (const [i, job] of jobs.entries()) {
          const own = outputs.slice(next, (next += items[i]!.length));
          const failed = own.flatMap((output, k) => (output instanceof Error ? [{ item: items[i]![k], output }] : []));
          if (own.length > failed.length) metrics.jobs.inc({ queue, outcome: 'completed' }, own.length - failed.length);
          if (failed.length === 0) {
            results.push({ id: job.id, status: 'completed', output: isJobBatch(job.data) ? own : own[0] });
            continue;
          }
          metrics.jobs.inc({ queue, outcome: 'failed' }, failed.length);
          for (const { output } of failed) {
            ctx.logger.warn({ queue, jobId: job.id, err: output }, 'job failed; pg-boss will retry it');
          }
          if (!isJobBatch(job.data)) {
            results.push({ id: job.id, status: 'failed', output: { message: failed[0]!.output.message } });
            continue;
          }
          await ctx.boss.insert(
            queue,
            failed.map(({ item }) => ({
              data: item as object,
              singletonKey: (item as { findingId?: string }).findingId,
            })),
          );
          results.push({ id: job.id, status: 'completed', output: { retriedOnTheirOwn: failed.length } });
        }
        return results;
      } catch (error) {
        if (jobs.length > 1) {
          return eachOnItsOwn(queue, async (d) => {
            const outputs = await handleBatch(unbatch(d));
            const failure = outputs.find((o) => o instanceof Error);
            if (failure) throw failure;
            return isJobBatch(d) ? outputs : outputs[0];
          })(jobs);
        }
        metrics.jobs.inc({ queue, outcome: 'failed' });
        ctx.logger.warn({ queue, jobId: jobs[0]?.id, err: error }, 'job failed; pg-boss will retry it');
        return jobs.map((job) => ({
          id: job.id,
          status: 'failed' as const,
          output: { message: (error as Error).message },
        }));
      } finally {
        stop();
      }
    };

  const handlers: Record<string, BatchHandler> = {
    [QUEUES.scan]: batched(QUEUES.scan, (data) => handleScanBatch(ctx, data as ScanJob[])),
    [QUEUES.verify]: batched(QUEUES.verify, async (data) => {
      const results = await handleVerifyBatch(ctx, data as VerifyJob[]);
      for (const r of results) if (r) metrics.verifications.inc({ liveness: r.liveness });
      return results.map((r) => (r ? { liveness: r.liveness } : null));
    }),
    [QUEUES.notify]: batched(QUEUES.notify, (data) => handleNotifyBatch(ctx, data as NotifyJob[])),
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
