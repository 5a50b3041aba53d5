import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from '../../src/api/body-limit.ts';
import type { Kysely } from 'kysely';
import type { DocumentSink, InboundDocument } from '../../src/core/integration.ts';
import type { Secret } from '../../src/core/secret.ts';
import type { Database } from '../../src/db/schema.ts';
import { unstorableTextPath } from '../../src/db/storable-text.ts';
import type { Logger } from '../../src/logger.ts';
import { parseComment, parseUserRef, type JiraClient, type JiraComment } from './jira-client.ts';
import { JiraRateLimitError } from './jira-errors.ts';
import { formatJiraItem } from './jira-items.ts';
import { isoTime, jiraPlainText } from './issue-documents.ts';
import type { IssueReader } from './issue-reader.ts';

/** Jira retries failed deliveries for up to about 30 minutes with the original payload: accept that, and no older. */
export const WEBHOOK_MAX_AGE_MS = 60 * 60_000;
/** Clock skew tolerated for timestamps from the future. */
const WEBHOOK_MAX_SKEW_MS = 5 * 60_000;
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface WebhookContext {
  secret: Secret;
  site: string;
  projects: readonly string[];
  db: Kysely<Database>;
  sink: DocumentSink;
  logger: Logger;
  now(): Date;
  /** The client and issue reader (resolved lazily: the first event may trigger deployment detection). */
  runtime(): Promise<{ client: JiraClient; reader: IssueReader }>;
}

interface WebhookBody {
  timestamp?: unknown;
  webhookEvent?: unknown;
  issue?: { id?: unknown; key?: unknown; fields?: { project?: { key?: unknown } } };
  comment?: unknown;
}

const HANDLED_EVENTS = new Set([
  'jira:issue_created',
  'jira:issue_updated',
  'jira:issue_deleted',
  'comment_created',
  'comment_updated',
  'comment_deleted',
]);

function error(c: Context, status: 400 | 401 | 413 | 500 | 503, code: string, message: string) {
  const requestId = (c.get as (key: string) => unknown)('requestId');
  return c.json({ error: { code, message, ...(typeof requestId === 'string' ? { requestId } : {}) } }, status);
}

/** `X-Hub-Signature: sha256=<hex>` = HMAC-SHA256 of the raw body with the webhook's secret; compared in constant time. */
export function verifyJiraSignature(secret: string, header: string | undefined, body: Uint8Array): boolean {
  const m = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(m[1]!, 'hex'), expected);
}

/**
 * `POST /webhooks/jira` for admin webhooks registered with a secret. The
 * signature is checked over the raw bytes before anything is parsed; the
 * payload's `timestamp` bounds replays and the delivery id
 * (`X-Atlassian-Webhook-Identifier`, unchanged across Jira's retries) is
 * recorded in `inbound_events` only after the affected documents have been
 * submitted, so an event is acknowledged only once it is durable and a
 * duplicate is answered without work. Bad input gets a 4xx and stores nothing.
 */
export function jiraWebhookRoutes(ctx: WebhookContext): Hono {
  const app = new Hono();
  // Refused before it is read: a Content-Length over the cap at once, a chunked body as soon as it crosses it.
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => error(c, 413, 'payload_too_large', 'webhook body is too large'),
  });
  app.post('/webhooks/jira', limit, async (c) => {
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (!verifyJiraSignature(ctx.secret.reveal(), c.req.header('x-hub-signature'), raw)) {
      return error(c, 401, 'invalid_signature', 'X-Hub-Signature does not match the body and JIRA_WEBHOOK_SECRET');
    }
    let body: WebhookBody;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw)) as WebhookBody;
    } catch {
      return error(c, 400, 'invalid_json', 'webhook body is not JSON');
    }
    if (body === null || typeof body !== 'object')
      return error(c, 400, 'invalid_payload', 'webhook body is not an object');
    const timestamp = typeof body.timestamp === 'number' ? body.timestamp : Number.NaN;
    if (!Number.isFinite(timestamp)) return error(c, 400, 'invalid_payload', 'webhook body has no timestamp');
    // Ids and names end up in stored references, which PostgreSQL cannot hold with NUL or lone surrogates
    // (the comment body is text to scan, sealed before it is stored, so it may hold anything).
    const unstorable = unstorableTextPath(withoutCommentBody(body));
    if (unstorable !== undefined) {
      return error(c, 400, 'invalid_payload', `${unstorable}: must not contain NUL characters or unpaired surrogates`);
    }
    const age = ctx.now().getTime() - timestamp;
    if (age > WEBHOOK_MAX_AGE_MS || age < -WEBHOOK_MAX_SKEW_MS) {
      return error(c, 401, 'stale_event', 'webhook timestamp is outside the accepted window');
    }
    const eventId =
      c.req.header('x-atlassian-webhook-identifier')?.trim() ||
      `sha256:${createHash('sha256').update(raw).digest('hex')}`;
    const known = await ctx.db
      .selectFrom('inbound_events')
      .select('event_id')
      .where('platform', '=', 'jira')
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (known) return c.json({ ok: true, duplicate: true });

    const event = typeof body.webhookEvent === 'string' ? body.webhookEvent : '';
    const key = typeof body.issue?.key === 'string' ? body.issue.key : undefined;
    if (!HANDLED_EVENTS.has(event) || key === undefined || !/^[A-Z][A-Z0-9_]*-\d+$/.test(key)) {
      return c.json({ ok: true, ignored: true });
    }
    const projectKey =
      typeof body.issue?.fields?.project?.key === 'string'
        ? body.issue.fields.project.key
        : key.slice(0, key.lastIndexOf('-'));
    if (ctx.projects.length > 0 && !ctx.projects.includes(projectKey)) return c.json({ ok: true, ignored: true });

    let docs: InboundDocument[];
    try {
      docs = await documentsForEvent(ctx, event, key, projectKey, body);
      await ctx.sink.submit(docs);
    } catch (err) {
      if (err instanceof JiraRateLimitError) {
        // Jira retries a 503; the event is not recorded, so the retry is processed in full.
        c.header('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
        return error(c, 503, 'rate_limited', 'Jira is rate limiting leakwatch; retry later');
      }
      ctx.logger.error({ err, event, issue: key }, 'jira webhook could not be processed');
      return error(c, 500, 'internal', 'the event could not be processed; Jira will retry');
    }
    await ctx.db
      .insertInto('inbound_events')
      .values({ platform: 'jira', event_id: eventId })
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .execute();
    return c.json({ ok: true, documents: docs.length });
  });
  return app;
}

function withoutCommentBody(body: WebhookBody): unknown {
  const comment = body.comment;
  if (comment === null || typeof comment !== 'object' || Array.isArray(comment)) return body;
  return { ...body, comment: { ...comment, body: undefined } };
}

async function documentsForEvent(
  ctx: WebhookContext,
  event: string,
  key: string,
  projectKey: string,
  body: WebhookBody,
): Promise<InboundDocument[]> {
  const { client, reader } = await ctx.runtime();
  if (event === 'jira:issue_deleted') return reader.documentsForDeletedIssue(key, projectKey);
  if (event === 'jira:issue_created' || event === 'jira:issue_updated') {
    // Issue payloads carry no comments, worklogs or attachment text: read the issue as the poller does.
    const issue = await client.getIssue(key, await reader.searchFields());
    return issue === null ? reader.documentsForDeletedIssue(key, projectKey) : reader.documentsFor(issue);
  }
  const fromPayload = parseComment(body.comment);
  if (fromPayload === undefined) return [];
  const base = { platform: 'jira', workspace: ctx.site, container: projectKey };
  const browse = `${client.siteUrl}/browse/${key}`;
  const item = formatJiraItem({ key, kind: 'comment', id: fromPayload.id });
  const url = `${browse}?focusedCommentId=${encodeURIComponent(fromPayload.id)}`;
  if (event === 'comment_deleted') return [{ ref: { ...base, item, url: browse }, text: '', format: 'plain' }];

  let comment: JiraComment | null = fromPayload;
  if (fromPayload.body === null) comment = await client.getComment(key, fromPayload.id);
  if (comment === null) return [{ ref: { ...base, item, url: browse }, text: '', format: 'plain' }];
  const writer = comment.updateAuthor ?? comment.author ?? parseUserRef((body as { user?: unknown }).user);
  const version = comment.updated ?? comment.created;
  const occurredAt = isoTime(version);
  return [
    {
      ref: {
        ...base,
        item,
        url,
        ...(version ? { version } : {}),
        ...(occurredAt ? { occurredAt } : {}),
        ...(writer
          ? {
              author: {
                id: writer.id,
                ...(writer.email ? { email: writer.email } : {}),
                ...(writer.name ? { name: writer.name } : {}),
              },
            }
          : {}),
      },
      text: jiraPlainText(comment.body),
      format: 'plain',
    },
  ];
}
