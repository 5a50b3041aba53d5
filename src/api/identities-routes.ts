import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { writeAudit } from '../db/audit-repository.ts';
import {
  deleteIdentity,
  getIdentity,
  insertIdentity,
  listIdentities,
  ownedFindingCount,
  updateIdentity,
  type IdentityFields,
} from '../db/identities-queries.ts';
import type { Identity } from '../db/schema.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { IdentitySchema, identityView } from './finding-views.ts';
import { IdParams, createRouter, errorResponses, jsonBody, jsonResponse, secured } from './openapi-router.ts';
import { UUID_PATTERN, decodeCursor, encodeCursor, isTimestamp } from './page-cursor.ts';
import { actorOf } from './require-scope.ts';

const nullableText = (max: number) => z.string().trim().min(1).max(max).nullable().optional();

export const IdentityChangesSchema = z.object({
  email: z.email().max(320).nullable().optional(),
  displayName: nullableText(256),
  slackUserId: nullableText(64).openapi({ description: 'Slack user the owner is told through (U…)' }),
  active: z.boolean().optional(),
});
export const NewIdentitySchema = IdentityChangesSchema.extend({
  platform: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"'),
  platformUserId: z.string().trim().min(1).max(256),
});

function fieldsOf(body: z.infer<typeof IdentityChangesSchema>): IdentityFields {
  return {
    ...(body.email !== undefined ? { email: body.email } : {}),
    ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
    ...(body.slackUserId !== undefined ? { slackUserId: body.slackUserId } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
  };
}

export async function createIdentity(
  ctx: ApiContext,
  actor: string,
  body: z.infer<typeof NewIdentitySchema>,
): Promise<Identity> {
  return ctx.db.transaction().execute(async (trx) => {
    const identity = await insertIdentity(trx, {
      platform: body.platform,
      platformUserId: body.platformUserId,
      ...fieldsOf(body),
    });
    if (!identity) {
      throw new ApiError(
        409,
        'conflict',
        `an identity for ${body.platform} user ${body.platformUserId} already exists`,
      );
    }
    await writeAudit(trx, {
      actor,
      action: 'identity.created',
      targetType: 'identity',
      targetId: identity.id,
      details: { platform: identity.platform, platformUserId: identity.platform_user_id },
    });
    return identity;
  });
}

export async function changeIdentity(
  ctx: ApiContext,
  actor: string,
  id: string,
  body: z.infer<typeof IdentityChangesSchema>,
): Promise<Identity> {
  return ctx.db.transaction().execute(async (trx) => {
    const identity = await updateIdentity(trx, id, fieldsOf(body), ctx.now());
    if (!identity) throw new ApiError(404, 'not_found', `no identity ${id}`);
    const changed = Object.keys(fieldsOf(body));
    if (changed.length === 0) return identity;
    await writeAudit(trx, {
      actor,
      action: 'identity.updated',
      targetType: 'identity',
      targetId: id,
      details: { changed },
    });
    return identity;
  });
}

export async function removeIdentity(ctx: ApiContext, actor: string, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const identity = await deleteIdentity(trx, id);
    if (!identity) throw new ApiError(404, 'not_found', `no identity ${id}`);
    await writeAudit(trx, {
      actor,
      action: 'identity.deleted',
      targetType: 'identity',
      targetId: id,
      details: { platform: identity.platform, platformUserId: identity.platform_user_id },
    });
  });
}

const IdentityQuery = z.object({
  platform: z.string().max(64).optional(),
  q: z.string().trim().min(1).max(200).optional().openapi({ description: 'Search email, name and user ids' }),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(400).optional(),
});

export async function queryIdentities(ctx: ApiContext, q: z.infer<typeof IdentityQuery>) {
  const after = q.cursor
    ? (() => {
        const p = decodeCursor(q.cursor, ['t', 'i'], (p) => isTimestamp(p.t) && UUID_PATTERN.test(p.i));
        return { createdAt: p.t, id: p.i };
      })()
    : undefined;
  const { identities, more } = await listIdentities(ctx.db, {
    limit: q.limit,
    ...(q.platform ? { platform: q.platform } : {}),
    ...(q.q ? { search: q.q } : {}),
    ...(after ? { after } : {}),
  });
  const last = identities[identities.length - 1];
  return {
    identities: identities.map(({ position_at: _position, ...i }) => identityView(i)),
    nextCursor: more && last ? encodeCursor({ t: last.position_at, i: last.id }) : null,
  };
}

const tags = ['identities'];

/**
 * `/api/v1/identities`: who is who across platforms (platform user ↔ email ↔
 * Slack user), which decides whom a leak's owner notice reaches. Reading
 * needs `findings:read`, changes `admin`.
 */
export function identitiesRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  const read = secured(ctx, 'findings:read');
  const admin = secured(ctx, 'admin');
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: 'List identities',
        ...read,
        request: { query: IdentityQuery },
        responses: {
          200: jsonResponse(
            z.object({ identities: z.array(IdentitySchema), nextCursor: z.string().nullable() }),
            'A page of identities',
          ),
          ...errorResponses(),
        },
      }),
      async (c) => c.json(await queryIdentities(ctx, c.req.valid('query')), 200),
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/{id}',
        tags,
        summary: 'One identity',
        ...read,
        request: { params: IdParams },
        responses: {
          200: jsonResponse(IdentitySchema.extend({ ownedFindings: z.number().int() }), 'The identity'),
          ...errorResponses(404),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const identity = await getIdentity(ctx.db, id);
        if (!identity) throw new ApiError(404, 'not_found', `no identity ${id}`);
        return c.json({ ...identityView(identity), ownedFindings: await ownedFindingCount(ctx.db, id) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Create an identity',
        ...admin,
        request: { body: jsonBody(NewIdentitySchema) },
        responses: { 201: jsonResponse(IdentitySchema, 'Created'), ...errorResponses(409) },
      }),
      async (c) => c.json(identityView(await createIdentity(ctx, actorOf(c.get('apiKey')), c.req.valid('json'))), 201),
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/{id}',
        tags,
        summary: 'Change an identity (null clears a field)',
        ...admin,
        request: { params: IdParams, body: jsonBody(IdentityChangesSchema) },
        responses: { 200: jsonResponse(IdentitySchema, 'Updated'), ...errorResponses(404) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        return c.json(identityView(await changeIdentity(ctx, actorOf(c.get('apiKey')), id, c.req.valid('json'))), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}',
        tags,
        summary: 'Delete an identity',
        description: 'Findings it owned keep existing, without an owner.',
        ...admin,
        request: { params: IdParams },
        responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
      }),
      async (c) => {
        await removeIdentity(ctx, actorOf(c.get('apiKey')), c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}
