import type { Integration, IntegrationDeps } from '../../src/core/integration.ts';
import { handleSlackBackfillStep, SLACK_BACKFILL_QUEUE, type SlackBackfillDeps } from './backfill.ts';
import {
  sendSlackDigest,
  SLACK_DIGEST_QUEUE,
  slackDigestJobHandler,
  slackDigestSchedule,
  type SlackDigestResult,
} from './digest-job.ts';
import {
  createSlackEventStore,
  pruneSlackInboundEvents,
  SLACK_EVENT_RETENTION_DAYS,
  SLACK_EVENTS_PRUNE_QUEUE,
} from './event-dedupe.ts';
import { registerSlackInteractions } from './interactions.ts';
import { handleSlackFileJob, SLACK_FILE_QUEUE } from './message-events.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import { createSlackApp } from './slack-app.ts';
import { createSlackClient, workspaceLookup } from './slack-client.ts';
import type { SlackConfig } from './slack-config.ts';
import { createSlackNotifier } from './slack-notifier.ts';
import { createSlackRedactor } from './slack-redactor.ts';

export type SlackIntegrationDeps = IntegrationDeps;

export interface SlackIntegration extends Integration {
  /** For `leakwatch backfill slack`: the dependencies `backfillSlack` takes. */
  readonly backfill: SlackBackfillDeps;
  /** For `leakwatch digest`: posts the digest now (audited as `requestedBy`, default `cli`). */
  sendDigest(options?: { period?: 'daily' | 'weekly'; requestedBy?: string }): Promise<SlackDigestResult>;
}

/**
 * Slack for leakwatch: events in (HTTP behind the Hono receiver, or Socket
 * Mode), shared files and backfill as jobs, owner DMs, button clicks and
 * `/leakwatch`, redaction, digests.
 *
 * @example
 *   const slack = loadSlackConfig(process.env);
 *   if (slack) integrations.push(createSlackIntegration(slack, { ...deps, detectors }));
 */
export function createSlackIntegration(config: SlackConfig, deps: SlackIntegrationDeps): SlackIntegration {
  const bot = createSlackClient(config.botToken, config, deps.logger);
  const admin = config.adminUserToken ? createSlackClient(config.adminUserToken, config, deps.logger) : undefined;
  const workspace = workspaceLookup(bot);

  const storeEvent = createSlackEventStore({
    db: deps.db,
    sink: deps.sink,
    boss: deps.boss,
    logger: deps.logger,
    workspace,
  });
  const slackApp = createSlackApp({ config, logger: deps.logger, storeEvent, workspace, now: deps.now });

  const outbound: SlackOutboundDeps = {
    config,
    bot,
    botPosting: createSlackClient(config.botToken, config, deps.logger, { retries: 0 }),
    admin,
    db: deps.db,
    boss: deps.boss,
    logger: deps.logger,
    now: deps.now,
    detectors: deps.detectors,
    revocation: deps.revocation,
  };
  registerSlackInteractions(slackApp.app, outbound);

  const backfill: SlackBackfillDeps = {
    db: deps.db,
    boss: deps.boss,
    sink: deps.sink,
    bot,
    config,
    logger: deps.logger,
    now: deps.now,
  };
  const fileDeps = { config, bot, boss: deps.boss, sink: deps.sink, logger: deps.logger };

  const schedules: NonNullable<Integration['schedules']> = [{ queue: SLACK_EVENTS_PRUNE_QUEUE, cron: '17 3 * * *' }];
  const digestSchedule = slackDigestSchedule(config);
  if (digestSchedule) schedules.push(digestSchedule);

  return {
    platform: 'slack',
    routes: slackApp.routes,
    notifier: createSlackNotifier(outbound),
    redact: createSlackRedactor(outbound),
    queues: {
      [SLACK_FILE_QUEUE]: (data) => handleSlackFileJob(fileDeps, data),
      [SLACK_BACKFILL_QUEUE]: (data) => handleSlackBackfillStep(backfill, data),
      [SLACK_DIGEST_QUEUE]: slackDigestJobHandler(outbound),
      [SLACK_EVENTS_PRUNE_QUEUE]: async () => {
        const cutoff = new Date(deps.now().getTime() - SLACK_EVENT_RETENTION_DAYS * 86_400_000);
        return { pruned: await pruneSlackInboundEvents(deps.db, cutoff) };
      },
    },
    schedules,
    backfill,
    sendDigest: (options = {}) =>
      sendSlackDigest(outbound, {
        period: options.period ?? config.digestPeriod,
        requestedBy: options.requestedBy ?? 'cli',
      }),
    async start() {
      // Learn the bot's identity early (permalinks, ignoring its own messages); a failure is retried on demand.
      await workspace().catch((error: unknown) =>
        deps.logger.warn({ err: error }, 'Slack auth.test failed at start; will retry when needed'),
      );
      await slackApp.start();
    },
    async stop() {
      await slackApp.stop();
    },
  };
}
