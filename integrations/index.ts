import type { Integration, IntegrationDeps } from '../src/core/integration.ts';
import { loadConfluenceConfig } from './confluence/confluence-config.ts';
import { createConfluenceIntegration } from './confluence/confluence-integration.ts';
import { loadSlackConfig } from './slack/slack-config.ts';
import { createSlackIntegration } from './slack/slack-integration.ts';

/** Validated settings of every platform the environment configures (undefined: not configured). */
export interface IntegrationsConfig {
  slack: ReturnType<typeof loadSlackConfig>;
  confluence: ReturnType<typeof loadConfluenceConfig>;
}

/** Reads each platform's settings; throws (naming the variable) on a bad value, so start-up stops. */
export function loadIntegrationsConfig(env: NodeJS.ProcessEnv): IntegrationsConfig {
  return { slack: loadSlackConfig(env), confluence: loadConfluenceConfig(env) };
}

/**
 * The platform integrations the configuration enables (Slack, Teams, Jira,
 * Confluence); none when nothing is set. Slack comes first: it delivers owner
 * notices for every platform.
 */
export function createIntegrations(config: IntegrationsConfig, deps: IntegrationDeps): Integration[] {
  const integrations: Integration[] = [];
  if (config.slack) {
    const slack = createSlackIntegration(config.slack, deps);
    integrations.push(Object.assign(slack, { autoRedact: config.slack.autoRedact }));
  }
  if (config.confluence) integrations.push(createConfluenceIntegration(config.confluence, deps));
  return integrations;
}
