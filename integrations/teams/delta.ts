import { segment } from './graph-client.ts';
import { GraphRequestError, isNotFound } from './graph-errors.ts';
import { submitMessages, type LocatedMessage } from './message-intake.ts';
import type { ChatMessage } from './message-documents.ts';
import { TEAMS_QUEUES, type TeamsContext } from './teams-context.ts';
import {
  addCursor,
  channelKey,
  CURSOR_PREFIX,
  chatKey,
  deleteCursor,
  DISCOVERY_KEY,
  listCursors,
  readCursor,
  recordCursorError,
  writeCursor,
  type ChannelCursor,
  type ChatCursor,
} from './teams-cursors.ts';
import { withLease } from './teams-lease.ts';
import { runOrReschedule } from './throttle-reschedule.ts';

/** Graph's upper limit for `$top` on channel delta and chat message lists. */
const PAGE_SIZE = 50;
/** A channel or chat catch-up learns about for the first time is read this far back. */
export const DISCOVERY_LOOKBACK_MS = 24 * 3600_000;

/** OData options go in literally (`$top`, spaces as %20): Graph does not read `+` as a space. */
const query = (options: Record<string, string | undefined>): string =>
  Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${encodeURIComponent(value!)}`)
    .join('&');

/** First request of a delta round for a channel: root posts with their replies, optionally only recent ones. */
export function initialChannelLink(teamId: string, channelId: string, since?: string): string {
  return `/teams/${segment(teamId)}/channels/${segment(channelId)}/messages/delta?${query({
    $top: String(PAGE_SIZE),
    $expand: 'replies',
    $filter: since ? `lastModifiedDateTime gt ${since}` : undefined,
  })}`;
}

/** First request of a chat round: newest changes first (the only order Graph offers), optionally only after `since`. */
export function initialChatLink(chatId: string, since?: string): string {
  return `/chats/${segment(chatId)}/messages?${query({
    $top: String(PAGE_SIZE),
    $orderby: 'lastModifiedDateTime desc',
    $filter: since ? `lastModifiedDateTime gt ${since}` : undefined,
  })}`;
}

export interface PageOutcome {
  messages: number;
  submitted: number;
  nextLink?: string;
  deltaLink?: string;
  /** Highest lastModifiedDateTime on the page. */
  highWater?: string;
}

/** The later of two ISO times (either may be missing). */
export const later = (a: string | undefined, b: string | undefined): string | undefined =>
  !a ? b : !b ? a : Date.parse(b) > Date.parse(a) ? b : a;

/**
 * One page of a channel's delta round, replies included (`$expand=replies`;
 * a reply chain longer than Graph inlines is paged through `/replies`).
 */
export async function channelPage(
  ctx: TeamsContext,
  teamId: string,
  channelId: string,
  link: string,
  options: { skipSeen: boolean },
): Promise<PageOutcome> {
  const page = await ctx.graph.page<ChatMessage>(link);
  const located: LocatedMessage[] = [];
  let highWater: string | undefined;
  for (const root of page.value) {
    located.push({ location: { kind: 'channel', teamId, channelId, messageId: root.id }, message: root });
    highWater = later(highWater, root.lastModifiedDateTime ?? undefined);
    let replies = root.replies ?? [];
    let more = root['replies@odata.nextLink'];
    if ((root.replies === undefined || root.replies === null) && !root.deletedDateTime) {
      more = `/teams/${segment(teamId)}/channels/${segment(channelId)}/messages/${segment(root.id)}/replies?$top=${PAGE_SIZE}`;
    }
    while (more) {
      let next;
      try {
        next = await ctx.graph.page<ChatMessage>(more);
      } catch (error) {
        // The post went away between the listing and this call: its replies went with it, the channel did not.
        if (isNotFound(error)) break;
        throw error;
      }
      replies = [...replies, ...next.value];
      more = next.nextLink;
    }
    for (const reply of replies) {
      located.push({
        location: { kind: 'channel', teamId, channelId, parentId: root.id, messageId: reply.id },
        message: reply,
      });
      highWater = later(highWater, reply.lastModifiedDateTime ?? undefined);
    }
  }
  const { submitted } = await submitMessages(ctx, located, options);
  return {
    messages: located.length,
    submitted,
    ...(page.nextLink ? { nextLink: page.nextLink } : {}),
    ...(page.deltaLink ? { deltaLink: page.deltaLink } : {}),
    ...(highWater ? { highWater } : {}),
  };
}

/** One page of a chat's message list. */
export async function chatPage(
  ctx: TeamsContext,
  chatId: string,
  link: string,
  options: { skipSeen: boolean },
): Promise<PageOutcome> {
  const page = await ctx.graph.page<ChatMessage>(link);
  let highWater: string | undefined;
  for (const message of page.value) highWater = later(highWater, message.lastModifiedDateTime ?? undefined);
  const located = page.value.map((message) => ({
    location: { kind: 'chat' as const, chatId: message.chatId ?? chatId, messageId: message.id },
    message,
  }));
  const { submitted } = await submitMessages(ctx, located, options);
  return {
    messages: located.length,
    submitted,
    ...(page.nextLink ? { nextLink: page.nextLink } : {}),
    ...(highWater ? { highWater } : {}),
  };
}

export interface CatchupJob {
  reason: 'missed' | 'subscriptions' | 'schedule' | 'start' | 'continue';
}

export interface CatchupResult {
  done: boolean;
  channels: number;
  chats: number;
  messages: number;
  submitted: number;
}

/** Channel discovery lists teams and channels: once an hour is enough to notice new ones. */
export const DISCOVERY_INTERVAL_MS = 3600_000;

/**
 * Registers channels catch-up does not know yet: those of the configured
 * teams, or, when no notifications arrive (no TEAMS_NOTIFICATION_URL), of
 * every team in the tenant, since nothing else would reveal them. With
 * tenant-wide notifications, channels register themselves as messages arrive.
 */
async function discoverChannels(ctx: TeamsContext): Promise<void> {
  const now = ctx.now();
  const since = new Date(now.getTime() - DISCOVERY_LOOKBACK_MS).toISOString();
  if (ctx.config.chats.mode === 'listed') {
    for (const chatId of ctx.config.chats.chatIds) {
      await addCursor(ctx.db, chatKey(chatId), { chatId, since } satisfies ChatCursor, now);
    }
  }
  const last = await readCursor<{ at: string }>(ctx.db, DISCOVERY_KEY);
  if (last && now.getTime() - Date.parse(last.at) < DISCOVERY_INTERVAL_MS) return;
  let teams = ctx.config.teams;
  if (teams.length === 0) {
    if (ctx.config.notificationUrl) return;
    teams = (await ctx.graph.all<{ id: string }>('/teams?$select=id')).map((t) => t.id);
  }
  for (const teamId of teams) {
    let channels: Array<{ id: string }>;
    try {
      channels = await ctx.graph.all<{ id: string }>(`/teams/${segment(teamId)}/channels?$select=id`);
    } catch (error) {
      // A team the app may not read (no consent) must not hide the others.
      if (error instanceof GraphRequestError && [403, 404].includes(error.status)) continue;
      throw error;
    }
    for (const channel of channels) {
      const cursor: ChannelCursor = { teamId, channelId: channel.id, since };
      await addCursor(ctx.db, channelKey(teamId, channel.id), cursor, now);
    }
  }
  await writeCursor(ctx.db, DISCOVERY_KEY, { at: now.toISOString() }, now);
}

/** Cursor-level failures that skip one channel or chat instead of failing the whole catch-up. */
function isContainerFailure(error: unknown): error is GraphRequestError {
  return error instanceof GraphRequestError && [400, 403, 404, 410].includes(error.status);
}

/**
 * Catch-up: for every known channel, follow its stored delta link (or resume
 * the round where it stopped, or start one for recent messages); for every
 * known chat, list messages modified after its high-water mark. Cursors move
 * only after the page's documents were submitted. Stops after `budgetMs` and
 * reports `done: false`; the job then queues its own continuation.
 */
export async function runCatchup(ctx: TeamsContext, budgetMs: number): Promise<CatchupResult> {
  const started = ctx.now().getTime();
  const outOfTime = () => ctx.now().getTime() - started > budgetMs;
  const result: CatchupResult = { done: true, channels: 0, chats: 0, messages: 0, submitted: 0 };
  await discoverChannels(ctx);

  for (const { key, value } of await listCursors<ChannelCursor>(ctx.db, CURSOR_PREFIX.channel)) {
    if (ctx.config.teams.length > 0 && !ctx.config.teams.includes(value.teamId)) continue;
    result.channels++;
    let cursor = value;
    try {
      for (;;) {
        if (outOfTime()) return { ...result, done: false };
        const link =
          cursor.nextLink ?? cursor.deltaLink ?? initialChannelLink(cursor.teamId, cursor.channelId, cursor.since);
        const page = await channelPage(ctx, cursor.teamId, cursor.channelId, link, { skipSeen: true });
        result.messages += page.messages;
        result.submitted += page.submitted;
        cursor = page.deltaLink
          ? { teamId: cursor.teamId, channelId: cursor.channelId, deltaLink: page.deltaLink }
          : { ...cursor, nextLink: page.nextLink };
        await writeCursor(ctx.db, key, cursor, ctx.now());
        if (page.deltaLink || !page.nextLink) break;
      }
    } catch (error) {
      if (!isContainerFailure(error)) throw error;
      await skipContainer(ctx, key, error, () => ({
        teamId: cursor.teamId,
        channelId: cursor.channelId,
        since: new Date(ctx.now().getTime() - DISCOVERY_LOOKBACK_MS).toISOString(),
      }));
    }
  }

  if (ctx.config.chats.mode === 'off') return result;
  for (const { key, value } of await listCursors<ChatCursor>(ctx.db, CURSOR_PREFIX.chat)) {
    if (ctx.config.chats.mode === 'listed' && !ctx.config.chats.chatIds.includes(value.chatId)) continue;
    result.chats++;
    let cursor = value;
    try {
      for (;;) {
        if (outOfTime()) return { ...result, done: false };
        const link = cursor.nextLink ?? initialChatLink(cursor.chatId, cursor.since);
        const page = await chatPage(ctx, cursor.chatId, link, { skipSeen: true });
        result.messages += page.messages;
        result.submitted += page.submitted;
        const roundMax = later(cursor.roundMax, page.highWater);
        cursor = page.nextLink
          ? { chatId: cursor.chatId, since: cursor.since, nextLink: page.nextLink, ...(roundMax ? { roundMax } : {}) }
          : { chatId: cursor.chatId, since: later(cursor.since, roundMax)! };
        await writeCursor(ctx.db, key, cursor, ctx.now());
        if (!page.nextLink) break;
      }
    } catch (error) {
      if (!isContainerFailure(error)) throw error;
      await skipContainer(ctx, key, error, () => ({ chatId: cursor.chatId, since: cursor.since }));
    }
  }
  return result;
}

/**
 * A channel or chat that answers 404 is gone: its cursor is dropped. An
 * expired or rejected delta token (410/400) restarts the round from a recent
 * point; anything else (403: consent withdrawn) is recorded on the cursor for
 * the dashboard and retried on the next catch-up.
 */
async function skipContainer(
  ctx: TeamsContext,
  key: string,
  error: GraphRequestError,
  restart: () => ChannelCursor | ChatCursor,
): Promise<void> {
  ctx.logger.warn({ cursor: key, status: error.status, code: error.code }, 'Teams catch-up skipped a container');
  if (error.status === 404) return deleteCursor(ctx.db, key);
  if (error.status === 410 || error.status === 400) return writeCursor(ctx.db, key, restart(), ctx.now());
  return recordCursorError(ctx.db, key, error.message, ctx.now());
}

/** How long one catch-up job works before it hands over to its continuation. */
export const CATCHUP_BUDGET_MS = 60_000;

const LEASE_MS = 10 * 60_000;
/** A catch-up asked for while another runs may concern changes that one has already passed: run it after. */
const BUSY_RETRY_SECONDS = 60;

export function handleCatchupJob(ctx: TeamsContext, data: unknown) {
  const job = (data ?? { reason: 'schedule' }) as CatchupJob;
  return runOrReschedule(ctx, TEAMS_QUEUES.catchup, job, {}, async () => {
    const leased = await withLease(ctx.db, 'catchup', LEASE_MS, ctx.now, async () => {
      const result = await runCatchup(ctx, CATCHUP_BUDGET_MS);
      if (!result.done) {
        const next: CatchupJob = { reason: 'continue' };
        await ctx.boss.send(TEAMS_QUEUES.catchup, next);
      }
      return result;
    });
    if (leased) return leased.value;
    await ctx.boss.send(TEAMS_QUEUES.catchup, job, { startAfter: BUSY_RETRY_SECONDS });
    return { busy: true };
  });
}
