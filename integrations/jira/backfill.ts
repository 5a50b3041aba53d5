import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { DocumentSink } from '../../src/core/integration.ts';
import { writeAudit } from '../../src/db/audit-repository.ts';
import type { BackfillRun, Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import type { JiraClient } from './jira-client.ts';
import { JiraRateLimitError } from './jira-errors.ts';
import type { IssueReader } from './issue-reader.ts';
import { backfillJql } from './jql.ts';

export const JIRA_BACKFILL_QUEUE = 'jira-backfill';

export interface JiraBackfillJob {
  runId: string;
}

/** `backfill_runs.scope` of a Jira run: the projects asked for (empty = every browsable project) and a lower bound. */
export interface JiraBackfillScope {
  site: string;
  projects: string[];
  since?: string;
}

/** `backfill_runs.state`: where the next step resumes. Each step re-queries from `afterKey`, so no page token can go stale. */
export interface JiraBackfillState {
  /** Projects still to read, current first; `null` until "every project" has been listed. */
  remaining: string[] | null;
  /** Last issue key submitted in the current project. */
  afterKey?: string;
  /** Consecutive failed steps (reset by a successful one). */
  failures?: number;
}

export interface BackfillContext {
  client: JiraClient;
  reader: IssueReader;
  db: Kysely<Database>;
  boss: PgBoss;
  sink: DocumentSink;
  logger: Logger;
  now(): Date;
  timeZone: string | undefined;
}

export type BackfillStepOutcome =
  | { status: 'done'; itemsDone: number; documents: number }
  | { status: 'continued'; issues: number; documents: number }
  | { status: 'paused'; retryAfterMs: number }
  | { status: 'retrying'; failures: number }
  | { status: 'failed'; error: string }
  | { status: 'ignored'; reason: string };

const PAGE_SIZE = 50;
/** One step stays well inside a job's expiry; the run continues in a new job. */
const STEP_BUDGET_MS = 60_000;
const MAX_CONSECUTIVE_FAILURES = 5;

/**
 * Starts a resumable backfill of whole projects (the `leakwatch backfill jira
 * [--projects A,B] [--since …]` command): records the run with an audit row in
 * one transaction, then queues its first step.
 *
 * @example await startJiraBackfill(db, boss, { site: 'acme.atlassian.net', projects: ['OPS'], requestedBy: 'cli' })
 */
export async function startJiraBackfill(
  db: Kysely<Database>,
  boss: PgBoss,
  input: { site: string; projects: readonly string[]; since?: Date; requestedBy: string },
): Promise<{ runId: string }> {
  const scope: JiraBackfillScope = { site: input.site, projects: [...input.projects] };
  if (input.since) scope.since = input.since.toISOString();
  const state: JiraBackfillState = { remaining: input.projects.length > 0 ? [...input.projects] : null };
  const run = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('backfill_runs')
      .values({ platform: 'jira', scope: JSON.stringify(scope), state: JSON.stringify(state), status: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor: input.requestedBy,
      action: 'backfill.started',
      targetType: 'backfill_run',
      targetId: row.id,
      details: { platform: 'jira', ...scope },
    });
    return row;
  });
  try {
    await boss.send(JIRA_BACKFILL_QUEUE, { runId: run.id } satisfies JiraBackfillJob);
  } catch (error) {
    await db
      .updateTable('backfill_runs')
      .set({
        status: 'failed',
        error: 'could not queue the first step',
        updated_at: new Date(),
        finished_at: new Date(),
      })
      .where('id', '=', run.id)
      .execute();
    throw error;
  }
  return { runId: run.id };
}

function parseJson<T>(value: unknown): T | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as T;
    } catch {
      return undefined;
    }
  }
  return value as T;
}

/**
 * One step of a run: reads pages of issues in key order (`key > afterKey`),
 * submits their documents, and only then records the new `afterKey` and the
 * counters, so a crash repeats at most one page. Continues itself in a new job
 * until every project is done; a 429 pauses the run until `Retry-After`.
 */
export async function runJiraBackfillStep(ctx: BackfillContext, job: JiraBackfillJob): Promise<BackfillStepOutcome> {
  const run = await ctx.db.selectFrom('backfill_runs').selectAll().where('id', '=', job.runId).executeTakeFirst();
  if (!run || run.platform !== 'jira') return { status: 'ignored', reason: 'no such Jira run' };
  if (run.status === 'done' || run.status === 'failed') return { status: 'ignored', reason: `run is ${run.status}` };
  const scope = parseJson<JiraBackfillScope>(run.scope);
  let state = parseJson<JiraBackfillState>(run.state) ?? { remaining: null };
  if (!scope) return fail(ctx, run, 'unreadable scope');
  const since = scope.since ? new Date(scope.since) : undefined;
  const deadline = Date.now() + STEP_BUDGET_MS;
  let issues = 0;
  let documents = 0;

  try {
    if (run.status !== 'running') await update(ctx, run.id, { status: 'running' });
    if (state.remaining === null) {
      state = { remaining: await ctx.client.listProjectKeys() };
      await update(ctx, run.id, { state });
    }
    const fields = await ctx.reader.searchFields();
    while (state.remaining!.length > 0 && Date.now() < deadline) {
      const project = state.remaining![0]!;
      const jql = backfillJql(project, state.afterKey, since, ctx.timeZone);
      const page = await ctx.client.search(jql, fields, undefined, PAGE_SIZE);
      const docs = [];
      for (const issue of page.issues) docs.push(...(await ctx.reader.documentsFor(issue)));
      await ctx.sink.submit(docs);
      issues += page.issues.length;
      documents += docs.length;
      const last = page.issues.at(-1)?.key;
      state =
        page.nextPageToken === undefined || last === undefined
          ? { remaining: state.remaining!.slice(1) }
          : { remaining: state.remaining!, afterKey: last };
      await ctx.db
        .updateTable('backfill_runs')
        .set((eb) => ({
          state: JSON.stringify(state),
          items_done: eb('items_done', '+', page.issues.length),
          documents: eb('documents', '+', docs.length),
          error: null,
          updated_at: ctx.now(),
        }))
        .where('id', '=', run.id)
        .execute();
    }
  } catch (error) {
    if (error instanceof JiraRateLimitError) {
      await update(ctx, run.id, { status: 'paused', error: error.message });
      await ctx.boss.send(JIRA_BACKFILL_QUEUE, job, { startAfter: Math.ceil(error.retryAfterMs / 1000) });
      return { status: 'paused', retryAfterMs: error.retryAfterMs };
    }
    const failures = (state.failures ?? 0) + 1;
    const message = (error as Error).message;
    ctx.logger.warn({ runId: run.id, failures, err: error }, 'jira backfill step failed');
    if (failures >= MAX_CONSECUTIVE_FAILURES) return fail(ctx, run, message);
    await update(ctx, run.id, { state: { ...state, failures }, error: message });
    await ctx.boss.send(JIRA_BACKFILL_QUEUE, job, { startAfter: 30 * 2 ** (failures - 1) });
    return { status: 'retrying', failures };
  }

  if (state.remaining!.length === 0) {
    const finished = await ctx.db
      .updateTable('backfill_runs')
      .set({ status: 'done', state: JSON.stringify(state), finished_at: ctx.now(), updated_at: ctx.now() })
      .where('id', '=', run.id)
      .returning(['items_done', 'documents'])
      .executeTakeFirstOrThrow();
    return { status: 'done', itemsDone: finished.items_done, documents: finished.documents };
  }
  await ctx.boss.send(JIRA_BACKFILL_QUEUE, job);
  return { status: 'continued', issues, documents };
}

async function update(
  ctx: BackfillContext,
  runId: string,
  values: { status?: string; state?: JiraBackfillState; error?: string | null },
): Promise<void> {
  await ctx.db
    .updateTable('backfill_runs')
    .set({
      ...(values.status === undefined ? {} : { status: values.status }),
      ...(values.state === undefined ? {} : { state: JSON.stringify(values.state) }),
      ...(values.error === undefined ? {} : { error: values.error }),
      updated_at: ctx.now(),
    })
    .where('id', '=', runId)
    .execute();
}

async function fail(ctx: BackfillContext, run: BackfillRun, message: string): Promise<BackfillStepOutcome> {
  await ctx.db
    .updateTable('backfill_runs')
    .set({ status: 'failed', error: message, finished_at: ctx.now(), updated_at: ctx.now() })
    .where('id', '=', run.id)
    .execute();
  return { status: 'failed', error: message };
}
