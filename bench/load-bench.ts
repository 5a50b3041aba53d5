/**
 * Load benchmark of the Slack Events API path on PostgreSQL: signed
 * `event_callback` message events sent open-loop to `/slack/events` at
 * increasing rates, reporting per step the acknowledged events/s, ack latency
 * and event → owner DM latency; with `--soak-minutes` a long run at half the
 * sustained rate that watches the service's memory and open handles.
 *
 * Three processes: this one (orchestration, a fake Slack Web API on
 * 127.0.0.1 that records DMs, sampling), the service (`load-service.ts`,
 * `leakwatch serve` with HTTP and workers) and the load generator
 * (`load-generator.ts`). Each run creates a fresh database and drops it.
 *
 *   DATABASE_URL=postgres://… node bench/load-bench.ts [--rates 250,500,1000,2000,3000] [--step-seconds 15]
 *     [--planted 0.02] [--connections 128] [--profile]
 *   DATABASE_URL=postgres://… node bench/load-bench.ts --soak-minutes 30 [--soak-rate N]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { epochMs, FAKE_TEAM_ID, startFakeSlackForLoad, type FakeSlackForLoad } from './load-fake-slack.ts';
import type { GeneratorMessage, LoadRun, LoadStats, PlantedEvent } from './load-generator.ts';
import type { ServiceMessage, ServiceSample } from './load-service.ts';
import { detectors } from '../detectors/index.ts';
import { createScanner } from '../src/detection/scanner.ts';

const { values } = parseArgs({
  options: {
    rates: { type: 'string', default: '250,500,1000,2000,3000' },
    'step-seconds': { type: 'string', default: '15' },
    planted: { type: 'string', default: '0.02' },
    connections: { type: 'string', default: '128' },
    'drain-seconds': { type: 'string', default: '120' },
    'soak-minutes': { type: 'string' },
    'soak-rate': { type: 'string' },
    profile: { type: 'boolean', default: false },
    'count-queries': { type: 'boolean', default: false },
    workers: { type: 'string', default: '0' },
    processes: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20261126' },
  },
});

const TARGET = { rate: 2000, ackP99Ms: 100, dmP99Ms: 1000 };
const SIGNING_SECRET = 'a3f1c9e07b5d42e8a6c1f0b9d8e7c6a5';
const BOT_TOKEN = 'xoxb-100000000001-200000000002-LoadBenchFakeToken00';
const OUT = new URL('./out/', import.meta.url);
const RESULTS_FILE = new URL('./load-results.json', OUT);
const SAMPLE_SECONDS = 10;

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('bench:load needs DATABASE_URL (a PostgreSQL server; a fresh database is created and dropped)');
  process.exit(2);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/**
 * Busy, stolen and total jiffies of the whole machine (/proc/stat), to say how the two cores were shared. Steal
 * is time the hypervisor gave this VM's vCPUs to someone else: on a busy host it comes and goes, and with it
 * the capacity the benchmark measures, so it is reported next to every step.
 */
function machineCpu(): { busy: number; steal: number; total: number } {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const steal = fields[7] ?? 0;
    const total = fields.reduce((a, b) => a + b, 0);
    return { busy: total - idle - steal, steal, total };
  } catch {
    return { busy: 0, steal: 0, total: 0 };
  }
}

class ServiceProcess {
  readonly child: ChildProcess;
  port = 0;
  #waiting: Array<(sample: ServiceSample) => void> = [];

  constructor(env: NodeJS.ProcessEnv, execArgv: string[]) {
    this.child = fork(new URL('./load-service.ts', import.meta.url), { env, execArgv, stdio: 'inherit' });
    this.child.on('message', (message: ServiceMessage) => {
      if (message.type === 'sample') this.#waiting.shift()?.(message.sample);
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.child.on('exit', (code) => reject(new Error(`the service exited with ${code} before it was ready`)));
      this.child.on('message', (message: ServiceMessage) => {
        if (message.type === 'ready') {
          this.port = message.port;
          resolve();
        }
      });
    });
  }

  sample(gc = false): Promise<ServiceSample> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.child.send({ type: 'sample', gc });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'stop' });
    });
  }
}

function generatorRun(
  generator: ChildProcess,
  run: LoadRun,
  onWindow?: (stats: LoadStats) => void,
): Promise<{ stats: LoadStats; planted: PlantedEvent[]; cpuMicros: number }> {
  return new Promise((resolve) => {
    const listener = (message: GeneratorMessage) => {
      if (message.type === 'window') onWindow?.(message.stats);
      else {
        generator.off('message', listener);
        resolve({ stats: message.stats, planted: message.planted, cpuMicros: message.cpuMicros });
      }
    };
    generator.on('message', listener);
    generator.send(run);
  });
}

/** Jobs of the pipeline still to do (scan → verify → notify). */
async function backlog(db: pg.Client): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from pgboss.job where name in ('scan', 'verify', 'notify') and state in ('created', 'retry', 'active')`,
  );
  return Number(rows[0]!.n);
}

/** Job states per pipeline queue and notification outcomes, to explain DMs that did not arrive. */
async function pipelineState(db: pg.Client): Promise<Record<string, number>> {
  const jobs = await db.query<{ k: string; n: string }>(
    `select name || ':' || state as k, count(*) as n from pgboss.job where name in ('scan', 'verify', 'notify', 'dead-letter') group by 1`,
  );
  const notes = await db.query<{ k: string; n: string }>(
    `select 'notification:' || status as k, count(*) as n from notifications group by 1`,
  );
  const findings = await db.query<{ k: string; n: string }>(`select 'findings' as k, count(*) as n from findings`);
  return Object.fromEntries([...jobs.rows, ...notes.rows, ...findings.rows].map((r) => [r.k, Number(r.n)]));
}

/** Waits until the pipeline is idle and every planted event's DM has arrived (bounded); returns seconds waited. */
async function drain(db: pg.Client, slack: FakeSlackForLoad, planted: readonly PlantedEvent[], maxSeconds: number) {
  const started = Date.now();
  const deadline = started + maxSeconds * 1000;
  let left = await backlog(db);
  while (Date.now() < deadline) {
    left = await backlog(db);
    const missing = planted.filter((p) => reported(p) && !slack.dms.has(p.dmChannel)).length;
    if (left === 0 && missing === 0) break;
    // An idle pipeline with DMs still missing: give stragglers (notify retries) a few seconds, not minutes.
    if (left === 0 && Date.now() - started > 10_000) break;
    await sleep(100);
  }
  return { seconds: (Date.now() - started) / 1000, backlogLeft: left };
}

/**
 * Event → DM latencies of the planted events. A plant leakwatch's scanner does not report at all (a generated
 * password its filters take for a mask, say) is a detection miss, which the scan benchmark measures: it is
 * counted apart (`undetected`), and the pipeline is judged on DMs for the plants it could find.
 */
const scanner = createScanner({ detectors, fingerprintKey: 'load-bench-detectability-check-key' });
const reportedCache = new WeakMap<PlantedEvent, boolean>();
/** Whether leakwatch's scanner reports the planted message at all (only then is a DM due). */
function reported(p: PlantedEvent): boolean {
  let found = reportedCache.get(p);
  if (found === undefined) reportedCache.set(p, (found = scanner.scan(p.text).length > 0));
  return found;
}

function dmLatencies(slack: FakeSlackForLoad, planted: readonly PlantedEvent[]) {
  const latencies = planted
    .flatMap((p) => {
      const at = slack.dms.get(p.dmChannel);
      return at === undefined ? [] : [at - p.dueAt];
    })
    .sort((a, b) => a - b);
  const missing: Record<string, number> = {};
  const undetected: Record<string, number> = {};
  let detectable = 0;
  for (const p of planted) {
    const found = reported(p);
    if (found) detectable++;
    else undetected[p.family] = (undetected[p.family] ?? 0) + 1;
    if (found && !slack.dms.has(p.dmChannel)) missing[p.family] = (missing[p.family] ?? 0) + 1;
  }
  return {
    missingByFamily: missing,
    undetectedByFamily: undetected,
    planted: planted.length,
    detectable,
    dms: latencies.length,
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    max: Math.round(latencies.at(-1) ?? NaN),
  };
}

interface StepResult {
  offered: number;
  ackedPerSecond: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  non2xx: number;
  errors: number;
  dmP50Ms: number;
  dmP99Ms: number;
  dms: string;
  drainSeconds: number;
  serviceCpu: string;
  /** Service CPU time per offered event (ack path and pipeline together), microseconds. */
  serviceCpuPerEventUs: number;
  generatorCpu: string;
  fakeSlackCpu: string;
  machineCpu: string;
  /** CPU the hypervisor gave to other tenants (steal), shares of one core. */
  stolenCpu: string;
  sendLagP99Ms: number;
  /** Acknowledged in full with p99 ack ≤ 100 ms and every DM within p99 ≤ 1 s (at this step's rate). */
  meetsTargets: boolean;
  keepsUp: boolean;
}

/**
 * A step "keeps up" when every event was acknowledged, at the offered rate, without a queue building up
 * (p99 under a second); the latency targets are judged separately.
 */
function keepsUp(s: LoadStats, rate: number): boolean {
  const non2xx = Object.values(s.statuses).reduce((a, b) => a + b, 0);
  return (
    non2xx === 0 && s.errors === 0 && s.acked === s.offered && s.acked / s.seconds >= rate * 0.97 && s.ackP99 <= 1000
  );
}

async function main() {
  const adminDb = new pg.Client({ connectionString: databaseUrl });
  await adminDb.connect();
  const name = `lw_load_${Date.now()}`;
  await adminDb.query(`CREATE DATABASE ${name}`);
  const url = new URL(databaseUrl!);
  url.pathname = `/${name}`;
  const benchDb = new pg.Client({ connectionString: url.toString() });
  const slack = await startFakeSlackForLoad(BOT_TOKEN);
  mkdirSync(OUT, { recursive: true });
  const profileDir = join(new URL('./profiles/', OUT).pathname);

  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SLACK|JIRA|CONFLUENCE|TEAMS|GRAPH|LEAKWATCH)_/.test(k)),
  );
  Object.assign(env, {
    DATABASE_URL: url.toString(),
    LEAKWATCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'lw-load-')),
    LEAKWATCH_VERIFY: 'false',
    LEAKWATCH_LOG_LEVEL: 'warn',
    PORT: '0',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    // Redaction would re-read each message from Slack; the DM is what is measured.
    SLACK_REDACTION: 'off',
    SLACK_AUTO_REDACT: 'false',
    SLACK_DIGEST_CRON: 'off',
    LOAD_BENCH_COUNT_QUERIES: values['count-queries'] ? '1' : '0',
    LOAD_BENCH_ROLE: Number(values.workers) > 0 ? 'http' : 'both',
    // --processes N: serve as N processes sharing the port (LEAKWATCH_SERVE_PROCESSES).
    LOAD_BENCH_PROCESSES: values.processes,
  });
  // --expose-gc: soak samples can follow a full collection (the live heap); --cpu-prof for --profile.
  const service = new ServiceProcess(env, [
    '--expose-gc',
    ...(values.profile ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
  ]);
  // --workers N: the measured process only serves HTTP and N `leakwatch worker` processes run the pipeline.
  const workers = Array.from(
    { length: Number(values.workers) },
    () => new ServiceProcess({ ...env, PORT: '0', LOAD_BENCH_ROLE: 'worker' }, []),
  );
  const generator = fork(new URL('./load-generator.ts', import.meta.url), { stdio: 'inherit' });
  const cleanup = async () => {
    generator.kill();
    await service.stop().catch(() => {});
    for (const worker of workers) await worker.stop().catch(() => {});
    await slack.close();
    await benchDb.end().catch(() => {});
    await adminDb.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminDb.end();
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  try {
    await service.ready();
    for (const worker of workers) await worker.ready();
    await benchDb.connect();
    const eventsUrl = `http://127.0.0.1:${service.port}/slack/events`;
    const base = {
      type: 'run' as const,
      url: eventsUrl,
      signingSecret: SIGNING_SECRET,
      teamId: FAKE_TEAM_ID,
      plantedFraction: Number(values.planted),
      connections: Number(values.connections),
    };
    // Warm-up: JIT, connection pools, the bot identity (auth.test), the first identities.
    await generatorRun(generator, { ...base, rate: 200, seconds: 3, seed: 1, runId: 'W', windowSeconds: 0 });
    await drain(benchDb, slack, [], Number(values['drain-seconds']));

    const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? '?', node: process.version };
    if (values['soak-minutes']) {
      await soak(service, generator, benchDb, slack, base, machine);
    } else {
      await steps(service, generator, benchDb, slack, base, machine);
    }
  } finally {
    await cleanup();
  }
}

type Base = Omit<LoadRun, 'rate' | 'seconds' | 'seed' | 'runId' | 'windowSeconds'>;
type Machine = { cpus: number; model: string; node: string };

async function steps(
  service: ServiceProcess,
  generator: ChildProcess,
  db: pg.Client,
  slack: FakeSlackForLoad,
  base: Base,
  machine: Machine,
) {
  const rates = values.rates.split(',').map(Number);
  const seconds = Number(values['step-seconds']);
  const results: Array<{ rate: number } & StepResult> = [];
  const loadBefore = loadavg()[0]!;
  for (const [index, rate] of rates.entries()) {
    const before = await service.sample();
    const cpuBefore = machineCpu();
    const ownBefore = process.cpuUsage();
    const wallBefore = epochMs();
    const run = await generatorRun(generator, {
      ...base,
      rate,
      seconds,
      seed: Number(values.seed) + index,
      runId: `S${index}`,
      windowSeconds: 0,
    });
    const after = await service.sample();
    const cpuAfter = machineCpu();
    const own = process.cpuUsage(ownBefore);
    const wall = (epochMs() - wallBefore) * 1000;
    const drained = await drain(db, slack, run.planted, Number(values['drain-seconds']));
    const dm = dmLatencies(slack, run.planted);
    const s = run.stats;
    const non2xx = Object.values(s.statuses).reduce((a, b) => a + b, 0);
    const machineShare = (cpuAfter.busy - cpuBefore.busy) / Math.max(1, cpuAfter.total - cpuBefore.total);
    const stolenShare = (cpuAfter.steal - cpuBefore.steal) / Math.max(1, cpuAfter.total - cpuBefore.total);
    const step: StepResult = {
      offered: s.offered,
      ackedPerSecond: Math.round(s.acked / s.seconds),
      ackP50Ms: s.ackP50,
      ackP99Ms: s.ackP99,
      ackMaxMs: s.ackMax,
      non2xx,
      errors: s.errors,
      dmP50Ms: dm.p50,
      dmP99Ms: dm.p99,
      dms: `${dm.dms}/${dm.detectable}`,
      drainSeconds: Math.round(drained.seconds * 10) / 10,
      // Shares of one core (100 % = one core busy) during the sending phase.
      serviceCpu: `${Math.round(((after.cpuMicros - before.cpuMicros) / wall) * 100)}%`,
      serviceCpuPerEventUs: Math.round((after.cpuMicros - before.cpuMicros) / Math.max(1, s.offered)),
      generatorCpu: `${Math.round((run.cpuMicros / wall) * 100)}%`,
      fakeSlackCpu: `${Math.round(((own.user + own.system) / wall) * 100)}%`,
      machineCpu: `${Math.round(machineShare * machine.cpus * 100)}%`,
      stolenCpu: `${Math.round(stolenShare * machine.cpus * 100)}%`,
      sendLagP99Ms: s.sendLagP99,
      keepsUp: keepsUp(s, rate),
      meetsTargets:
        keepsUp(s, rate) && s.ackP99 <= TARGET.ackP99Ms && dm.dms >= dm.detectable && dm.p99 <= TARGET.dmP99Ms,
    };
    results.push({ rate, ...step });
    console.log(
      `${rate} ev/s: acked ${step.ackedPerSecond}/s, ack p50/p99/max ${s.ackP50}/${s.ackP99}/${s.ackMax} ms, ` +
        `non-2xx ${non2xx}, errors ${s.errors}, DM ${dm.dms}/${dm.detectable} (${dm.planted} planted) p50/p99 ${dm.p50}/${dm.p99} ms, ` +
        `send lag p99 ${s.sendLagP99} ms, drained in ${step.drainSeconds} s, service CPU ${step.serviceCpu} (${step.serviceCpuPerEventUs} µs/event), machine ${step.machineCpu} (stolen ${step.stolenCpu})`,
    );
    if (drained.backlogLeft > 0) console.log(`  (backlog of ${drained.backlogLeft} jobs left after the drain limit)`);
    if (dm.dms < dm.detectable) {
      const state = JSON.stringify(await pipelineState(db));
      console.log(`  DMs missing by family: ${JSON.stringify(dm.missingByFamily)}; pipeline state: ${state}`);
    }
    if (dm.detectable < dm.planted) {
      console.log(
        `  plants the scanner does not report (no finding, no DM due): ${JSON.stringify(dm.undetectedByFamily)}`,
      );
    }
  }
  console.table(results);
  const best = results.filter((r) => r.meetsTargets).at(-1);
  const sustained = results.filter((r) => r.keepsUp).at(-1);
  console.log(
    `targets: ≥ ${TARGET.rate} events/s acked with p99 ack ≤ ${TARGET.ackP99Ms} ms, event→DM p99 ≤ ${TARGET.dmP99Ms} ms: ` +
      (best && best.ackedPerSecond >= TARGET.rate * 0.98
        ? `met (up to ${best.rate} ev/s)`
        : `NOT met (latency targets held up to ${best ? `${best.rate} ev/s` : 'no step'})`),
  );
  console.log(
    `highest step acknowledged in full at the offered rate (p99 < 1 s): ${sustained ? `${sustained.rate} ev/s (${sustained.ackedPerSecond}/s acked)` : 'none'}`,
  );
  console.log(
    `DM duplicates: ${slack.duplicateDms()}; load average ${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`,
  );
  writeFileSync(
    RESULTS_FILE,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine,
        loadAverage: [loadBefore, loadavg()[0]],
        stepSeconds: Number(values['step-seconds']),
        planted: Number(values.planted),
        sustainedRate: sustained?.ackedPerSecond,
        steps: results,
        duplicateDms: slack.duplicateDms(),
      },
      null,
      2,
    ),
  );
}

const GC_SAMPLE_EVERY = 6;
const handleCount = (s: ServiceSample) => Object.values(s.handles).reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Least-squares slope of y over minutes. */
function slopePerMinute(points: ReadonlyArray<{ at: number; y: number }>): number {
  if (points.length < 2) return NaN;
  const xs = points.map((p) => (p.at - points[0]!.at) / 60000);
  const mx = mean(xs);
  const my = mean(points.map((p) => p.y));
  const num = xs.reduce((acc, x, i) => acc + (x - mx) * (points[i]!.y - my), 0);
  const den = xs.reduce((acc, x) => acc + (x - mx) ** 2, 0);
  return num / Math.max(1e-9, den);
}

/**
 * Compares the first and the last stretch of the soak (up to 5 minutes each,
 * after a minute of warm-up): the live heap (after-GC samples), RSS, and the
 * floor of open handles (the lowest count in the stretch: requests in flight
 * make the count jump around, a leak raises its floor). Growing = the last
 * stretch is more than 10 % (+2 MB) above the first for the live heap, 15 %
 * for RSS, or 3 handles for the handle floor.
 */
function soakVerdict(samples: readonly ServiceSample[], started: number) {
  const warm = samples.filter((s) => s.at - started >= 60_000);
  const end = warm.at(-1)?.at ?? started;
  const spanSeconds = Math.min(300, (end - (warm[0]?.at ?? end)) / 1000 / 3);
  const first = warm.filter((s) => s.at - warm[0]!.at <= spanSeconds * 1000);
  const last = warm.filter((s) => end - s.at <= spanSeconds * 1000);
  const row = (metric: string, a: number, b: number) => ({
    metric,
    first: Math.round(a * 10) / 10,
    last: Math.round(b * 10) / 10,
    change: `${(((b - a) / a) * 100).toFixed(1)}%`,
  });
  // Without after-GC samples (a service started without --expose-gc), the lowest heapUsed of the stretch stands in.
  const hasAfterGc = samples.some((s) => s.afterGc);
  const live = (group: readonly ServiceSample[]) =>
    hasAfterGc
      ? mean(group.filter((s) => s.afterGc).map((s) => mb(s.heapUsed)))
      : Math.min(...group.map((s) => mb(s.heapUsed)));
  const floor = (group: readonly ServiceSample[]) => Math.min(...group.map(handleCount));
  const table = [
    row(hasAfterGc ? 'live heap MB (after GC)' : 'heapUsed MB (lowest)', live(first), live(last)),
    row('rss MB', mean(first.map((s) => mb(s.rss))), mean(last.map((s) => mb(s.rss)))),
    row('heapUsed MB (any sample)', mean(first.map((s) => mb(s.heapUsed))), mean(last.map((s) => mb(s.heapUsed)))),
    row('external MB', mean(first.map((s) => mb(s.external))), mean(last.map((s) => mb(s.external)))),
    row('open handles (floor)', floor(first), floor(last)),
    row('open handles (mean)', mean(first.map(handleCount)), mean(last.map(handleCount))),
  ];
  const [liveRow, rssRow, , , floorRow] = table;
  const afterGc = hasAfterGc ? warm.filter((s) => s.afterGc) : warm;
  return {
    spanSeconds,
    table,
    liveHeapSlope: slopePerMinute(afterGc.map((s) => ({ at: s.at, y: mb(s.heapUsed) }))),
    rssSlope: slopePerMinute(warm.map((s) => ({ at: s.at, y: mb(s.rss) }))),
    handlesFirst: afterGc[0]?.handles,
    handlesLast: afterGc.at(-1)?.handles,
    memory: liveRow!.last > liveRow!.first * 1.1 + 2 || rssRow!.last > rssRow!.first * 1.15 ? 'growing' : 'flat',
    handles: floorRow!.last > floorRow!.first + 3 ? 'growing' : 'flat',
  };
}

async function soak(
  service: ServiceProcess,
  generator: ChildProcess,
  db: pg.Client,
  slack: FakeSlackForLoad,
  base: Base,
  machine: Machine,
) {
  const minutes = Number(values['soak-minutes']);
  let rate = values['soak-rate'] ? Number(values['soak-rate']) : undefined;
  if (rate === undefined && existsSync(RESULTS_FILE)) {
    const previous = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as { sustainedRate?: number };
    if (previous.sustainedRate) rate = Math.round(previous.sustainedRate / 2);
  }
  if (!rate)
    throw new Error('no sustained rate known: run the steps first (bench/out/load-results.json) or pass --soak-rate');
  console.log(`soak: ${minutes} min at ${rate} ev/s, sampling the service every ${SAMPLE_SECONDS} s`);

  const samples: ServiceSample[] = [];
  const windows: LoadStats[] = [];
  const started = Date.now();
  let tick = 0;
  const sampler = setInterval(() => {
    // Every minute the sample follows a full GC: its heapUsed is the live heap, the figure a leak would move.
    const gc = ++tick % GC_SAMPLE_EVERY === 0;
    void service.sample(gc).then((s) => {
      samples.push(s);
      const w = windows.at(-1);
      console.log(
        `  ${Math.round((s.at - started) / 1000)} s: rss ${mb(s.rss)} MB, heap ${mb(s.heapUsed)} MB${gc ? ' (after GC)' : ''}, ` +
          `handles ${handleCount(s)}, ELU ${s.elu.toFixed(2)}${w ? `, ack p99 ${w.ackP99} ms, acked ${w.acked}/${w.offered}` : ''}`,
      );
    });
  }, SAMPLE_SECONDS * 1000);
  const run = await generatorRun(
    generator,
    { ...base, rate, seconds: minutes * 60, seed: Number(values.seed), runId: 'K', windowSeconds: SAMPLE_SECONDS },
    (w) => windows.push(w),
  );
  clearInterval(sampler);
  const drained = await drain(db, slack, run.planted, Number(values['drain-seconds']));
  const dm = dmLatencies(slack, run.planted);
  if (dm.dms < dm.detectable) {
    const state = JSON.stringify(await pipelineState(db));
    console.log(`DMs missing by family: ${JSON.stringify(dm.missingByFamily)}; pipeline state: ${state}`);
  }
  const verdict = soakVerdict(samples, started);
  const acked = windows.reduce((a, w) => a + w.acked, 0);
  const offered = windows.reduce((a, w) => a + w.offered, 0);
  console.log(
    `\nsoak: ${minutes} min at ${rate} ev/s; first vs last ${Math.round(verdict.spanSeconds)} s (the first minute is warm-up)`,
  );
  console.table(verdict.table);
  console.log(
    `live heap slope (least squares over the after-GC samples): ${verdict.liveHeapSlope.toFixed(3)} MB/min; ` +
      `rss slope ${verdict.rssSlope.toFixed(3)} MB/min`,
  );
  console.log('handles by type, first → last after-GC sample:', verdict.handlesFirst, '→', verdict.handlesLast);
  console.log(
    `acked ${acked}/${offered}, ack p50/p99/max ${run.stats.ackP50}/${run.stats.ackP99}/${run.stats.ackMax} ms, ` +
      `worst 10 s window p99 ${Math.max(...windows.map((w) => w.ackP99))} ms, errors ${run.stats.errors} ` +
      `${JSON.stringify(run.stats.errorKinds)}, DM ${dm.dms}/${dm.detectable} (${dm.planted} planted) p50/p99/max ${dm.p50}/${dm.p99}/${dm.max} ms, ` +
      `duplicate DMs ${slack.duplicateDms()}, drained in ${drained.seconds.toFixed(1)} s`,
  );
  console.log(`verdict: memory ${verdict.memory}, open handles ${verdict.handles}`);
  writeFileSync(
    new URL(`./load-soak-${minutes}min.json`, OUT),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine,
        minutes,
        rate,
        verdict,
        dm,
        total: run.stats,
        windows,
        samples,
      },
      null,
      2,
    ),
  );
}

await main();
process.exit(0);
