import type { Kysely } from 'kysely';
import type { DocumentSink } from '../../src/core/integration.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import type { ConfluenceApi } from './confluence-api.ts';
import { ConfluenceHttpError, ConfluenceRateLimitedError } from './confluence-http.ts';
import { submitContentWithHistory } from './page-documents.ts';
import type { VersionLedger } from './version-ledger.ts';

export const POLL_QUEUE = 'confluence-poll';

/** The `connector_cursors` row of a site. */
export function cursorName(host: string): string {
  return `confluence:${host}`;
}

/** A pg-boss cron for the poll interval; schedules have minute resolution, so the interval is rounded up. */
export function pollCron(intervalSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(intervalSeconds / 60));
  if (minutes === 1) return '* * * * *';
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.min(24, Math.ceil(minutes / 60));
  return hours >= 24 ? '0 0 * * *' : `0 */${hours} * * *`;
}

export interface PollerDeps {
  api: ConfluenceApi;
  db: Kysely<Database>;
  sink: DocumentSink;
  ledger: VersionLedger;
  logger: Logger;
  now(): Date;
  spaces: readonly string[];
  overlapSeconds: number;
}

export interface PollResult {
  status: 'ok' | 'rate_limited';
  /** Content items read (new versions). */
  items: number;
  documents: number;
  /** Items that could not be read (permissions, gone), reported not fatal. */
  skipped: number;
  cursor: string | null;
  retryAfterMs?: number;
}

async function readCursor(db: Kysely<Database>, connector: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('connector_cursors')
    .select('cursor')
    .where('connector', '=', connector)
    .executeTakeFirst();
  return row?.cursor ? new Date(row.cursor) : undefined;
}

/** Moves the cursor forward (never back: an overlapping run cannot rewind it). */
async function advanceCursor(db: Kysely<Database>, connector: string, to: Date, at: Date): Promise<void> {
  const cursor = to.toISOString();
  await db
    .insertInto('connector_cursors')
    .values({ connector, cursor, updated_at: at })
    .onConflict((oc) =>
      oc
        .column('connector')
        .doUpdateSet({ cursor, updated_at: at })
        .where((eb) =>
          eb.or([eb('connector_cursors.cursor', 'is', null), eb('connector_cursors.cursor', '<', cursor)]),
        ),
    )
    .execute();
}

async function recordPoll(db: Kysely<Database>, connector: string, at: Date, error: string | null): Promise<void> {
  await db
    .insertInto('connector_cursors')
    .values({ connector, last_polled_at: at, last_error: error, updated_at: at })
    .onConflict((oc) => oc.column('connector').doUpdateSet({ last_polled_at: at, last_error: error, updated_at: at }))
    .execute();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

/**
 * One incremental read of a site: CQL `lastmodified >= cursor − overlap`,
 * oldest first, every result page followed. Each new (content, version) is
 * read with its unread history and submitted; the cursor moves to the newest
 * modification of a result page only after that page's documents are durable,
 * so a crash or a failed submit re-reads, never skips. Versions seen in an
 * earlier overlap are skipped by the ledger. 429 ends the run early (the next
 * scheduled run continues); per-item errors are counted and reported.
 */
export async function pollConfluence(deps: PollerDeps): Promise<PollResult> {
  const { api, db, ledger, logger } = deps;
  const connector = cursorName(api.host);
  const startedAt = deps.now();
  const cursor = await readCursor(db, connector);
  const since = new Date((cursor ?? startedAt).getTime() - deps.overlapSeconds * 1000);
  let newest = cursor;
  let items = 0;
  let documents = 0;
  const skipped: string[] = [];

  try {
    let next: string | undefined;
    do {
      const page = await api.searchModifiedSince(since, deps.spaces, next);
      for (const hit of page.items) {
        const key = ledger.currentKey(hit.ref.id, hit.version);
        if (!(await ledger.unseen(db, [key])).has(key)) continue;
        try {
          const current = await api.getContent(hit.ref);
          if (!current) continue;
          documents += await submitContentWithHistory(deps, current);
          items++;
        } catch (error) {
          if (!(error instanceof ConfluenceHttpError)) throw error;
          skipped.push(`${hit.ref.kind} ${hit.ref.id}: ${error.status}`);
          logger.warn(
            { platform: 'confluence', content: hit.ref, status: error.status },
            'confluence content unreadable',
          );
        }
      }
      for (const hit of page.items) {
        const at = new Date(hit.lastModified);
        if (!Number.isNaN(at.getTime()) && (newest === undefined || at > newest)) newest = at;
      }
      if (newest) await advanceCursor(db, connector, newest, deps.now());
      next = page.next;
    } while (next);
    // Everything up to the start of this run was returned and submitted; the overlap covers indexing lag.
    if (newest === undefined || startedAt > newest) newest = startedAt;
    await advanceCursor(db, connector, newest, deps.now());
    await recordPoll(
      db,
      connector,
      startedAt,
      skipped.length > 0 ? `${skipped.length} item(s) could not be read: ${skipped.slice(0, 5).join(', ')}` : null,
    );
    return { status: 'ok', items, documents, skipped: skipped.length, cursor: newest.toISOString() };
  } catch (error) {
    await recordPoll(db, connector, startedAt, errorText(error));
    if (error instanceof ConfluenceRateLimitedError) {
      logger.warn({ platform: 'confluence', retryAfterMs: error.retryAfterMs }, 'confluence poll rate limited');
      return {
        status: 'rate_limited',
        items,
        documents,
        skipped: skipped.length,
        cursor: (await readCursor(db, connector))?.toISOString() ?? null,
        retryAfterMs: error.retryAfterMs,
      };
    }
    throw error;
  }
}
