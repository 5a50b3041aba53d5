import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import type { DocumentRef } from '../core/document.ts';
import { TEXT_FORMATS } from '../detection/normalize.ts';
import { QUEUES, type ScanJob } from '../jobs/queues.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { createRouter, errorResponses, jsonBody, jsonResponse } from './openapi-router.ts';
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

/**
 * `POST /api/v1/documents` (scope `ingest`): a generic way in for tools
 * leakwatch has no connector for. The document is durably queued (its text
 * sealed) before `202` is returned; scanning happens in the workers.
 */
export function documentsRoutes(ctx: ApiContext): OpenAPIHono<ApiEnv> {
  return createRouter().openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['ingest'],
      summary: 'Submit a document to scan',
      description: `Queued durably (text sealed) before 202. Bodies over ${ctx.maxDocumentBytes} bytes get 413.`,
      security: [{ bearerAuth: [] }],
      'x-required-scope': 'ingest',
      middleware: [
        requireScope(ctx, 'ingest'),
        bodyLimit({
          maxSize: ctx.maxDocumentBytes,
          onError: () => {
            throw new ApiError(413, 'payload_too_large', `document larger than ${ctx.maxDocumentBytes} bytes`);
          },
        }),
      ] as const,
      request: { body: jsonBody(DocumentSchema) },
      responses: {
        202: jsonResponse(z.object({ accepted: z.literal(true), id: z.string().nullable() }), 'Queued for scanning'),
        ...errorResponses(413),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
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
      let id: string | null;
      if (ctx.sink) {
        // Concurrent requests share one INSERT (the 202 still waits for it).
        [id = null] = await ctx.sink.submitWithIds([{ ref, format: body.format, text: body.text }]);
      } else {
        const job: ScanJob = {
          ref,
          format: body.format,
          sealedText: ctx.transit.seal(body.text),
          receivedAt: ctx.now().toISOString(),
        };
        id = await ctx.boss.send(QUEUES.scan, job);
      }
      return c.json({ accepted: true as const, id }, 202);
    },
  );
}
