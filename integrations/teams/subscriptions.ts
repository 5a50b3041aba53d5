import { createHash } from 'node:crypto';
import { segment } from './graph-client.ts';
import { GraphRequestError, isNotFound } from './graph-errors.ts';
import { TEAMS_QUEUES, type TeamsContext } from './teams-context.ts';
import { readCursor, SUBSCRIPTIONS_KEY, writeCursor } from './teams-cursors.ts';
import type { CatchupJob } from './delta.ts';
import { withLease } from './teams-lease.ts';
import { runOrReschedule } from './throttle-reschedule.ts';

/** A subscription leakwatch created, as kept in `connector_cursors` (`teams:subscriptions`). */
export interface StoredSubscription {
  id: string;
  resource: string;
  expirationDateTime: string;
  /** Which clientState it carries (hash prefix), so a changed TEAMS_CLIENT_STATE recreates it. */
  clientStateHash: string;
}

export interface SubscriptionsJob {
  reason: 'schedule' | 'start' | 'reauthorizationRequired' | 'subscriptionRemoved';
  subscriptionId?: string;
}

export interface ReconcileResult {
  /** False when the time budget ran out first; the job then queues its continuation. */
  done: boolean;
  created: string[];
  renewed: string[];
  deleted: string[];
  failed: Array<{ resource: string; error: string }>;
}

/** Graph's subscription as returned by POST/PATCH /subscriptions. */
interface GraphSubscription {
  id: string;
  resource: string;
  expirationDateTime: string;
}

export const clientStateHash = (clientState: string): string =>
  createHash('sha256').update(clientState).digest('hex').slice(0, 16);

/**
 * What leakwatch should be subscribed to: tenant-wide `/teams/getAllMessages`
 * (ChannelMessage.Read.All), or one subscription per channel of the teams in
 * TEAMS_TEAMS (resource-specific consent); `/chats/getAllMessages`
 * (Chat.Read.All) or the chats listed in TEAMS_CHATS.
 */
export async function desiredResources(
  ctx: TeamsContext,
): Promise<{ resources: string[]; unreadable: Array<{ resource: string; error: string }> }> {
  const resources: string[] = [];
  const unreadable: Array<{ resource: string; error: string }> = [];
  if (ctx.config.teams.length === 0) {
    resources.push('/teams/getAllMessages');
  } else {
    for (const teamId of ctx.config.teams) {
      try {
        const channels = await ctx.graph.all<{ id: string }>(`/teams/${segment(teamId)}/channels?$select=id`);
        for (const channel of channels) resources.push(`/teams/${teamId}/channels/${channel.id}/messages`);
      } catch (error) {
        // No consent for this team (yet): the others are still subscribed; retried on the next run.
        if (!(error instanceof GraphRequestError) || ![403, 404].includes(error.status)) throw error;
        unreadable.push({ resource: `/teams/${teamId}/channels`, error: error.message });
      }
    }
  }
  const chats = ctx.config.chats;
  if (chats.mode === 'all') resources.push('/chats/getAllMessages');
  if (chats.mode === 'listed') for (const chatId of chats.chatIds) resources.push(`/chats/${chatId}/messages`);
  return { resources, unreadable };
}

/** Change types per resource as Graph documents them: chat subscriptions also report deletions. */
function changeTypeFor(resource: string): string {
  return resource.startsWith('/chats') ? 'created,updated,deleted' : 'created,updated';
}

/**
 * Brings Graph's subscriptions in line with the configuration, one job at a
 * time (the queue runs singly): creates missing ones, renews those past half
 * their lifetime (renewing also reauthorizes), renews at once the ones Graph
 * asked to reauthorize, recreates removed ones, and deletes what is no longer
 * wanted. Each change is saved as it happens. When a subscription had to be
 * (re)created, notifications may have been missed: a catch-up is queued.
 */
export async function reconcileSubscriptions(
  ctx: TeamsContext,
  job: SubscriptionsJob,
  budgetMs = RECONCILE_BUDGET_MS,
): Promise<ReconcileResult> {
  const started = ctx.now().getTime();
  const result: ReconcileResult = { done: true, created: [], renewed: [], deleted: [], failed: [] };
  const notificationUrl = ctx.config.notificationUrl;
  if (!notificationUrl) return result;
  const clientState = await ctx.clientState();
  const stateHash = clientStateHash(clientState);
  const lifetimeMs = ctx.config.subscriptionMinutes * 60_000;
  let stored = (await readCursor<StoredSubscription[]>(ctx.db, SUBSCRIPTIONS_KEY)) ?? [];
  const save = () => writeCursor(ctx.db, SUBSCRIPTIONS_KEY, stored, ctx.now());

  if (job.reason === 'subscriptionRemoved' && job.subscriptionId) {
    stored = stored.filter((s) => s.id !== job.subscriptionId);
    await save();
  }
  const { resources: desired, unreadable } = await desiredResources(ctx);
  result.failed.push(...unreadable);
  const unreadableTeams = unreadable.map((u) => u.resource.replace(/\/channels$/, '/channels/'));

  // Subscriptions of a team we could not list this time are kept: the team is not known to be gone.
  const unwanted = stored.filter(
    (s) => !desired.includes(s.resource) && !unreadableTeams.some((t) => s.resource.startsWith(t)),
  );
  for (const old of unwanted) {
    try {
      await ctx.graph.send('DELETE', `/subscriptions/${segment(old.id)}`);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    stored = stored.filter((s) => s.id !== old.id);
    result.deleted.push(old.resource);
    await save();
  }

  for (const resource of desired) {
    const now = ctx.now().getTime();
    if (now - started > budgetMs) {
      result.done = false;
      break;
    }
    const expirationDateTime = new Date(now + lifetimeMs).toISOString();
    const current = stored.find((s) => s.resource === resource);
    const usable =
      current && current.clientStateHash === stateHash && Date.parse(current.expirationDateTime) > now + 60_000;
    try {
      if (current && usable) {
        const due = job.subscriptionId === current.id || Date.parse(current.expirationDateTime) - now < lifetimeMs / 2;
        if (!due) continue;
        try {
          const renewed = await ctx.graph.send<GraphSubscription>('PATCH', `/subscriptions/${segment(current.id)}`, {
            body: { expirationDateTime },
          });
          current.expirationDateTime = renewed?.expirationDateTime ?? expirationDateTime;
          result.renewed.push(resource);
          await save();
          continue;
        } catch (error) {
          // Gone on Graph's side (expired, removed): fall through and create a new one.
          if (!isNotFound(error)) throw error;
        }
      }
      if (current) {
        // A stale one (other clientState, expired) may still exist on Graph's side: remove it first.
        await ctx.graph.send('DELETE', `/subscriptions/${segment(current.id)}`).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
        stored = stored.filter((s) => s.id !== current.id);
        await save();
      }
      // Graph validates notificationUrl and lifecycleNotificationUrl before answering (our webhook echoes the token).
      const created = await ctx.graph.send<GraphSubscription>('POST', '/subscriptions', {
        body: {
          changeType: changeTypeFor(resource),
          notificationUrl,
          lifecycleNotificationUrl: notificationUrl,
          resource,
          expirationDateTime,
          clientState,
          includeResourceData: false,
        },
      });
      if (!created?.id) throw new GraphRequestError(0, 'InvalidResponse', 'Graph created a subscription without an id');
      stored.push({
        id: created.id,
        resource,
        expirationDateTime: created.expirationDateTime ?? expirationDateTime,
        clientStateHash: stateHash,
      });
      result.created.push(resource);
      await save();
    } catch (error) {
      // One team without consent must not keep the others unsubscribed; throttling goes up to reschedule.
      if (!(error instanceof GraphRequestError) || error.status === 0 || error.status >= 500) throw error;
      result.failed.push({ resource, error: error.message });
      ctx.logger.warn({ resource, status: error.status, code: error.code }, 'Teams subscription could not be made');
    }
  }
  if (result.created.length > 0) {
    const catchup: CatchupJob = { reason: 'subscriptions' };
    await ctx.boss.send(TEAMS_QUEUES.catchup, catchup);
  }
  if (result.created.length + result.renewed.length + result.deleted.length + result.failed.length > 0) {
    ctx.logger.info(
      {
        created: result.created.length,
        renewed: result.renewed.length,
        deleted: result.deleted.length,
        failed: result.failed.length,
      },
      'Teams subscriptions reconciled',
    );
  }
  return result;
}

/** Creating a subscription waits for Graph to validate our endpoint: a few seconds each. */
export const RECONCILE_BUDGET_MS = 3 * 60_000;
const LEASE_MS = 10 * 60_000;
/** When another worker is reconciling, try again this much later (a reauthorization must not be dropped). */
const BUSY_RETRY_SECONDS = 30;

export function handleSubscriptionsJob(ctx: TeamsContext, data: unknown) {
  const job = (data ?? { reason: 'schedule' }) as SubscriptionsJob;
  return runOrReschedule(ctx, TEAMS_QUEUES.subscriptions, job, {}, async () => {
    const leased = await withLease(ctx.db, 'subscriptions', LEASE_MS, ctx.now, async () => {
      const result = await reconcileSubscriptions(ctx, job);
      if (!result.done) await ctx.boss.send(TEAMS_QUEUES.subscriptions, job);
      return result;
    });
    if (leased) return leased.value;
    await ctx.boss.send(TEAMS_QUEUES.subscriptions, job, { startAfter: BUSY_RETRY_SECONDS });
    return { busy: true };
  });
}
