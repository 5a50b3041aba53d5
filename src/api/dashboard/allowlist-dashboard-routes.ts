import type { Hono } from 'hono';
import type { ApiContext } from '../api-context.ts';
import {
  type DashboardEnv,
  type DashboardKit,
  type DashboardContext,
  text,
  definedOnly,
  dayStart,
} from './dashboard-kit.ts';
import { listAllowlistEntries } from '../../db/allowlist-queries.ts';
import { findingFacets } from '../../db/findings-queries.ts';
import {
  KIND_FIELDS,
  allowlistEntryView,
  allowlistInputSchema,
  createAllowlistEntry,
  dryRunAllowlistEntry,
  impactView,
  removeAllowlistEntry,
} from '../allowlist-routes.ts';
import { validationError } from '../openapi-router.ts';
import { localPath } from './dashboard-layout.ts';
import { allowlistPage, type AllowlistDraft } from './pages/allowlist-page.ts';

/** The allowlist: entries, preview (dry run) and creation, deletion. */
export function allowlistDashboardRoutes(app: Hono<DashboardEnv>, ctx: ApiContext, kit: DashboardKit): void {
  const { signedIn, need, render, done, actor, uuidParam } = kit;
  const allowlistView = async (
    c: DashboardContext,
    draft: AllowlistDraft,
    preview: ReturnType<typeof impactView> | undefined,
    status: 200 | 400 = 200,
  ) => {
    const now = ctx.now();
    const [entries, facets] = await Promise.all([listAllowlistEntries(ctx.db, { limit: 500 }), findingFacets(ctx.db)]);
    const detectors = [...new Set([...(ctx.detectors?.keys() ?? []), ...facets.detectors])].sort();
    return render(
      c,
      'allowlist',
      'Allowlist',
      allowlistPage({
        viewer: c.get('viewer'),
        entries: entries.map((e) => allowlistEntryView(e, now)),
        detectors,
        draft,
        preview,
      }),
      status,
    );
  };

  app.get('/allowlist', signedIn, (c) => allowlistView(c, {}, undefined));

  app.post('/allowlist', signedIn, async (c) => {
    need(c, 'allowlist:write');
    const form = c.get('form');
    c.set('back', localPath(form.back, '/allowlist'));
    const kind = text(form, 'kind') ?? '';
    const draft: AllowlistDraft = definedOnly({
      kind,
      fingerprint: text(form, 'fingerprint'),
      detector: text(form, 'detector'),
      pattern: typeof form.pattern === 'string' && form.pattern !== '' ? form.pattern : undefined,
      platform: text(form, 'platform'),
      container: text(form, 'container'),
      item: text(form, 'item'),
      reason: text(form, 'reason'),
      expiresAt: text(form, 'expiresAt'),
    });
    // Fields of other kinds may be filled in the shared form; only the chosen kind's count.
    const allowed: readonly string[] = KIND_FIELDS[kind as keyof typeof KIND_FIELDS]?.allowed ?? [];
    const input = Object.fromEntries(
      Object.entries(draft).filter(([name]) => allowed.includes(name) || ['kind', 'reason'].includes(name)),
    );
    if (draft.expiresAt) input.expiresAt = dayStart(draft.expiresAt, 1)!;
    const parsed = allowlistInputSchema(ctx.detectors).safeParse(input);
    if (!parsed.success) {
      c.set('flash', { kind: 'error', text: validationError(parsed.error).message });
      return allowlistView(c, draft, undefined, 400);
    }
    if (text(form, 'intent') === 'preview') {
      return allowlistView(c, draft, impactView(await dryRunAllowlistEntry(ctx, parsed.data)));
    }
    const { closed } = await createAllowlistEntry(ctx, actor(c), parsed.data);
    return done(c, `Allowlist entry created; it closed ${closed} open finding(s).`, '/allowlist');
  });

  app.post('/allowlist/:id/delete', signedIn, async (c) => {
    need(c, 'allowlist:write');
    c.set('back', '/allowlist');
    await removeAllowlistEntry(ctx, actor(c), uuidParam(c));
    return done(c, 'Allowlist entry deleted.', '/allowlist');
  });
}
