import { createHmac, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from '../../src/api/body-limit.ts';
import type { Kysely } from 'kysely';
import type { DocumentSink } from '../../src/core/integration.ts';
import type { Secret } from '../../src/core/secret.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import type { ConfluenceApi, ContentRef } from './confluence-api.ts';
import { ConfluenceRateLimitedError } from './confluence-http.ts';
import { submitContentWithHistory } from './page-documents.ts';
import { PLATFORM, type VersionLedger } from './version-ledger.ts';

export const WEBHOOK_PATH = '/webhooks/confluence';

/** Deliveries whose payload timestamp is further than this from our clock are refused (replay bound). */
export const WEBHOOK_TOLERANCE_MS = 5 * 60 * 1000;

/** Largest body accepted; Data Center payloads carry ids, not content. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * Checks Data Center's `X-Hub-Signature` (HMAC-SHA256 of the raw body with the
 * webhook secret, hex, with or without the `sha256=` prefix) in constant time.
 */
export function verifyHubSignature(secret: Secret, rawBody: string, header: string | undefined | null): boolean {
  if (!header) return false;
  const provided = header.trim().replace(/^sha256=/i, '');
  if (!/^[0-9a-f]{64}$/i.test(provided)) return false;
  const expected = createHmac('sha256', secret.reveal()).update(rawBody, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(provided, 'hex'));
}

/** Which content an event is about (`page_updated` → page, `blog_created` → blog post, `comment_*` → comment). */
const EVENT_CONTENT: Record<string, { field: 'page' | 'blog' | 'comment'; kind: ContentRef['kind'] }> = {
  page_created: { field: 'page', kind: 'page' },
  page_updated: { field: 'page', kind: 'page' },
  page_restored: { field: 'page', kind: 'page' },
  blueprint_page_created: { field: 'page', kind: 'page' },
  blog_created: { field: 'blog', kind: 'blogpost' },
  blog_updated: { field: 'blog', kind: 'blogpost' },
  blog_restored: { field: 'blog', kind: 'blogpost' },
  comment_created: { field: 'comment', kind: 'comment' },
  comment_updated: { field: 'comment', kind: 'comment' },
};

interface WebhookPayload {
  event?: unknown;
  timestamp?: unknown;
  page?: { id?: unknown };
  blog?: { id?: unknown };
  comment?: { id?: unknown };
}

export interface WebhookDeps {
  api: ConfluenceApi;
  db: Kysely<Database>;
  sink: DocumentSink;
  ledger: VersionLedger;
  logger: Logger;
  secret: Secret;
  /** Configured space keys; events from other spaces are acknowledged and not read further. */
  spaces: readonly string[];
  now(): Date;
}

function reject(c: Context, status: 400 | 401 | 413 | 503, code: string, message: string) {
  return c.json({ error: { code, message } }, status);
}

/**
 * `POST /webhooks/confluence` for Data Center webhooks (7.7+). The signature
 * is checked over the raw body before anything is parsed or stored; the
 * payload timestamp bounds replays; a delivery seen before is acknowledged
 * without work. For content events the page/blog post/comment is read (with
 * its unread history) and submitted before the 2xx answer, so an acknowledged
 * event is never lost; when Confluence cannot be read the answer is 503 and
 * nothing is recorded (the poller is the safety net).
 */
export function confluenceWebhookRoutes(deps: WebhookDeps): Hono {
  const app = new Hono();
  // Refused before it is read: a Content-Length over the cap at once, a chunked body as soon as it crosses it.
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => reject(c, 413, 'payload_too_large', 'webhook body is too large'),
  });
  app.post(WEBHOOK_PATH, limit, async (c) => {
    const raw = await c.req.text();
    if (!verifyHubSignature(deps.secret, raw, c.req.header('x-hub-signature'))) {
      return reject(c, 401, 'invalid_signature', 'X-Hub-Signature is missing or does not match the body');
    }

    let payload: WebhookPayload;
    try {
      payload = JSON.parse(raw) as WebhookPayload;
    } catch {
      return reject(c, 400, 'invalid_json', 'webhook body is not JSON');
    }
    if (typeof payload !== 'object' || payload === null || typeof payload.event !== 'string') {
      return reject(c, 400, 'invalid_payload', 'webhook body has no event');
    }
    const timestamp = typeof payload.timestamp === 'number' ? payload.timestamp : Number.NaN;
    if (!Number.isFinite(timestamp)) return reject(c, 400, 'invalid_payload', 'webhook body has no timestamp');
    if (Math.abs(deps.now().getTime() - timestamp) > WEBHOOK_TOLERANCE_MS) {
      return reject(c, 400, 'stale_event', 'webhook timestamp is outside the 5 minute window');
    }

    const target = EVENT_CONTENT[payload.event];
    if (!target) return c.json({ ok: true, ignored: payload.event });
    const rawId = payload[target.field]?.id;
    const id = typeof rawId === 'number' || typeof rawId === 'string' ? String(rawId) : '';
    if (!/^\d+$/.test(id)) return reject(c, 400, 'invalid_payload', `webhook body has no ${target.field}.id`);

    const eventId = `webhook:${payload.event}:${id}:${timestamp}`;
    const seen = await deps.db
      .selectFrom('inbound_events')
      .select('event_id')
      .where('platform', '=', PLATFORM)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (seen) return c.json({ ok: true, duplicate: true });

    let documents = 0;
    try {
      const current = await deps.api.getContent({ kind: target.kind, id });
      // Deleted again before we looked, or outside the watched spaces: nothing to scan, the event is handled.
      const watched = current && (deps.spaces.length === 0 || deps.spaces.includes(current.spaceKey));
      if (current && watched) documents = await submitContentWithHistory(deps, current);
    } catch (error) {
      deps.logger.warn({ err: error, platform: 'confluence', event: payload.event }, 'confluence webhook fetch failed');
      const retryAfter = error instanceof ConfluenceRateLimitedError ? Math.ceil(error.retryAfterMs / 1000) : 60;
      c.header('retry-after', String(retryAfter));
      return reject(c, 503, 'upstream_unavailable', 'could not read the content from Confluence; retry later');
    }
    await deps.db
      .insertInto('inbound_events')
      .values({ platform: PLATFORM, event_id: eventId })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .execute();
    return c.json({ ok: true, documents });
  });
  return app;
}
