import type { Kysely } from 'kysely';
import type { DocumentSink } from '../../src/core/integration.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import type { JiraClient } from './jira-client.ts';
import { JiraRateLimitError } from './jira-errors.ts';
import type { IssueReader } from './issue-reader.ts';
import { updatedSinceJql } from './jql.ts';

/**
 * Jira search is eventually consistent and JQL dates have minute resolution:
 * each poll re-reads this far behind its cursor and skips what it already
 * submitted (same issue id and `updated`).
 */
export const POLL_OVERLAP_MS = 5 * 60_000;
/** Pages one poll reads at most; the rest is picked up by the next poll from the advanced cursor. */
const MAX_PAGES_PER_POLL = 20;
/** A scheduled poll this close to its interval is not skipped (cron fires on the minute, polls take time). */
const INTERVAL_TOLERANCE_MS = 5_000;

/** What the `connector_cursors.cursor` of `jira:<host>` holds (JSON). */
export interface PollCursor {
  /** Newest `updated` (ISO) of any issue submitted so far. */
  since: string;
  /** `issueId@updated` of issues submitted within the overlap window behind `since`. */
  seen: string[];
  /** Set after a 429: no poll before this instant (ISO). */
  pausedUntil?: string;
  /** The last poll stopped at its page limit: the next one runs without waiting for the interval. */
  backlog?: boolean;
}

export interface PollContext {
  connector: string;
  client: JiraClient;
  reader: IssueReader;
  db: Kysely<Database>;
  sink: DocumentSink;
  logger: Logger;
  now(): Date;
  projects: readonly string[];
  pollIntervalSeconds: number;
  /** The account's time zone, in which Jira reads JQL dates. */
  timeZone: string | undefined;
}

export type PollOutcome =
  | { status: 'skipped'; reason: string }
  | { status: 'polled'; issues: number; documents: number; pages: number; more: boolean }
  | { status: 'rate_limited'; retryAfterMs: number; issues: number; documents: number }
  | { status: 'failed'; error: string; issues: number; documents: number };

/** JQL compares `updated` at minute resolution (time-zone offsets are whole minutes, so UTC flooring agrees). */
function floorToMinute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

function parseCursor(text: string | null | undefined): PollCursor | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<PollCursor>;
    if (typeof value.since !== 'string' || !Number.isFinite(Date.parse(value.since))) return undefined;
    return {
      since: value.since,
      seen: Array.isArray(value.seen) ? value.seen.filter((s): s is string => typeof s === 'string') : [],
      ...(typeof value.pausedUntil === 'string' ? { pausedUntil: value.pausedUntil } : {}),
      ...(value.backlog === true ? { backlog: true } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Records a poll that could not even start (e.g. the site could not be reached to tell Cloud from Data Center). */
export async function recordPollFailure(
  db: Kysely<Database>,
  connector: string,
  message: string,
  now: Date,
): Promise<void> {
  await saveCursor(db, connector, { lastPolledAt: now, lastError: message }, now);
}

async function saveCursor(
  db: Kysely<Database>,
  connector: string,
  values: { cursor?: PollCursor; lastPolledAt?: Date; lastError?: string | null },
  now: Date,
): Promise<void> {
  const set = {
    ...(values.cursor === undefined ? {} : { cursor: JSON.stringify(values.cursor) }),
    ...(values.lastPolledAt === undefined ? {} : { last_polled_at: values.lastPolledAt }),
    ...(values.lastError === undefined ? {} : { last_error: values.lastError }),
    updated_at: now,
  };
  await db
    .insertInto('connector_cursors')
    .values({ connector, cursor: null, last_polled_at: null, last_error: null, ...set })
    .onConflict((oc) => oc.column('connector').doUpdateSet(set))
    .execute();
}

/**
 * One incremental poll: issues with `updated >= cursor - overlap`, oldest
 * first, page by page. Each page's new issues become documents that are
 * submitted to the pipeline; only when `submit` has resolved is the cursor
 * (newest `updated`, plus the ids already sent within the overlap) written.
 * A crash or error mid-way therefore re-reads from the last saved page and
 * never skips an issue. Honours `LEAKWATCH_POLL_INTERVAL` (the schedule fires
 * every minute) and a site's `Retry-After`.
 */
export async function pollJira(ctx: PollContext): Promise<PollOutcome> {
  const started = ctx.now();
  const row = await ctx.db
    .selectFrom('connector_cursors')
    .selectAll()
    .where('connector', '=', ctx.connector)
    .executeTakeFirst();
  let cursor = parseCursor(row?.cursor) ?? {
    // The first poll starts now; earlier history is the backfill's job.
    since: started.toISOString(),
    seen: [],
  };
  if (row?.last_polled_at && !cursor.backlog) {
    const elapsed = started.getTime() - new Date(row.last_polled_at).getTime();
    if (elapsed >= 0 && elapsed < ctx.pollIntervalSeconds * 1000 - INTERVAL_TOLERANCE_MS) {
      return { status: 'skipped', reason: 'interval' };
    }
  }
  if (cursor.pausedUntil !== undefined && Date.parse(cursor.pausedUntil) > started.getTime()) {
    return { status: 'skipped', reason: 'rate_limited' };
  }
  cursor = { since: cursor.since, seen: cursor.seen };

  let lower = Date.parse(cursor.since) - POLL_OVERLAP_MS;
  let issues = 0;
  let documents = 0;
  let pages = 0;
  try {
    const fields = await ctx.reader.searchFields();
    let token: string | undefined;
    let more = false;
    do {
      const page = await ctx.client.search(updatedSinceJql(ctx.projects, new Date(lower), ctx.timeZone), fields, token);
      pages++;
      const seen = new Set(cursor.seen);
      const fresh = page.issues.filter((i) => !seen.has(`${i.id}@${i.updated}`));
      const docs = [];
      for (const issue of fresh) docs.push(...(await ctx.reader.documentsFor(issue)));
      if (docs.length > 0) await ctx.sink.submit(docs);
      // Durable now: move the cursor past this page.
      issues += fresh.length;
      documents += docs.length;
      let since = Date.parse(cursor.since);
      let pageNewest = Number.NEGATIVE_INFINITY;
      for (const issue of page.issues) {
        const at = Date.parse(issue.updated);
        if (Number.isFinite(at)) {
          since = Math.max(since, at);
          pageNewest = Math.max(pageNewest, at);
        }
        seen.add(`${issue.id}@${issue.updated}`);
      }
      // Remember what the next poll will read again: everything from the minute its overlap starts in.
      const horizon = floorToMinute(since - POLL_OVERLAP_MS);
      cursor = {
        since: new Date(since).toISOString(),
        seen: [...seen].filter((s) => {
          const at = Date.parse(s.slice(s.indexOf('@') + 1));
          return !Number.isFinite(at) || at >= horizon;
        }),
      };
      await saveCursor(ctx.db, ctx.connector, { cursor }, ctx.now());
      more = page.nextPageToken !== undefined;
      // Page forward by the `updated` bound itself where the page moved it (a fresh query from the newest
      // minute read), and by the page token only within one minute: offset paging over a result set that
      // changes while it is read (an issue edited mid-poll moves to the end) would shift an unread issue onto
      // a page already read.
      if (floorToMinute(pageNewest) > lower) {
        lower = floorToMinute(pageNewest);
        token = undefined;
      } else token = page.nextPageToken;
    } while (more && pages < MAX_PAGES_PER_POLL);
    await saveCursor(
      ctx.db,
      ctx.connector,
      { cursor: more ? { ...cursor, backlog: true } : cursor, lastPolledAt: started, lastError: null },
      ctx.now(),
    );
    return { status: 'polled', issues, documents, pages, more };
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof JiraRateLimitError) {
      const pausedUntil = new Date(ctx.now().getTime() + error.retryAfterMs).toISOString();
      await saveCursor(
        ctx.db,
        ctx.connector,
        { cursor: { ...cursor, pausedUntil }, lastPolledAt: started, lastError: message },
        ctx.now(),
      );
      ctx.logger.warn({ connector: ctx.connector, retryAfterMs: error.retryAfterMs }, 'jira poll rate limited');
      return { status: 'rate_limited', retryAfterMs: error.retryAfterMs, issues, documents };
    }
    await saveCursor(ctx.db, ctx.connector, { lastPolledAt: started, lastError: message }, ctx.now());
    ctx.logger.error(
      { connector: ctx.connector, err: error },
      'jira poll failed; the next poll resumes from the cursor',
    );
    return { status: 'failed', error: message, issues, documents };
  }
}
