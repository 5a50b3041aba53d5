/**
 * `npm run bench:faults`: the full fault run against PostgreSQL (DATABASE_URL,
 * a fresh database is created and dropped): 10,000 events with kill -9 of
 * serve/worker processes, a database outage through a TCP proxy, Slack and
 * issuer storms (429, 500, 503, hang), 1 vs 3 worker processes, and Jira
 * Cloud / Microsoft Graph storms (429, 500, hang; a second environment with
 * the Jira and Teams integrations configured against stand-ins). Prints
 * what each scenario lost, duplicated and how long it took; exits 1 when an
 * invariant broke. See docs/scaling.md.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:faults
 *   node bench/fault-run.ts --events 2000 --kills 4 --storm-seconds 15
 *   node bench/fault-run.ts --only jira-storm,graph-storm   (or jira-storm-500, graph-storm-hang…)
 */
import { parseArgs } from 'node:util';
import { freePort } from '../src/demo/stand-in-server.ts';
import { FaultEnvironment } from '../test/fault-harness/fault-environment.ts';
import {
  runGraphStormScenario,
  runJiraStormScenario,
  type IntegrationStormReport,
} from '../test/fault-harness/integration-storms.ts';
import {
  runKillScenario,
  runOutageScenario,
  runScaleOut,
  runStormScenario,
} from '../test/fault-harness/fault-scenarios.ts';
import type { PipelineTally } from '../test/fault-harness/pipeline-tally.ts';
import { StandInGraph } from '../test/fault-harness/stand-in-graph.ts';
import { StandInJira } from '../test/fault-harness/stand-in-jira.ts';
import type { StormMode } from '../test/fault-harness/upstream-storm.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    kills: { type: 'string', default: '10' },
    workers: { type: 'string', default: '3' },
    'outage-seconds': { type: 'string', default: '10' },
    'storm-seconds': { type: 'string', default: '30' },
    'scale-documents': { type: 'string', default: '2000' },
    'scale-issuer-latency-ms': { type: 'string', default: '0' },
    only: { type: 'string' },
  },
});
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error('bench:faults needs DATABASE_URL (a PostgreSQL server; a fresh database is created on it)');
  process.exit(2);
}
const events = Number(values.events);
const workers = Number(values.workers);
const stormSeconds = Number(values['storm-seconds']);
const only = values.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);

const problems: string[] = [];
function check(scenario: string, tally: PipelineTally, drained: boolean) {
  const broken = Object.entries({
    'lost acknowledged events': tally.lostAcknowledged,
    'duplicate findings': tally.duplicateFindings,
    'duplicate DMs': tally.duplicateDms,
    'findings without DM': tally.withoutDm.other + tally.withoutDm.uncertain + tally.withoutDm.resolvedBeforeNotice,
    'duplicate revokes': tally.duplicateRevokes,
    'live tokens never revoked': tally.unrevokedLive,
    'jobs left in the backlog': tally.backlog,
    'dead letters': tally.deadLetters,
  }).filter(([, n]) => n > 0);
  for (const [what, n] of broken) problems.push(`${scenario}: ${n} ${what}`);
  if (!drained) problems.push(`${scenario}: backlog did not drain in time`);
}

function line(scenario: string, tally: PipelineTally, extra: string) {
  console.log(
    `${scenario.padEnd(22)} planted ${tally.planted}, acked ${tally.acknowledged}, lost ${tally.lostAcknowledged}, ` +
      `findings ${tally.findings}, DMs ${tally.dms} (dup ${tally.duplicateDms}, missing ${tally.withoutDm.other + tally.withoutDm.uncertain + tally.withoutDm.resolvedBeforeNotice}), ` +
      `revokes ${tally.revokeCalls} (dup ${tally.duplicateRevokes}), dead letters ${tally.deadLetters}; ${extra}`,
  );
}

const env = new FaultEnvironment({ serverUrl });
const results: Record<string, unknown> = {};
await env.start();
// Ctrl-C still stops the processes and drops the database.
process.once('SIGINT', () => void env.close().finally(() => process.exit(130)));
console.log(`database ${env.databaseName}, leakwatch on ${env.baseUrl}, ${workers} workers + 1 serve`);
try {
  if (wanted('kill')) {
    const r = await runKillScenario(env, {
      events,
      kills: Number(values.kills),
      workers,
      maxGapMs: 8000,
      drainTimeoutMs: 900_000,
    });
    results.kill = { ...r, driver: summary(r.driver) };
    check('kill -9', r.tally, r.drained);
    line(
      'kill -9',
      r.tally,
      `${r.kills.length} kills (${r.kills.join(', ')}), ${r.driver.retries} sender retries, ${r.seconds.toFixed(0)} s`,
    );
  }
  if (wanted('outage')) {
    const r = await runOutageScenario(env, {
      events: Math.max(200, Math.round(events / 5)),
      outageSeconds: Number(values['outage-seconds']),
      workers,
      drainTimeoutMs: 600_000,
    });
    results.outage = { ...r, driver: summary(r.driver) };
    check('database outage', r.tally, r.drained);
    line(
      'database outage',
      r.tally,
      `/readyz during ${JSON.stringify(r.readyDuring)}, after ${JSON.stringify(r.readyAfter)}, ` +
        `${r.reconnections} reconnections, ${r.driver.retries} sender retries, ${r.seconds.toFixed(0)} s`,
    );
  }
  const storms: Array<{ target: 'slack' | 'issuer'; mode: StormMode }> = [
    { target: 'slack', mode: '429' },
    { target: 'slack', mode: '500' },
    { target: 'slack', mode: 'hang' },
    { target: 'issuer', mode: '503' },
    { target: 'issuer', mode: '500' },
    { target: 'issuer', mode: 'hang' },
  ];
  for (const { target, mode } of storms) {
    const name = `storm ${target} ${mode}`;
    if (!wanted('storm') && !wanted(`storm-${target}-${mode}`)) continue;
    const r = await runStormScenario(env, {
      events: Math.max(100, Math.round(events / 20)),
      target,
      mode,
      stormSeconds,
      retryAfterSeconds: 10,
      workers,
      drainTimeoutMs: 900_000,
    });
    results[name] = { ...r, driver: summary(r.driver) };
    check(name, r.tally, r.drained);
    line(
      name,
      r.tally,
      `${r.stormRequests} requests during ${r.stormSeconds.toFixed(0)} s (${r.requestsPerEvent.toFixed(1)} per event), ` +
        `liveness ${JSON.stringify(r.tally.liveness)}, ${r.seconds.toFixed(0)} s`,
    );
  }
  if (wanted('scale')) {
    for (const n of [1, workers]) {
      const r = await runScaleOut(env, {
        documents: Number(values['scale-documents']),
        workers: n,
        drainTimeoutMs: 900_000,
        issuerLatencyMs: Number(values['scale-issuer-latency-ms']),
      });
      results[`scale ${n}`] = r;
      check(`scale-out ${n} worker(s)`, r.tally, true);
      line(
        `scale-out ${n} worker(s)`,
        r.tally,
        `${r.documentsPerSecond.toFixed(0)} documents recorded/s (steady ${r.steadySeconds.toFixed(1)} s, ` +
          `${r.scanSeconds.toFixed(1)} s with start-up), whole pipeline drained in ${r.drainSeconds.toFixed(0)} s ` +
          `(${r.pipelineDocumentsPerSecond.toFixed(0)} documents/s end to end, issuer latency ${r.issuerLatencyMs} ms)`,
      );
    }
  }
  if (env.processes.unexpectedExits.length > 0) {
    for (const exit of env.processes.unexpectedExits) {
      problems.push(`${exit.name} exited unexpectedly (code ${exit.code}, signal ${exit.signal})`);
      console.log(`--- ${exit.name} output tail ---\n${exit.tail}`);
    }
  }
} finally {
  await env.close();
}

const platformStorms = (['jira', 'graph'] as const)
  .flatMap((target) => (['429', '500', 'hang'] as const).map((mode) => ({ target, mode })))
  .filter(({ target, mode }) => wanted(`${target}-storm`) || wanted(`${target}-storm-${mode}`));
if (platformStorms.length > 0) {
  const jira = new StandInJira();
  const graph = new StandInGraph();
  await jira.start();
  await graph.start();
  // Graph must know where to notify before leakwatch starts (it subscribes at start).
  const port = await freePort();
  const platformEnv = new FaultEnvironment({
    serverUrl,
    port,
    env: { ...jira.leakwatchEnvironment(), ...graph.leakwatchEnvironment(`http://127.0.0.1:${port}`) },
  });
  await platformEnv.start();
  process.once('SIGINT', () => void platformEnv.close().finally(() => process.exit(130)));
  console.log(`database ${platformEnv.databaseName} (Jira + Teams), leakwatch on ${platformEnv.baseUrl}`);
  try {
    for (const { target, mode } of platformStorms) {
      const name = `${target} storm ${mode}`;
      const options = {
        events: Math.max(100, Math.round(events / 20)),
        mode,
        stormSeconds,
        retryAfterSeconds: 10,
        workers,
        drainTimeoutMs: 900_000,
      };
      const r: IntegrationStormReport =
        target === 'jira'
          ? await runJiraStormScenario(platformEnv, jira, options)
          : await runGraphStormScenario(platformEnv, graph, options);
      results[name] = { ...r, ...(r.driver ? { driver: summary(r.driver) } : {}) };
      check(name, r.tally, r.drained);
      if (r.integrationBacklog > 0)
        problems.push(`${name}: ${r.integrationBacklog} ${target} jobs left in the backlog`);
      if (r.notificationFailures > 0) problems.push(`${name}: ${r.notificationFailures} notifications never delivered`);
      if (r.tally.acknowledged < r.tally.planted) {
        problems.push(`${name}: ${r.tally.planted - r.tally.acknowledged} deliveries never acknowledged`);
      }
      line(
        name,
        r.tally,
        `${r.stormRequests} requests during ${r.stormSeconds.toFixed(0)} s (${r.requestsPerEvent.toFixed(1)} per event, ` +
          `${r.deliveriesDuringStorm} deliveries), ${r.driver ? `${r.driver.retries} sender retries, ` : ''}${r.seconds.toFixed(0)} s`,
      );
    }
    for (const exit of platformEnv.processes.unexpectedExits) {
      problems.push(`${exit.name} (Jira + Teams) exited unexpectedly (code ${exit.code}, signal ${exit.signal})`);
      console.log(`--- ${exit.name} (Jira + Teams) output tail ---\n${exit.tail}`);
    }
  } finally {
    await platformEnv.close();
    await jira.stop();
    await graph.stop();
  }
}
console.log(
  JSON.stringify(
    results,
    (_key, value: unknown) =>
      value instanceof Set ? value.size : value instanceof Map ? Object.fromEntries(value) : value,
    1,
  ),
);
console.log(problems.length === 0 ? 'all invariants held' : `INVARIANTS BROKEN:\n  ${problems.join('\n  ')}`);
process.exitCode = problems.length === 0 ? 0 : 1;

function summary(driver: {
  sent: number;
  acknowledged: Set<number>;
  retries: number;
  gaveUp: number[];
  failures: Map<string, number>;
}) {
  return {
    sent: driver.sent,
    acknowledged: driver.acknowledged.size,
    retries: driver.retries,
    gaveUp: driver.gaveUp.length,
    failures: Object.fromEntries(driver.failures),
  };
}
