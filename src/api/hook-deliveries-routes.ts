import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { listHookDeliveries } from '../db/hook-deliveries-queries.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { Timestamp, createRouter, errorResponses, iso, jsonResponse, secured } from './openapi-router.ts';
import { UUID_PATTERN, decodeCursor, encodeCursor, isTimestamp } from './page-cursor.ts';
import { scrubText } from './scrub-text.ts';

const DeliverySchema = z
  .object({
    id: z.string(),
    hook: z.string(),
    event: z.string(),
    eventId: z.string(),
    findingId: z.string().nullable(),
    status: z.string().openapi({ description: 'pending, delivered or failed' }),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deliveredAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi('HookDelivery');

/** `GET /api/v1/hook-deliveries` (scope `admin`): what outbound hooks were sent, and how it went. */
export function hookDeliveriesRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['operations'],
      summary: 'Outbound hook deliveries',
      ...secured(ctx, 'admin'),
      request: {
        query: z.object({
          hook: z.string().max(100).optional(),
          status: z.enum(['pending', 'delivered', 'failed']).optional(),
          findingId: z.uuid().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(400).optional(),
        }),
      },
      responses: {
        200: jsonResponse(
          z.object({ deliveries: z.array(DeliverySchema), nextCursor: z.string().nullable() }),
          'A page of deliveries',
        ),
        ...errorResponses(),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const after = q.cursor
        ? decodeCursor(q.cursor, ['t', 'i'], (p) => isTimestamp(p.t) && UUID_PATTERN.test(p.i))
        : undefined;
      const { deliveries, more } = await listHookDeliveries(ctx.db, {
        limit: q.limit,
        ...(q.hook ? { hook: q.hook } : {}),
        ...(q.status ? { status: q.status } : {}),
        ...(q.findingId ? { findingId: q.findingId } : {}),
        ...(after ? { after: { createdAt: after.t, id: after.i } } : {}),
      });
      const last = deliveries[deliveries.length - 1];
      return c.json(
        {
          deliveries: deliveries.map((d) => ({
            id: d.id,
            hook: d.hook,
            event: d.event,
            eventId: d.event_id,
            findingId: d.finding_id,
            status: d.status,
            attempts: d.attempts,
            lastStatusCode: d.last_status_code,
            lastError: scrubText(ctx, d.last_error),
            deliveredAt: iso(d.delivered_at),
            createdAt: iso(d.created_at),
          })),
          nextCursor: more && last ? encodeCursor({ t: last.position_at, i: last.id }) : null,
        },
        200,
      );
    },
  );
}
