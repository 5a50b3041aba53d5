import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { queryAuditLog } from '../db/audit-queries.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { Timestamp, createRouter, errorResponses, iso, jsonResponse, secured } from './openapi-router.ts';
import { decodeCursor, encodeCursor } from './page-cursor.ts';

export const AuditQuery = z.object({
  actor: z.string().max(200).optional().openapi({ example: 'api-key:triage-bot' }),
  action: z
    .string()
    .max(100)
    .optional()
    .openapi({ description: 'Exact action, or a prefix ending in "." (finding.)', example: 'finding.' }),
  targetType: z.string().max(50).optional().openapi({ example: 'finding' }),
  targetId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(100).optional(),
});

const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: Timestamp,
    actor: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('AuditEntry');

export async function queryAudit(ctx: ApiContext, q: z.infer<typeof AuditQuery>) {
  const beforeId = q.cursor ? decodeCursor(q.cursor, ['b'], (p) => /^\d{1,19}$/.test(p.b)).b : undefined;
  const { entries, more } = await queryAuditLog(
    ctx.db,
    {
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.targetType ? { targetType: q.targetType } : {}),
      ...(q.targetId ? { targetId: q.targetId } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
    },
    { limit: q.limit, ...(beforeId ? { beforeId } : {}) },
  );
  const last = entries[entries.length - 1];
  return {
    entries: entries.map((e) => ({
      id: String(e.id),
      at: iso(e.at),
      actor: e.actor,
      action: e.action,
      targetType: e.target_type,
      targetId: e.target_id,
      details: e.details !== null && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : null,
    })),
    nextCursor: more && last ? encodeCursor({ b: String(last.id) }) : null,
  };
}

/** `GET /api/v1/audit` (scope `admin`): who did what, newest first. */
export function auditRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  return createRouter().openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['operations'],
      summary: 'Query the audit log',
      ...secured(ctx, 'admin'),
      request: { query: AuditQuery },
      responses: {
        200: jsonResponse(
          z.object({ entries: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }),
          'A page of audit entries',
        ),
        ...errorResponses(),
      },
    }),
    async (c) => c.json(await queryAudit(ctx, c.req.valid('query')), 200),
  );
}
