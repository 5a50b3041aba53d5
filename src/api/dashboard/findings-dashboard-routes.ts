import type { Hono } from 'hono';
import type { ApiContext } from '../api-context.ts';
import { ApiError } from '../api-error.ts';
import {
  type DashboardEnv,
  type DashboardKit,
  type DashboardContext,
  text,
  definedOnly,
  dayStart,
  withQuery,
} from './dashboard-kit.ts';
import type { Severity } from '../../core/severity.ts';
import { queryAuditLog } from '../../db/audit-queries.ts';
import { findingFacets, getFindingDetail } from '../../db/findings-queries.ts';
import { listIdentities } from '../../db/identities-queries.ts';
import { revocationModeFor } from '../../revocation/revocation-policy.ts';
import { connectorHealth } from '../connectors-routes.ts';
import {
  changeFindingStatus,
  markFindingRotated,
  reassignFindingOwner,
  requestRedaction,
  requestReverify,
  requestRevoke,
} from '../finding-actions.ts';
import { findingDetailView } from '../finding-views.ts';
import { FindingsQuery, queryFindings } from '../findings-routes.ts';
import { validationError } from '../openapi-router.ts';
import { UUID_PATTERN } from '../page-cursor.ts';
import { hasScope } from '../require-scope.ts';
import { findingStats } from '../stats-routes.ts';
import { localPath } from './dashboard-layout.ts';
import { findingPage } from './pages/finding-page.ts';
import { findingsPage, type FindingsFilterForm } from './pages/findings-page.ts';
import { overviewPage } from './pages/overview-page.ts';

/** Overview, findings table, finding detail and the finding actions. */
export function findingsDashboardRoutes(app: Hono<DashboardEnv>, ctx: ApiContext, kit: DashboardKit): void {
  const { signedIn, need, render, done, actor, uuidParam } = kit;
  app.get('/', signedIn, async (c) => {
    const [stats, connectors] = await Promise.all([
      findingStats(ctx, { activeOnly: true, days: 30 }),
      hasScope(c.get('apiKey'), 'admin') ? connectorHealth(ctx) : Promise.resolve(undefined),
    ]);
    return render(c, 'overview', 'Overview', overviewPage({ stats, connectors }));
  });

  app.get('/findings', signedIn, async (c) => {
    const q = c.req.query();
    const filters: FindingsFilterForm = definedOnly({
      status: q.status || undefined,
      liveness: q.liveness || undefined,
      severity: q.severity || undefined,
      detector: q.detector || undefined,
      platform: q.platform || undefined,
      container: q.container?.trim() || undefined,
      owner: q.owner?.trim() || undefined,
      from: q.from || undefined,
      to: q.to || undefined,
    });
    const parsed = FindingsQuery.safeParse(
      definedOnly({
        ...filters,
        from: dayStart(filters.from),
        to: dayStart(filters.to, 1),
        cursor: q.cursor || undefined,
      }),
    );
    const facets = await findingFacets(ctx.db);
    if (!parsed.success) {
      c.set('flash', { kind: 'error', text: validationError(parsed.error).message });
      return render(
        c,
        'findings',
        'Findings',
        findingsPage({
          viewer: c.get('viewer'),
          filters,
          facets,
          findings: [],
          nextPage: undefined,
          here: '/findings',
        }),
        400,
      );
    }
    const result = await queryFindings(ctx, parsed.data);
    const here = withQuery('/findings', { ...filters, cursor: q.cursor || undefined });
    return render(
      c,
      'findings',
      'Findings',
      findingsPage({
        viewer: c.get('viewer'),
        filters,
        facets,
        findings: result.findings,
        nextPage: result.nextCursor ? withQuery('/findings', { ...filters, cursor: result.nextCursor }) : undefined,
        here,
      }),
    );
  });

  app.get('/findings/:id', signedIn, async (c) => {
    const id = uuidParam(c);
    const detail = await getFindingDetail(ctx.db, id);
    if (!detail) throw new ApiError(404, 'not_found', 'No such finding.');
    const admin = hasScope(c.get('apiKey'), 'admin');
    const [identities, audit] = await Promise.all([
      hasScope(c.get('apiKey'), 'findings:write')
        ? listIdentities(ctx.db, { limit: 200 }).then((r) => r.identities)
        : Promise.resolve([]),
      admin
        ? queryAuditLog(ctx.db, { targetType: 'finding', targetId: id }, { limit: 100 }).then((r) => r.entries)
        : Promise.resolve(undefined),
    ]);
    const f = detail.finding;
    return render(
      c,
      'findings',
      `Finding ${f.redacted}`,
      findingPage({
        viewer: c.get('viewer'),
        finding: findingDetailView(ctx, detail),
        revocationMode: ctx.revocationPolicy
          ? revocationModeFor(ctx.revocationPolicy, {
              detectorId: f.detector_id,
              issuer: f.issuer,
              severity: f.severity as Severity,
            })
          : undefined,
        identities: identities.map((i) => ({
          id: i.id,
          label: `${i.display_name ?? i.platform_user_id}${i.email ? ` <${i.email}>` : ''} (${i.platform})`,
        })),
        audit: audit?.map((a) => ({
          at: a.at.toISOString(),
          actor: a.actor,
          action: a.action,
          details: a.details !== null && typeof a.details === 'object' ? (a.details as Record<string, unknown>) : null,
        })),
      }),
    );
  });

  const FINDING_ACTIONS: Record<string, (c: DashboardContext, id: string) => Promise<string>> = {
    acknowledge: async (c, id) => {
      await changeFindingStatus(ctx, actor(c), id, 'acknowledged', text(c.get('form'), 'note'));
      return 'Acknowledged.';
    },
    'false-positive': async (c, id) => {
      await changeFindingStatus(ctx, actor(c), id, 'false_positive', text(c.get('form'), 'note'));
      return 'Marked as a false positive.';
    },
    rotated: async (c, id) => {
      await markFindingRotated(ctx, actor(c), id);
      return 'Marked as rotated; it will be re-verified until it is dead.';
    },
    reverify: async (c, id) =>
      (await requestReverify(ctx, actor(c), id)).queued
        ? 'Re-verification queued.'
        : 'A re-verification is already queued.',
    revoke: async (c, id) => {
      // Irreversible at the issuer: the form asks for an explicit confirmation (there is no script for a dialog).
      if (text(c.get('form'), 'confirm') !== 'yes') {
        throw new ApiError(400, 'invalid_request', 'Tick the box to confirm the revocation.');
      }
      const result = await requestRevoke(ctx, actor(c), id);
      if (!result.queued) return 'A revocation is already queued.';
      return result.dryRun ? 'Revocation queued (dry run: nothing will be revoked).' : 'Revocation queued.';
    },
    redact: async (c, id) => {
      const result = await requestRedaction(ctx, actor(c), id);
      return result.queued ? `Redaction of ${result.occurrences} place(s) queued.` : 'A redaction is already queued.';
    },
    owner: async (c, id) => {
      const identityId = text(c.get('form'), 'identityId') ?? null;
      if (identityId !== null && !UUID_PATTERN.test(identityId)) {
        throw new ApiError(400, 'invalid_request', 'identityId: not an identity');
      }
      await reassignFindingOwner(ctx, actor(c), id, identityId);
      return identityId ? 'Owner reassigned.' : 'Owner cleared.';
    },
  };

  app.post('/findings/:id/:action', signedIn, async (c) => {
    const id = uuidParam(c);
    c.set('back', localPath(c.get('form').back, `/findings/${id}`));
    const action = FINDING_ACTIONS[c.req.param('action')];
    if (!action) throw new ApiError(404, 'not_found', 'No such action.');
    need(c, 'findings:write');
    return done(c, await action(c, id), `/findings/${id}`);
  });
}
