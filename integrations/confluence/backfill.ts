import type { Kysely } from 'kysely';
import { fromKysely, type PgBoss } from 'pg-boss';
import type { DocumentSink } from '../../src/core/integration.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import type { ConfluenceApi, ContentVersion } from './confluence-api.ts';
import { ConfluenceHttpError, ConfluenceRateLimitedError } from './confluence-http.ts';
import { submitContentWithHistory } from './page-documents.ts';
import { PLATFORM, type VersionLedger } from './version-ledger.ts';

export const BACKFILL_QUEUE = 'confluence-backfill';

/** One listing to walk: the pages or the blog posts of a space, from `next` on. */
interface BackfillTask {
  spaceKey: string;
  kind: 'page' | 'blogpost';
  next?: string;
}

/** `backfill_runs.state`: where to resume. `step` numbers the jobs so a stale duplicate does nothing. */
interface BackfillState {
  step: number;
  /** Undefined until the space list is known (a run over every readable space lists them first). */
  tasks?: BackfillTask[];
  skipped: number;
}

interface BackfillScope {
  host: string;
  /** Space keys, or every space the credentials can read. */
  spaces: string[] | 'all';
  since?: string;
}

export interface BackfillJob {
  runId: string;
  step: number;
}

export interface BackfillOptions {
  /** Space keys (`--spaces A,B`); default: the configured spaces, else every readable space. */
  spaces?: readonly string[];
  /** Only content last modified at or after this time (`--since`). */
  since?: Date;
}

/**
 * `leakwatch backfill confluence [--spaces A,B] [--since …]`: records a
 * resumable run in `backfill_runs` and queues its first step, in one
 * transaction. Returns the run id; progress is in `backfill_runs`.
 */
export async function startConfluenceBackfill(
  deps: { db: Kysely<Database>; boss: PgBoss },
  site: { host: string; spaces: readonly string[] },
  options: BackfillOptions = {},
): Promise<{ runId: string }> {
  const spaces = options.spaces?.length ? [...options.spaces] : site.spaces.length ? [...site.spaces] : 'all';
  const scope: BackfillScope = {
    host: site.host,
    spaces,
    ...(options.since ? { since: options.since.toISOString() } : {}),
  };
  const state: BackfillState = {
    step: 0,
    skipped: 0,
    ...(spaces === 'all' ? {} : { tasks: tasksFor(spaces) }),
  };
  return deps.db.transaction().execute(async (trx) => {
    const run = await trx
      .insertInto('backfill_runs')
      .values({ platform: PLATFORM, scope: JSON.stringify(scope), state: JSON.stringify(state) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const job: BackfillJob = { runId: run.id, step: 0 };
    await deps.boss.send(BACKFILL_QUEUE, job, { db: fromKysely(trx) });
    return { runId: run.id };
  });
}

function tasksFor(spaces: readonly string[]): BackfillTask[] {
  return spaces.flatMap((spaceKey) => [
    { spaceKey, kind: 'page' as const },
    { spaceKey, kind: 'blogpost' as const },
  ]);
}

export interface BackfillDeps {
  api: ConfluenceApi;
  db: Kysely<Database>;
  boss: PgBoss;
  sink: DocumentSink;
  ledger: VersionLedger;
  logger: Logger;
  now(): Date;
}

export interface BackfillStepResult {
  status: 'running' | 'paused' | 'done' | 'stale';
  items: number;
  documents: number;
}

function parseJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * One step of a run: one result page of one listing, each item with its
 * whole history and its comments. The new position and the next step's job
 * are written in one transaction, so a crash repeats a step (idempotent: the
 * ledger skips what was read) and never loses one. A 429 pauses the run and
 * reschedules the same step after `Retry-After`.
 */
export async function runBackfillStep(deps: BackfillDeps, job: BackfillJob): Promise<BackfillStepResult> {
  const { db, api } = deps;
  const run = await db.selectFrom('backfill_runs').selectAll().where('id', '=', job.runId).executeTakeFirst();
  if (!run || run.status === 'done' || run.status === 'failed') return { status: 'stale', items: 0, documents: 0 };
  const scope = parseJson<BackfillScope>(run.scope);
  const state = parseJson<BackfillState>(run.state);
  if (state.step !== job.step) return { status: 'stale', items: 0, documents: 0 };
  const since = scope.since ? new Date(scope.since) : undefined;

  let items = 0;
  let documents = 0;
  let skipped = 0;
  try {
    const tasks = state.tasks ?? tasksFor(await api.listSpaceKeys());
    const [task, ...rest] = tasks;
    let remaining: BackfillTask[] = [];
    if (task) {
      const page = await api.listSpaceContent(task.spaceKey, task.kind, task.next);
      for (const content of page.items) {
        try {
          documents += await readWithComments(deps, content, since);
          items++;
        } catch (error) {
          if (!(error instanceof ConfluenceHttpError)) throw error;
          skipped++;
          deps.logger.warn(
            { platform: 'confluence', content: content.ref, status: error.status },
            'confluence content unreadable during backfill',
          );
        }
      }
      remaining = page.next ? [{ ...task, next: page.next }, ...rest] : rest;
    }
    const done = remaining.length === 0;
    const next: BackfillState = { step: state.step + 1, tasks: remaining, skipped: state.skipped + skipped };
    const now = deps.now();
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('backfill_runs')
        .set((eb) => ({
          state: JSON.stringify(next),
          items_done: eb('items_done', '+', items),
          documents: eb('documents', '+', documents),
          status: done ? 'done' : 'running',
          error: null,
          updated_at: now,
          ...(done ? { finished_at: now } : {}),
        }))
        .where('id', '=', run.id)
        .execute();
      if (!done) {
        const nextJob: BackfillJob = { runId: run.id, step: next.step };
        await deps.boss.send(BACKFILL_QUEUE, nextJob, { db: fromKysely(trx) });
      }
    });
    return { status: done ? 'done' : 'running', items, documents };
  } catch (error) {
    const now = deps.now();
    if (error instanceof ConfluenceRateLimitedError) {
      // Items read before the 429 are durable and in the ledger; the step repeats from its start.
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('backfill_runs')
          .set({ status: 'paused', error: error.message, updated_at: now })
          .where('id', '=', run.id)
          .execute();
        await deps.boss.send(BACKFILL_QUEUE, job, {
          startAfter: new Date(now.getTime() + Math.max(error.retryAfterMs, 1000)),
          db: fromKysely(trx),
        });
      });
      return { status: 'paused', items, documents };
    }
    await db
      .updateTable('backfill_runs')
      .set({ error: error instanceof Error ? error.message : 'unknown error', updated_at: now })
      .where('id', '=', run.id)
      .execute();
    // pg-boss retries this step with backoff.
    throw error;
  }
}

async function readWithComments(deps: BackfillDeps, content: ContentVersion, since: Date | undefined): Promise<number> {
  const recent = (v: ContentVersion) => !since || !v.createdAt || new Date(v.createdAt) >= since;
  let documents = recent(content) ? await submitContentWithHistory(deps, content) : 0;
  for (const comment of await deps.api.listComments(content)) {
    if (recent(comment)) documents += await submitContentWithHistory(deps, comment);
  }
  return documents;
}
