import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { findingCounts, openAndLiveByDay, timeToResolve } from '../db/stats-queries.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { createRouter, errorResponses, jsonResponse, secured } from './openapi-router.ts';

const Counts = z.record(z.string(), z.number().int());

export const StatsSchema = z
  .object({
    total: z.number().int(),
    byStatus: Counts,
    byLiveness: Counts,
    bySeverity: Counts,
    byDetector: Counts,
    byPlatform: Counts,
    timeToResolve: z.object({
      sinceDays: z.number().int(),
      resolvedCount: z.number().int(),
      meanSecondsToResolve: z.number().int().nullable().openapi({ description: 'MTTR' }),
      medianSecondsToResolve: z.number().int().nullable(),
      remediatedCount: z.number().int(),
      meanSecondsToRemediate: z.number().int().nullable(),
    }),
    timeline: z.array(z.object({ date: z.string(), open: z.number().int(), live: z.number().int() })),
  })
  .openapi('Stats');
export type Stats = z.infer<typeof StatsSchema>;

const StatsQuery = z.object({
  active: z
    .enum(['true', 'false'])
    .default('false')
    .openapi({ description: 'true: count only findings still needing action (status counts are always over all)' }),
  days: z.coerce.number().int().min(1).max(365).default(30).openapi({ description: 'Timeline and MTTR window' }),
});

export async function findingStats(ctx: ApiContext, query: { activeOnly: boolean; days: number }): Promise<Stats> {
  const now = ctx.now();
  const since = new Date(now.getTime() - query.days * 86_400_000);
  const [counts, ttr, timeline] = await Promise.all([
    findingCounts(ctx.db, { activeOnly: query.activeOnly }),
    timeToResolve(ctx.db, since),
    openAndLiveByDay(ctx.db, now, query.days),
  ]);
  return { ...counts, timeToResolve: { sinceDays: query.days, ...ttr }, timeline };
}

/** `GET /api/v1/stats` (scope `findings:read`): counts, MTTR, and open/live findings per day. */
export function statsRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['findings'],
      summary: 'Finding statistics',
      ...secured(ctx, 'findings:read'),
      request: { query: StatsQuery },
      responses: { 200: jsonResponse(StatsSchema, 'Statistics'), ...errorResponses() },
    }),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await findingStats(ctx, { activeOnly: q.active === 'true', days: q.days }), 200);
    },
  );
}
