import { randomUUID } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from './body-limit.ts';
import type { ZodError } from 'zod';
import type { DocumentRef } from '../core/document.ts';
import type { InboundDocument } from '../core/integration.ts';
import { TEXT_FORMATS } from '../detection/normalize.ts';
import { QUEUES, type ScanJob } from '../jobs/queues.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { createRouter, errorResponses, jsonBody, jsonResponse, validationError } from './openapi-router.ts';
import { requireScope } from './require-scope.ts';

const shortText = (max: number) => z.string().trim().min(1).max(max);

const DocumentSchema = z
  .object({
    platform: shortText(64)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"')
      .openapi({ example: 'wiki' }),
    workspace: shortText(256).default('default'),
    container: shortText(512).openapi({ example: 'ENG' }),
    id: shortText(512).openapi({ example: 'page-42' }),
    version: shortText(128).optional(),
    url: z.url().max(2048).optional(),
    author: z
      .object({
        id: shortText(256).optional(),
        email: z.email().max(320).optional(),
        name: shortText(256).optional(),
      })
      .optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    format: z.enum(TEXT_FORMATS).default('plain'),
    text: z.string(),
  })
  .openapi('Document');

/** Most documents one request may carry. */
export const MAX_BATCH_DOCUMENTS = 100;

const BatchSchema = z
  .object({
    documents: z.array(DocumentSchema).min(1).max(MAX_BATCH_DOCUMENTS),
  })
  .openapi('DocumentBatch');

type DocumentBody = z.infer<typeof DocumentSchema>;

/**
 * A body failing both shapes fails the one it was meant as (a batch has
 * `documents`), so the error names that shape's field (`documents.3.text`).
 */
function meantShapeError(error: ZodError, body: unknown): ZodError {
  const issue = error.issues[0];
  if (error.issues.length !== 1 || issue?.code !== 'invalid_union') return error;
  const batch = typeof body === 'object' && body !== null && 'documents' in body;
  const issues = issue.errors[batch ? 0 : 1];
  return issues && issues.length > 0 ? new z.ZodError(issues) : error;
}

function toInbound(body: DocumentBody): InboundDocument {
  const ref: DocumentRef = {
    platform: body.platform,
    workspace: body.workspace,
    container: body.container,
    item: body.id,
    ...(body.version ? { version: body.version } : {}),
    ...(body.url ? { url: body.url } : {}),
    ...(body.author ? { author: body.author } : {}),
    ...(body.occurredAt ? { occurredAt: body.occurredAt } : {}),
  };
  return { ref, format: body.format, text: body.text };
}

/**
 * `POST /api/v1/documents` (scope `ingest`): a generic way in for tools
 * leakwatch has no connector for: one document, or `{ documents: [...] }`
 * (up to `MAX_BATCH_DOCUMENTS`, each validated; the whole body within the
 * size cap). `202` is returned once every document is durable: scanned and
 * its findings recorded (small documents, in a process running the pipeline),
 * or queued as a scan job with its text sealed. The `id` is the scan job's,
 * null for a document already scanned.
 */
export function documentsRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  const router = createRouter({ sealedFields: ['text'] });
  return router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['ingest'],
      summary: 'Submit documents to scan',
      description: `One document, or \`{documents: [...]}\` with up to ${MAX_BATCH_DOCUMENTS}. Durable (scanned and recorded, or queued with its text sealed) before 202. Bodies over ${ctx.maxDocumentBytes} bytes get 413.`,
      security: [{ bearerAuth: [] }],
      'x-required-scope': 'ingest',
      middleware: [
        requireScope(ctx, 'ingest'),
        bodyLimit({
          maxSize: ctx.maxDocumentBytes,
          onError: () => {
            throw new ApiError(413, 'payload_too_large', `body larger than ${ctx.maxDocumentBytes} bytes`);
          },
        }),
      ] as const,
      // A body with `documents` is a batch (tried first), whatever else it holds.
      request: { body: jsonBody(z.union([BatchSchema, DocumentSchema])) },
      responses: {
        202: jsonResponse(
          z.union([
            z.object({ accepted: z.literal(true), id: z.string().nullable() }),
            z.object({ accepted: z.literal(true), ids: z.array(z.string().nullable()) }),
          ]),
          'Durable: scanned and recorded, or queued for scanning (`ids` in the order of `documents`)',
        ),
        ...errorResponses(413),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const documents = 'documents' in body ? body.documents.map(toInbound) : [toInbound(body)];
      let ids: Array<string | null>;
      if (ctx.sink) {
        // Concurrent requests share one flush (the 202 still waits for it).
        ids = await ctx.sink.submitWithIds(documents);
      } else {
        const receivedAt = ctx.now().toISOString();
        const jobs = documents.map((d) => ({
          id: randomUUID(),
          data: { ref: d.ref, format: d.format, sealedText: ctx.transit.seal(d.text), receivedAt } satisfies ScanJob,
        }));
        await ctx.boss.insert(QUEUES.scan, jobs);
        ids = jobs.map((j) => j.id);
      }
      if ('documents' in body) return c.json({ accepted: true as const, ids }, 202);
      return c.json({ accepted: true as const, id: ids[0] ?? null }, 202);
    },
    (result, c) => {
      if (!result.success) {
        // The validator hands the raw body to the hook on failure too (not in its type).
        throw validationError(meantShapeError(result.error, (result as { data?: unknown }).data));
      }
      return router.defaultHook?.(result, c);
    },
  );
}
