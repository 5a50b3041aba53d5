import type { Integration, IntegrationDeps } from '../../src/core/integration.ts';
import { handleBackfillJob, resumeTeamsBackfills } from './backfill.ts';
import { clientStateSource } from './client-state.ts';
import { handleCatchupJob, type CatchupJob } from './delta.ts';
import { createGraphTokenSource } from './graph-auth.ts';
import { createGraphClient } from './graph-client.ts';
import { handleFetchJob } from './message-fetch.ts';
import { createAuthorDirectory, createTeamsIdentityResolver } from './owner.ts';
import { createTeamsRedactor } from './redactor.ts';
import { handleSubscriptionsJob, type SubscriptionsJob } from './subscriptions.ts';
import type { TeamsConfig } from './teams-config.ts';
import { createTeamsQueues, TEAMS_QUEUES, type TeamsContext } from './teams-context.ts';
import { TeamsWebhookNotifier } from './teams-notifier.ts';
import { teamsWebhookRoutes } from './webhook.ts';

/** Subscriptions are checked every 15 minutes: renewals happen at half their lifetime, well inside that. */
export const SUBSCRIPTIONS_CRON = '*/15 * * * *';
/** With notifications, catch-up is a safety net; without a public URL it is how messages arrive. */
export const CATCHUP_CRON_WITH_NOTIFICATIONS = '17 * * * *';
export const CATCHUP_CRON_POLLING = '*/5 * * * *';

/** Builds the Teams context from the configuration and the service's dependencies. */
export function createTeamsContext(config: TeamsConfig, deps: IntegrationDeps): TeamsContext {
  const tokens = createGraphTokenSource(config, { now: deps.now });
  const graph = createGraphClient({ baseUrl: config.graphApiUrl, tokens, now: deps.now });
  return {
    config,
    graph,
    db: deps.db,
    boss: deps.boss,
    sink: deps.sink,
    logger: deps.logger.child({ integration: 'teams' }),
    now: deps.now,
    clientState: clientStateSource(deps.db, config),
    authors: createAuthorDirectory(graph, { now: deps.now }),
  };
}

/**
 * Microsoft Teams through Microsoft Graph: change notifications at
 * `/webhooks/teams`, catch-up by delta, resumable backfill, owner lookup in
 * Entra ID, owner notices through a Teams webhook (Teams-only organisations),
 * and redaction by policyViolation or softDelete.
 *
 * @example
 *   const teams = loadTeamsConfig(process.env);
 *   if (teams) integrations.push(createTeamsIntegration(teams, deps));
 */
export function createTeamsIntegration(config: TeamsConfig, deps: IntegrationDeps): Integration {
  const ctx = createTeamsContext(config, deps);
  const subscribed = Boolean(config.notificationUrl);
  return {
    platform: 'teams',
    routes: teamsWebhookRoutes(ctx),
    ...(config.botWebhookUrl ? { notifier: new TeamsWebhookNotifier(config.botWebhookUrl, { now: deps.now }) } : {}),
    redact: createTeamsRedactor(ctx),
    resolveIdentity: createTeamsIdentityResolver(ctx.graph),
    queues: {
      [TEAMS_QUEUES.fetch]: (data) => handleFetchJob(ctx, data),
      [TEAMS_QUEUES.catchup]: (data) => handleCatchupJob(ctx, data),
      [TEAMS_QUEUES.backfill]: (data) => handleBackfillJob(ctx, data),
      [TEAMS_QUEUES.subscriptions]: (data) => handleSubscriptionsJob(ctx, data),
    },
    schedules: [
      ...(subscribed
        ? [
            {
              queue: TEAMS_QUEUES.subscriptions,
              cron: SUBSCRIPTIONS_CRON,
              data: { reason: 'schedule' } satisfies SubscriptionsJob,
            },
          ]
        : []),
      {
        queue: TEAMS_QUEUES.catchup,
        cron: subscribed ? CATCHUP_CRON_WITH_NOTIFICATIONS : CATCHUP_CRON_POLLING,
        data: { reason: 'schedule' } satisfies CatchupJob,
      },
    ],
    async start() {
      await createTeamsQueues(deps.boss);
      if (subscribed) await deps.boss.send(TEAMS_QUEUES.subscriptions, { reason: 'start' } satisfies SubscriptionsJob);
      await deps.boss.send(TEAMS_QUEUES.catchup, { reason: 'start' } satisfies CatchupJob);
      const resumed = await resumeTeamsBackfills(deps.db, deps.boss);
      if (resumed > 0) ctx.logger.info({ runs: resumed }, 'resumed Teams backfills');
    },
  };
}
