import { Hono } from 'hono';
import { z } from 'zod';
import { LIVENESS } from '../core/verification.ts';
import { SEVERITIES } from '../core/severity.ts';
import type { Finding, Occurrence } from '../db/schema.ts';
import { FINDING_STATUSES } from '../findings/lifecycle.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { requireScope } from './require-scope.ts';

const querySchema = z.object({
  status: z.enum(FINDING_STATUSES).optional(),
  liveness: z.enum(LIVENESS).optional(),
  severity: z.enum(SEVERITIES).optional(),
  detector: z.string().max(100).optional(),
  platform: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

interface Cursor {
  lastSeenAt: string;
  id: string;
}

function decodeCursor(value: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Cursor;
    if (typeof cursor.lastSeenAt !== 'string' || typeof cursor.id !== 'string') throw new Error('shape');
    return cursor;
  } catch {
    throw new ApiError(400, 'invalid_request', 'cursor: not a cursor returned by this API', 'cursor');
  }
}

/** The API view of a finding: redacted preview and fingerprint, never the secret. */
export function findingView(f: Finding, occurrences: readonly Occurrence[]) {
  return {
    id: f.id,
    detector: f.detector_id,
    issuer: f.issuer,
    severity: f.severity,
    confidence: f.confidence,
    status: f.status,
    liveness: f.liveness,
    livenessReason: f.liveness_reason,
    verification: f.verification_facts,
    verifiedAt: f.verified_at,
    redacted: f.redacted,
    fingerprint: f.fingerprint,
    remediation: f.remediation,
    firstSeenAt: f.first_seen_at,
    lastSeenAt: f.last_seen_at,
    resolvedAt: f.resolved_at,
    occurrences: occurrences.map((o) => ({
      platform: o.platform,
      workspace: o.workspace,
      container: o.container,
      item: o.item,
      url: o.url,
      firstSeenAt: o.first_seen_at,
      lastSeenAt: o.last_seen_at,
      closedAt: o.closed_at,
    })),
  };
}

/** `GET /api/v1/findings` (scope `findings:read`): newest first, keyset-paginated. */
export function findingsRoutes(ctx: ApiContext) {
  return new Hono<ApiEnv>().get('/', requireScope(ctx, 'findings:read'), async (c) => {
    const parsed = querySchema.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.join('.');
      throw new ApiError(400, 'invalid_request', `${field}: ${issue.message}`, field);
    }
    const q = parsed.data;
    let query = ctx.db.selectFrom('findings').selectAll('findings');
    if (q.status) query = query.where('status', '=', q.status);
    if (q.liveness) query = query.where('liveness', '=', q.liveness);
    if (q.severity) query = query.where('severity', '=', q.severity);
    if (q.detector) query = query.where('detector_id', '=', q.detector);
    if (q.platform) {
      const platform = q.platform;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('occurrences')
            .select('occurrences.id')
            .whereRef('occurrences.finding_id', '=', 'findings.id')
            .where('occurrences.platform', '=', platform),
        ),
      );
    }
    if (q.cursor) {
      const cursor = decodeCursor(q.cursor);
      const at = new Date(cursor.lastSeenAt);
      query = query.where((eb) =>
        eb.or([eb('last_seen_at', '<', at), eb.and([eb('last_seen_at', '=', at), eb('id', '<', cursor.id)])]),
      );
    }
    const rows = await query
      .orderBy('last_seen_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const page = rows.slice(0, q.limit);
    const occurrences =
      page.length === 0
        ? []
        : await ctx.db
            .selectFrom('occurrences')
            .selectAll()
            .where(
              'finding_id',
              'in',
              page.map((f) => f.id),
            )
            .execute();
    const last = page[page.length - 1];
    return c.json({
      findings: page.map((f) =>
        findingView(
          f,
          occurrences.filter((o) => o.finding_id === f.id),
        ),
      ),
      nextCursor:
        rows.length > q.limit && last
          ? Buffer.from(JSON.stringify({ lastSeenAt: last.last_seen_at.toISOString(), id: last.id })).toString(
              'base64url',
            )
          : null,
    });
  });
}
