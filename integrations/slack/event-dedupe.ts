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
/** Most event ids one statement reads or writes (well under PostgreSQL's 65,535 parameters). */
const MAX_IDS_PER_STATEMENT = 1000;
/** Statements of one kind in flight at once; calls arriving meanwhile wait and share the next one. */
const MAX_IN_FLIGHT = 2;

/**
 * Runs the calls made while earlier ones are still in flight (and at least
 * those of one turn of the event loop) as one: under a burst of webhook
 * requests, N concurrent events cost one statement instead of N, and the
 * connection pool is not exhausted by single-row queries. Every caller of a
 * batch gets the batch's result (or its error).
 */
function coalesced<T, R>(run: (items: readonly T[]) => Promise<R>): (item: T) => Promise<R> {
  let pending: T[] = [];
  let collecting: Promise<R> | undefined;
  let free = MAX_IN_FLIGHT;
  const waiting: Array<() => void> = [];
  const acquire = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((r) => waiting.push(r)));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  return (item) => {
    pending.push(item);
    collecting ??= (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await acquire();
      const batch = pending;
      pending = [];
      collecting = undefined;
      try {
        return await run(batch);
      } finally {
        release();
      }
    })();
    return collecting;
  };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += MAX_IDS_PER_STATEMENT) out.push(items.slice(i, i + MAX_IDS_PER_STATEMENT));
  return out;
}

/** Which of `eventIds` are already recorded. */
async function storedAmong(db: Kysely<Database>, eventIds: readonly string[]): Promise<Set<string>> {
  const stored = new Set<string>();
  for (const ids of chunks([...new Set(eventIds)])) {
    const rows = await db
      .selectFrom('inbound_events')
      .select('event_id')
      .where('platform', '=', PLATFORM)
      .where('event_id', 'in', ids)
      .execute();
    for (const row of rows) stored.add(row.event_id);
  }
  return stored;
}

async function markStored(db: Kysely<Database>, eventIds: readonly string[]): Promise<void> {
  for (const ids of chunks([...new Set(eventIds)])) {
    await db
      .insertInto('inbound_events')
      .values(ids.map((event_id) => ({ platform: PLATFORM, event_id })))
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .execute();
  }
}

/** The workspace URL for permalinks; once known it is used at once, without a lookup or a timer per event. */
function workspaceUrlLookup(deps: SlackEventStoreDeps): () => Promise<string | undefined> {
  let known: string | undefined;
  return async () => {
    if (known !== undefined) return known;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), deps.workspaceWaitMs ?? 1_000);
    });
    try {
      const workspace = await Promise.race([deps.workspace(), timeout]);
      known = workspace?.url;
      return known;
    } catch (error) {
      deps.logger.warn({ err: error }, 'Slack auth.test failed: storing the event without a permalink');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  };
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
 * are dropped. A first delivery is not looked up: Slack repeats an event only
 * as a numbered retry, and a repeat that slipped through (a replayed request
 * within the signature window) only re-submits what the idempotent pipeline
 * has already recorded.
 *
 * Concurrent events share their statements: one look-up of the retried ids, one
 * scan-job insert (the sink coalesces), one insert of the ids, whatever the
 * number of events in flight.
 */
export function createSlackEventStore(deps: SlackEventStoreDeps): SlackEventStore {
  const alreadyStored = coalesced((ids: readonly string[]) => storedAmong(deps.db, ids));
  const recordStored = coalesced((ids: readonly string[]) => markStored(deps.db, ids));
  const workspaceUrl = workspaceUrlLookup(deps);
  return async (envelope, delivery) => {
    const eventId = envelope.event_id;
    // Only a retry can repeat an event (Slack numbers every re-delivery): a first delivery skips the
    // look-up, so the ack of nearly every event waits on one statement fewer.
    const retried = (delivery.retryNum ?? 0) > 0;
    if (retried && (await alreadyStored(eventId)).has(eventId)) {
      deps.logger.debug(
        { eventId, retryNum: delivery.retryNum, retryReason: delivery.retryReason },
        'duplicate Slack event ignored',
      );
      return 'duplicate';
    }
    const plan = planSlackEvent(envelope, await workspaceUrl());
    if (plan.documents.length > 0) await deps.sink.submit(plan.documents);
    if (plan.files.length > 0)
      await deps.boss.insert(
        SLACK_FILE_QUEUE,
        plan.files.map((data) => ({ data })),
      );
    await recordStored(eventId);
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
