import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { LIVENESS } from '../core/verification.ts';
import { SEVERITIES } from '../core/severity.ts';
import { getFindingDetail, listFindings, occurrencesOf } from '../db/findings-queries.ts';
import { FINDING_STATUSES } from '../findings/lifecycle.ts';
import { REVOCATION_MODES } from '../revocation/revocation-policy.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import {
  changeFindingStatus,
  markFindingRotated,
  reassignFindingOwner,
  requestRedaction,
  requestReverify,
  requestRevoke,
} from './finding-actions.ts';
import { FindingDetailSchema, FindingSchema, findingDetailView, findingView } from './finding-views.ts';
import { IdParams, createRouter, errorResponses, jsonBody, jsonResponse, secured } from './openapi-router.ts';
import { UUID_PATTERN, decodeCursor, encodeCursor, isTimestamp } from './page-cursor.ts';
import { actorOf } from './require-scope.ts';

export const FindingsQuery = z.object({
  status: z.enum(FINDING_STATUSES).optional(),
  liveness: z.enum(LIVENESS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  detector: z.string().max(100).optional().openapi({ example: 'github-classic-pat' }),
  platform: z.string().max(64).optional().openapi({ example: 'slack' }),
  container: z.string().max(512).optional().openapi({ description: 'Channel, project or space', example: 'C0123' }),
  owner: z
    .string()
    .max(320)
    .optional()
    .openapi({ description: 'Owner identity id, email, platform user id or Slack user id' }),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'First seen at or after' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'First seen before' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(400).optional().openapi({ description: '`nextCursor` of the previous page' }),
});
export type FindingsQueryInput = z.infer<typeof FindingsQuery>;

/** Runs a findings query as the API and the dashboard both do it: newest first, cursor-paginated. */
export async function queryFindings(ctx: ApiContext, q: FindingsQueryInput) {
  const after = q.cursor
    ? (() => {
        const p = decodeCursor(q.cursor, ['t', 'i'], (p) => isTimestamp(p.t) && UUID_PATTERN.test(p.i));
        return { firstSeenAt: p.t, id: p.i };
      })()
    : undefined;
  const { findings, more } = await listFindings(
    ctx.db,
    {
      ...(q.status ? { status: q.status } : {}),
      ...(q.liveness ? { liveness: q.liveness } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.detector ? { detector: q.detector } : {}),
      ...(q.platform ? { platform: q.platform } : {}),
      ...(q.container ? { container: q.container } : {}),
      ...(q.owner ? { owner: q.owner } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
    },
    { limit: q.limit, ...(after ? { after } : {}) },
  );
  const occurrences = await occurrencesOf(
    ctx.db,
    findings.map((f) => f.id),
  );
  const last = findings[findings.length - 1];
  return {
    findings: findings.map((f) =>
      findingView(
        ctx,
        f,
        occurrences.filter((o) => o.finding_id === f.id),
      ),
    ),
    nextCursor: more && last ? encodeCursor({ t: last.position.firstSeenAt, i: last.position.id }) : null,
  };
}

const FindingPage = z
  .object({ findings: z.array(FindingSchema), nextCursor: z.string().nullable() })
  .openapi('FindingPage');
const FindingResult = z.object({ finding: FindingSchema });
const Note = z.object({ note: z.string().trim().min(1).max(1000).optional() });
const Queued = z.object({ queued: z.boolean().openapi({ description: 'False when one was already waiting' }) });

const tags = ['findings'];

/**
 * `/api/v1/findings`: list (filters, cursor pagination), detail, and the
 * triage actions. Reads need `findings:read`, actions `findings:write`; every
 * action is audited in the transaction that makes it.
 */
export function findingsRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  const read = secured(ctx, 'findings:read');
  const write = secured(ctx, 'findings:write');
  const action = (path: string, summary: string, description: string) => ({
    method: 'post' as const,
    path: `/{id}/${path}`,
    tags,
    summary,
    description,
    ...write,
    request: { params: IdParams },
  });

  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: 'List findings',
        description: 'Newest first (by first sighting). Filters combine with AND.',
        ...read,
        request: { query: FindingsQuery },
        responses: { 200: jsonResponse(FindingPage, 'A page of findings'), ...errorResponses() },
      }),
      async (c) => c.json(await queryFindings(ctx, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'A finding with its occurrences, verification history, notices, revocation and redactions',
        ...read,
        request: { params: IdParams },
        responses: { 200: jsonResponse(FindingDetailSchema, 'The finding'), ...errorResponses(404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const detail = await getFindingDetail(ctx.db, id);
        if (!detail) throw new ApiError(404, 'not_found', `no finding ${id}`);
        return c.json(findingDetailView(ctx, detail), 200);
      },
    )
    .openapi(
      createRoute({
        ...action(
          'acknowledge',
          'Acknowledge',
          'Someone is handling it. Allowed from open, reopened, notified, remediated.',
        ),
        request: { params: IdParams, body: jsonBody(Note) },
        responses: { 200: jsonResponse(FindingResult, 'Acknowledged'), ...errorResponses(404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { note } = c.req.valid('json');
        const finding = await changeFindingStatus(ctx, actorOf(c.get('apiKey')), id, 'acknowledged', note);
        return c.json({ finding: findingView(ctx, finding, await occurrencesOf(ctx.db, [id])) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...action('false-positive', 'Mark as false positive', 'Not a real credential (terminal).'),
        request: { params: IdParams, body: jsonBody(Note) },
        responses: { 200: jsonResponse(FindingResult, 'Marked'), ...errorResponses(404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { note } = c.req.valid('json');
        const finding = await changeFindingStatus(ctx, actorOf(c.get('apiKey')), id, 'false_positive', note);
        return c.json({ finding: findingView(ctx, finding, await occurrencesOf(ctx.db, [id])) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...action(
          'rotated',
          'Mark as rotated',
          'The owner replaced the credential. It is re-verified on schedule until dead (needs the vault).',
        ),
        responses: { 200: jsonResponse(FindingResult, 'Remediated'), ...errorResponses(404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const finding = await markFindingRotated(ctx, actorOf(c.get('apiKey')), id);
        return c.json({ finding: findingView(ctx, finding, await occurrencesOf(ctx.db, [id])) }, 200);
      },
    )
    .openapi(
      createRoute({
        ...action(
          'reverify',
          'Request re-verification',
          'Queues a fresh liveness check. Needs the vault (409 without).',
        ),
        responses: { 202: jsonResponse(Queued, 'Queued'), ...errorResponses(404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { queued } = await requestReverify(ctx, actorOf(c.get('apiKey')), id);
        return c.json({ queued }, 202);
      },
    )
    .openapi(
      createRoute({
        ...action(
          'revoke',
          'Request revocation',
          'Checked against the revocation policy (mode "off" refuses with 409); the revoke worker revokes at most once and honours dry-run. Needs the vault.',
        ),
        responses: {
          202: jsonResponse(
            Queued.extend({
              mode: z.enum(REVOCATION_MODES),
              dryRun: z.boolean(),
              builtInRevoker: z.boolean().openapi({ description: 'False: only revocation hooks can act on it' }),
            }),
            'Queued',
          ),
          ...errorResponses(404, 409, 503),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        return c.json(await requestRevoke(ctx, actorOf(c.get('apiKey')), id), 202);
      },
    )
    .openapi(
      createRoute({
        ...action('redact', 'Request redaction', 'Queues redaction of every open occurrence at its source.'),
        responses: {
          202: jsonResponse(Queued.extend({ occurrences: z.number().int() }), 'Queued'),
          ...errorResponses(404, 409),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        return c.json(await requestRedaction(ctx, actorOf(c.get('apiKey')), id), 202);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/{id}/owner',
        tags,
        summary: 'Reassign the owner',
        description: 'The identity told about the leak; null clears it.',
        ...write,
        request: { params: IdParams, body: jsonBody(z.object({ identityId: z.uuid().nullable() })) },
        responses: { 200: jsonResponse(FindingResult, 'Reassigned'), ...errorResponses(404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const { identityId } = c.req.valid('json');
        const finding = await reassignFindingOwner(ctx, actorOf(c.get('apiKey')), id, identityId);
        return c.json({ finding: findingView(ctx, finding, await occurrencesOf(ctx.db, [id])) }, 200);
      },
    );
}
