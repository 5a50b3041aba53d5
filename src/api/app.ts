import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { apiV1 } from './api-v1.ts';
import { dashboardRoutes } from './dashboard/dashboard-routes.ts';

const HTTP_ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/**
 * The HTTP surface: admin API under `/api/v1` (OpenAPI at
 * `/api/v1/openapi.json`), the dashboard at `/`, integrations' webhooks,
 * health and metrics. Every API error leaves as `{ error: { code, message,
 * requestId } }`; unexpected ones are logged and answered with a generic 500
 * that reveals nothing.
 */
export function createApp(ctx: ApiContext) {
  const app = new Hono<ApiEnv>();
  app.use(async (c, next) => {
    c.set('requestId', randomUUID());
    await next();
  });
  app.use('/api/*', async (c, next) => {
    await next();
    // API answers are per-key and may describe findings: never cache them, never sniff them.
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const ready = await ctx.ready().catch(() => false);
    return c.json({ ready }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.text(await ctx.metrics.metrics(), 200, { 'content-type': ctx.metrics.contentType }),
  );

  app.route('/api/v1', apiV1(ctx));
  for (const routes of ctx.integrationRoutes ?? []) app.route('/', routes);
  app.route('/', dashboardRoutes(ctx));

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
      const code = HTTP_ERROR_CODES[error.status] ?? 'http_error';
      return c.json({ error: { code, message: error.message, requestId } }, error.status);
    }
    ctx.logger.error({ err: error, requestId }, 'unhandled API error');
    return c.json({ error: { code: 'internal', message: 'internal error', requestId } }, 500);
  });
  return app;
}
