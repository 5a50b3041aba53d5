import { randomBytes } from 'node:crypto';
import { SLACK_CHANNELS, TEAMS, type ServiceAccess } from './demo-company.ts';

/** Where everything listens, and what leakwatch signs in to the stand-ins with. */
export interface DemoAddresses {
  dataDir: string;
  port: number;
  /** `http://127.0.0.1:<port>`: what the stand-ins deliver events and webhooks to. */
  leakwatchUrl: string;
  slackUrl: string;
  confluenceUrl: string;
  jiraUrl: string;
  /** The stand-in issuers (Gitea, Vault and Grafana under their own paths). */
  issuerUrl: string;
  /** The stand-in Microsoft login and Graph (https); Teams is left out without it. */
  graphUrl?: string;
  access: ServiceAccess;
}

/**
 * leakwatch's environment for the demo: the same variables an operator sets,
 * pointed at the stand-ins — embedded PGlite, auto-redaction everywhere,
 * liveness checks only against the stand-in issuers, webhooks signed with the
 * secrets the stand-ins know. Built from scratch, never from `process.env`.
 */
export function demoEnvironment(addresses: DemoAddresses): NodeJS.ProcessEnv {
  return {
    LEAKWATCH_DATA_DIR: addresses.dataDir,
    PORT: String(addresses.port),
    LEAKWATCH_HOST: '127.0.0.1',
    LEAKWATCH_LOG_LEVEL: 'info',
    // Lets the dashboard's "revoke" work on the demo's Vault token (secrets are sealed with it, never stored raw).
    LEAKWATCH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    LEAKWATCH_AUTO_REDACT: 'all',
    LEAKWATCH_POLL_INTERVAL_SECONDS: '0.5',
    // Liveness checks go to the stand-in issuers on 127.0.0.1, and only there.
    LEAKWATCH_VERIFY_ALLOW_PRIVATE: 'true',
    LEAKWATCH_VERIFY_BASE_URLS: [
      `gitea=${addresses.issuerUrl}/gitea`,
      `hashicorp-vault=${addresses.issuerUrl}/vault`,
      `grafana=${addresses.issuerUrl}/grafana`,
      `atlassian=${addresses.jiraUrl}`,
    ].join(','),
    LEAKWATCH_VERIFY_TIMEOUT_MS: '5000',
    // Every stand-in issuer shares one host:port, which the verifier paces as one issuer.
    LEAKWATCH_VERIFY_HOST_RPS: '50',
    LEAKWATCH_POLL_INTERVAL: '60',
    SLACK_BOT_TOKEN: addresses.access.slackBotToken,
    SLACK_SIGNING_SECRET: addresses.access.slackSigningSecret,
    SLACK_ADMIN_USER_TOKEN: addresses.access.slackAdminToken,
    SLACK_SECURITY_CHANNEL: SLACK_CHANNELS.security,
    SLACK_API_URL: `${addresses.slackUrl}/api/`,
    // The demo posts its digest itself once the leaks are handled.
    SLACK_DIGEST_CRON: 'off',
    CONFLUENCE_URL: addresses.confluenceUrl,
    CONFLUENCE_PAT: addresses.access.confluencePat,
    CONFLUENCE_WEBHOOK_SECRET: addresses.access.confluenceWebhookSecret,
    CONFLUENCE_REQUESTS_PER_SECOND: '50',
    JIRA_URL: addresses.jiraUrl,
    JIRA_DEPLOYMENT: 'datacenter',
    JIRA_PAT: addresses.access.jiraPat,
    JIRA_WEBHOOK_SECRET: addresses.access.jiraWebhookSecret,
    JIRA_REQUESTS_PER_SECOND: '50',
    ...(addresses.graphUrl
      ? {
          TEAMS_TENANT_ID: TEAMS.tenantId,
          TEAMS_CLIENT_ID: TEAMS.clientId,
          TEAMS_CLIENT_SECRET: addresses.access.teamsClientSecret,
          TEAMS_NOTIFICATION_URL: `${addresses.leakwatchUrl}/webhooks/teams`,
          TEAMS_CHATS: 'off',
          TEAMS_DELEGATED_TOKEN: addresses.access.teamsDelegatedToken,
          GRAPH_API_URL: addresses.graphUrl,
          GRAPH_LOGIN_URL: addresses.graphUrl,
        }
      : {}),
  };
}
