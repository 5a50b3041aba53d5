import type { Job } from 'pg-boss';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { createMetrics } from '../metrics.ts';
import { jobHandlers } from './job-handlers.ts';
import { QUEUES, findingJobs, type NotifyJob } from './queues.ts';
import { useJobQueueBed } from '../../test/job-queue-bed.ts';

const bed = useJobQueueBed();
const logs: string[] = [];

beforeEach(async () => {
  await bed.boss.deleteQueuedJobs(QUEUES.notify);
});

const handlers = () =>
  jobHandlers({
    boss: bed.boss,
    logger: createLogger({ level: 'warn', write: (line) => logs.push(line) }),
    metrics: createMetrics(),
  });

/** Queues `items` as `findingJobs` would, and fetches them back as a worker would. */
async function queuedJobs(items: NotifyJob[]): Promise<Job<unknown>[]> {
  await bed.boss.insert(QUEUES.notify, findingJobs(items));
  return (await bed.boss.fetch(QUEUES.notify, { batchSize: 100 })) as Job<unknown>[];
}

const ids = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    findingId: `00000000-0000-4000-8000-${prefix}${String(i).padStart(4, '0')}`,
  }));

describe('batched job handler', () => {
  it('hands every item of a batched job to the handler and completes the job with their outputs', async () => {
    const items = ids(3, '000000');
    const jobs = await queuedJobs(items);
    expect(jobs).toHaveLength(1);
    const seen: unknown[] = [];
    const results = await handlers().batched(QUEUES.notify, async (data) => {
      seen.push(...data);
      return data.map((d) => `told ${(d as NotifyJob).findingId.slice(-4)}`);
    })(jobs);
    expect(seen).toEqual(items);
    expect(results).toEqual([
      { id: jobs[0]!.id, status: 'completed', output: ['told 0000', 'told 0001', 'told 0002'] },
    ]);
  });

  it('completes a batch with a failed item and queues that item again as a job of its own', async () => {
    const items = ids(3, '000001');
    const jobs = await queuedJobs(items);
    const results = await handlers().batched(QUEUES.notify, async (data) =>
      data.map((d) => ((d as NotifyJob).findingId === items[1]!.findingId ? new Error('Slack said no') : 'sent')),
    )(jobs);
    expect(results).toEqual([{ id: jobs[0]!.id, status: 'completed', output: { retriedOnTheirOwn: 1 } }]);
    // The failed item is back as a plain job keyed by its finding: its own retries, its own dead letter.
    const requeued = await bed.boss.findJobs<NotifyJob>(QUEUES.notify, { queued: true });
    expect(requeued.map((j) => j.data)).toEqual([items[1]]);
    expect(requeued[0]!.singletonKey).toBe(items[1]!.findingId);
  });

  it('fails a plain job whose item failed, leaving it to pg-boss to retry', async () => {
    const [item] = ids(1, '000002');
    const jobs = await queuedJobs([item!]);
    expect(jobs[0]!.data).toEqual(item);
    const results = await handlers().batched(QUEUES.notify, async () => [new Error('Slack said no')])(jobs);
    expect(results).toEqual([{ id: jobs[0]!.id, status: 'failed', output: { message: 'Slack said no' } }]);
    expect(await bed.boss.findJobs(QUEUES.notify, { queued: true })).toHaveLength(0);
  });

  it('gives each fetched job the outputs of its own items when plain and batched jobs arrive together', async () => {
    const plain = ids(1, '000003');
    const batch = ids(2, '000004');
    await bed.boss.insert(QUEUES.notify, findingJobs(plain));
    await bed.boss.insert(QUEUES.notify, findingJobs(batch));
    const jobs = (await bed.boss.fetch(QUEUES.notify, { batchSize: 10 })) as Job<unknown>[];
    expect(jobs).toHaveLength(2);
    const runsUnder = new Map<string, string>();
    const results = await handlers().batched(QUEUES.notify, async (data, jobIds) => {
      data.forEach((d, i) => runsUnder.set((d as NotifyJob).findingId, jobIds[i]!));
      return data.map((d) => (d as NotifyJob).findingId.slice(-4));
    })(jobs);
    const byJob = new Map(results.map((r) => [r.id, r.output]));
    for (const job of jobs) {
      const expected = 'batch' in (job.data as object) ? ['0000', '0001'] : '0000';
      expect(byJob.get(job.id)).toEqual(expected);
    }
    // Each item runs under its own job's id (notices are claimed for it).
    const batchJob = jobs.find((j) => 'batch' in (j.data as object))!;
    const plainJob = jobs.find((j) => j !== batchJob)!;
    expect(Object.fromEntries(runsUnder)).toEqual({
      [plain[0]!.findingId]: plainJob.id,
      [batch[0]!.findingId]: batchJob.id,
      [batch[1]!.findingId]: batchJob.id,
    });
  });

  it('retries each job on its own when the whole batch throws', async () => {
    const good = ids(2, '000005');
    const bad = ids(1, '000006');
    await bed.boss.insert(QUEUES.notify, findingJobs(good));
    await bed.boss.insert(QUEUES.notify, findingJobs(bad));
    const jobs = (await bed.boss.fetch(QUEUES.notify, { batchSize: 10 })) as Job<unknown>[];
    const calls: string[][] = [];
    const results = await handlers().batched(QUEUES.notify, async (data, jobIds) => {
      calls.push(jobIds);
      if (data.some((d) => (d as NotifyJob).findingId === bad[0]!.findingId)) throw new Error('database said no');
      return data.map(() => 'sent');
    })(jobs);
    const status = new Map(results.map((r) => [r.id, r.status]));
    for (const job of jobs) {
      expect(status.get(job.id)).toBe('batch' in (job.data as object) ? 'completed' : 'failed');
    }
    // Run again on its own, each job's items still run under that job's id.
    const batchJob = jobs.find((j) => 'batch' in (j.data as object))!;
    const plainJob = jobs.find((j) => j !== batchJob)!;
    expect(calls.slice(1).sort((a, b) => a.length - b.length)).toEqual([[plainJob.id], [batchJob.id, batchJob.id]]);
  });
});
