import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listBackfillRuns, listConnectorCursors } from '../db/connectors-queries.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { Timestamp, createRouter, errorResponses, iso, jsonResponse, secured } from './openapi-router.ts';
import { scrubText } from './scrub-text.ts';

const ConnectorSchema = z
  .object({
    connector: z.string().openapi({ example: 'jira:acme.atlassian.net' }),
    cursor: z.string().nullable(),
    lastPolledAt: Timestamp.nullable(),
    lagSeconds: z.number().int().nullable().openapi({ description: 'Seconds since the last successful poll' }),
    lastError: z.string().nullable(),
    updatedAt: Timestamp,
  })
  .openapi('ConnectorStatus');

const BackfillSchema = z
  .object({
    id: z.string(),
    platform: z.string(),
    scope: z.unknown(),
    status: z.string().openapi({ description: 'running, paused (rate limited), done or failed' }),
    itemsDone: z.number().int(),
    documents: z.number().int(),
    error: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .openapi('BackfillRun');

export const ConnectorHealthSchema = z.object({
  connectors: z.array(ConnectorSchema),
  backfills: z.array(BackfillSchema),
});
export type ConnectorHealth = z.infer<typeof ConnectorHealthSchema>;

/** Poll cursors with their lag and last error, and backfill progress. */
export async function connectorHealth(ctx: ApiContext, platform?: string): Promise<ConnectorHealth> {
  const now = ctx.now().getTime();
  const [cursors, backfills] = await Promise.all([
    listConnectorCursors(ctx.db),
    listBackfillRuns(ctx.db, { limit: 100, ...(platform ? { platform } : {}) }),
  ]);
  return {
    connectors: cursors
      .filter((c) => !platform || c.connector === platform || c.connector.startsWith(`${platform}:`))
      .map((c) => ({
        connector: c.connector,
        cursor: c.cursor,
        lastPolledAt: iso(c.last_polled_at),
        lagSeconds: c.last_polled_at ? Math.max(0, Math.round((now - c.last_polled_at.getTime()) / 1000)) : null,
        lastError: scrubText(ctx, c.last_error),
        updatedAt: iso(c.updated_at),
      })),
    backfills: backfills.map((b) => ({
      id: b.id,
      platform: b.platform,
      scope: b.scope,
      status: b.status,
      itemsDone: b.items_done,
      documents: b.documents,
      error: scrubText(ctx, b.error),
      createdAt: iso(b.created_at),
      updatedAt: iso(b.updated_at),
      finishedAt: iso(b.finished_at),
    })),
  };
}

/** `GET /api/v1/connectors` (scope `admin`): is every connector keeping up? */
export function connectorsRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['operations'],
      summary: 'Connector health: poll cursors, lag, errors, backfill progress',
      ...secured(ctx, 'admin'),
      request: { query: z.object({ platform: z.string().max(64).optional() }) },
      responses: { 200: jsonResponse(ConnectorHealthSchema, 'Connector health'), ...errorResponses() },
    }),
    async (c) => c.json(await connectorHealth(ctx, c.req.valid('query').platform), 200),
  );
}
