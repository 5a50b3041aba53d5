import type { Integration, IntegrationDeps } from '../../src/core/integration.ts';
import { runJiraBackfillStep, type JiraBackfillJob } from './backfill.ts';
import { createCloudClient } from './cloud-client.ts';
import { createDataCenterClient } from './datacenter-client.ts';
import { checkHistoryRedaction } from './history-redaction.ts';
import { resolveJiraIdentity } from './identity.ts';
import type { JiraClient } from './jira-client.ts';
import { resolveJiraDeployment, type JiraConfig } from './jira-config.ts';
import { createIssueReader, type IssueReader } from './issue-reader.ts';
import { IssueWritePacer } from './issue-write-pacer.ts';
import { JIRA_BACKFILL_QUEUE, JIRA_POLL_QUEUE, JIRA_REDACTION_STATUS_QUEUE } from './jira-queues.ts';
import { pollJira, recordPollFailure } from './poller.ts';
import { redactJiraOccurrence, type RedactionStatusJob } from './redactor.ts';
import { jiraWebhookRoutes } from './webhook.ts';

interface Runtime {
  client: JiraClient;
  reader: IssueReader;
  timeZone: string | undefined;
}

export interface JiraIntegrationOptions {
  /** `fetch` for the Data Center client and the Cloud/DC detection (tests). */
  fetch?: typeof fetch;
  /** Minimum spacing of writes to one issue (default 1 s). */
  issueWriteIntervalMs?: number;
}

/**
 * The Jira connector: webhooks at `/webhooks/jira` (when `JIRA_WEBHOOK_SECRET`
 * is set), an incremental poll every minute honouring
 * `LEAKWATCH_POLL_INTERVAL` (the safety net under webhooks), resumable
 * project backfills, redaction (with Atlassian's history redaction on Cloud)
 * and identity lookup. Cloud vs Data Center is settled on first use.
 *
 * @example
 *   const jira = loadJiraConfig(process.env);
 *   if (jira) integrations.push(createJiraIntegration(jira, deps));
 */
export function createJiraIntegration(
  config: JiraConfig,
  deps: IntegrationDeps,
  options: JiraIntegrationOptions = {},
): Integration {
  const connector = `jira:${config.host}`;
  const pacer = new IssueWritePacer(options.issueWriteIntervalMs);
  const historyApi = { unavailableUntil: 0, why: '' };
  let pending: Promise<Runtime> | undefined;

  const runtime = (): Promise<Runtime> => {
    pending ??= build().catch((error: unknown) => {
      // Try again on the next use (the site may have been unreachable).
      pending = undefined;
      throw error;
    });
    return pending;
  };

  async function build(): Promise<Runtime> {
    const deployment = await resolveJiraDeployment(config, options.fetch);
    const client =
      deployment === 'cloud'
        ? await createCloudClient(config, { ...(options.fetch ? { fetch: options.fetch } : {}) })
        : createDataCenterClient(config, { ...(options.fetch ? { fetch: options.fetch } : {}) });
    const reader = createIssueReader({
      client,
      db: deps.db,
      logger: deps.logger,
      site: config.host,
      maxAttachmentBytes: config.maxAttachmentBytes,
    });
    // JQL dates are read in the account's time zone; a wrong zone would shift the poll window.
    const timeZone = await client.myTimeZone();
    if (timeZone === undefined) deps.logger.warn({ site: config.host }, 'jira: account has no time zone; assuming UTC');
    return { client, reader, timeZone };
  }

  const integration: Integration = {
    platform: 'jira',

    async redact(request) {
      const { client } = await runtime();
      return redactJiraOccurrence(
        { client, boss: deps.boss, logger: deps.logger, pacer, historyRedaction: config.historyRedaction, historyApi },
        request,
      );
    },

    async resolveIdentity(identity) {
      const { client } = await runtime();
      return resolveJiraIdentity(client, identity);
    },

    queues: {
      [JIRA_POLL_QUEUE]: async () => {
        let rt: Runtime;
        try {
          rt = await runtime();
        } catch (error) {
          await recordPollFailure(deps.db, connector, (error as Error).message, deps.now());
          return { status: 'failed', error: (error as Error).message };
        }
        return pollJira({
          connector,
          client: rt.client,
          reader: rt.reader,
          db: deps.db,
          sink: deps.sink,
          logger: deps.logger,
          now: deps.now,
          projects: config.projects,
          pollIntervalSeconds: config.pollIntervalSeconds,
          timeZone: rt.timeZone,
        });
      },
      [JIRA_BACKFILL_QUEUE]: async (data) => {
        const rt = await runtime();
        return runJiraBackfillStep(
          {
            client: rt.client,
            reader: rt.reader,
            db: deps.db,
            boss: deps.boss,
            sink: deps.sink,
            logger: deps.logger,
            now: deps.now,
            timeZone: rt.timeZone,
          },
          data as JiraBackfillJob,
        );
      },
      [JIRA_REDACTION_STATUS_QUEUE]: async (data) => {
        const rt = await runtime();
        return checkHistoryRedaction(
          {
            client: rt.client,
            db: deps.db,
            boss: deps.boss,
            scanner: deps.scanner,
            logger: deps.logger,
            pacer,
            now: deps.now,
          },
          data as RedactionStatusJob,
        );
      },
    },

    schedules: [{ queue: JIRA_POLL_QUEUE, cron: '* * * * *' }],

    async start() {
      try {
        const rt = await runtime();
        deps.logger.info(
          {
            site: config.host,
            deployment: rt.client.deployment,
            projects: config.projects,
            webhooks: !!config.webhookSecret,
          },
          'jira connector ready',
        );
      } catch (error) {
        // Not fatal: polls record the error and retry; webhooks answer 500 so Jira retries.
        deps.logger.error({ site: config.host, err: error }, 'jira connector could not start yet');
      }
    },
  };

  if (config.webhookSecret) {
    integration.routes = jiraWebhookRoutes({
      secret: config.webhookSecret,
      site: config.host,
      projects: config.projects,
      db: deps.db,
      sink: deps.sink,
      logger: deps.logger,
      now: deps.now,
      runtime,
    });
  }
  return integration;
}
