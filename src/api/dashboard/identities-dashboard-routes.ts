import type { Hono } from 'hono';
import type { ApiContext } from '../api-context.ts';
import { ApiError } from '../api-error.ts';
import { type DashboardEnv, type DashboardKit, type Form, text, definedOnly, withQuery } from './dashboard-kit.ts';
import { getIdentity, ownedFindingCount } from '../../db/identities-queries.ts';
import { identityView } from '../finding-views.ts';
import {
  IdentityChangesSchema,
  NewIdentitySchema,
  changeIdentity,
  createIdentity,
  queryIdentities,
  removeIdentity,
} from '../identities-routes.ts';
import { validationError } from '../openapi-router.ts';
import { identitiesPage, identityPage } from './pages/identities-page.ts';

/** Identities: search, view, and (admins) add, edit, delete. */
export function identitiesDashboardRoutes(app: Hono<DashboardEnv>, ctx: ApiContext, kit: DashboardKit): void {
  const { signedIn, need, render, done, actor, uuidParam, sessions } = kit;
  app.get('/identities', signedIn, async (c) => {
    const search = c.req.query('q')?.trim() ?? '';
    const cursor = c.req.query('cursor') || undefined;
    const result = await queryIdentities(ctx, {
      limit: 50,
      ...(search ? { q: search.slice(0, 200) } : {}),
      ...(cursor ? { cursor } : {}),
    });
    return render(
      c,
      'identities',
      'Identities',
      identitiesPage({
        viewer: c.get('viewer'),
        search,
        identities: result.identities,
        nextPage: result.nextCursor
          ? withQuery('/identities', { q: search || undefined, cursor: result.nextCursor })
          : undefined,
      }),
    );
  });

  const identityFields = (form: Form, clearEmpty: boolean) => {
    const value = (name: string) => text(form, name) ?? (clearEmpty ? null : undefined);
    return definedOnly({
      email: value('email'),
      displayName: value('displayName'),
      slackUserId: value('slackUserId'),
      active: text(form, 'active') === undefined ? undefined : text(form, 'active') === 'true',
    });
  };

  app.post('/identities', signedIn, async (c) => {
    need(c, 'admin');
    c.set('back', '/identities');
    const form = c.get('form');
    const parsed = NewIdentitySchema.safeParse({
      platform: text(form, 'platform'),
      platformUserId: text(form, 'platformUserId'),
      ...identityFields(form, false),
    });
    if (!parsed.success) throw new ApiError(400, 'invalid_request', validationError(parsed.error).message);
    const identity = await createIdentity(ctx, actor(c), parsed.data);
    sessions.flash(c, { kind: 'notice', text: 'Identity added.' });
    return c.redirect(`/identities/${identity.id}`, 303);
  });

  app.get('/identities/:id', signedIn, async (c) => {
    const id = uuidParam(c);
    const identity = await getIdentity(ctx.db, id);
    if (!identity) throw new ApiError(404, 'not_found', 'No such identity.');
    return render(
      c,
      'identities',
      identity.display_name ?? identity.email ?? identity.platform_user_id,
      identityPage({
        viewer: c.get('viewer'),
        identity: identityView(identity),
        ownedFindings: await ownedFindingCount(ctx.db, id),
      }),
    );
  });

  app.post('/identities/:id', signedIn, async (c) => {
    need(c, 'admin');
    const id = uuidParam(c);
    c.set('back', `/identities/${id}`);
    const parsed = IdentityChangesSchema.safeParse(identityFields(c.get('form'), true));
    if (!parsed.success) throw new ApiError(400, 'invalid_request', validationError(parsed.error).message);
    await changeIdentity(ctx, actor(c), id, parsed.data);
    return done(c, 'Identity saved.', `/identities/${id}`);
  });

  app.post('/identities/:id/delete', signedIn, async (c) => {
    need(c, 'admin');
    const id = uuidParam(c);
    c.set('back', `/identities/${id}`);
    await removeIdentity(ctx, actor(c), id);
    sessions.flash(c, { kind: 'notice', text: 'Identity deleted.' });
    return c.redirect('/identities', 303);
  });
}
