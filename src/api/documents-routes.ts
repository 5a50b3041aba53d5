import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { DocumentRef } from '../core/document.ts';
import { TEXT_FORMATS } from '../detection/normalize.ts';
import { QUEUES, type ScanJob } from '../jobs/queues.ts';
import { ApiError } from './api-error.ts';
import type { ApiContext, ApiEnv } from './api-context.ts';
import { parseJsonBody } from './parse-body.ts';
import { requireScope } from './require-scope.ts';

const shortText = (max: number) => z.string().trim().min(1).max(max);

const documentSchema = z.object({
  platform: shortText(64).regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lowercase letters, digits, ".", "_" or "-"'),
  workspace: shortText(256).default('default'),
  container: shortText(512),
  id: shortText(512),
  version: shortText(128).optional(),
  url: z.string().url().max(2048).optional(),
  author: z
    .object({
      id: shortText(256).optional(),
      email: z.string().email().max(320).optional(),
      name: shortText(256).optional(),
    })
    .optional(),
  occurredAt: z.string().datetime({ offset: true }).optional(),
  format: z.enum(TEXT_FORMATS).default('plain'),
  text: z.string(),
});

/**
 * `POST /api/v1/documents` (scope `ingest`): a generic way in for tools
 * leakwatch has no connector for. The document is durably queued (its text
 * sealed) before `202` is returned; scanning happens in the workers.
 */
export function documentsRoutes(ctx: ApiContext) {
  return new Hono<ApiEnv>().post(
    '/',
    requireScope(ctx, 'ingest'),
    bodyLimit({
      maxSize: ctx.maxDocumentBytes,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', `document larger than ${ctx.maxDocumentBytes} bytes`);
      },
    }),
    async (c) => {
      const body = await parseJsonBody(c, documentSchema);
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
      const job: ScanJob = {
        ref,
        format: body.format,
        sealedText: ctx.transit.seal(body.text),
        receivedAt: ctx.now().toISOString(),
      };
      const id = await ctx.boss.send(QUEUES.scan, job);
      return c.json({ accepted: true, id }, 202);
    },
  );
}
