import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { ApiScope } from '../db/api-keys-repository.ts';
import { unstorableTextPath } from '../db/storable-text.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { requireScope } from './require-scope.ts';

/** The 400 for a failed schema check, naming the first offending field (`author.email`, `limit`). */
export function validationError(error: ZodError): ApiError {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(body)';
  return new ApiError(400, 'invalid_request', `${field}: ${issue.message}`, field);
}

/** The 400 for a value PostgreSQL cannot store (NUL, unpaired surrogate), naming the field. */
function unstorableError(field: string): ApiError {
  return new ApiError(
    400,
    'invalid_request',
    `${field}: must not contain NUL characters or unpaired surrogates`,
    field,
  );
}

/**
 * A router whose routes are described in the OpenAPI document and whose
 * validation errors name the field. Validated bodies, queries and parameters
 * must also be storable as PostgreSQL text, except `sealedFields` (body
 * fields, at any depth, sealed into bytes and never stored as text).
 */
export function createRouter(options: { sealedFields?: readonly string[] } = {}) {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error);
      const field = unstorableTextPath(result.data, result.target === 'json' ? options.sealedFields : []);
      if (field !== undefined) throw unstorableError(field);
    },
  });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_request' }),
      message: z.string().openapi({ example: 'limit: Too big: expected number to be <=500' }),
      requestId: z.string(),
      field: z.string().optional().openapi({ description: 'The offending field, for validation errors' }),
    }),
  })
  .openapi('Error');

const ERROR_DESCRIPTIONS = {
  400: 'Invalid request (the message and `field` name the offending field)',
  401: 'Missing, unknown or revoked API key',
  403: 'The API key lacks the required scope',
  404: 'No such resource',
  409: 'The request conflicts with the resource’s current state',
  413: 'Request body too large',
  429: 'Too many failed authentications from this address (see Retry-After)',
  503: 'A capability the request needs is not configured',
} as const;
type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

/** Error responses for a route's OpenAPI description; every secured route can answer 400/401/403/429. */
export function errorResponses(...extra: ErrorStatus[]) {
  const statuses = new Set<ErrorStatus>([400, 401, 403, 429, ...extra]);
  return Object.fromEntries(
    [...statuses].map((status) => [
      status,
      { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: ErrorSchema } } },
    ]),
  ) as Record<ErrorStatus, { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } }>;
}

/** Route options for a route that needs an API key with `scope` (documented and enforced). */
export function secured(ctx: ApiContext, scope: ApiScope) {
  return {
    security: [{ bearerAuth: [] }],
    middleware: requireScope(ctx, scope),
    'x-required-scope': scope,
  };
}

/** `{ id }` path parameter: a UUID (anything else is a 400 naming `id`). */
export const IdParams = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b5e1c64-3c3c-4c1e-9d7a-2f8f5a1f2a10' }),
});

/** JSON body helper: `{ content: { 'application/json': { schema } }, required: true }`. */
export function jsonBody<S extends z.ZodType>(schema: S, description?: string) {
  return { content: { 'application/json': { schema } }, required: true, ...(description ? { description } : {}) };
}

/** JSON response helper. */
export function jsonResponse<S extends z.ZodType>(schema: S, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** An ISO-8601 timestamp or null, as the API writes dates. */
export const Timestamp = z.string().openapi({ format: 'date-time', example: '2026-01-31T12:00:00.000Z' });

export function iso(date: Date): string;
export function iso(date: Date | null): string | null;
export function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}
