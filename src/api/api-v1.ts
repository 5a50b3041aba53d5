import type { OpenAPIHono } from '@hono/zod-openapi';
import { API_SCOPES } from '../db/api-keys-repository.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { allowlistRoutes } from './allowlist-routes.ts';
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
  api.route('/findings', findingsRoutes(ctx));
  api.route('/allowlist', allowlistRoutes(ctx));
  api.route('/identities', identitiesRoutes(ctx));
  api.route('/keys', apiKeysRoutes(ctx));
  api.route('/connectors', connectorsRoutes(ctx));
  api.route('/jobs', jobsRoutes(ctx));
  api.route('/stats', statsRoutes(ctx));
  api.route('/audit', auditRoutes(ctx));
  api.route('/hook-deliveries', hookDeliveriesRoutes(ctx));
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
