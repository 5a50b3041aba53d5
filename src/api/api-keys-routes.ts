import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { API_SCOPES, createApiKey } from '../db/api-keys-repository.ts';
import { getApiKeyById, listApiKeys, revokeApiKey } from '../db/api-keys-queries.ts';
import { writeAudit } from '../db/audit-repository.ts';
import type { ApiKey } from '../db/schema.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
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
import { actorOf, forgetApiKey } from './require-scope.ts';

const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters, to tell keys apart', example: 'lwk_Ab12Cd' }),
    scopes: z.array(z.enum(API_SCOPES)),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
  })
  .openapi('ApiKey');

function apiKeyView(k: Omit<ApiKey, 'key_hash'>): z.infer<typeof ApiKeySchema> {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes as z.infer<typeof ApiKeySchema>['scopes'],
    createdAt: iso(k.created_at),
    lastUsedAt: iso(k.last_used_at),
    revokedAt: iso(k.revoked_at),
  };
}

const tags = ['api keys'];

/**
 * `/api/v1/keys` (scope `admin`): API keys are shown once, at creation; only
 * their SHA-256 is stored. Revocation takes effect at once in this process and
 * within seconds in others (their short key cache).
 */
export function apiKeysRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  const admin = secured(ctx, 'admin');
  return createRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/',
        tags,
        summary: 'List API keys',
        ...admin,
        request: {
          query: z.object({ includeRevoked: z.enum(['true', 'false']).default('false') }),
        },
        responses: { 200: jsonResponse(z.object({ keys: z.array(ApiKeySchema) }), 'Keys'), ...errorResponses() },
      }),
      async (c) => {
        const keys = await listApiKeys(ctx.db, { includeRevoked: c.req.valid('query').includeRevoked === 'true' });
        return c.json({ keys: keys.map(apiKeyView) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/',
        tags,
        summary: 'Create an API key',
        description: 'The key is in this response only; store it now.',
        ...admin,
        request: {
          body: jsonBody(
            z.object({
              name: z.string().trim().min(1).max(100),
              scopes: z.array(z.enum(API_SCOPES)).min(1).max(API_SCOPES.length),
            }),
          ),
        },
        responses: {
          201: jsonResponse(z.object({ key: z.string(), apiKey: ApiKeySchema }), 'Created'),
          ...errorResponses(),
        },
      }),
      async (c) => {
        const body = c.req.valid('json');
        const scopes = [...new Set(body.scopes)];
        const actor = actorOf(c.get('apiKey'));
        const { key, record } = await ctx.db.transaction().execute(async (trx) => {
          const created = await createApiKey(trx, { name: body.name, scopes });
          await writeAudit(trx, {
            actor,
            action: 'api_key.created',
            targetType: 'api_key',
            targetId: created.record.id,
            details: { name: body.name, scopes, prefix: created.record.prefix },
          });
          return created;
        });
        return c.json({ key, apiKey: apiKeyView(record) }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/{id}',
        tags,
        summary: 'Revoke an API key',
        ...admin,
        request: { params: IdParams },
        responses: { 200: jsonResponse(ApiKeySchema, 'Revoked'), ...errorResponses(404, 409) },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const actor = actorOf(c.get('apiKey'));
        const revoked = await ctx.db.transaction().execute(async (trx) => {
          const key = await revokeApiKey(trx, id, ctx.now());
          if (!key) {
            const exists = await getApiKeyById(trx, id);
            throw exists
              ? new ApiError(409, 'already_revoked', `API key ${exists.prefix}… is already revoked`)
              : new ApiError(404, 'not_found', `no API key ${id}`);
          }
          await writeAudit(trx, {
            actor,
            action: 'api_key.revoked',
            targetType: 'api_key',
            targetId: id,
            details: { name: key.name, prefix: key.prefix },
          });
          return key;
        });
        forgetApiKey(id);
        return c.json(apiKeyView(revoked), 200);
      },
    );
}
