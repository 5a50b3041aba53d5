import { JIRA_BACKFILL_QUEUE, JIRA_REDACTION_STATUS_QUEUE } from '../../integrations/jira/jira-queues.ts';
import { TEAMS_QUEUES } from '../../integrations/teams/teams-context.ts';
import type { FaultEnvironment } from './fault-environment.ts';
import { ensureFleet } from './fault-scenarios.ts';
import { sleep } from './leakwatch-processes.ts';
import { pipelineBacklog, tallyPipeline, waitForDrain, type PipelineTally } from './pipeline-tally.ts';
import { plantGraphEvents, type StandInGraph } from './stand-in-graph.ts';
import { driveJiraWebhooks, plantJiraEvents, type StandInJira, type WebhookDriverReport } from './stand-in-jira.ts';
import type { StormMode } from './upstream-storm.ts';

export interface IntegrationStormReport {
  tally: PipelineTally;
  /** The Jira webhook sender's report (Graph delivers its own notifications: see `notificationFailures`). */
  driver?: WebhookDriverReport;
  drained: boolean;
  target: 'jira' | 'graph';
  mode: StormMode;
  stormSeconds: number;
  /** Requests the stormed upstream received while the storm lasted. */
  stormRequests: number;
  /** Of those, per planted event (a hot loop shows as hundreds). */
  requestsPerEvent: number;
  /** Event deliveries (webhooks, change notifications) sent to leakwatch while the storm lasted. */
  deliveriesDuringStorm: number;
  /** Integration queues (e.g. `teams-fetch`) with jobs still created, retrying or active (must be 0). */
  integrationBacklog: number;
  /** Graph notifications never answered 2xx after all of Graph's retries (must be 0). */
  notificationFailures: number;
  seconds: number;
}

/** Jobs still created, retrying or active in `queues`. */
export async function queueBacklog(env: FaultEnvironment, queues: readonly string[]): Promise<number> {
  const { rows } = await env.db.query<{ n: string }>(
    `select count(*) as n from pgboss.job where name = any($1) and state in ('created', 'retry', 'active')`,
    [queues],
  );
  return Number(rows[0]!.n);
}

/** Waits until the pipeline and `queues` are empty (twice in a row, a second apart); true when drained. */
async function waitForAll(env: FaultEnvironment, queues: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let emptyInARow = 0;
  while (Date.now() < deadline) {
    const pipeline = await pipelineBacklog(env.db).catch(() => -1);
    const integration = await queueBacklog(env, queues).catch(() => -1);
    emptyInARow = pipeline === 0 && integration === 0 ? emptyInARow + 1 : 0;
    if (emptyInARow >= 2) return true;
    await sleep(1000);
  }
  return false;
}

let nextIndex = 0;
/** The Jira queues whose work must not pile up (the minute poll is left out: a tick may just be queued). */
const JIRA_QUEUES = [JIRA_BACKFILL_QUEUE, JIRA_REDACTION_STATUS_QUEUE];
/** Where a Graph notification's work waits: reading the message, and catching up after `missed`. */
const TEAMS_FETCH_QUEUES = [TEAMS_QUEUES.fetch, TEAMS_QUEUES.catchup];

export interface IntegrationStormOptions {
  /** Planted events (each a comment or message carrying its own token). */
  events: number;
  mode: StormMode;
  stormSeconds: number;
  retryAfterSeconds: number;
  /** Worker processes next to `serve`. */
  workers: number;
  drainTimeoutMs: number;
}

/**
 * Jira Cloud storm: signed Jira webhooks for comments carrying a planted
 * token stream in while the stand-in Jira answers `mode` (429 with
 * Retry-After, 500, 503 with Retry-After, or no answer) for `stormSeconds`.
 * leakwatch must read the comment or issue from Jira to acknowledge a
 * delivery, so during the storm it refuses them and Jira (the driver)
 * retries with back-off; once Jira recovers every delivery must get through
 * and the backlog drain with every effect done once.
 */
export async function runJiraStormScenario(
  env: FaultEnvironment,
  jira: StandInJira,
  options: IntegrationStormOptions,
): Promise<IntegrationStormReport> {
  await ensureFleet(env, options.workers);
  const events = plantJiraEvents(jira, env.upstreams, env.fingerprintKey, {
    count: options.events,
    firstIndex: nextIndex,
    tag: `jirastorm${options.mode}`,
  });
  nextIndex += options.events;
  const before = jira.storm.stormRequests;
  let storming = true;
  let deliveriesDuringStorm = 0;
  const started = Date.now();
  jira.storm.start(options.mode, options.retryAfterSeconds);
  const driving = driveJiraWebhooks(events, {
    baseUrl: env.baseUrl,
    secret: jira.webhookSecret,
    // Deliveries keep arriving through most of the storm.
    spreadMs: options.stormSeconds * 800,
    onSend: () => {
      if (storming) deliveriesDuringStorm++;
    },
  });
  await sleep(options.stormSeconds * 1000);
  const stormSeconds = (Date.now() - started) / 1000;
  storming = false;
  jira.storm.stop();
  const stormRequests = jira.storm.stormRequests - before;
  const driver = await driving;
  const drained = await waitForDrain(env.db, options.drainTimeoutMs);
  const tally = await tallyPipeline(env.db, env.upstreams, events, driver.acknowledged);
  return {
    tally,
    driver,
    drained,
    integrationBacklog: await queueBacklog(env, JIRA_QUEUES),
    notificationFailures: 0,
    target: 'jira',
    mode: options.mode,
    stormSeconds,
    stormRequests,
    requestsPerEvent: stormRequests / options.events,
    deliveriesDuringStorm,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Microsoft Graph storm: people post channel messages carrying planted tokens
 * while the stand-in Graph answers `mode` (429 with Retry-After, 500, 503 with
 * Retry-After, or no answer) for `stormSeconds`. Graph's change
 * notifications (not stormed: they come from Graph's delivery service) carry
 * no content, so leakwatch queues a `teams-fetch` job per message that reads
 * it from Graph; the storm hits those reads. Once Graph recovers every message
 * must be read, the backlog (pipeline and Teams fetch/catch-up queues) drain
 * and every effect happen once.
 */
export async function runGraphStormScenario(
  env: FaultEnvironment,
  graph: StandInGraph,
  options: IntegrationStormOptions,
): Promise<IntegrationStormReport> {
  await ensureFleet(env, options.workers);
  // serve subscribes at start (Graph validates the notification URL first).
  const subscribedBy = Date.now() + 30_000;
  while (graph.graph.subscriptions.size === 0) {
    if (Date.now() > subscribedBy) throw new Error('leakwatch made no Graph subscription within 30 s');
    await sleep(200);
  }
  const events = plantGraphEvents(graph, env.upstreams, env.fingerprintKey, {
    count: options.events,
    firstIndex: nextIndex,
    tag: `graphstorm${options.mode}`,
  });
  nextIndex += options.events;
  const failuresBefore = graph.graph.deliveryFailures.length;
  const before = graph.storm.stormRequests;
  const started = Date.now();
  graph.storm.start(options.mode, options.retryAfterSeconds);
  // Messages keep arriving through most of the storm.
  const spreadMs = options.stormSeconds * 800;
  const posting = Promise.all(
    events.map(async (event, n) => {
      await sleep((n * spreadMs) / events.length);
      await event.post();
    }),
  );
  await sleep(options.stormSeconds * 1000);
  const stormSeconds = (Date.now() - started) / 1000;
  graph.storm.stop();
  const stormRequests = graph.storm.stormRequests - before;
  await posting;
  await graph.graph.settled();
  const notificationFailures = graph.graph.deliveryFailures.length - failuresBefore;
  const drained = await waitForAll(env, TEAMS_FETCH_QUEUES, options.drainTimeoutMs);
  const acknowledged = new Set(events.map((e) => e.index));
  const tally = await tallyPipeline(env.db, env.upstreams, events, acknowledged);
  return {
    tally,
    drained,
    integrationBacklog: await queueBacklog(env, TEAMS_FETCH_QUEUES),
    notificationFailures,
    target: 'graph',
    mode: options.mode,
    stormSeconds,
    stormRequests,
    requestsPerEvent: stormRequests / options.events,
    deliveriesDuringStorm: options.events,
    seconds: (Date.now() - started) / 1000,
  };
}
