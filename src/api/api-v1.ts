import type { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from './body-limit.ts';
import { API_SCOPES } from '../db/api-keys-repository.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { allowlistRoutes } from './allowlist-routes.ts';
import { ApiError } from './api-error.ts';
import { apiKeysRoutes } from './api-keys-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { connectorsRoutes } from './connectors-routes.ts';
import { documentsRoutes } from './documents-routes.ts';
import { findingsRoutes } from './findings-routes.ts';
import { hookDeliveriesRoutes } from './hook-deliveries-routes.ts';
import { identitiesRoutes } from './identities-routes.ts';
import { jobsRoutes } from './jobs-routes.ts';
import { createRouter } from './openapi-router.ts';
import { statsRoutes } from './stats-routes.ts';

/** Admin requests carry a note, an allowlist entry or an identity: far below this. (Documents have their own cap.) */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/**
 * The admin API, mounted at `/api/v1`: one sub-router per resource, each
 * route declared with its schemas, which both validate requests and make up
 * the OpenAPI 3.1 document served at `/api/v1/openapi.json`.
 */
export function apiV1(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  const api = createRouter();
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: `An API key (\`lwk_…\`). Each route names the scope it needs (x-required-scope); \`admin\` carries every scope. Scopes: ${API_SCOPES.join(', ')}.`,
  });
  api.route('/documents', documentsRoutes(ctx));
  // Refused before the key is looked up or a byte is parsed: Content-Length over the cap at once, a chunked body as soon as it crosses it.
  const adminBodyLimit = bodyLimit({
    maxSize: MAX_ADMIN_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, 'payload_too_large', `request body larger than ${MAX_ADMIN_BODY_BYTES} bytes`);
    },
  });
  const resources = [
    ['/findings', findingsRoutes(ctx)],
    ['/allowlist', allowlistRoutes(ctx)],
    ['/identities', identitiesRoutes(ctx)],
    ['/keys', apiKeysRoutes(ctx)],
    ['/connectors', connectorsRoutes(ctx)],
    ['/jobs', jobsRoutes(ctx)],
    ['/stats', statsRoutes(ctx)],
    ['/audit', auditRoutes(ctx)],
    ['/hook-deliveries', hookDeliveriesRoutes(ctx)],
  ] as const;
  for (const [path, routes] of resources) {
    api.use(path, adminBodyLimit);
    api.use(`${path}/*`, adminBodyLimit);
    api.route(path, routes);
  }
  api.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'leakwatch admin API',
      version: '1',
      description:
        'Triage leaked credentials found in Slack, Teams, Jira and Confluence. Errors are `{ error: { code, message, requestId } }`; validation errors also name the `field`. No response ever contains a secret.',
    },
    servers: [{ url: '/api/v1' }],
  });
  return api;
}
