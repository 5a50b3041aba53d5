import { Hono } from 'hono';
import { QUEUES } from '../jobs/queues.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { requireScope } from './require-scope.ts';

/** Fields of a job payload that are safe to show: references and ids, never sealed values or text. */
function describePayload(data: unknown): Record<string, unknown> {
  if (data === null || typeof data !== 'object') return {};
  const d = data as Record<string, unknown>;
  return {
    ...(d.findingId ? { findingId: d.findingId } : {}),
    ...(d.deliveryId ? { deliveryId: d.deliveryId } : {}),
    ...(d.ref ? { ref: d.ref } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
  };
}

/** `GET /api/v1/jobs/dead-letter` (scope `admin`): jobs that exhausted their retries. */
export function jobsRoutes(ctx: ApiContext) {
  return new Hono<ApiEnv>().get('/dead-letter', requireScope(ctx, 'admin'), async (c) => {
    const jobs = await ctx.boss.findJobs(QUEUES.deadLetter);
    return c.json({
      jobs: jobs.slice(0, 500).map((job) => ({
        id: job.id,
        state: job.state,
        createdOn: job.createdOn,
        payload: describePayload(job.data),
      })),
    });
  });
}
