import { randomBytes } from 'node:crypto';
import type { DemoCredentials } from './demo-credentials.ts';
import { FakeConfluence } from './fake-confluence.ts';
import { FakeGraph } from './fake-graph.ts';
import { FakeIssuer } from './fake-issuer.ts';
import { FakeJira } from './fake-jira.ts';
import { FakeSlack } from './fake-slack.ts';

/**
 * "Acme", the made-up company the demo runs in: four people who each leak a
 * credential somewhere, the Slack workspace, Confluence site, Jira and
 * Microsoft 365 tenant they work in (as stand-ins, seeded with a little
 * history), and the self-hosted services that issued the credentials.
 */
export const PEOPLE = {
  alice: { name: 'alice', realName: 'Alice Martin', email: 'alice@acme.test', slack: 'U0ALICE001' },
  bob: {
    name: 'bob',
    realName: 'Bob Nguyen',
    email: 'bob@acme.test',
    slack: 'U0BOB00001',
    confluenceKey: '8a7f80868c1d4e2f018c1d4e2f5a0001',
  },
  carol: {
    name: 'carol',
    realName: 'Carol Diaz',
    email: 'carol@acme.test',
    slack: 'U0CAROL001',
    jiraKey: 'JIRAUSER10307',
    confluenceKey: '8a7f80868c1d4e2f018c1d4e2f5a0002',
  },
  dave: {
    name: 'dave',
    realName: 'Dave Okafor',
    email: 'dave@acme.test',
    slack: 'U0DAVE0001',
    entraId: '5d8c2f4e-7b1a-4c3d-9e6f-2a1b0c9d8e7f',
  },
} as const;

export const SLACK_CHANNELS = { deploys: 'C0DEPLOYS1', security: 'C0SECURITY' } as const;
export const TEAMS = {
  tenantId: 'b7e3c9a1-2d4f-4e6a-8c0b-1f2e3d4c5b6a',
  clientId: '0c6f1e2d-3b4a-4958-a7b6-c5d4e3f2a1b0',
  team: 'e4a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b',
  incidents: '19:3f5c8a0c1b0d4e6f9a2b7c8d9e0f1a2b@thread.tacv2',
} as const;
export const JIRA_ISSUE = 'OPS-142';

/** What leakwatch signs in to the stand-ins with, made fresh per run (none of it is a real credential). */
export interface ServiceAccess {
  slackBotToken: string;
  slackAdminToken: string;
  slackSigningSecret: string;
  confluencePat: string;
  confluenceWebhookSecret: string;
  jiraPat: string;
  jiraWebhookSecret: string;
  teamsClientSecret: string;
  teamsDelegatedToken: string;
}

export function generateServiceAccess(): ServiceAccess {
  const hex = (n: number) => randomBytes(n).toString('hex');
  const b64 = (n: number) => randomBytes(n).toString('base64url');
  return {
    slackBotToken: `xoxb-demo-${hex(12)}`,
    slackAdminToken: `xoxp-demo-${hex(12)}`,
    slackSigningSecret: hex(16),
    confluencePat: b64(24),
    confluenceWebhookSecret: hex(24),
    jiraPat: b64(24),
    jiraWebhookSecret: hex(24),
    teamsClientSecret: b64(30),
    teamsDelegatedToken: b64(48),
  };
}

export interface DemoStandIns {
  slack: FakeSlack;
  confluence: FakeConfluence;
  jira: FakeJira;
  graph: FakeGraph;
  issuer: FakeIssuer;
}

/** Stand-ins populated with Acme's people, places and history, and the issuers told which credentials they issued. */
export function createDemoCompany(access: ServiceAccess, credentials: DemoCredentials): DemoStandIns {
  const { alice, bob, carol, dave } = PEOPLE;

  const slack = new FakeSlack({
    teamId: 'T0ACMEDEMO',
    teamName: 'Acme (demo)',
    botUser: { id: 'U0LEAKBOT1', name: 'leakwatch', realName: 'leakwatch', isBot: true },
    botToken: access.slackBotToken,
    adminUser: {
      id: 'U0ADMIN001',
      name: 'sam',
      realName: 'Sam (workspace admin)',
      email: 'sam@acme.test',
      isAdmin: true,
    },
    adminToken: access.slackAdminToken,
    signingSecret: access.slackSigningSecret,
  });
  for (const person of [alice, bob, carol, dave]) {
    slack.addPerson({ id: person.slack, name: person.name, realName: person.realName, email: person.email });
  }
  const everyone = ['U0LEAKBOT1', 'U0ADMIN001', alice.slack, bob.slack, carol.slack, dave.slack];
  slack.addChannel(SLACK_CHANNELS.deploys, 'deploys', everyone);
  slack.addChannel(SLACK_CHANNELS.security, 'security', ['U0LEAKBOT1', 'U0ADMIN001']);

  const confluence = new FakeConfluence({
    pat: access.confluencePat,
    serviceUser: {
      key: '8a7f80868c1d4e2f018c1d4e2f5a0000',
      username: 'svc-leakwatch',
      displayName: 'leakwatch (service)',
    },
    webhookSecret: access.confluenceWebhookSecret,
  });
  confluence.addPerson({ key: bob.confluenceKey, username: bob.name, displayName: bob.realName });
  confluence.addPerson({ key: carol.confluenceKey, username: carol.name, displayName: carol.realName });
  // The token was removed from the page twelve days ago, but Confluence keeps every version.
  confluence.seedPage({
    spaceKey: 'OPS',
    title: 'Release runbook',
    versions: [
      {
        by: bob.confluenceKey,
        daysAgo: 30,
        body:
          '<h2>Deploying a release</h2><p>Log in to Vault first:</p>' +
          `<ac:structured-macro ac:name="code"><ac:plain-text-body><![CDATA[export VAULT_ADDR=https://vault.acme.test\nexport VAULT_TOKEN=${credentials.vault}\nvault kv get secret/deploy]]></ac:plain-text-body></ac:structured-macro>` +
          '<p>Then run <code>make release</code>.</p>',
      },
      {
        by: bob.confluenceKey,
        daysAgo: 12,
        message: 'use your own Vault login',
        body:
          '<h2>Deploying a release</h2><p>Log in to Vault first with <code>vault login -method=oidc</code>.</p>' +
          '<p>Then run <code>make release</code>.</p>',
      },
    ],
  });

  const jira = new FakeJira({ webhookSecret: access.jiraWebhookSecret });
  jira.addPerson({
    key: 'JIRAUSER10100',
    name: 'svc-leakwatch',
    displayName: 'leakwatch (service)',
    email: 'leakwatch@acme.test',
  });
  jira.addPerson({
    key: 'JIRAUSER10212',
    name: 'svc-export',
    displayName: 'Export Service',
    email: 'svc-export@acme.test',
  });
  jira.addPerson({ key: carol.jiraKey, name: carol.name, displayName: carol.realName, email: carol.email });
  jira.issueToken(access.jiraPat, 'JIRAUSER10100');
  // The export job's token was rotated last week; the old one is dead.
  jira.issueToken(credentials.jiraPat, 'JIRAUSER10212');
  jira.revokeToken(credentials.jiraPat);
  jira.seedIssue({
    key: JIRA_ISSUE,
    summary: 'Nightly Jira export fails with 401',
    description: 'Since Friday the export job stops at the first request.',
    reporter: carol.jiraKey,
    daysAgo: 2,
  });

  const graph = new FakeGraph({
    tenantId: TEAMS.tenantId,
    clientId: TEAMS.clientId,
    clientSecret: access.teamsClientSecret,
    delegatedToken: access.teamsDelegatedToken,
    delegatedUser: {
      id: '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d',
      displayName: 'Security Admin',
      mail: 'security-admin@acme.test',
      userPrincipalName: 'security-admin@acme.test',
      accountEnabled: true,
    },
  });
  graph.addPerson({
    id: dave.entraId,
    displayName: dave.realName,
    mail: dave.email,
    userPrincipalName: dave.email,
    accountEnabled: true,
  });
  graph.addTeam({
    id: TEAMS.team,
    displayName: 'Platform',
    channels: [{ id: TEAMS.incidents, displayName: 'Incidents' }],
  });

  const issuer = new FakeIssuer();
  issuer.issue('gitea', credentials.gitea, 'release-bot');
  issuer.issue('vault', credentials.vault, 'approle-deploy');
  issuer.issue('grafana', credentials.grafana, 'Acme Ops');

  return { slack, confluence, jira, graph, issuer };
}
