import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { JIRA_ISSUE, PEOPLE, SLACK_CHANNELS, TEAMS, type DemoStandIns } from './demo-company.ts';
import type { DemoCredentials } from './demo-credentials.ts';

/** A leak the scenario plants, and what the demo expects leakwatch to make of it. */
export interface PlantedLeak {
  platform: 'slack' | 'confluence' | 'jira' | 'teams';
  /** Where, for people (`#deploys`, `Confluence "Release runbook" (old version 1)`). */
  where: string;
  /** Who leaked it. */
  author: string;
  detectorId: string;
  /** At the stand-in issuer. */
  expected: 'live' | 'dead';
}

export interface ScenarioContext {
  standIns: DemoStandIns;
  credentials: DemoCredentials;
  /** leakwatch's base URL (`http://127.0.0.1:8080`). */
  leakwatchUrl: string;
  /** An admin API key, for what an admin does by hand (the identity mapping). */
  apiKey: string;
  /** Narration for the feed. */
  say(line: string): void;
  /** Told about each leak just before it is posted, so the feed can name the place when leakwatch reports it. */
  expect(leak: PlantedLeak): void;
  /** Pause between steps, so a person can follow (0 in tests that want speed). */
  pauseMs: number;
  /** Whether the Teams stand-in runs (it needs a Node that can trust its certificate). */
  teams: boolean;
  /** True once the demo is stopping: no further step is taken. */
  stopping(): boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Plants one leak per platform, each the way the platform itself would hand
 * it to leakwatch:
 * - Slack: Alice pastes a Gitea token in #deploys (a signed Events API request);
 * - Jira: Carol quotes the export job's Data Center PAT in a comment (a signed admin webhook);
 * - Confluence: Carol edits the release runbook, whose version 1 (Bob's, a month
 *   old) still holds a Vault token (a signed Data Center webhook; leakwatch reads the history);
 * - Teams: Dave shares a Grafana service account token in Incidents (a Graph
 *   change notification carrying leakwatch's clientState).
 */
export async function plantLeaks(ctx: ScenarioContext): Promise<PlantedLeak[]> {
  const { slack, jira, confluence, graph } = ctx.standIns;
  const { alice, bob, carol, dave } = PEOPLE;
  const planted: PlantedLeak[] = [];

  const plant = (leak: PlantedLeak) => {
    planted.push(leak);
    ctx.expect(leak);
  };
  /** Waits between steps; false when the demo is stopping and the rest should not happen. */
  const next = async () => {
    await sleep(ctx.pauseMs);
    return !ctx.stopping();
  };

  plant({
    platform: 'slack',
    where: 'Slack #deploys',
    author: alice.realName,
    detectorId: 'gitea-access-token',
    expected: 'live',
  });
  ctx.say(`Alice posts in Slack #deploys (signed Events API request to ${ctx.leakwatchUrl}/slack/events)`);
  await slack.postAsUser(
    alice.slack,
    SLACK_CHANNELS.deploys,
    `release pipeline is red again :( I gave the job my own token for now: GITEA_TOKEN=${ctx.credentials.gitea} — will fix properly tomorrow`,
  );
  if (!(await next())) return planted;

  plant({
    platform: 'jira',
    where: `Jira ${JIRA_ISSUE} comment`,
    author: carol.realName,
    detectorId: 'atlassian-data-center-pat',
    expected: 'dead',
  });
  ctx.say(`Carol comments on Jira ${JIRA_ISSUE} (signed webhook to ${ctx.leakwatchUrl}/webhooks/jira)`);
  await jira.comment(
    JIRA_ISSUE,
    carol.jiraKey,
    `The job sends {{Authorization: Bearer ${ctx.credentials.jiraPat}}} and gets 401 on /rest/api/2/search. Did someone rotate it?`,
  );
  if (!(await next())) return planted;

  // Data Center does not share email addresses: an admin tells leakwatch who Bob is, once.
  ctx.say('An admin maps Confluence user bob to bob@acme.test (POST /api/v1/identities)');
  await mapIdentity(ctx, {
    platform: 'confluence',
    platformUserId: bob.confluenceKey,
    email: bob.email,
    displayName: bob.realName,
  });
  const runbook = [...confluence.pages.values()].find((p) => p.title === 'Release runbook')!;
  plant({
    platform: 'confluence',
    where: `Confluence "${runbook.title}" (old version 1)`,
    author: bob.realName,
    detectorId: 'hashicorp-vault-service-token',
    expected: 'live',
  });
  ctx.say(
    `Carol edits the Confluence page "${runbook.title}" (signed webhook to ${ctx.leakwatchUrl}/webhooks/confluence); ` +
      'the token is only in version 1, written by Bob a month ago',
  );
  await confluence.edit(
    runbook.id,
    `${confluence.current(runbook).body}<p>Afterwards, post the release notes in #deploys.</p>`,
    carol.confluenceKey,
    'added the release notes step',
  );
  if (!ctx.teams || !(await next())) return planted;

  ctx.say('Waiting for leakwatch to subscribe to Teams channel messages (Graph validates the webhook first)…');
  await waitFor(() => graph.subscriptions.size > 0 || ctx.stopping(), 30_000);
  if (ctx.stopping()) return planted;
  plant({
    platform: 'teams',
    where: 'Teams Platform › Incidents',
    author: dave.realName,
    detectorId: 'grafana-service-account-token',
    expected: 'live',
  });
  ctx.say(`Dave posts in Teams "Incidents" (Graph change notification to ${ctx.leakwatchUrl}/webhooks/teams)`);
  await graph.postAsUser(
    dave.entraId,
    TEAMS.team,
    TEAMS.incidents,
    `<p>Grafana login is broken for me, use the service account meanwhile:</p><p>curl -H "Authorization: Bearer ${ctx.credentials.grafana}" https://grafana.acme.test/api/dashboards/uid/ops</p>`,
  );
  return planted;
}

async function mapIdentity(ctx: ScenarioContext, identity: Record<string, string>): Promise<void> {
  const response = await fetch(`${ctx.leakwatchUrl}/api/v1/identities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(identity),
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  // 409: mapped already (a demo restarted on the same data).
  if (!response.ok && response.status !== 409) throw new Error(`mapping an identity failed: HTTP ${response.status}`);
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the stand-in');
    await sleep(200);
  }
}

/** Redaction outcomes after which nothing more happens to an occurrence. */
const FINAL_REDACTIONS = ['redacted', 'deleted', 'not_found', 'warned', 'unsupported', 'failed'];

/**
 * True once leakwatch has finished with every planted leak: each platform has
 * a finding that was verified, then either told to its owner (a sent or failed
 * owner notice) or resolved as dead, and every occurrence's redaction has an
 * outcome.
 */
export async function leaksSettled(db: Kysely<Database>, planted: readonly PlantedLeak[]): Promise<boolean> {
  for (const leak of planted) {
    const findings = await db
      .selectFrom('findings')
      .innerJoin('occurrences', 'occurrences.finding_id', 'findings.id')
      .select(['findings.id', 'findings.status', 'findings.verified_at'])
      .where('occurrences.platform', '=', leak.platform)
      .where('findings.detector_id', '=', leak.detectorId)
      .execute();
    const finding = findings[0];
    if (!finding || finding.verified_at === null) return false;
    if (finding.status !== 'resolved') {
      const notice = await db
        .selectFrom('notifications')
        .select('status')
        .where('finding_id', '=', finding.id)
        .where('kind', '=', 'owner')
        .where('status', 'in', ['sent', 'failed'])
        .executeTakeFirst();
      if (!notice) return false;
    }
    const occurrences = await db
      .selectFrom('occurrences')
      .leftJoin('redactions', 'redactions.occurrence_id', 'occurrences.id')
      .select(['occurrences.id', 'redactions.status'])
      .where('occurrences.finding_id', '=', finding.id)
      .execute();
    if (occurrences.some((o) => !o.status || !FINAL_REDACTIONS.includes(o.status))) return false;
  }
  return true;
}
