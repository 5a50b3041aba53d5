import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { documentsRoutes } from './documents-routes.ts';
import { findingsRoutes } from './findings-routes.ts';
import { jobsRoutes } from './jobs-routes.ts';

/**
 * The HTTP surface: admin API under `/api/v1`, health and metrics. Every
 * error leaves as `{ error: { code, message, requestId } }`; unexpected ones
 * are logged and answered with a generic 500 that reveals nothing.
 */
export function createApp(ctx: ApiContext) {
  const app = new Hono<ApiEnv>();
  app.use(async (c, next) => {
    c.set('requestId', randomUUID());
    await next();
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const ready = await ctx.ready().catch(() => false);
    return c.json({ ready }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.text(await ctx.metrics.metrics(), 200, { 'content-type': ctx.metrics.contentType }),
  );

  app.route('/api/v1/documents', documentsRoutes(ctx));
  app.route('/api/v1/findings', findingsRoutes(ctx));
  app.route('/api/v1/jobs', jobsRoutes(ctx));
  for (const routes of ctx.integrationRoutes ?? []) app.route('/', routes);

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: 'no such route', requestId: c.get('requestId') } }, 404),
  );
  app.onError((error, c) => {
    const requestId = c.get('requestId');
    if (error instanceof ApiError) {
      return c.json(
        {
          error: {
            code: error.code,
            message: error.message,
            requestId,
            ...(error.field ? { field: error.field } : {}),
          },
        },
        error.status,
      );
    }
    if (error instanceof HTTPException) {
      return c.json({ error: { code: 'http_error', message: error.message, requestId } }, error.status);
    }
    ctx.logger.error({ err: error, requestId }, 'unhandled API error');
    return c.json({ error: { code: 'internal', message: 'internal error', requestId } }, 500);
  });
  return app;
}
