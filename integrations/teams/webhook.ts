import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from '../../src/api/body-limit.ts';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { unstorableTextPath } from '../../src/db/storable-text.ts';
import type { FetchJob } from './message-fetch.ts';
import { parseResource } from './message-documents.ts';
import { TEAMS_QUEUES, type TeamsContext } from './teams-context.ts';
import type { SubscriptionsJob } from './subscriptions.ts';
import type { CatchupJob } from './delta.ts';

/** Graph batches notifications; a megabyte is far beyond any real batch. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Graph retries an undelivered notification for up to four hours: anything older is a replay. */
const REPLAY_WINDOW_MS = 4 * 3600_000;
/** Graph's validation tokens are short opaque strings; echoing anything longer is never needed. */
const MAX_VALIDATION_TOKEN = 2048;

const LIFECYCLE_EVENTS = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] as const;

/** One item of a changeNotificationCollection (basic or lifecycle notification). */
const NotificationSchema = z.object({
  id: z.string().max(256).optional(),
  subscriptionId: z.string().min(1).max(256),
  clientState: z.string().max(256).nullish(),
  tenantId: z.string().max(256).optional(),
  subscriptionExpirationDateTime: z.string().max(64).optional(),
  changeType: z.string().max(64).optional(),
  resource: z.string().max(2048).optional(),
  resourceData: z.record(z.string(), z.unknown()).nullish(),
  encryptedContent: z.unknown().optional(),
  lifecycleEvent: z.string().max(64).optional(),
});
const CollectionSchema = z.object({ value: z.array(NotificationSchema).min(1).max(1000) });
type Notification = z.infer<typeof NotificationSchema>;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
/** Constant-time comparison of the echoed clientState with ours (hashed first: lengths may differ). */
function sameClientState(received: string | null | undefined, expected: string): boolean {
  return typeof received === 'string' && timingSafeEqual(digest(received), digest(expected));
}

function fail(c: Context, status: ContentfulStatusCode, code: string, message: string) {
  const requestId = (c.get('requestId' as never) as string | undefined) ?? randomUUID();
  return c.json({ error: { code, message, requestId } }, status);
}

/**
 * `POST /webhooks/teams` (and `/webhooks/teams/lifecycle`): Graph's change
 * and lifecycle notifications.
 *
 * - `?validationToken=…` (subscription handshake): the token echoed as
 *   text/plain at once; Graph gives us ten seconds.
 * - Every item must carry our clientState (compared in constant time) and our
 *   tenant; one bad item rejects the whole batch with 401 and nothing is stored.
 * - Change notifications become `teams-fetch` jobs (the message is read from
 *   Graph, never taken from the notification); lifecycle events become
 *   subscription or catch-up jobs. Jobs are enqueued before the 202, so a
 *   crash before the answer means Graph redelivers rather than we lose it.
 * - Notification ids (when Graph sends them) are recorded in
 *   `inbound_events`, so a redelivered batch enqueues nothing twice; message
 *   versions are de-duplicated again when fetched.
 */
export function teamsWebhookRoutes(ctx: TeamsContext): Hono {
  const app = new Hono();
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => fail(c, 413, 'payload_too_large', `notification batch larger than ${MAX_BODY_BYTES} bytes`),
  });

  const receive = async (c: Context) => {
    const validationToken = c.req.query('validationToken');
    if (validationToken !== undefined) {
      if (validationToken.length === 0 || validationToken.length > MAX_VALIDATION_TOKEN) {
        return fail(c, 400, 'invalid_validation_token', 'validationToken must be 1 to 2048 characters');
      }
      return c.body(validationToken, 200, {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
      });
    }

    const raw = await c.req.text();
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(c, 400, 'invalid_json', 'the body is not JSON');
    }
    const parsed = CollectionSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fail(
        c,
        400,
        'invalid_notification',
        `not a change notification collection (${issue?.path.join('.')}: ${issue?.message})`,
      );
    }
    const items = parsed.data.value;
    // Ids, resources and change types are stored (jobs, inbound_events): PostgreSQL cannot hold NUL or lone surrogates.
    const unstorable = unstorableTextPath(items);
    if (unstorable !== undefined) {
      return fail(
        c,
        400,
        'invalid_notification',
        `value.${unstorable}: must not contain NUL characters or unpaired surrogates`,
      );
    }

    const expected = await ctx.clientState();
    if (!items.every((item) => sameClientState(item.clientState, expected))) {
      ctx.logger.warn({ items: items.length }, 'Teams notification with a wrong clientState rejected');
      return fail(c, 401, 'invalid_client_state', 'clientState does not match');
    }
    if (items.some((item) => item.tenantId && item.tenantId.toLowerCase() !== ctx.config.tenantId.toLowerCase())) {
      return fail(c, 401, 'wrong_tenant', 'notification for another tenant');
    }
    const oldest = ctx.now().getTime() - REPLAY_WINDOW_MS;
    if (
      items.some(
        (item) => item.subscriptionExpirationDateTime && Date.parse(item.subscriptionExpirationDateTime) < oldest,
      )
    ) {
      return fail(c, 400, 'stale_notification', 'notification for a subscription that expired more than 4 hours ago');
    }
    for (const item of items) {
      if (item.lifecycleEvent) {
        if (!(LIFECYCLE_EVENTS as readonly string[]).includes(item.lifecycleEvent)) {
          return fail(c, 400, 'invalid_notification', `unknown lifecycleEvent ${item.lifecycleEvent}`);
        }
      } else if (!item.resource || !parseResource(item.resource)) {
        return fail(c, 400, 'invalid_notification', 'resource is not a Teams channel or chat message');
      }
    }

    const ids = items.flatMap((item) => (item.id ? [`notification:${item.id}`] : []));
    const seen = new Set(
      ids.length === 0
        ? []
        : (
            await ctx.db
              .selectFrom('inbound_events')
              .select('event_id')
              .where('platform', '=', 'teams')
              .where('event_id', 'in', ids)
              .execute()
          ).map((r) => r.event_id),
    );
    const fresh = items.filter((item) => !item.id || !seen.has(`notification:${item.id}`));
    for (const item of fresh) await enqueue(ctx, item);
    const recorded = fresh.flatMap((item) =>
      item.id ? [{ platform: 'teams', event_id: `notification:${item.id}` }] : [],
    );
    if (recorded.length > 0) {
      await ctx.db
        .insertInto('inbound_events')
        .values(recorded)
        .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
        .execute();
    }
    return c.body(null, 202);
  };

  app.post('/webhooks/teams', limit, receive);
  app.post('/webhooks/teams/lifecycle', limit, receive);
  return app;
}

async function enqueue(ctx: TeamsContext, item: Notification): Promise<void> {
  switch (item.lifecycleEvent) {
    case undefined: {
      const job: FetchJob = { resource: item.resource!, ...(item.changeType ? { changeType: item.changeType } : {}) };
      // One queued fetch per message is enough: it reads the latest state when it runs.
      await ctx.boss.send(TEAMS_QUEUES.fetch, job, { singletonKey: item.resource! });
      return;
    }
    case 'missed': {
      const job: CatchupJob = { reason: 'missed' };
      await ctx.boss.send(TEAMS_QUEUES.catchup, job);
      return;
    }
    case 'reauthorizationRequired':
    case 'subscriptionRemoved': {
      const job: SubscriptionsJob = { reason: item.lifecycleEvent, subscriptionId: item.subscriptionId };
      await ctx.boss.send(TEAMS_QUEUES.subscriptions, job);
      return;
    }
  }
}
