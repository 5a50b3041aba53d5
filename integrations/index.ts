import type { BackfillRequest, Integration, IntegrationDeps } from '../src/core/integration.ts';
import { startConfluenceBackfill } from './confluence/backfill.ts';
import { createConfluenceIntegration } from './confluence/confluence-integration.ts';
import { startJiraBackfill } from './jira/backfill.ts';
import { createJiraIntegration } from './jira/jira-integration.ts';
import { JIRA_QUEUE_OPTIONS } from './jira/jira-queues.ts';
import { startSlackBackfill } from './slack/backfill.ts';
import { createSlackIntegration } from './slack/slack-integration.ts';
import { startTeamsBackfill } from './teams/backfill.ts';
import { TEAMS_QUEUE_OPTIONS } from './teams/teams-context.ts';
import { createTeamsIntegration } from './teams/teams-integration.ts';
import type { IntegrationsConfig } from './integrations-config.ts';

export { loadIntegrationsConfig, type IntegrationsConfig } from './integrations-config.ts';

/**
 * The platform integrations the configuration enables (Slack, Teams, Jira,
 * Confluence); none when nothing is set. Slack comes first: it delivers owner
 * notices for every platform.
 */
export function createIntegrations(config: IntegrationsConfig, deps: IntegrationDeps): Integration[] {
  const integrations: Integration[] = [];
  if (config.slack) {
    const slack = createSlackIntegration(config.slack, deps);
    integrations.push(
      Object.assign(slack, {
        autoRedact: config.slack.autoRedact,
        async startBackfill(request: BackfillRequest) {
          const { run, resumed } = await startSlackBackfill(slack.backfill, {
            ...(request.containers?.length ? { channels: request.containers } : {}),
            ...(request.since ? { since: request.since.toISOString() } : {}),
          });
          return { runId: run.id, resumed };
        },
      }),
    );
  }
  if (config.confluence) {
    const site = config.confluence;
    integrations.push(
      Object.assign(createConfluenceIntegration(site, deps), {
        async startBackfill(request: BackfillRequest) {
          const { runId } = await startConfluenceBackfill(deps, site, {
            ...(request.containers?.length ? { spaces: request.containers } : {}),
            ...(request.since ? { since: request.since } : {}),
          });
          return { runId, resumed: false };
        },
      }),
    );
  }
  if (config.jira) {
    const site = config.jira;
    integrations.push(
      Object.assign(createJiraIntegration(site, deps), {
        queueOptions: JIRA_QUEUE_OPTIONS,
        async startBackfill(request: BackfillRequest) {
          const { runId } = await startJiraBackfill(deps.db, deps.boss, {
            site: site.host,
            projects: request.containers?.length ? request.containers : site.projects,
            ...(request.since ? { since: request.since } : {}),
            requestedBy: 'cli',
          });
          return { runId, resumed: false };
        },
      }),
    );
  }
  if (config.teams) {
    const tenant = config.teams;
    integrations.push(
      Object.assign(createTeamsIntegration(tenant, deps), {
        queueOptions: TEAMS_QUEUE_OPTIONS,
        async startBackfill(request: BackfillRequest) {
          const { runId } = await startTeamsBackfill(
            { db: deps.db, boss: deps.boss, config: tenant },
            {
              ...(request.containers?.length ? { teams: request.containers } : {}),
              ...(request.since ? { since: request.since.toISOString() } : {}),
            },
            'cli',
          );
          return { runId, resumed: false };
        },
      }),
    );
  }
  return integrations;
}
