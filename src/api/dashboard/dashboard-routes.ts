import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from '../body-limit.ts';
import { createMiddleware } from 'hono/factory';
import { writeAudit } from '../../db/audit-repository.ts';
import { SealedBox } from '../../findings/sealed-box.ts';
import { ApiError } from '../api-error.ts';
import type { ApiContext } from '../api-context.ts';
import { isHttps } from '../client-address.ts';
import { actorOf, authenticateApiKey, hasScope, recordKeyUse } from '../require-scope.ts';
import { allowlistDashboardRoutes } from './allowlist-dashboard-routes.ts';
import { createDashboardKit, readForm, text, type DashboardEnv } from './dashboard-kit.ts';
import { localPath, messagePage, signInPage } from './dashboard-layout.ts';
import { DashboardSessions, isSameOrigin } from './dashboard-session.ts';
import { DASHBOARD_CSS } from './dashboard-styles.ts';
import { findingsDashboardRoutes } from './findings-dashboard-routes.ts';
import { identitiesDashboardRoutes } from './identities-dashboard-routes.ts';
import { operationsDashboardRoutes } from './operations-dashboard-routes.ts';

/** Every path the dashboard answers; its security headers and sessions apply to these only. */
const PATHS = [
  '/',
  '/sign-in',
  '/sign-out',
  '/findings',
  '/findings/*',
  '/allowlist',
  '/allowlist/*',
  '/identities',
  '/identities/*',
  '/connectors',
  '/jobs/*',
  '/audit',
  '/assets/*',
];

/** Largest form post read (the longest field, an allowlist reason or pattern, is a few KiB). */
const MAX_FORM_BYTES = 64 * 1024;

/** No script, no inline style, nothing from another origin; forms post only here; never framed. */
const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The dashboard at `/`: server-rendered pages (hono/html, no script) over
 * the same functions as the API. Sign-in takes an API key and starts a sealed
 * session cookie; every page acts with that key's scopes, every form carries
 * the session's CSRF token, and every response forbids scripts, inline styles,
 * framing and other origins.
 */
export function dashboardRoutes(ctx: ApiContext) {
  const trustProxy = ctx.trustProxy ?? false;
  if (!ctx.sessions) {
    ctx.logger.warn(
      'dashboard sessions use a per-process key: sign-ins end on restart and do not carry across processes',
    );
  }
  const sessions = new DashboardSessions(
    ctx.sessions ?? new SealedBox(randomBytes(32), 'dashboard-session'),
    trustProxy,
  );
  const app = new Hono<DashboardEnv>();

  const securityHeaders = createMiddleware<DashboardEnv>(async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    // Not no-referrer: browsers then send `Origin: null` on form posts, which the origin check must refuse.
    c.header('Referrer-Policy', 'same-origin');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (!c.req.path.startsWith('/assets/')) c.header('Cache-Control', 'no-store');
    if (isHttps(c, trustProxy)) c.header('Strict-Transport-Security', 'max-age=31536000');
  });
  for (const path of PATHS) app.use(path, securityHeaders);
  // Dashboard forms are a few fields: refuse anything larger before reading it.
  const formLimit = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `Form larger than ${MAX_FORM_BYTES} bytes.`);
    },
  });
  for (const path of PATHS) app.use(path, formLimit);

  const kit = createDashboardKit(ctx, sessions, trustProxy);
  const { signedIn } = kit;

  app.onError((error, c) => {
    const apiError =
      error instanceof ApiError
        ? error
        : (ctx.logger.error({ err: error, requestId: c.get('requestId') }, 'dashboard error'),
          new ApiError(500, 'internal', 'Something went wrong; the error was logged.'));
    const viewer = c.get('viewer');
    if (c.req.method === 'POST' && viewer && apiError.status !== 500) {
      sessions.flash(c, { kind: 'error', text: apiError.message });
      return c.redirect(localPath(c.get('back') ?? c.get('form')?.back, '/'), 303);
    }
    return c.html(
      messagePage({
        title: apiError.status === 404 ? 'Not found' : apiError.status === 403 ? 'Not allowed' : 'Error',
        message: apiError.message,
        ...(viewer ? { viewer } : {}),
      }),
      apiError.status,
    );
  });

  app.get('/assets/dashboard.css', (c) =>
    c.body(DASHBOARD_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );

  app.get('/sign-in', (c) => {
    if (sessions.read(c, ctx.now())) return c.redirect('/', 303);
    const next = localPath(c.req.query('next'), '/');
    return c.html(signInPage({ token: sessions.signInToken(c), ...(next !== '/' ? { next } : {}) }));
  });

  app.post('/sign-in', async (c) => {
    const form = await readForm(c);
    const next = localPath(form.next, '/');
    const again = (error: string, status: 400 | 401 | 403 | 429) =>
      c.html(signInPage({ token: sessions.signInToken(c), error, ...(next !== '/' ? { next } : {}) }), status);
    if (!isSameOrigin(c, trustProxy) || !sessions.checkSignInToken(c, text(form, '_csrf') ?? '')) {
      return again('The sign-in form expired. Please try again.', 403);
    }
    const presented = text(form, 'apiKey');
    if (!presented) return again('Enter an API key.', 400);
    let key;
    try {
      key = await authenticateApiKey(ctx, c, presented);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 429)) {
        return again(error.status === 401 ? 'That API key is unknown or revoked.' : error.message, error.status);
      }
      throw error;
    }
    if (!hasScope(key, 'findings:read')) return again('That API key lacks the findings:read scope.', 403);
    await recordKeyUse(ctx, key);
    await writeAudit(ctx.db, {
      actor: actorOf(key),
      action: 'dashboard.signed_in',
      targetType: 'api_key',
      targetId: key.id,
    });
    sessions.start(c, key.id, ctx.now());
    return c.redirect(next, 303);
  });

  app.post('/sign-out', signedIn, (c) => {
    sessions.end(c);
    return c.redirect('/sign-in', 303);
  });

  findingsDashboardRoutes(app, ctx, kit);
  allowlistDashboardRoutes(app, ctx, kit);
  identitiesDashboardRoutes(app, ctx, kit);
  operationsDashboardRoutes(app, ctx, kit);
  return app;
}
