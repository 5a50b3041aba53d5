import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ApiScope } from '../../db/api-keys-repository.ts';
import { findActiveApiKeyById } from '../../db/api-keys-queries.ts';
import { unstorableTextPath } from '../../db/storable-text.ts';
import { ApiError } from '../api-error.ts';
import type { ApiContext, ApiVariables } from '../api-context.ts';
import { UUID_PATTERN } from '../page-cursor.ts';
import { actorOf, hasScope, recordKeyUse } from '../require-scope.ts';
import { isSameOrigin, sameToken, type DashboardSessions, type Flash } from './dashboard-session.ts';
import { localPath, messagePage, page, type Html, type Section, type Viewer } from './dashboard-layout.ts';

export type Form = Record<string, string | File>;
export type DashboardEnv = {
  Variables: ApiVariables & { viewer: Viewer; flash: Flash | undefined; form: Form; back: string };
};
export type DashboardContext = Context<DashboardEnv>;

/** A form field, trimmed; empty is undefined. */
export function text(form: Form, name: string): string | undefined {
  const value = form[name];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The posted form; a body that is not a form (broken multipart, wrong encoding) is a 400, not a crash. */
export async function readForm(c: Context): Promise<Form> {
  try {
    return (await c.req.parseBody()) as Form;
  } catch {
    throw new ApiError(400, 'invalid_form', 'The form could not be read. Go back, reload and try again.');
  }
}

/** Refuses (400) a form field the database could not store (NUL, unpaired surrogate), naming it. */
export function assertStorableForm(form: Form): void {
  const field = unstorableTextPath(Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')));
  if (field !== undefined) {
    throw new ApiError(400, 'invalid_form', `${field}: must not contain NUL characters or unpaired surrogates`);
  }
}

export function definedOnly<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** `YYYY-MM-DD` from a date input → the start of that UTC day (or of the next one, for inclusive ends). */
export function dayStart(value: string | undefined, plusDays = 0): string | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const at = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return value;
  return new Date(at.getTime() + plusDays * 86_400_000).toISOString();
}

export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams(definedOnly(params) as Record<string, string>).toString();
  return query ? `${path}?${query}` : path;
}

/** What every dashboard page handler uses: the session check, scope checks, rendering and form replies. */
export function createDashboardKit(ctx: ApiContext, sessions: DashboardSessions, trustProxy: boolean) {
  /** Loads the session's key (re-checked every time: a revoked key ends the session) and, on posts, checks CSRF. */
  const signedIn = createMiddleware<DashboardEnv>(async (c, next) => {
    const session = sessions.read(c, ctx.now());
    const key = session ? await findActiveApiKeyById(ctx.db, session.keyId) : undefined;
    if (!session || !key || !hasScope(key, 'findings:read')) {
      if (session) sessions.end(c);
      const next = c.req.method === 'GET' ? c.req.path + (new URL(c.req.url).search ?? '') : undefined;
      return c.redirect(withQuery('/sign-in', { next }), 303);
    }
    await recordKeyUse(ctx, key);
    c.set('apiKey', key);
    c.set('viewer', { keyName: key.name, scopes: key.scopes, csrf: session.csrf });
    if (c.req.method === 'POST') {
      const form = await readForm(c);
      const token = typeof form._csrf === 'string' ? form._csrf : '';
      if (!isSameOrigin(c, trustProxy) || !sameToken(token, session.csrf)) {
        return c.html(
          messagePage({
            title: 'Form expired',
            message: 'This form is no longer valid. Go back, reload and try again.',
          }),
          403,
        );
      }
      assertStorableForm(form);
      c.set('form', form);
    } else {
      c.set('flash', sessions.takeFlash(c));
    }
    await next();
  });

  const need = (c: DashboardContext, scope: ApiScope) => {
    if (!hasScope(c.get('apiKey'), scope)) {
      throw new ApiError(403, 'forbidden', `Your API key lacks the "${scope}" scope needed here.`);
    }
  };
  const render = (c: DashboardContext, section: Section, title: string, body: Html, status: 200 | 400 = 200) =>
    c.html(page({ title, section, viewer: c.get('viewer'), flash: c.get('flash'), body }), status);
  /** After a form: a message for the next page, and back to where the form was. */
  const done = (c: DashboardContext, textOf: string, fallback: string) => {
    sessions.flash(c, { kind: 'notice', text: textOf });
    return c.redirect(localPath(c.get('form')?.back, fallback), 303);
  };
  const actor = (c: DashboardContext) => actorOf(c.get('apiKey'));
  const uuidParam = (c: DashboardContext) => {
    const id = c.req.param('id') ?? '';
    if (!UUID_PATTERN.test(id)) throw new ApiError(404, 'not_found', 'No such page.');
    return id;
  };
  return { sessions, signedIn, need, render, done, actor, uuidParam };
}
export type DashboardKit = ReturnType<typeof createDashboardKit>;
