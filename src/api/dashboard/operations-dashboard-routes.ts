import type { Hono } from 'hono';
import type { ApiContext } from '../api-context.ts';
import { ApiError } from '../api-error.ts';
import { type DashboardEnv, type DashboardKit, definedOnly, withQuery } from './dashboard-kit.ts';
import { listHookDeliveries } from '../../db/hook-deliveries-queries.ts';
import { AuditQuery, queryAudit } from '../audit-routes.ts';
import { connectorHealth } from '../connectors-routes.ts';
import { deadLetterJobs, retryDeadLetterJob } from '../jobs-routes.ts';
import { validationError } from '../openapi-router.ts';
import { auditPage, type AuditFilterForm } from './pages/audit-page.ts';
import { connectorsPage } from './pages/connectors-page.ts';

/** Admin pages: connector health with dead-lettered jobs and hook deliveries, and the audit log. */
export function operationsDashboardRoutes(app: Hono<DashboardEnv>, ctx: ApiContext, kit: DashboardKit): void {
  const { signedIn, need, render, done, actor, uuidParam } = kit;
  app.get('/connectors', signedIn, async (c) => {
    need(c, 'admin');
    const [health, deadJobs, failed, pending] = await Promise.all([
      connectorHealth(ctx),
      deadLetterJobs(ctx, 100),
      listHookDeliveries(ctx.db, { status: 'failed', limit: 50 }),
      listHookDeliveries(ctx.db, { status: 'pending', limit: 50 }),
    ]);
    const stuck = pending.deliveries.filter((d) => d.attempts > 0);
    return render(
      c,
      'connectors',
      'Connectors and jobs',
      connectorsPage({
        viewer: c.get('viewer'),
        health,
        deadJobs,
        deliveries: [...failed.deliveries, ...stuck].map((d) => ({
          hook: d.hook,
          event: d.event,
          status: d.status,
          attempts: d.attempts,
          lastStatusCode: d.last_status_code,
          lastError: d.last_error,
          createdAt: d.created_at.toISOString(),
        })),
      }),
    );
  });

  app.post('/jobs/:id/retry', signedIn, async (c) => {
    need(c, 'admin');
    c.set('back', '/connectors');
    const queue = await retryDeadLetterJob(ctx, actor(c), uuidParam(c));
    return done(c, `Job moved back to the ${queue} queue.`, '/connectors');
  });

  app.get('/audit', signedIn, async (c) => {
    need(c, 'admin');
    const q = c.req.query();
    const filters: AuditFilterForm = definedOnly({
      actor: q.actor?.trim() || undefined,
      action: q.action?.trim() || undefined,
      targetType: q.targetType?.trim() || undefined,
      targetId: q.targetId?.trim() || undefined,
    });
    const parsed = AuditQuery.safeParse({ ...filters, limit: 100, ...(q.cursor ? { cursor: q.cursor } : {}) });
    if (!parsed.success) throw new ApiError(400, 'invalid_request', validationError(parsed.error).message);
    const result = await queryAudit(ctx, parsed.data);
    return render(
      c,
      'audit',
      'Audit log',
      auditPage({
        filters,
        entries: result.entries,
        nextPage: result.nextCursor ? withQuery('/audit', { ...filters, cursor: result.nextCursor }) : undefined,
      }),
    );
  });
}
