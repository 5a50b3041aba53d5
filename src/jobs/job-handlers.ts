import type { Job, PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { isJobBatch, unbatch } from './queues.ts';

type JobResult = { id: string; status: 'completed' | 'failed'; output: unknown };
/** Handles a fetched batch and settles each job on its own (pg-boss `perJobResults`). */
export type BatchHandler = (jobs: Job<unknown>[]) => Promise<JobResult[]>;

/** Handles one job's data (the job itself is there for its id). */
type OneHandler = (data: unknown, job: Job<unknown>) => Promise<unknown>;

export interface JobHandlerDeps {
  boss: PgBoss;
  logger: Logger;
  metrics: Pick<Metrics, 'jobs' | 'jobSeconds'>;
}

/**
 * How fetched jobs are handled and settled: `eachOnItsOwn` for jobs that act
 * on outside services one by one, `batched` for stages that share reads,
 * writes and a transaction across a batch. A handler that throws gets its job
 * retried with backoff by pg-boss, then dead-lettered.
 */
export function jobHandlers(deps: JobHandlerDeps) {
  const one = (queue: string, handle: OneHandler) => async (job: Job<unknown>) => {
    const stop = deps.metrics.jobSeconds.startTimer({ queue });
    try {
      const output = await handle(job.data, job);
      deps.metrics.jobs.inc({ queue, outcome: 'completed' });
      return { id: job.id, status: 'completed' as const, output };
    } catch (error) {
      deps.metrics.jobs.inc({ queue, outcome: 'failed' });
      deps.logger.warn({ queue, jobId: job.id, err: error }, 'job failed; pg-boss will retry it');
      return { id: job.id, status: 'failed' as const, output: { message: (error as Error).message } };
    } finally {
      stop();
    }
  };
  const eachOnItsOwn =
    (queue: string, handle: OneHandler): BatchHandler =>
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
    (queue: string, handleBatch: (data: unknown[], jobIds: string[]) => Promise<unknown[]>): BatchHandler =>
    async (jobs) => {
      const stop = deps.metrics.jobSeconds.startTimer({ queue });
      const items = jobs.map((job) => unbatch(job.data));
      try {
        const outputs = await handleBatch(
          items.flat(),
          jobs.flatMap((job, i) => items[i]!.map(() => job.id)),
        );
        const results: JobResult[] = [];
        let next = 0;
        for (const [i, job] of jobs.entries()) {
          const own = outputs.slice(next, (next += items[i]!.length));
          const failed = own.flatMap((output, k) => (output instanceof Error ? [{ item: items[i]![k], output }] : []));
          if (own.length > failed.length)
            deps.metrics.jobs.inc({ queue, outcome: 'completed' }, own.length - failed.length);
          if (failed.length === 0) {
            results.push({ id: job.id, status: 'completed', output: isJobBatch(job.data) ? own : own[0] });
            continue;
          }
          deps.metrics.jobs.inc({ queue, outcome: 'failed' }, failed.length);
          for (const { output } of failed) {
            deps.logger.warn({ queue, jobId: job.id, err: output }, 'job failed; pg-boss will retry it');
          }
          if (!isJobBatch(job.data)) {
            results.push({ id: job.id, status: 'failed', output: { message: failed[0]!.output.message } });
            continue;
          }
          await deps.boss.insert(
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
          return eachOnItsOwn(queue, async (d, job) => {
            const items = unbatch(d);
            const outputs = await handleBatch(
              items,
              items.map(() => job.id),
            );
            const failure = outputs.find((o) => o instanceof Error);
            if (failure) throw failure;
            return isJobBatch(d) ? outputs : outputs[0];
          })(jobs);
        }
        deps.metrics.jobs.inc({ queue, outcome: 'failed' });
        deps.logger.warn({ queue, jobId: jobs[0]?.id, err: error }, 'job failed; pg-boss will retry it');
        return jobs.map((job) => ({
          id: job.id,
          status: 'failed' as const,
          output: { message: (error as Error).message },
        }));
      } finally {
        stop();
      }
    };

  return { batched, eachOnItsOwn };
}
