import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectors as builtInDetectors } from '../../detectors/index.ts';
import { createConfluenceIntegration } from '../../integrations/confluence/confluence-integration.ts';
import { loadConfluenceConfig } from '../../integrations/confluence/confluence-config.ts';
import { createJiraIntegration } from '../../integrations/jira/jira-integration.ts';
import { loadJiraConfig } from '../../integrations/jira/jira-config.ts';
import { createSlackIntegration, type SlackIntegration } from '../../integrations/slack/slack-integration.ts';
import { loadSlackConfig } from '../../integrations/slack/slack-config.ts';
import { createTeamsIntegration } from '../../integrations/teams/teams-integration.ts';
import { loadTeamsConfig } from '../../integrations/teams/teams-config.ts';
import { TEAMS_QUEUES } from '../../integrations/teams/teams-context.ts';
import { loadConfig } from '../config.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import type { Integration, IntegrationDeps } from '../core/integration.ts';
import { createApiKey } from '../db/api-keys-repository.ts';
import { writeAudit } from '../db/audit-repository.ts';
import { createScanner } from '../detection/scanner.ts';
import { createLogger } from '../logger.ts';
import { startService, type Service } from '../service.ts';
import { createDemoCompany, generateServiceAccess, type DemoStandIns } from './demo-company.ts';
import { demoEnvironment } from './demo-environment.ts';
import { generateDemoCredentials, type DemoCredentials } from './demo-credentials.ts';
import { DemoFeed } from './demo-feed.ts';
import { leaksSettled, plantLeaks, type PlantedLeak } from './demo-scenario.ts';
import { createSelfSignedCertificate, trustInThisProcess } from './self-signed-certificate.ts';
import { freePort, listen, portIsFree, type RunningServer } from './stand-in-server.ts';

export interface DemoOptions {
  /** leakwatch's port (0: any free one). */
  port: number;
  /** Where leakwatch keeps its data (wiped at start: the stand-ins start empty too). */
  dataDir: string;
  /** Stop by itself this many seconds after everything is up. */
  exitAfterSeconds?: number;
  /** Stop on SIGINT/SIGTERM (the CLI; not tests). */
  handleSignals?: boolean;
  /** Seconds between the scenario's steps, so a person can follow (default 1.5). */
  stepPauseSeconds?: number;
  /** How long to wait for every leak to be handled before posting the digest anyway (default 120 s). */
  settleTimeoutSeconds?: number;
  print(line: string): void;
}

/** A running demo, for whoever wants to look inside (the end-to-end test). */
export interface RunningDemo {
  service: Service;
  standIns: DemoStandIns;
  credentials: DemoCredentials;
  /** `http://127.0.0.1:<port>` */
  leakwatchUrl: string;
  apiKey: string;
  /** Resolves once the leaks are planted, everything about them is handled and the digest is posted. */
  finished: Promise<{ planted: PlantedLeak[]; settled: boolean }>;
}

/** Marks a data directory as the demo's own, so a later run may wipe it. */
const MARKER = 'LEAKWATCH-DEMO-DATA';

/** Holds the process id of the demo using the directory. */
const PID_FILE = 'demo.pid';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The demo's data directory, empty: a previous demo's is wiped, one a running
 * demo still uses is refused, anything that is not the demo's is left alone.
 */
function prepareDataDir(dir: string): void {
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    if (!existsSync(join(dir, MARKER))) {
      throw new LeakwatchError(
        ErrorCode.InputInvalid,
        `${dir} exists and is not a leakwatch demo directory; refusing to wipe it (move it away or run elsewhere)`,
      );
    }
    const pid = existsSync(join(dir, PID_FILE)) ? Number(readFileSync(join(dir, PID_FILE), 'utf8')) : NaN;
    if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) {
      throw new LeakwatchError(ErrorCode.InputInvalid, `another leakwatch demo (pid ${pid}) is running in ${dir}`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, MARKER),
    'This directory belongs to `leakwatch demo` and is wiped every time the demo starts.\n',
  );
  writeFileSync(join(dir, PID_FILE), String(process.pid));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `leakwatch demo`: the whole product on one machine with no account
 * anywhere. Starts stand-ins for Slack, Confluence, Jira and Microsoft Graph
 * (plus the self-hosted services that issued the leaked credentials) on
 * 127.0.0.1, starts leakwatch against them with embedded PGlite and its usual
 * settings (auto-redaction on), creates an admin API key for the dashboard,
 * plants one realistic leak per platform the way each platform would deliver
 * it, prints a live feed of what leakwatch does, and posts the digest once
 * every leak is handled. Runs until Ctrl-C (or `exitAfterSeconds`).
 *
 * Nothing from the caller's environment is used: a shell with real
 * SLACK_BOT_TOKEN or DATABASE_URL settings cannot make the demo touch them.
 */
export async function runDemo(options: DemoOptions, onStarted?: (demo: RunningDemo) => void): Promise<number> {
  const print = options.print;
  if (options.port !== 0 && !(await portIsFree(options.port))) {
    throw new LeakwatchError(
      ErrorCode.InputInvalid,
      `port ${options.port} is in use; pick another with --port N (0 picks a free one)`,
    );
  }
  prepareDataDir(options.dataDir);
  // A scanner for the credentials' self-check, the log scrubber and the feed; it never fingerprints anything stored.
  const scanner = createScanner({ detectors: builtInDetectors, fingerprintKey: randomBytes(32).toString('hex') });
  const credentials = generateDemoCredentials(scanner);
  const access = generateServiceAccess();
  const standIns = createDemoCompany(access, credentials);

  const certificate = createSelfSignedCertificate('leakwatch demo (stand-in Microsoft login)');
  const untrust = trustInThisProcess(certificate.cert);
  const servers: RunningServer[] = [];
  const log = createWriteStream(join(options.dataDir, 'leakwatch.log'), { flags: 'a' });
  let service: Service | undefined;
  let feed: DemoFeed | undefined;
  let stopping = false;

  const shutdown = async () => {
    stopping = true;
    await feed?.stop();
    // Events and webhooks on their way are delivered while leakwatch still listens.
    await Promise.all([standIns.slack.settled(), standIns.jira.settled(), standIns.graph.settled()]);
    await service?.stop();
    for (const server of servers.reverse()) await server.close();
    untrust?.();
    await new Promise<void>((resolve) => log.end(() => resolve()));
    rmSync(join(options.dataDir, PID_FILE), { force: true });
  };

  try {
    print('Starting the stand-ins and leakwatch (embedded PostgreSQL; the first start takes a few seconds)…');
    const slackServer = await listen(standIns.slack.app);
    const confluenceServer = await listen(standIns.confluence.app);
    const jiraServer = await listen(standIns.jira.app);
    const issuerServer = await listen(standIns.issuer.app);
    servers.push(slackServer, confluenceServer, jiraServer, issuerServer);
    const graphServer = untrust ? await listen(standIns.graph.app, { tls: certificate }) : undefined;
    if (graphServer) servers.push(graphServer);

    const port = options.port === 0 ? await freePort() : options.port;
    const leakwatchUrl = `http://127.0.0.1:${port}`;
    standIns.slack.setBaseUrl(slackServer.url);
    standIns.slack.setEventsUrl(`${leakwatchUrl}/slack/events`);
    standIns.confluence.setBaseUrl(confluenceServer.url);
    standIns.confluence.setWebhookUrl(`${leakwatchUrl}/webhooks/confluence`);
    standIns.jira.setBaseUrl(jiraServer.url);
    standIns.jira.setWebhookUrl(`${leakwatchUrl}/webhooks/jira`);
    if (graphServer) standIns.graph.setBaseUrl(graphServer.url);

    const env = demoEnvironment({
      dataDir: options.dataDir,
      port,
      leakwatchUrl,
      slackUrl: slackServer.url,
      confluenceUrl: confluenceServer.url,
      jiraUrl: jiraServer.url,
      issuerUrl: issuerServer.url,
      ...(graphServer ? { graphUrl: graphServer.url } : {}),
      access,
    });
    const config = loadConfig(env);
    const slackConfig = loadSlackConfig(env)!;
    const confluenceConfig = loadConfluenceConfig(env)!;
    const jiraConfig = loadJiraConfig(env)!;
    const teamsConfig = loadTeamsConfig(env);
    let slack: SlackIntegration | undefined;
    const integrations = (deps: IntegrationDeps): Integration[] => {
      slack = createSlackIntegration(slackConfig, deps);
      return [
        // Slack first: it delivers owner notices for every platform.
        Object.assign(slack, { autoRedact: slackConfig.autoRedact }),
        createConfluenceIntegration(confluenceConfig, deps),
        createJiraIntegration(jiraConfig, deps),
        ...(teamsConfig ? [createTeamsIntegration(teamsConfig, deps)] : []),
      ];
    };
    const logger = createLogger({ level: config.logLevel, scanner, write: (line) => log.write(line) });
    service = await startService(config, { http: true, workers: true }, { logger, integrations });

    const { key: apiKey } = await service.handle.db.transaction().execute(async (trx) => {
      const created = await createApiKey(trx, { name: 'demo admin', scopes: ['admin'] });
      await writeAudit(trx, {
        actor: 'demo',
        action: 'api_key.created',
        targetType: 'api_key',
        targetId: created.record.id,
        details: { name: 'demo admin', scopes: ['admin'], prefix: created.record.prefix },
      });
      return created;
    });

    print('');
    print('leakwatch demo — leakwatch and stand-ins for Slack, Jira, Confluence and Microsoft Graph on this machine.');
    print('No account anywhere: every credential below is made up for this run and known only to the stand-ins.');
    print('');
    print(`  Dashboard   ${leakwatchUrl}/   (sign in with the API key)`);
    print(`  API key     ${apiKey}   (admin; only valid for this demo)`);
    print(
      `  Stand-ins   Slack ${slackServer.url}/archives/ · Confluence ${confluenceServer.url}/ · Jira ${jiraServer.url}/`,
    );
    print(
      `              ${graphServer ? `Microsoft Graph ${graphServer.url}/ · ` : ''}issuers (Gitea, Vault, Grafana) ${issuerServer.url}/`,
    );
    print(`  Logs        ${join(options.dataDir, 'leakwatch.log')}`);
    if (!graphServer) {
      print(
        '  (Teams is left out: this Node cannot trust the stand-in Microsoft login certificate; use Node 24.5 or later.)',
      );
    }
    print('');
    print('Live feed (Ctrl-C stops everything):');

    feed = new DemoFeed({ db: service.handle.db, standIns, detectors: service.ctx.detectors, scanner, print });
    for (const standIn of [standIns.slack, standIns.confluence, standIns.jira, standIns.graph]) {
      standIn.onChange((change) => feed!.sourceChanged(change));
    }
    feed.start();

    const running = service;
    const finished = (async () => {
      if (graphServer) await ensureTeamsSubscription(running, standIns);
      const planted = await plantLeaks({
        standIns,
        credentials,
        leakwatchUrl,
        apiKey,
        say: (line) => feed!.say(line),
        expect: (leak) => feed!.expect([leak]),
        pauseMs: (options.stepPauseSeconds ?? 1.5) * 1000,
        teams: Boolean(graphServer),
        stopping: () => stopping,
      });
      const deadline = Date.now() + (options.settleTimeoutSeconds ?? 120) * 1000;
      let settled = false;
      while (!stopping && !(settled = await leaksSettled(running.handle.db, planted)) && Date.now() < deadline) {
        await sleep(500);
      }
      if (stopping) return { planted, settled };
      if (!settled) feed!.say('Some leaks are still being handled; posting the digest anyway.');
      await slack!.sendDigest({ period: 'daily', requestedBy: 'demo' });
      await feed!.poll();
      feed!.say(
        `Done. Open ${leakwatchUrl}/ and sign in with the API key to see the findings, owners, redactions and audit log.`,
      );
      feed!.say(
        'Try: open the HashiCorp Vault finding and revoke it; the stand-in Vault revokes the token and leakwatch proves it dead.',
      );
      return { planted, settled };
    })();
    finished.catch((error: unknown) => {
      if (!stopping) print(`The demo scenario failed: ${(error as Error).message}`);
    });

    onStarted?.({ service, standIns, credentials, leakwatchUrl, apiKey, finished });
    await waitForStop(options, print);
    await shutdown();
    process.off('SIGINT', exitNow);
    print('Stopped. Everything the demo started is shut down.');
    return 0;
  } catch (error) {
    await shutdown().catch(() => {});
    throw error;
  }
}

/**
 * Graph validates leakwatch's webhook before it creates a subscription; if
 * leakwatch's first attempt ran before its HTTP server was listening, it asks
 * again rather than waiting for the next scheduled renewal.
 */
async function ensureTeamsSubscription(service: Service, standIns: DemoStandIns): Promise<void> {
  for (let waited = 0; waited < 5000 && standIns.graph.subscriptions.size === 0; waited += 200) await sleep(200);
  if (standIns.graph.subscriptions.size === 0) {
    await service.ctx.boss.send(TEAMS_QUEUES.subscriptions, { reason: 'start' });
  }
}

function exitNow(): never {
  process.exit(130);
}

/** Resolves on SIGINT/SIGTERM (when handled) or after `exitAfterSeconds`. */
function waitForStop(options: DemoOptions, print: (line: string) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer =
      options.exitAfterSeconds !== undefined ? setTimeout(() => done(), options.exitAfterSeconds * 1000) : undefined;
    const onSignal = () => {
      print('Stopping…');
      done();
      // A second Ctrl-C while shutting down means "now".
      process.once('SIGINT', exitNow);
    };
    function done() {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    }
    if (options.handleSignals) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
  });
}
