import type { Integration, IntegrationDeps } from '../../src/core/integration.ts';
import { BACKFILL_QUEUE, runBackfillStep, type BackfillJob } from './backfill.ts';
import type { ConfluenceApi } from './confluence-api.ts';
import type { ConfluenceConfig } from './confluence-config.ts';
import type { ConfluenceHttpOptions } from './confluence-http.ts';
import { createConfluenceApi } from './create-confluence-api.ts';
import { pollConfluence, pollCron, POLL_QUEUE } from './poller.ts';
import { redactConfluenceOccurrence } from './redactor.ts';
import { VersionLedger, PLATFORM } from './version-ledger.ts';
import { confluenceWebhookRoutes } from './webhook.ts';

export interface ConfluenceIntegrationOptions {
  /** Transport overrides (tests: a fake clock/sleep). */
  http?: ConfluenceHttpOptions;
  /** A ready API (tests); built from the config otherwise. */
  api?: ConfluenceApi;
}

/**
 * Confluence Cloud or Data Center as a leakwatch integration:
 * - `confluence-poll` (cron from `LEAKWATCH_POLL_INTERVAL`): incremental CQL reads, on Cloud the only feed and on
 *   Data Center the safety net behind webhooks;
 * - `confluence-backfill`: resumable whole-space reads (`leakwatch backfill confluence`);
 * - `POST /webhooks/confluence` on Data Center when `CONFLUENCE_WEBHOOK_SECRET` is set;
 * - `redact`: redacted new version + deletion of the historical versions that hold the secret;
 * - `resolveIdentity`: accountId (Cloud) / userKey (Data Center) → email, name.
 */
export function createConfluenceIntegration(
  config: ConfluenceConfig,
  deps: IntegrationDeps,
  options: ConfluenceIntegrationOptions = {},
): Integration {
  const api = options.api ?? createConfluenceApi(config, options.http);
  const ledger = new VersionLedger(api.host);
  const reader = { api, db: deps.db, sink: deps.sink, ledger, logger: deps.logger, now: deps.now };

  const integration: Integration = {
    platform: PLATFORM,
    queues: {
      [POLL_QUEUE]: () =>
        pollConfluence({ ...reader, spaces: config.spaces, overlapSeconds: config.pollOverlapSeconds }),
      [BACKFILL_QUEUE]: (data) => runBackfillStep({ ...reader, boss: deps.boss }, data as BackfillJob),
    },
    // One poll at a time; a failed one is not retried: the next scheduled poll re-reads from the cursor.
    queueOptions: {
      [POLL_QUEUE]: { policy: 'singleton', retryLimit: 0, expireInSeconds: 600, deleteAfterSeconds: 3600 },
    },
    schedules: [{ queue: POLL_QUEUE, cron: pollCron(config.pollIntervalSeconds) }],
    redact: (request) => redactConfluenceOccurrence({ api, db: deps.db, ledger, logger: deps.logger }, request),
    async resolveIdentity(identity) {
      if (identity.platform !== PLATFORM) return null;
      const user = await api.getUser(identity.platform_user_id);
      if (!user) return null;
      return {
        ...(user.email ? { email: user.email } : {}),
        ...(user.displayName ? { display_name: user.displayName } : {}),
        ...(user.active !== undefined ? { active: user.active } : {}),
      };
    },
  };
  if (config.deployment === 'datacenter' && config.webhookSecret) {
    integration.routes = confluenceWebhookRoutes({ ...reader, secret: config.webhookSecret, spaces: config.spaces });
  } else if (config.deployment === 'datacenter') {
    deps.logger.info('CONFLUENCE_WEBHOOK_SECRET is not set: Confluence Data Center is polled only, no webhooks');
  }
  return integration;
}
