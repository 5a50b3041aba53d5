import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DocumentSink } from '../../src/core/integration.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import { planSlackEvent, SLACK_FILE_QUEUE, type SlackEventEnvelope } from './message-events.ts';
import type { SlackWorkspace } from './slack-client.ts';

export interface SlackEventStoreDeps {
  db: Kysely<Database>;
  sink: DocumentSink;
  boss: PgBoss;
  logger: Logger;
  /** The bot's workspace (for permalinks); remembered after the first lookup. */
  workspace: () => Promise<SlackWorkspace>;
  /** How long an event may wait for the workspace lookup before it is stored without permalinks. */
  workspaceWaitMs?: number;
}

/** How Slack delivered the event (`X-Slack-Retry-Num`, `X-Slack-Retry-Reason`, or the Socket Mode equivalents). */
export interface EventDelivery {
  retryNum?: number;
  retryReason?: string;
}

export type StoreOutcome = 'stored' | 'duplicate' | 'nothing_to_scan';

/**
 * Stores one Events API event durably; the caller acknowledges it to Slack
 * only after this resolves, and answers an error (so Slack retries) if it throws.
 */
export type SlackEventStore = (envelope: SlackEventEnvelope, delivery: EventDelivery) => Promise<StoreOutcome>;

const PLATFORM = 'slack';

async function alreadyStored(db: Kysely<Database>, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('inbound_events')
    .select('event_id')
    .where('platform', '=', PLATFORM)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row !== undefined;
}

async function markStored(db: Kysely<Database>, eventId: string): Promise<void> {
  await db
    .insertInto('inbound_events')
    .values({ platform: PLATFORM, event_id: eventId })
    .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
    .execute();
}

async function workspaceUrl(deps: SlackEventStoreDeps): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), deps.workspaceWaitMs ?? 1_000);
  });
  try {
    const workspace = await Promise.race([deps.workspace(), timeout]);
    return workspace?.url;
  } catch (error) {
    deps.logger.warn({ err: error }, 'Slack auth.test failed: storing the event without a permalink');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * De-duplicates Slack events on `inbound_events(platform='slack', event_id)`
 * and submits what they contain before they are acknowledged.
 *
 * Order matters for invariant 2: the documents (and file jobs) are submitted
 * first and the event id is recorded after, so a crash in between makes Slack's
 * retry submit the event again (harmless: the pipeline is idempotent) rather
 * than find it "seen" and lose it. Retries after a successful store
 * (`X-Slack-Retry-Num` ≥ 1, or a re-delivery after a slow answer) find the id and
 * are dropped.
 */
export function createSlackEventStore(deps: SlackEventStoreDeps): SlackEventStore {
  return async (envelope, delivery) => {
    const eventId = envelope.event_id;
    if (await alreadyStored(deps.db, eventId)) {
      deps.logger.debug(
        { eventId, retryNum: delivery.retryNum, retryReason: delivery.retryReason },
        'duplicate Slack event ignored',
      );
      return 'duplicate';
    }
    const plan = planSlackEvent(envelope, await workspaceUrl(deps));
    if (plan.documents.length > 0) await deps.sink.submit(plan.documents);
    if (plan.files.length > 0)
      await deps.boss.insert(
        SLACK_FILE_QUEUE,
        plan.files.map((data) => ({ data })),
      );
    await markStored(deps.db, eventId);
    return plan.documents.length + plan.files.length > 0 ? 'stored' : 'nothing_to_scan';
  };
}

/** Queue of the daily clean-up of old event ids (Slack stops retrying after about an hour). */
export const SLACK_EVENTS_PRUNE_QUEUE = 'slack-events-prune';
export const SLACK_EVENT_RETENTION_DAYS = 7;

/** Forgets Slack event ids received before `olderThan`; returns how many. */
export async function pruneSlackInboundEvents(db: Kysely<Database>, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('inbound_events')
    .where('platform', '=', PLATFORM)
    .where('received_at', '<', olderThan)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
