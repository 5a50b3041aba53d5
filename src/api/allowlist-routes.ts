import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { writeAudit } from '../db/audit-repository.ts';
import {
  deleteAllowlistEntry,
  getAllowlistEntry,
  insertAllowlistEntry,
  listAllowlistEntries,
  markFindingsAllowlisted,
  updateAllowlistEntry,
  type NewAllowlistEntry,
} from '../db/allowlist-queries.ts';
import type { AllowlistEntry } from '../db/schema.ts';
import { ALLOWLIST_KINDS } from '../findings/allowlist.ts';
import { unsafePatternReason } from '../rules/pattern-safety.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { allowlistImpact, type AllowlistImpact } from './allowlist-impact.ts';
import {
  IdParams,
  Timestamp,
  createRouter,
  errorResponses,
  iso,
  jsonBody,
  jsonResponse,
  secured,
} from './openapi-router.ts';
import { actorOf } from './require-scope.ts';

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

/** Which fields each kind requires, and which it accepts (an entry's `detector` restricts any kind). */
export const KIND_FIELDS = {
  fingerprint: { required: ['fingerprint'], allowed: ['fingerprint', 'detector'] },
  detector: { required: ['detector'], allowed: ['detector'] },
  regex: { required: ['pattern'], allowed: ['pattern', 'detector'] },
  place: { required: [], allowed: ['platform', 'container', 'item', 'detector'] },
} as const;
const CRITERIA = ['fingerprint', 'detector', 'pattern', 'platform', 'container', 'item'] as const;

/** Why a submitted regex is refused, or undefined when it compiles and cannot backtrack catastrophically. */
function patternProblem(pattern: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message})`;
  }
  return unsafePatternReason(regex);
}

/** An allowlist entry as submitted; every problem names its field. */
export function allowlistInputSchema(detectors: ReadonlyMap<string, unknown> | undefined) {
  return z
    .object({
      kind: z.enum(ALLOWLIST_KINDS),
      fingerprint: optionalText(200).openapi({ description: 'A finding’s fingerprint (kind fingerprint)' }),
      detector: optionalText(100).openapi({ description: 'Detector id (kind detector; restricts every kind)' }),
      pattern: z.string().min(1).max(500).optional().openapi({
        description: 'Regex tested against the secret (kind regex); checked for catastrophic backtracking',
      }),
      platform: optionalText(64),
      container: optionalText(512),
      item: optionalText(512),
      reason: z.string().trim().min(3).max(1000).openapi({ example: 'documented test token in the onboarding guide' }),
      expiresAt: z.iso.datetime({ offset: true }).optional(),
    })
    .superRefine((entry, issues) => {
      const fields = KIND_FIELDS[entry.kind];
      for (const field of fields.required) {
        if (entry[field] === undefined)
          issues.addIssue({ code: 'custom', path: [field], message: `required for kind "${entry.kind}"` });
      }
      for (const field of CRITERIA) {
        if (entry[field] !== undefined && !(fields.allowed as readonly string[]).includes(field)) {
          issues.addIssue({ code: 'custom', path: [field], message: `not used by kind "${entry.kind}"` });
        }
      }
      if (entry.kind === 'place' && !entry.platform && !entry.container && !entry.item) {
        issues.addIssue({ code: 'custom', path: ['platform'], message: 'a place needs platform, container or item' });
      }
      if (entry.detector !== undefined && detectors && !detectors.has(entry.detector)) {
        issues.addIssue({ code: 'custom', path: ['detector'], message: `no detector "${entry.detector}" is loaded` });
      }
      if (entry.pattern !== undefined) {
        const problem = patternProblem(entry.pattern);
        if (problem) issues.addIssue({ code: 'custom', path: ['pattern'], message: problem });
      }
    });
}
export type AllowlistInput = z.infer<ReturnType<typeof allowlistInputSchema>>;

export const AllowlistEntrySchema = z
  .object({
    id: z.string(),
    kind: z.enum(ALLOWLIST_KINDS),
    fingerprint: z.string().nullable(),
    detector: z.string().nullable(),
    pattern: z.string().nullable(),
    platform: z.string().nullable(),
    container: z.string().nullable(),
    item: z.string().nullable(),
    reason: z.string(),
    createdBy: z.string(),
    expiresAt: Timestamp.nullable(),
    expired: z.boolean(),
    hits: z.number().int().openapi({ description: 'New sightings it has allowlisted' }),
    lastHitAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi('AllowlistEntry');

export function allowlistEntryView(e: AllowlistEntry, now: Date): z.infer<typeof AllowlistEntrySchema> {
  return {
    id: e.id,
    kind: e.kind as (typeof ALLOWLIST_KINDS)[number],
    fingerprint: e.fingerprint,
    detector: e.detector_id,
    pattern: e.pattern,
    platform: e.platform,
    container: e.container,
    item: e.item,
    reason: e.reason,
    createdBy: e.created_by,
    expiresAt: iso(e.expires_at),
    expired: e.expires_at !== null && e.expires_at <= now,
    hits: Number(e.hits),
    lastHitAt: iso(e.last_hit_at),
    createdAt: iso(e.created_at),
  };
}

const ImpactSchema = z
  .object({
    wouldClose: z.array(
      z.object({
        id: z.string(),
        detector: z.string(),
        redacted: z.string(),
        status: z.string(),
        severity: z.string(),
        firstSeenAt: Timestamp,
      }),
    ),
    count: z.number().int(),
    unevaluated: z.number().int().openapi({
      description: 'Regex entries: open findings whose secret is not in the vault, so the pattern could not be tested',
    }),
    truncated: z.boolean(),
  })
  .openapi('AllowlistImpact');

export function impactView(impact: AllowlistImpact): z.infer<typeof ImpactSchema> {
  return {
    wouldClose: impact.findings.map((f) => ({
      id: f.id,
      detector: f.detector_id,
      redacted: f.redacted,
      status: f.status,
      severity: f.severity,
      firstSeenAt: iso(f.first_seen_at),
    })),
    count: impact.findings.length,
    unevaluated: impact.unevaluated,
    truncated: impact.truncated,
  };
}

function toNewEntry(input: AllowlistInput, createdBy: string): NewAllowlistEntry {
  return {
    kind: input.kind,
    fingerprint: input.fingerprint ?? null,
    detectorId: input.detector ?? null,
    pattern: input.pattern ?? null,
    platform: input.platform ?? null,
    container: input.container ?? null,
    item: input.item ?? null,
    reason: input.reason,
    createdBy,
    expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
  };
}

/** What an entry would close, without creating it. */
export async function dryRunAllowlistEntry(ctx: ApiContext, input: AllowlistInput): Promise<AllowlistImpact> {
  return allowlistImpact(ctx, ctx.db, toNewEntry(input, ''));
}

/**
 * Creates an entry and closes (as `allowlisted`) the open findings it covers,
 * in one transaction with an audit row for the entry and one per closed finding.
 */
export async function createAllowlistEntry(
  ctx: ApiContext,
  actor: string,
  input: AllowlistInput,
): Promise<{ entry: AllowlistEntry; closed: number }> {
  const now = ctx.now();
  if (input.expiresAt && new Date(input.expiresAt) <= now) {
    throw new ApiError(400, 'invalid_request', 'expiresAt: must be in the future', 'expiresAt');
  }
  return ctx.db.transaction().execute(async (trx) => {
    const entry = await insertAllowlistEntry(trx, toNewEntry(input, actor));
    const impact = await allowlistImpact(ctx, trx, toNewEntry(input, actor));
    const closed = await markFindingsAllowlisted(
      trx,
      impact.findings.map((f) => f.id),
      now,
    );
    await writeAudit(trx, {
      actor,
      action: 'allowlist.created',
      targetType: 'allowlist_entry',
      targetId: entry.id,
      details: { ...criteriaOf(entry), reason: entry.reason, closedFindings: closed },
    });
    for (const finding of impact.findings) {
      await writeAudit(trx, {
        actor,
        action: 'finding.allowlisted',
        targetType: 'finding',
        targetId: finding.id,
        details: { from: finding.status, entryId: entry.id, redacted: finding.redacted },
      });
    }
    return { entry, closed };
  });
}

/** Deletes an entry; the audit row keeps what it matched. Findings it closed stay closed. */
export async function removeAllowlistEntry(ctx: ApiContext, actor: string, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const entry = await deleteAllowlistEntry(trx, id);
    if (!entry) throw new ApiError(404, 'not_found', `no allowlist entry ${id}`);
    await writeAudit(trx, {
      actor,
      action: 'allowlist.deleted',
      targetType: 'allowlist_entry',
      targetId: id,
      details: { ...criteriaOf(entry), reason: entry.reason, hits: Number(entry.hits) },
    });
  });
}

function criteriaOf(e: AllowlistEntry) {
  return Object.fromEntries(
    Object.entries({
      kind: e.kind,
      fingerprint: e.fingerprint,
      detector: e.detector_id,
      pattern: e.pattern,
      platform: e.platform,
      container: e.container,
      item: e.item,
      expiresAt: iso(e.expires_at),
    }).filter(([, v]) => v !== null),
  );
}

const tags = ['allowlist'];

/**
 * `/api/v1/allowlist`: entries that stop matches from becoming findings —
 * by fingerprint, detector, regex over the secret, or place. Reading needs
 * `findings:read`; creating, changing, deleting and dry runs `allowlist:write`.
 */
export function allowlistRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  const read = secured(ctx, 'findings:read');
  const write = secured(ctx, 'allowlist:write');
  const Input = allowlistInputSchema(ctx.detectors).openapi('AllowlistEntryInput');
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: 'List allowlist entries',
        ...read,
        request: {
          query: z.object({
            kind: z.enum(ALLOWLIST_KINDS).optional(),
            active: z.enum(['true', 'false']).optional().openapi({ description: 'true: only entries not expired' }),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
        },
        responses: {
          200: jsonResponse(z.object({ entries: z.array(AllowlistEntrySchema) }), 'Entries'),
          ...errorResponses(),
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const now = ctx.now();
        const entries = await listAllowlistEntries(ctx.db, {
          limit: q.limit,
          ...(q.kind ? { kind: q.kind } : {}),
          ...(q.active === 'true' ? { activeAt: now } : {}),
        });
        return c.json({ entries: entries.map((e) => allowlistEntryView(e, now)) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'One allowlist entry',
        ...read,
        request: { params: IdParams },
        responses: { 200: jsonResponse(AllowlistEntrySchema, 'The entry'), ...errorResponses(404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const entry = await getAllowlistEntry(ctx.db, id);
        if (!entry) throw new ApiError(404, 'not_found', `no allowlist entry ${id}`);
        return c.json(allowlistEntryView(entry, ctx.now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/dry-run',
        tags,
        summary: 'Which open findings an entry would close',
        description: 'Nothing is stored. Regex entries can only be tested against secrets in the vault.',
        ...write,
        request: { body: jsonBody(Input) },
        responses: { 200: jsonResponse(ImpactSchema, 'What creating the entry would close'), ...errorResponses() },
      }),
      async (c) => c.json(impactView(await dryRunAllowlistEntry(ctx, c.req.valid('json'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Create an entry (closing the open findings it covers)',
        ...write,
        request: { body: jsonBody(Input) },
        responses: {
          201: jsonResponse(
            z.object({ entry: AllowlistEntrySchema, closedFindings: z.number().int() }),
            'Created; covered open findings are now allowlisted',
          ),
          ...errorResponses(),
        },
      }),
      async (c) => {
        const { entry, closed } = await createAllowlistEntry(ctx, actorOf(c.get('apiKey')), c.req.valid('json'));
        return c.json({ entry: allowlistEntryView(entry, ctx.now()), closedFindings: closed }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags,
        summary: 'Change an entry’s reason or expiry',
        description: 'What an entry matches cannot change; delete it and create another.',
        ...write,
        request: {
          params: IdParams,
          body: jsonBody(
            z.object({
              reason: z.string().trim().min(3).max(1000).optional(),
              expiresAt: z.iso.datetime({ offset: true }).nullable().optional().openapi({ description: 'null: never' }),
            }),
          ),
        },
        responses: { 200: jsonResponse(AllowlistEntrySchema, 'Updated'), ...errorResponses(404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        const actor = actorOf(c.get('apiKey'));
        const entry = await ctx.db.transaction().execute(async (trx) => {
          const updated = await updateAllowlistEntry(trx, id, {
            ...(body.reason !== undefined ? { reason: body.reason } : {}),
            ...(body.expiresAt !== undefined
              ? { expiresAt: body.expiresAt === null ? null : new Date(body.expiresAt) }
              : {}),
          });
          if (!updated) throw new ApiError(404, 'not_found', `no allowlist entry ${id}`);
          if (Object.keys(body).length === 0) return updated;
          await writeAudit(trx, {
            actor,
            action: 'allowlist.updated',
            targetType: 'allowlist_entry',
            targetId: id,
            details: body,
          });
          return updated;
        });
        return c.json(allowlistEntryView(entry, ctx.now()), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}',
        tags,
        summary: 'Delete an entry',
        description: 'New sightings are no longer allowlisted by it; findings it closed stay closed.',
        ...write,
        request: { params: IdParams },
        responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
      }),
      async (c) => {
        await removeAllowlistEntry(ctx, actorOf(c.get('apiKey')), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}
