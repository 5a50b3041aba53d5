import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { writeAudit } from '../db/audit-repository.ts';
import { QUEUES } from '../jobs/queues.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { jobDb } from './job-db.ts';
import { IdParams, Timestamp, createRouter, errorResponses, iso, jsonResponse, secured } from './openapi-router.ts';
import { actorOf } from './require-scope.ts';
import { scrubText } from './scrub-text.ts';

/** Fields of a job payload that are safe to show: references and ids, never sealed values or text. */
function describePayload(data: unknown): Record<string, unknown> {
  if (data === null || typeof data !== 'object') return {};
  const d = data as Record<string, unknown>;
  if (Array.isArray(d.batch)) {
    // Several findings' items queued as one job: their ids, never their sealed values.
    const items = d.batch.map(describePayload);
    return { findingIds: items.flatMap((i) => (i.findingId ? [i.findingId] : [])) };
  }
  return {
    ...(d.findingId ? { findingId: d.findingId } : {}),
    ...(d.deliveryId ? { deliveryId: d.deliveryId } : {}),
    ...(d.ref ? { ref: d.ref } : {}),
    ...(d.reason ? { reason: d.reason } : {}),
  };
}

/** The failure message a job left (pg-boss stores the thrown error as its output), scrubbed. */
function failureOf(ctx: ApiContext, output: unknown): string | null {
  if (output === null || typeof output !== 'object') return null;
  const message = (output as Record<string, unknown>).message;
  return typeof message === 'string' ? scrubText(ctx, message) : null;
}

const DeadJobSchema = z
  .object({
    id: z.string(),
    queue: z.string().nullable().openapi({ description: 'The queue it failed on (null: unknown, cannot be retried)' }),
    state: z.string(),
    createdOn: Timestamp,
    retries: z.number().int().nullable(),
    error: z.string().nullable(),
    payload: z.record(z.string(), z.unknown()),
  })
  .openapi('DeadLetterJob');
export type DeadJob = z.infer<typeof DeadJobSchema>;

export async function deadLetterJobs(ctx: ApiContext, limit = 500): Promise<DeadJob[]> {
  const jobs = await ctx.boss.findJobs(QUEUES.deadLetter, { limit });
  return jobs.map((job) => ({
    id: job.id,
    queue: job.sourceName ?? null,
    state: job.state,
    createdOn: iso(job.createdOn),
    retries: job.sourceRetryCount ?? null,
    error: failureOf(ctx, job.sourceOutput ?? null),
    payload: describePayload(job.data),
  }));
}

/**
 * Moves a dead-lettered job back to the queue it failed on (fresh retries),
 * audited in the same transaction as the move.
 */
export async function retryDeadLetterJob(ctx: ApiContext, actor: string, id: string): Promise<string> {
  const [job] = await ctx.boss.findJobs(QUEUES.deadLetter, { id });
  if (!job) throw new ApiError(404, 'not_found', `no dead-lettered job ${id}`);
  if (!job.sourceName) throw new ApiError(409, 'not_retryable', 'the job has no recorded source queue to go back to');
  return ctx.db.transaction().execute(async (trx) => {
    const moved = await ctx.boss.redrive(QUEUES.deadLetter, { ids: [id], db: jobDb(trx) });
    if (moved === 0) throw new ApiError(409, 'not_retryable', 'the job is no longer waiting in the dead-letter queue');
    await writeAudit(trx, {
      actor,
      action: 'job.retried',
      targetType: 'job',
      targetId: id,
      details: { queue: job.sourceName, ...describePayload(job.data) },
    });
    return job.sourceName!;
  });
}

/** `/api/v1/jobs/dead-letter` (scope `admin`): jobs that exhausted their retries, and retrying them. */
export function jobsRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  const admin = secured(ctx, 'admin');
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/dead-letter',
        tags: ['operations'],
        summary: 'Dead-lettered jobs (payloads without sealed values)',
        ...admin,
        responses: { 200: jsonResponse(z.object({ jobs: z.array(DeadJobSchema) }), 'Jobs'), ...errorResponses() },
      }),
      async (c) => c.json({ jobs: await deadLetterJobs(ctx) }, 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/dead-letter/{id}/retry',
        tags: ['operations'],
        summary: 'Retry a dead-lettered job on the queue it failed on',
        ...admin,
        request: { params: IdParams },
        responses: {
          202: jsonResponse(z.object({ queue: z.string() }), 'Moved back to its queue'),
          ...errorResponses(404, 409),
        },
      }),
      async (c) => {
        const queue = await retryDeadLetterJob(ctx, actorOf(c.get('apiKey')), c.req.valid('param').id);
        return c.json({ queue }, 202);
      },
    );
}
