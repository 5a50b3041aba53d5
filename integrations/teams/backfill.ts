import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { writeAudit } from '../../src/db/audit-repository.ts';
import type { BackfillRun, Database } from '../../src/db/schema.ts';
import { channelPage, chatPage, initialChannelLink, initialChatLink, later } from './delta.ts';
import { segment } from './graph-client.ts';
import { GraphRequestError, GraphThrottledError } from './graph-errors.ts';
import type { TeamsConfig } from './teams-config.ts';
import { TEAMS_QUEUES, type TeamsContext } from './teams-context.ts';
import {
  channelKey,
  chatKey,
  CURSOR_PREFIX,
  listCursors,
  readCursor,
  writeCursor,
  type ChatCursor,
} from './teams-cursors.ts';
import { withLease } from './teams-lease.ts';
import { runOrReschedule } from './throttle-reschedule.ts';

/** What `leakwatch backfill teams` reads. Unset lists fall back to the configuration. */
export interface TeamsBackfillScope {
  /** Team ids (empty: none); default TEAMS_TEAMS, or every team in the tenant when that is empty. */
  teams?: string[];
  /** Chat ids; default TEAMS_CHATS when it lists chats, else every chat leakwatch has seen. */
  chats?: string[];
  /**
   * Every chat of every user (Graph has no tenant-wide chat list for apps:
   * `/users/{id}/chats` per user, Chat.ReadBasic.All). Heavy on large tenants.
   */
  allChats?: boolean;
  /** Only messages modified after this ISO time. */
  since?: string;
}

type Source =
  | { kind: 'all-teams' }
  | { kind: 'team'; teamId: string }
  | { kind: 'channel'; teamId: string; channelId: string }
  | { kind: 'chat'; chatId: string }
  | { kind: 'all-users' }
  | { kind: 'user-chats'; userId: string };

interface BackfillState {
  pending: Source[];
  current?: { source: Source; link: string; roundMax?: string };
  /** Sources skipped because Graph refused them (no consent, deleted), with why. */
  skipped: Array<{ source: Source; error: string }>;
  /** Chats already queued, so a chat shared by many users is read once. */
  chatsQueued?: string[];
}

export interface BackfillJob {
  runId: string;
}

/** How long one backfill job works before handing over to the next (progress is saved per page). */
export const BACKFILL_SLICE_MS = 60_000;

async function initialSources(db: Kysely<Database>, config: TeamsConfig, scope: TeamsBackfillScope): Promise<Source[]> {
  // An explicit empty list means "no teams" (a chats-only backfill); unset means the configured or all teams.
  const teams = scope.teams ?? (config.teams.length > 0 ? config.teams : undefined);
  const sources: Source[] = teams ? teams.map((teamId) => ({ kind: 'team', teamId })) : [{ kind: 'all-teams' }];
  let chats = scope.chats;
  if (!chats) {
    if (config.chats.mode === 'listed') chats = config.chats.chatIds;
    else if (config.chats.mode === 'all')
      chats = (await listCursors<ChatCursor>(db, CURSOR_PREFIX.chat)).map((c) => c.value.chatId);
    else chats = [];
  }
  return [
    ...sources,
    ...chats.map((chatId): Source => ({ kind: 'chat', chatId })),
    ...(scope.allChats ? [{ kind: 'all-users' } as const] : []),
  ];
}

/**
 * Starts a resumable Teams backfill (`leakwatch backfill teams`): records the
 * run and its audit row in one transaction, then queues its first slice.
 * Returns the run id; progress is in `backfill_runs`.
 */
export async function startTeamsBackfill(
  deps: { db: Kysely<Database>; boss: PgBoss; config: TeamsConfig },
  scope: TeamsBackfillScope,
  requestedBy: string,
): Promise<{ runId: string }> {
  if (scope.since !== undefined && !Number.isFinite(Date.parse(scope.since))) {
    throw new Error(`since must be an ISO date-time, got "${scope.since}"`);
  }
  const pending = await initialSources(deps.db, deps.config, scope);
  const chatsQueued = pending.flatMap((source) => (source.kind === 'chat' ? [source.chatId] : []));
  const state: BackfillState = { pending, skipped: [], chatsQueued };
  const run = await deps.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('backfill_runs')
      .values({ platform: 'teams', scope: JSON.stringify(scope), state: JSON.stringify(state) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeAudit(trx, {
      actor: requestedBy,
      action: 'backfill.started',
      targetType: 'backfill_run',
      targetId: row.id,
      details: { platform: 'teams', scope },
    });
    return row;
  });
  const job: BackfillJob = { runId: run.id };
  await deps.boss.send(TEAMS_QUEUES.backfill, job, { singletonKey: run.id });
  return { runId: run.id };
}

/** Runs still marked running or paused, e.g. after every worker was restarted: queue them again (idempotent). */
export async function resumeTeamsBackfills(db: Kysely<Database>, boss: PgBoss): Promise<number> {
  const runs = await db
    .selectFrom('backfill_runs')
    .select('id')
    .where('platform', '=', 'teams')
    .where('status', 'in', ['running', 'paused'])
    .execute();
  for (const run of runs)
    await boss.send(TEAMS_QUEUES.backfill, { runId: run.id } satisfies BackfillJob, { singletonKey: run.id });
  return runs.length;
}

function describe(source: Source): string {
  switch (source.kind) {
    case 'channel':
      return `channel ${source.teamId}/${source.channelId}`;
    case 'chat':
      return `chat ${source.chatId}`;
    case 'team':
      return `team ${source.teamId}`;
    case 'user-chats':
      return `chats of user ${source.userId}`;
    default:
      return source.kind;
  }
}

/**
 * Expands the tenant into teams, a team into channels, the users into their
 * chats, so each channel and chat is read through its own round.
 */
async function expand(ctx: TeamsContext, source: Source, state: BackfillState): Promise<Source[]> {
  if (source.kind === 'all-users') {
    const users = await ctx.graph.all<{ id: string }>('/users?$select=id');
    return users.map((u) => ({ kind: 'user-chats', userId: u.id }));
  }
  if (source.kind === 'user-chats') {
    const chats = await ctx.graph.all<{ id: string }>(`/users/${segment(source.userId)}/chats?$select=id`);
    const queued = new Set(state.chatsQueued ?? []);
    const fresh = chats.map((c) => c.id).filter((id) => !queued.has(id));
    state.chatsQueued = [...queued, ...fresh];
    return fresh.map((chatId) => ({ kind: 'chat', chatId }));
  }
  if (source.kind === 'all-teams') {
    const teams = await ctx.graph.all<{ id: string }>('/teams?$select=id');
    return teams.map((t) => ({ kind: 'team', teamId: t.id }));
  }
  if (source.kind === 'team') {
    const channels = await ctx.graph.all<{ id: string }>(`/teams/${segment(source.teamId)}/channels?$select=id`);
    return channels.map((c) => ({ kind: 'channel', teamId: source.teamId, channelId: c.id }));
  }
  return [source];
}

/**
 * One slice of a backfill run (`teams-backfill`): reads pages until the
 * slice's time is up, saving the run's state after every page (whose
 * documents are already submitted), then queues the next slice. A full delta
 * round of a channel leaves its delta link as the channel's cursor, so
 * catch-up continues from where the backfill ended; a chat's high-water mark
 * moves likewise. Throttling pauses the run until Graph's Retry-After.
 */
export async function runBackfillSlice(
  ctx: TeamsContext,
  job: BackfillJob,
  sliceMs: number,
): Promise<BackfillRun | undefined> {
  const run = await ctx.db.selectFrom('backfill_runs').selectAll().where('id', '=', job.runId).executeTakeFirst();
  if (!run || run.platform !== 'teams' || run.status === 'done' || run.status === 'failed') return run;
  const scope = (typeof run.scope === 'string' ? JSON.parse(run.scope) : run.scope) as TeamsBackfillScope;
  const state = (typeof run.state === 'string' ? JSON.parse(run.state) : run.state) as BackfillState;
  const started = ctx.now().getTime();
  let items = 0;
  let documents = 0;

  const save = async (status: string, extra: { finished?: boolean; error?: string } = {}) => {
    const now = ctx.now();
    await ctx.db
      .updateTable('backfill_runs')
      .set((eb) => ({
        state: JSON.stringify(state),
        status,
        items_done: eb('items_done', '+', items),
        documents: eb('documents', '+', documents),
        updated_at: now,
        ...(extra.finished ? { finished_at: now } : {}),
        // A page that went through clears the last failure.
        error: extra.error ?? null,
      }))
      .where('id', '=', run.id)
      .execute();
    items = 0;
    documents = 0;
  };

  try {
    while (ctx.now().getTime() - started < sliceMs) {
      if (!state.current) {
        const source = state.pending.shift();
        if (!source) {
          await save('done', { finished: true });
          return ctx.db.selectFrom('backfill_runs').selectAll().where('id', '=', run.id).executeTakeFirst();
        }
        try {
          const expanded = await expand(ctx, source, state);
          if (expanded.length !== 1 || expanded[0] !== source) {
            state.pending.unshift(...expanded);
          } else if (source.kind === 'channel') {
            state.current = { source, link: initialChannelLink(source.teamId, source.channelId, scope.since) };
          } else if (source.kind === 'chat') {
            state.current = { source, link: initialChatLink(source.chatId, scope.since) };
          }
        } catch (error) {
          if (!(error instanceof GraphRequestError) || ![403, 404].includes(error.status)) {
            state.pending.unshift(source);
            throw error;
          }
          state.skipped.push({ source, error: error.message });
        }
        await save('running');
        continue;
      }

      const { source, link } = state.current;
      try {
        if (source.kind === 'channel') {
          const page = await channelPage(ctx, source.teamId, source.channelId, link, { skipSeen: false });
          items += page.messages;
          documents += page.submitted;
          if (page.nextLink) {
            state.current = { source, link: page.nextLink };
          } else {
            if (page.deltaLink) {
              await writeCursor(
                ctx.db,
                channelKey(source.teamId, source.channelId),
                {
                  teamId: source.teamId,
                  channelId: source.channelId,
                  deltaLink: page.deltaLink,
                },
                ctx.now(),
              );
            }
            state.current = undefined;
          }
        } else if (source.kind === 'chat') {
          const page = await chatPage(ctx, source.chatId, link, { skipSeen: false });
          items += page.messages;
          documents += page.submitted;
          const roundMax = later(state.current.roundMax, page.highWater);
          if (page.nextLink) {
            state.current = { source, link: page.nextLink, ...(roundMax ? { roundMax } : {}) };
          } else {
            const key = chatKey(source.chatId);
            const existing = await readCursor<ChatCursor>(ctx.db, key);
            const since = later(later(existing?.since, roundMax), scope.since);
            if (since)
              await writeCursor(
                ctx.db,
                key,
                { ...existing, chatId: source.chatId, since } satisfies ChatCursor,
                ctx.now(),
              );
            state.current = undefined;
          }
        }
      } catch (error) {
        if (!(error instanceof GraphRequestError) || ![403, 404].includes(error.status)) throw error;
        state.skipped.push({ source, error: error.message });
        state.current = undefined;
        ctx.logger.warn(
          { runId: run.id, source: describe(source), status: error.status },
          'Teams backfill skipped a source',
        );
      }
      await save('running');
    }
  } catch (error) {
    // Throttled: mark paused (the wrapper reschedules); anything else fails this slice and pg-boss retries
    // it, with the reason on the run for whoever watches its progress.
    if (error instanceof GraphThrottledError) await save('paused');
    else await save('running', { error: (error as Error).message.slice(0, 500) });
    throw error;
  }
  await ctx.boss.send(TEAMS_QUEUES.backfill, { runId: run.id } satisfies BackfillJob, { singletonKey: run.id });
  return ctx.db.selectFrom('backfill_runs').selectAll().where('id', '=', run.id).executeTakeFirst();
}

const LEASE_MS = 10 * 60_000;

export function handleBackfillJob(ctx: TeamsContext, data: unknown) {
  const job = data as BackfillJob;
  return runOrReschedule(ctx, TEAMS_QUEUES.backfill, job, { singletonKey: job.runId }, async () => {
    // A second job for a run that is being advanced is redundant: the running slice queues the next one.
    const leased = await withLease(ctx.db, `backfill:${job.runId}`, LEASE_MS, ctx.now, () =>
      runBackfillSlice(ctx, job, BACKFILL_SLICE_MS),
    );
    return leased ? leased.value : { busy: true };
  });
}
