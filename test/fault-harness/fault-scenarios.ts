import { PgBoss } from 'pg-boss';
import type { InboundDocument } from '../../src/core/integration.ts';
import { SealedBox } from '../../src/findings/sealed-box.ts';
import { createDocumentSink } from '../../src/jobs/document-sink.ts';
import { ensureQueues } from '../../src/jobs/job-queue.ts';
import { QUEUE_OPTIONS, QUEUES } from '../../src/jobs/queues.ts';
import { driveEvents, type DriverReport } from './event-driver.ts';
import type { FaultEnvironment } from './fault-environment.ts';
import type { StormMode } from './upstream-storm.ts';
import { sleep } from './leakwatch-processes.ts';
import { plantEvents } from './planted-events.ts';
import { pipelineBacklog, recordedScans, tallyPipeline, waitForDrain, type PipelineTally } from './pipeline-tally.ts';

/** Starts one `serve` and `workers` `leakwatch worker` processes unless they already run. */
export async function ensureFleet(env: FaultEnvironment, workers: number): Promise<void> {
  if (!env.processes.isRunning('serve')) await env.processes.start('serve', 'serve');
  for (let i = 1; i <= workers; i++) {
    if (!env.processes.isRunning(`worker-${i}`)) await env.processes.start(`worker-${i}`, 'worker');
  }
}

let nextIndex = 0;
function plant(env: FaultEnvironment, count: number, tag: string) {
  const events = plantEvents(env.upstreams, env.fingerprintKey, { count, firstIndex: nextIndex, apiEvery: 5, tag });
  nextIndex += count;
  return events;
}

function drive(
  env: FaultEnvironment,
  events: Parameters<typeof driveEvents>[0],
  onAcknowledged?: (count: number) => void,
) {
  return driveEvents(events, {
    baseUrl: env.baseUrl,
    signingSecret: env.upstreams.signingSecret,
    apiKey: env.apiKey,
    concurrency: 16,
    ...(onAcknowledged ? { onAcknowledged } : {}),
  });
}

export interface KillReport {
  tally: PipelineTally;
  driver: DriverReport;
  kills: string[];
  drained: boolean;
  seconds: number;
}

/**
 * kill -9 at random points: streams `events` events while SIGKILLing a random
 * process (serve or a worker) `kills` times, 1–`maxGapMs` apart, each restarted
 * after 0.2–1.5 s; half the kills fall while events stream in, the rest while
 * the backlog (verify, DMs, revokes) is worked off. Then waits for the drain.
 */
export async function runKillScenario(
  env: FaultEnvironment,
  options: { events: number; kills: number; workers: number; maxGapMs?: number; drainTimeoutMs: number },
): Promise<KillReport> {
  await ensureFleet(env, options.workers);
  const events = plant(env, options.events, 'kill');
  const started = Date.now();
  const killed: string[] = [];
  let streaming = true;
  const chaos = (async () => {
    for (let k = 0; k < options.kills; k++) {
      // The first half of the kills while events stream, the rest after.
      while (k >= Math.ceil(options.kills / 2) && streaming) await sleep(100);
      await sleep(1000 + Math.random() * ((options.maxGapMs ?? 4000) - 1000));
      const names = env.processes.names();
      const victim = names[Math.floor(Math.random() * names.length)]!;
      await env.processes.kill(victim);
      killed.push(victim);
      await sleep(200 + Math.random() * 1300);
      await env.processes.start(victim, victim === 'serve' ? 'serve' : 'worker');
    }
  })();
  const driver = await drive(env, events);
  streaming = false;
  await chaos;
  const drained = await waitForDrain(env.db, options.drainTimeoutMs);
  const tally = await tallyPipeline(env.db, env.upstreams, events, driver.acknowledged);
  return { tally, driver, kills: killed, drained, seconds: (Date.now() - started) / 1000 };
}

export interface OutageReport {
  tally: PipelineTally;
  driver: DriverReport;
  drained: boolean;
  /** /readyz answers seen while the database was cut off, and after it came back. */
  readyDuring: Record<string, number>;
  readyAfter: Record<string, number>;
  /** Connections the proxy accepted after the outage (the processes reconnected). */
  reconnections: number;
  seconds: number;
}

/**
 * Database outage: streams events; when a third are acknowledged, the proxy
 * in front of PostgreSQL drops every connection and refuses new ones for
 * `outageSeconds`, then accepts again. The sender keeps retrying what was not
 * acknowledged. /readyz is polled throughout.
 */
export async function runOutageScenario(
  env: FaultEnvironment,
  options: { events: number; outageSeconds: number; workers: number; drainTimeoutMs: number },
): Promise<OutageReport> {
  await ensureFleet(env, options.workers);
  const events = plant(env, options.events, 'outage');
  const started = Date.now();
  const readyDuring: Record<string, number> = {};
  const readyAfter: Record<string, number> = {};
  let phase = 'before' as 'before' | 'during' | 'after';
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const status = await fetch(`${env.baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) })
        .then((r) => String(r.status))
        .catch((error: Error) => (error.name === 'TimeoutError' ? 'timeout' : 'net'));
      const into = phase === 'during' ? readyDuring : phase === 'after' ? readyAfter : undefined;
      if (into) into[status] = (into[status] ?? 0) + 1;
      await sleep(250);
    }
  })();
  let acknowledged = 0;
  const driving = drive(env, events, (n) => (acknowledged = n));
  // Cut when about a third of the events are in.
  while (acknowledged < options.events / 3 && Date.now() - started < 60_000) await sleep(20);
  await env.proxy.cut();
  phase = 'during';
  await sleep(options.outageSeconds * 1000);
  const acceptedBefore = env.proxy.accepted;
  await env.proxy.restore();
  phase = 'after';
  const driver = await driving;
  const drained = await waitForDrain(env.db, options.drainTimeoutMs);
  polling = false;
  await poller;
  const tally = await tallyPipeline(env.db, env.upstreams, events, driver.acknowledged);
  return {
    tally,
    driver,
    drained,
    readyDuring,
    readyAfter,
    reconnections: env.proxy.accepted - acceptedBefore,
    seconds: (Date.now() - started) / 1000,
  };
}

export interface StormReport {
  tally: PipelineTally;
  driver: DriverReport;
  drained: boolean;
  target: 'slack' | 'issuer';
  mode: StormMode;
  stormSeconds: number;
  /** Requests the stormed upstream received while the storm lasted. */
  stormRequests: number;
  /** Of those, per planted event (a hot loop shows as hundreds). */
  requestsPerEvent: number;
  seconds: number;
}

/**
 * Upstream storm: the stand-in Slack Web API or Vault answers `mode` (429 or
 * 503 with Retry-After, 500, or no answer) for `stormSeconds` while events
 * stream in and their DMs / checks / revokes are due; then it recovers and the
 * backlog must drain with every effect done once.
 */
export async function runStormScenario(
  env: FaultEnvironment,
  options: {
    events: number;
    target: 'slack' | 'issuer';
    mode: StormMode;
    stormSeconds: number;
    retryAfterSeconds: number;
    workers: number;
    drainTimeoutMs: number;
  },
): Promise<StormReport> {
  await ensureFleet(env, options.workers);
  const events = plant(env, options.events, `storm${options.target}`);
  const storm = options.target === 'slack' ? env.upstreams.slackStorm : env.upstreams.issuerStorm;
  const before = storm.stormRequests;
  const started = Date.now();
  storm.start(options.mode, options.retryAfterSeconds);
  const driver = await drive(env, events);
  const left = options.stormSeconds * 1000 - (Date.now() - started);
  if (left > 0) await sleep(left);
  const stormSeconds = (Date.now() - started) / 1000;
  storm.stop();
  const stormRequests = storm.stormRequests - before;
  const drained = await waitForDrain(env.db, options.drainTimeoutMs);
  const tally = await tallyPipeline(env.db, env.upstreams, events, driver.acknowledged);
  return {
    tally,
    driver,
    drained,
    target: options.target,
    mode: options.mode,
    stormSeconds,
    stormRequests,
    requestsPerEvent: stormRequests / options.events,
    seconds: (Date.now() - started) / 1000,
  };
}

export interface ScaleOutRun {
  workers: number;
  documents: number;
  /** From the first worker start until every scan job completed (includes process start-up). */
  scanSeconds: number;
  /** From the first scan job started to the last completed (the steady state). */
  steadySeconds: number;
  /** Documents recorded per second in the steady state. */
  documentsPerSecond: number;
  /** Until the whole pipeline (verify, DM, revoke, re-verify) drained. */
  drainSeconds: number;
  /** Documents per second through the whole pipeline (documents / drainSeconds). */
  pipelineDocumentsPerSecond: number;
  /** Latency the stand-in issuer added to each answer during the run. */
  issuerLatencyMs: number;
  tally: PipelineTally;
}

/**
 * Throughput with `workers` worker processes: every process is stopped, a
 * backlog of `documents` documents (each with a live token) is queued through
 * leakwatch's own DocumentSink, then the workers are started and timed until
 * every document is recorded and until the whole pipeline drained. Effects
 * are tallied like the other scenarios (no duplicate DM or revoke). With
 * `issuerLatencyMs` the issuer answers as slowly as a remote one: liveness
 * checks, revokes and proofs then wait on it, within each process's limits
 * (`LEAKWATCH_VERIFY_CONCURRENCY` per issuer host).
 */
export async function runScaleOut(
  env: FaultEnvironment,
  options: { documents: number; workers: number; drainTimeoutMs: number; issuerLatencyMs?: number },
): Promise<ScaleOutRun> {
  await env.processes.stopAll();
  const issuerLatencyMs = options.issuerLatencyMs ?? 0;
  const events = plant(env, options.documents, `scale${options.workers}w`);
  const container = `SCALE-${events[0]!.index}`;
  const boss = new PgBoss({
    connectionString: env.env.DATABASE_URL!,
    schema: 'pgboss',
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => {});
  await boss.start();
  // Run on its own (`--only scale`), no service has created the queues yet.
  await ensureQueues(boss, [QUEUES.deadLetter], { [QUEUES.deadLetter]: { retentionSeconds: 30 * 86_400 } });
  await ensureQueues(boss, Object.keys(QUEUE_OPTIONS), QUEUE_OPTIONS);
  const sink = createDocumentSink(boss, new SealedBox(env.fingerprintKey, 'transit'), () => new Date());
  const documents: InboundDocument[] = events.map((e) => ({
    ref: { platform: 'wiki', workspace: 'default', container, item: e.id, author: e.author },
    format: 'plain',
    text: e.text,
  }));
  for (let i = 0; i < documents.length; i += 500) await sink.submit(documents.slice(i, i + 500));
  await boss.stop({ graceful: false, close: true });
  const recordedBefore = await recordedScans(env.db);
  env.upstreams.issuerLatencyMs = issuerLatencyMs;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: options.workers }, (_, i) => env.processes.start(`worker-${i + 1}`, 'worker')),
  );
  while ((await recordedScans(env.db)) - recordedBefore < options.documents) {
    if (Date.now() - started > options.drainTimeoutMs) break;
    await sleep(100);
  }
  const scanSeconds = (Date.now() - started) / 1000;
  // Steady state, from the jobs' own clocks: process start-up (loading detectors) is not throughput.
  const { rows } = await env.db.query<{ seconds: number }>(
    `select extract(epoch from max(completed_on) - min(started_on))::float8 as seconds
       from pgboss.job where name = 'scan' and state = 'completed' and data->'ref'->>'container' = $1`,
    [container],
  );
  await waitForDrain(env.db, options.drainTimeoutMs);
  const drainSeconds = (Date.now() - started) / 1000;
  env.upstreams.issuerLatencyMs = 0;
  const tally = await tallyPipeline(env.db, env.upstreams, events, new Set(events.map((e) => e.index)));
  return {
    workers: options.workers,
    documents: options.documents,
    scanSeconds,
    steadySeconds: rows[0]!.seconds,
    documentsPerSecond: options.documents / rows[0]!.seconds,
    drainSeconds,
    pipelineDocumentsPerSecond: options.documents / drainSeconds,
    issuerLatencyMs,
    tally,
  };
}

export { pipelineBacklog };
