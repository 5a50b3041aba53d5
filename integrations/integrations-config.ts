// Settings only: this module must not import the integrations themselves (and their API clients), so that
// reading the configuration stays cheap for commands that use no platform (`leakwatch scan`).
import { loadConfluenceConfig } from './confluence/confluence-config.ts';
import { loadJiraConfig } from './jira/jira-config.ts';
import { loadSlackConfig } from './slack/slack-config.ts';
import { loadTeamsConfig } from './teams/teams-config.ts';

/** Validated settings of every platform the environment configures (undefined: not configured). */
export interface IntegrationsConfig {
  slack: ReturnType<typeof loadSlackConfig>;
  confluence: ReturnType<typeof loadConfluenceConfig>;
  jira: ReturnType<typeof loadJiraConfig>;
  teams: ReturnType<typeof loadTeamsConfig>;
}

/** Reads each platform's settings; throws (naming the variable) on a bad value, so start-up stops. */
export function loadIntegrationsConfig(env: NodeJS.ProcessEnv): IntegrationsConfig {
  return {
    slack: loadSlackConfig(env),
    confluence: loadConfluenceConfig(env),
    jira: loadJiraConfig(env),
    teams: loadTeamsConfig(env),
  };
}
