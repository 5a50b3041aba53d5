import type { WebClient } from '@slack/web-api';
import { sql, type Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { ErrorCode, LeakwatchError } from '../../src/core/errors.ts';
import type { DocumentSink, InboundDocument } from '../../src/core/integration.ts';
import type { BackfillRun, Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import { isScannableMessage, messageDocument, type MessagePlace, type SlackMessage } from './message-events.ts';
import {
  describeSlackError,
  FATAL_TOKEN_ERRORS,
  retryAfterSeconds,
  slackErrorCode,
  workspaceLookup,
} from './slack-client.ts';
import type { SlackConfig } from './slack-config.ts';

/** One job = one Slack API call (a page); each job queues the next, paced, so nothing blocks a worker. */
export const SLACK_BACKFILL_QUEUE = 'slack-backfill';

export interface SlackBackfillScope {
  /** Channel ids (`C…`, `G…`, `D…`) or names (with or without `#`); all conversations the bot is in when empty. */
  channels?: string[];
  /** ISO-8601 date-time: only messages posted from then on. */
  since?: string;
}

export interface SlackBackfillDeps {
  db: Kysely<Database>;
  boss: PgBoss;
  sink: DocumentSink;
  bot: WebClient;
  config: SlackConfig;
  logger: Logger;
  now(): Date;
}

export interface BackfillStepJob {
  runId: string;
}

interface ChannelRef {
  id: string;
  name?: string;
}

/** Where a run resumes; stored in `backfill_runs.state` after every page. */
interface BackfillState {
  /** Bumped by every step; a step only commits if nobody else advanced the run meanwhile. */
  step: number;
  teamId: string;
  workspaceUrl?: string;
  /** Slack ts of `since`. */
  oldest?: string;
  /** Listing conversations (`conversations.list`) still in progress; `wanted` = requested names/ids not found yet. */
  listing: { cursor?: string; wanted?: string[] } | null;
  /** Conversations still to read; the first is the current one. */
  pending: ChannelRef[];
  historyCursor?: string;
  historyDone: boolean;
  /** Thread parents of the current history page whose replies are still to read; the first is current. */
  threads: string[];
  replyCursor?: string;
  channelsDone: number;
  channelsTotal: number;
  skipped: Array<{ channel: string; reason: string }>;
  /** Consecutive failed attempts (network, 5xx); the run fails after `MAX_FAILURES`. */
  failures: number;
}

export interface BackfillProgress {
  runId: string;
  status: string;
  /** Messages read. */
  itemsDone: number;
  /** Documents submitted for scanning. */
  documents: number;
  channelsDone: number;
  channelsTotal: number;
  /** Still listing conversations (channelsTotal not known yet). */
  listing: boolean;
  currentChannel?: string;
  skipped: Array<{ channel: string; reason: string }>;
  error?: string;
}

const PLATFORM = 'slack';
const UNFINISHED = ['running', 'paused', 'failed'];
const PAGE_SIZE = 200;
const MAX_FAILURES = 5;
const CHANNEL_ID = /^[CGD][A-Z0-9]{6,}$/;
const CONVERSATION_TYPES = 'public_channel,private_channel,mpim,im';
/** Per-conversation errors: the conversation is skipped (and reported), the run goes on. */
const CHANNEL_ERRORS = new Set([
  'not_in_channel',
  'channel_not_found',
  'missing_scope',
  'access_denied',
  'is_archived',
  'team_access_not_granted',
]);

function normalizeScope(scope: SlackBackfillScope): { channels: string[]; since: string | null } {
  const channels = [...new Set((scope.channels ?? []).map((c) => c.trim().replace(/^#/, '')).filter(Boolean))].sort();
  let since: string | null = null;
  if (scope.since !== undefined && scope.since.trim() !== '') {
    const ms = Date.parse(scope.since);
    if (!Number.isFinite(ms)) {
      throw new LeakwatchError(ErrorCode.InputInvalid, `--since must be an ISO-8601 date, got "${scope.since}"`);
    }
    since = new Date(ms).toISOString();
  }
  return { channels, since };
}

function parseState(raw: unknown): BackfillState {
  const state = (typeof raw === 'string' ? JSON.parse(raw) : raw) as BackfillState | null;
  if (!state || typeof state.step !== 'number') throw new Error('backfill run has no resumable state');
  return state;
}

/** Progress of a run, for the CLI and the API. */
export function backfillProgress(run: BackfillRun): BackfillProgress {
  const state = run.state ? parseState(run.state) : undefined;
  const progress: BackfillProgress = {
    runId: run.id,
    status: run.status,
    itemsDone: run.items_done,
    documents: run.documents,
    channelsDone: state?.channelsDone ?? 0,
    channelsTotal: state?.channelsTotal ?? 0,
    listing: state?.listing != null,
    skipped: state?.skipped ?? [],
  };
  const current = state?.pending[0];
  if (current && run.status !== 'done') progress.currentChannel = current.name ?? current.id;
  if (run.error) progress.error = run.error;
  return progress;
}

async function hasLiveJob(boss: PgBoss, runId: string): Promise<boolean> {
  const jobs = await boss.findJobs(SLACK_BACKFILL_QUEUE, { data: { runId } });
  return jobs.some((j) => j.state === 'created' || j.state === 'retry' || j.state === 'active');
}

/**
 * Starts a Slack backfill, or resumes the unfinished run (running, paused
 * after a rate limit, or failed) with the same scope: its state says where to
 * go on. The work happens in `slack-backfill` jobs, whichever process runs
 * the workers; follow it with `watchBackfill`.
 */
export async function startSlackBackfill(
  deps: SlackBackfillDeps,
  scope: SlackBackfillScope,
): Promise<{ run: BackfillRun; resumed: boolean }> {
  const normalized = normalizeScope(scope);
  const key = JSON.stringify(normalized);
  const candidates = await deps.db
    .selectFrom('backfill_runs')
    .selectAll()
    .where('platform', '=', PLATFORM)
    .where('status', 'in', UNFINISHED)
    .orderBy('created_at', 'desc')
    .execute();
  // jsonb does not keep key order: compare field by field.
  const unfinished = candidates.find((r) => {
    const s = (r.scope ?? {}) as { channels?: string[]; since?: string | null };
    return JSON.stringify({ channels: s.channels ?? [], since: s.since ?? null }) === key;
  });
  if (unfinished) {
    const state = parseState(unfinished.state);
    state.failures = 0;
    const run = await deps.db
      .updateTable('backfill_runs')
      .set({ status: 'running', error: null, state: JSON.stringify(state), updated_at: deps.now() })
      .where('id', '=', unfinished.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (!(await hasLiveJob(deps.boss, run.id))) {
      await deps.boss.send(SLACK_BACKFILL_QUEUE, { runId: run.id } satisfies BackfillStepJob);
    }
    return { run, resumed: true };
  }

  let workspace;
  try {
    workspace = await workspaceLookup(deps.bot)();
  } catch (error) {
    throw new LeakwatchError(ErrorCode.ConfigInvalid, `Slack backfill cannot start: ${describeSlackError(error)}`, {
      cause: error,
    });
  }
  const allIds = normalized.channels.length > 0 && normalized.channels.every((c) => CHANNEL_ID.test(c));
  const state: BackfillState = {
    step: 0,
    teamId: workspace.teamId,
    workspaceUrl: workspace.url,
    oldest: normalized.since ? (Date.parse(normalized.since) / 1000).toFixed(6) : undefined,
    listing: allIds ? null : { wanted: normalized.channels.length > 0 ? normalized.channels : undefined },
    pending: allIds ? normalized.channels.map((id) => ({ id })) : [],
    historyDone: false,
    threads: [],
    channelsDone: 0,
    channelsTotal: allIds ? normalized.channels.length : 0,
    skipped: [],
    failures: 0,
  };
  const run = await deps.db
    .insertInto('backfill_runs')
    .values({ platform: PLATFORM, scope: key, status: 'running', state: JSON.stringify(state) })
    .returningAll()
    .executeTakeFirstOrThrow();
  await deps.boss.send(SLACK_BACKFILL_QUEUE, { runId: run.id } satisfies BackfillStepJob);
  deps.logger.info({ runId: run.id, scope: normalized }, 'Slack backfill started');
  return { run, resumed: false };
}

interface StepResult {
  items: number;
  documents: InboundDocument[];
}

const NOTHING: StepResult = { items: 0, documents: [] };

function skipChannel(state: BackfillState, channel: ChannelRef, reason: string): void {
  state.skipped.push({ channel: channel.name ?? channel.id, reason });
  state.historyDone = true;
  state.threads = [];
  state.replyCursor = undefined;
}

function nextCursor(response: { response_metadata?: { next_cursor?: string } }): string | undefined {
  const cursor = response.response_metadata?.next_cursor;
  return cursor ? cursor : undefined;
}

async function listConversations(deps: SlackBackfillDeps, state: BackfillState): Promise<StepResult> {
  const listing = state.listing!;
  const response = await deps.bot.conversations.list({
    types: CONVERSATION_TYPES,
    exclude_archived: false,
    limit: PAGE_SIZE,
    cursor: listing.cursor,
  });
  const wanted = listing.wanted ? new Set(listing.wanted) : undefined;
  for (const c of response.channels ?? []) {
    if (!c.id) continue;
    const name = c.name ?? c.id;
    if (wanted) {
      const key = wanted.has(c.id) ? c.id : c.name && wanted.has(c.name) ? c.name : undefined;
      if (!key) continue;
      wanted.delete(key);
    } else if (!(c.is_member || c.is_im || c.is_mpim)) {
      continue;
    }
    state.pending.push({ id: c.id, name });
  }
  listing.wanted = wanted ? [...wanted] : undefined;
  listing.cursor = nextCursor(response);
  if (!listing.cursor || (wanted && wanted.size === 0)) {
    for (const missing of listing.wanted ?? []) {
      state.skipped.push({ channel: missing, reason: 'not found among the conversations the bot can see' });
    }
    state.listing = null;
    state.channelsTotal = state.pending.length;
  }
  return NOTHING;
}

function place(state: BackfillState, channel: ChannelRef): MessagePlace {
  return { teamId: state.teamId, channelId: channel.id, workspaceUrl: state.workspaceUrl };
}

async function readHistory(deps: SlackBackfillDeps, state: BackfillState, channel: ChannelRef): Promise<StepResult> {
  const response = await deps.bot.conversations.history({
    channel: channel.id,
    cursor: state.historyCursor,
    oldest: state.oldest,
    inclusive: true,
    limit: PAGE_SIZE,
  });
  const messages = (response.messages ?? []) as SlackMessage[];
  const documents: InboundDocument[] = [];
  for (const m of messages) {
    if (!isScannableMessage(m)) continue;
    const doc = messageDocument(m, place(state, channel));
    if (doc && doc.text.trim() !== '') documents.push(doc);
    if (m.ts && m.thread_ts === m.ts && (m.reply_count ?? 0) > 0) state.threads.push(m.ts);
  }
  state.historyCursor = response.has_more ? nextCursor(response) : undefined;
  state.historyDone = state.historyCursor === undefined;
  return { items: messages.length, documents };
}

async function readReplies(deps: SlackBackfillDeps, state: BackfillState, channel: ChannelRef): Promise<StepResult> {
  const thread = state.threads[0]!;
  let response;
  try {
    response = await deps.bot.conversations.replies({
      channel: channel.id,
      ts: thread,
      cursor: state.replyCursor,
      limit: PAGE_SIZE,
    });
  } catch (error) {
    if (slackErrorCode(error) !== 'thread_not_found') throw error;
    state.threads.shift();
    state.replyCursor = undefined;
    return NOTHING;
  }
  // Every page repeats the thread's parent first; it was read with the channel history.
  const replies = ((response.messages ?? []) as SlackMessage[]).filter((m) => m.ts !== thread);
  const documents: InboundDocument[] = [];
  for (const m of replies) {
    if (!isScannableMessage(m)) continue;
    const doc = messageDocument({ ...m, thread_ts: m.thread_ts ?? thread }, place(state, channel));
    if (doc && doc.text.trim() !== '') documents.push(doc);
  }
  state.replyCursor = response.has_more ? nextCursor(response) : undefined;
  if (state.replyCursor === undefined) state.threads.shift();
  return { items: replies.length, documents };
}

/** Makes at most one Slack call: the next page of the listing, a thread's replies, or a channel's history. */
async function advance(deps: SlackBackfillDeps, state: BackfillState): Promise<StepResult> {
  for (;;) {
    if (state.listing) return listConversations(deps, state);
    const channel = state.pending[0];
    if (!channel) return NOTHING;
    if (!state.historyDone || state.threads.length > 0) {
      try {
        return state.threads.length > 0
          ? await readReplies(deps, state, channel)
          : await readHistory(deps, state, channel);
      } catch (error) {
        const code = slackErrorCode(error);
        if (!code || !CHANNEL_ERRORS.has(code)) throw error;
        skipChannel(state, channel, code);
        continue;
      }
    }
    state.pending.shift();
    state.channelsDone++;
    state.historyCursor = undefined;
    state.historyDone = false;
    state.threads = [];
    state.replyCursor = undefined;
  }
}

function isFinished(state: BackfillState): boolean {
  return state.listing === null && state.pending.length === 0;
}

/** Milliseconds between two Slack calls of one run, from SLACK_BACKFILL_RPM. */
function paceMs(config: SlackConfig): number {
  return Math.ceil(60_000 / config.backfillRequestsPerMinute);
}

export type BackfillStepOutcome =
  | { status: 'running' | 'done' | 'failed'; items: number; documents: number }
  | { status: 'paused'; retryAfterSeconds: number }
  | { status: 'skipped'; reason: string };

/**
 * `slack-backfill` job: one page for run `runId`. Documents are submitted
 * before the resume state is saved (a crash repeats a page; scanning is
 * idempotent), then the next step is queued after the pace interval. A 429
 * pauses the run and queues the step again after Retry-After instead of
 * holding a worker; an unusable token fails the run with a clear error.
 */
export async function handleSlackBackfillStep(deps: SlackBackfillDeps, data: unknown): Promise<BackfillStepOutcome> {
  const runId = (data as Partial<BackfillStepJob> | null)?.runId;
  if (typeof runId !== 'string') throw new Error('slack-backfill job needs { runId }');
  const run = await deps.db.selectFrom('backfill_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run || !['running', 'paused'].includes(run.status)) {
    return { status: 'skipped', reason: run ? `run is ${run.status}` : 'no such run' };
  }
  const state = parseState(run.state);
  const step = state.step;

  const save = async (
    changes: { status: string; error?: string | null; items?: number; documents?: number },
    next?: Date,
  ): Promise<boolean> => {
    const now = deps.now();
    const result = await deps.db
      .updateTable('backfill_runs')
      .set({
        state: JSON.stringify({ ...state, step: step + 1 }),
        status: changes.status,
        error: changes.error ?? null,
        items_done: sql`items_done + ${changes.items ?? 0}`,
        documents: sql`documents + ${changes.documents ?? 0}`,
        updated_at: now,
        finished_at: changes.status === 'done' || changes.status === 'failed' ? now : null,
      })
      .where('id', '=', runId)
      .where(sql<number>`(state->>'step')::int`, '=', step)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    if (next) await deps.boss.send(SLACK_BACKFILL_QUEUE, { runId } satisfies BackfillStepJob, { startAfter: next });
    return true;
  };
  const superseded = { status: 'skipped', reason: 'another worker advanced this run' } as const;

  let result: StepResult;
  try {
    result = await advance(deps, state);
  } catch (error) {
    const wait = retryAfterSeconds(error);
    if (wait !== undefined) {
      const after = new Date(deps.now().getTime() + Math.max(wait * 1000, paceMs(deps.config)));
      if (!(await save({ status: 'paused' }, after))) return superseded;
      deps.logger.info({ runId, retryAfterSeconds: wait }, 'Slack backfill rate limited; resuming later');
      return { status: 'paused', retryAfterSeconds: wait };
    }
    const code = slackErrorCode(error);
    const message = describeSlackError(error);
    if (code && FATAL_TOKEN_ERRORS.has(code)) {
      if (!(await save({ status: 'failed', error: message }))) return superseded;
      deps.logger.error({ runId, code }, 'Slack backfill failed: the bot token cannot be used');
      return { status: 'failed', items: 0, documents: 0 };
    }
    state.failures++;
    if (state.failures >= MAX_FAILURES) {
      if (!(await save({ status: 'failed', error: `${message} (${state.failures} attempts)` }))) return superseded;
      deps.logger.error({ runId, err: error }, 'Slack backfill failed after repeated errors');
      return { status: 'failed', items: 0, documents: 0 };
    }
    const backoff = paceMs(deps.config) * 2 ** state.failures;
    if (!(await save({ status: 'running', error: message }, new Date(deps.now().getTime() + backoff)))) {
      return superseded;
    }
    deps.logger.warn({ runId, err: error, attempt: state.failures }, 'Slack backfill step failed; retrying');
    return { status: 'running', items: 0, documents: 0 };
  }

  if (result.documents.length > 0) await deps.sink.submit(result.documents);
  state.failures = 0;
  const finished = isFinished(state);
  const next = finished ? undefined : new Date(deps.now().getTime() + paceMs(deps.config));
  const saved = await save(
    { status: finished ? 'done' : 'running', items: result.items, documents: result.documents.length },
    next,
  );
  if (!saved) return superseded;
  if (finished) deps.logger.info({ runId }, 'Slack backfill finished');
  return { status: finished ? 'done' : 'running', items: result.items, documents: result.documents.length };
}

/**
 * Polls a run until it is done or failed, calling `onProgress` whenever it
 * moved. Resolves with the final progress (or the latest one when `signal`
 * aborts, e.g. Ctrl-C: the run continues in the workers and can be resumed).
 */
export async function watchBackfill(
  db: Kysely<Database>,
  runId: string,
  options: { onProgress(progress: BackfillProgress): void; intervalMs?: number; signal?: AbortSignal },
): Promise<BackfillProgress> {
  let last = '';
  for (;;) {
    const run = await db.selectFrom('backfill_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
    const progress = backfillProgress(run);
    const key = JSON.stringify(progress);
    if (key !== last) {
      last = key;
      options.onProgress(progress);
    }
    if (run.status === 'done' || run.status === 'failed' || options.signal?.aborted) return progress;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}

/**
 * What `leakwatch backfill slack [--channels a,b] [--since ISO]` runs: starts
 * (or resumes) the run and reports progress until it ends. Workers (this
 * process's or a running `serve`/`worker`) must be consuming `slack-backfill`
 * and `scan`.
 *
 * @example
 *   const final = await backfillSlack(deps, { channels: ['general'], since: '2026-01-01' }, {
 *     onProgress: (p) => io.stderr(`${p.status}: ${p.channelsDone}/${p.channelsTotal} channels, ${p.itemsDone} messages`),
 *   });
 */
export async function backfillSlack(
  deps: SlackBackfillDeps,
  scope: SlackBackfillScope,
  options: {
    onProgress(progress: BackfillProgress): void;
    onStart?(info: { runId: string; resumed: boolean }): void;
    intervalMs?: number;
    signal?: AbortSignal;
  },
): Promise<BackfillProgress> {
  const { run, resumed } = await startSlackBackfill(deps, scope);
  options.onStart?.({ runId: run.id, resumed });
  return watchBackfill(deps.db, run.id, options);
}
