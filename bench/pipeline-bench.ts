/**
 * Pipeline benchmark, on embedded PGlite and (when DATABASE_URL is set)
 * PostgreSQL: documents/s from ingest (`POST /api/v1/documents`, in process)
 * to a recorded finding for a burst of documents each carrying a new token,
 * sent one per request and then in batches (`{documents: [...]}`) as an
 * integrator would; then the latency from sending a document to its finding
 * row under a steady load at half the single-document rate (or `--rate`).
 * Verification is switched off so no issuer is contacted; verify and notify
 * still run for every finding, and each burst also reports when the last of
 * its findings was notified (the whole pipeline drained).
 *
 *   node bench/pipeline-bench.ts [--documents 3000] [--batch 50] [--rate N] [--paced-seconds 5] [--warmup 2000] [--postgres-only]
 */
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { createApiKey } from '../src/db/api-keys-repository.ts';
import { openDatabase } from '../src/db/connection.ts';
import { withBase62Crc32 } from '../src/detection/checksums.ts';
import { createLogger } from '../src/logger.ts';
import { startService } from '../src/service.ts';
import { Rng } from './rng.ts';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '3000' },
    batch: { type: 'string', default: '50' },
    rate: { type: 'string' },
    'paced-seconds': { type: 'string', default: '5' },
    'postgres-only': { type: 'boolean', default: false },
    warmup: { type: 'string', default: '2000' },
  },
});
const DOCUMENTS = Number(values.documents);
const BATCH = Number(values.batch);
const RATE = values.rate ? Number(values.rate) : undefined;
const PACED_SECONDS = Number(values['paced-seconds']);
const WARMUP_DOCUMENTS = Number(values.warmup);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** The peer a request came from, as @hono/node-server passes it (so the API sees a client as it would over HTTP). */
const CLIENT = { incoming: { socket: { remoteAddress: '127.0.0.1', remotePort: 40000, remoteFamily: 'IPv4' } } };
/** Documents in flight during a burst (as concurrent requests, or inside batches). */
const IN_FLIGHT_DOCUMENTS = 64;

// Every statement any pg client (ours or pg-boss's) sends to PostgreSQL, to report statements per document.
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/**
 * CPU seconds used so far by the PostgreSQL backends serving `database` (their
 * process titles name it), when the server runs on this machine; undefined otherwise.
 * Backends that ended in between are missed, so the pool keeps them alive.
 */
function postgresCpu(database: string | undefined): number | undefined {
  if (!database) return undefined;
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!title.startsWith('postgres:') || !title.includes(` ${database} `)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // The process ended meanwhile.
    }
  }
  return found ? ticks / 100 : undefined;
}

interface Phase {
  documents: number;
  seconds: number;
  /** Until every finding of the phase was notified (verify and notify done too). */
  drainedSeconds: number;
  latencies: number[];
  statements: number;
  nodeCpuSeconds: number;
  postgresCpuSeconds: number | undefined;
}

/**
 * Posts documents, each with a fresh GitHub token, through the ingest API and
 * waits until every one has its finding recorded, then until every finding is
 * notified. `rate` paces the arrivals (documents/s, one per request); without
 * it they are sent as fast as the API accepts them, `batch` per request (1 =
 * the single-document form), 64 documents in flight. Latency runs from
 * sending the request to the finding row.
 */
async function phase(
  service: Awaited<ReturnType<typeof startService>>,
  key: string,
  rng: Rng,
  container: string,
  documents: number,
  options: { rate?: number; batch?: number; database?: string } = {},
): Promise<Phase> {
  const batch = options.rate ? 1 : Math.max(1, options.batch ?? 1);
  const sentAt = new Map<string, number>();
  const statementsBefore = statements;
  const cpuBefore = process.cpuUsage();
  const postgresBefore = postgresCpu(options.database);
  const started = performance.now();
  // A sliding window, as independent clients would keep it: the next request leaves as soon as any one is
  // answered (waiting for a whole wave to finish would leave the service idle at the end of each wave).
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < documents; i += batch) {
    if (options.rate) {
      const due = started + (i * 1000) / options.rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const docs = [];
    for (let k = i; k < Math.min(documents, i + batch); k++) {
      let body = '';
      for (let j = 0; j < 30; j++) body += ALNUM[rng.int(ALNUM.length)];
      const token = withBase62Crc32('ghp_', body);
      const item = `m${k}`;
      sentAt.set(item, Date.now());
      docs.push({ platform: 'bench', container, id: item, text: `deploy with ${token} please` });
    }
    const send = Promise.resolve(
      service.app.request(
        '/api/v1/documents',
        {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch === 1 ? docs[0] : { documents: docs }),
        },
        CLIENT,
      ),
    ).then((r: Response) => {
      if (r.status !== 202) throw new Error(`ingest answered ${r.status}`);
    });
    inFlight.add(send);
    void send.finally(() => inFlight.delete(send)).catch(() => undefined);
    if (inFlight.size * batch >= IN_FLIGHT_DOCUMENTS) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const db = service.handle.db;
  const count = async (notified: boolean) => {
    let q = db
      .selectFrom('occurrences')
      .innerJoin('findings', 'findings.id', 'occurrences.finding_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('occurrences.container', '=', container);
    if (notified) q = q.where('findings.status', '=', 'notified');
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  while ((await count(false)) < documents) await new Promise((r) => setTimeout(r, 20));
  const seconds = (performance.now() - started) / 1000;
  while ((await count(true)) < documents) await new Promise((r) => setTimeout(r, 20));
  const drainedSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const postgresAfter = postgresCpu(options.database);
  const rows = await db
    .selectFrom('occurrences')
    .innerJoin('findings', 'findings.id', 'occurrences.finding_id')
    .select(['occurrences.item', 'findings.created_at'])
    .where('occurrences.container', '=', container)
    .execute();
  const latencies = rows.map((r) => r.created_at.getTime() - sentAt.get(r.item)!).sort((a, b) => a - b);
  return {
    documents,
    seconds,
    drainedSeconds,
    latencies,
    statements: statements - statementsBefore,
    nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
    postgresCpuSeconds:
      postgresBefore !== undefined && postgresAfter !== undefined ? postgresAfter - postgresBefore : undefined,
  };
}

function summary(kind: string, mode: string, p: Phase) {
  return {
    database: kind,
    mode,
    documents: p.documents,
    recordedPerSecond: Math.round(p.documents / p.seconds),
    notifiedPerSecond: Math.round(p.documents / p.drainedSeconds),
    p50Ms: percentile(p.latencies, 50),
    p99Ms: percentile(p.latencies, 99),
    // Counted in the pg driver, so only on PostgreSQL (PGlite runs in process).
    statementsPerDoc: kind === 'postgres' ? Number((p.statements / p.documents).toFixed(2)) : undefined,
    nodeCpuMsPerDoc: Number(((p.nodeCpuSeconds * 1000) / p.documents).toFixed(2)),
    postgresCpuMsPerDoc:
      p.postgresCpuSeconds === undefined ? undefined : Number(((p.postgresCpuSeconds * 1000) / p.documents).toFixed(2)),
  };
}

async function run(kind: 'pglite' | 'postgres', databaseUrl: string | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lw-bench-'));
  const config = loadConfig({
    LEAKWATCH_DATA_DIR: dataDir,
    LEAKWATCH_VERIFY: 'false',
    LEAKWATCH_LOG_LEVEL: 'warn',
    // Worker tuning from the environment, to compare settings; the defaults otherwise.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('LEAKWATCH_WORKER_'))),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const handle = await openDatabase({ databaseUrl, dataDir, poolSize: 20 });
  const service = await startService(
    config,
    { http: false, workers: true },
    { handle, logger: createLogger({ level: 'warn' }) },
  );
  const { key } = await createApiKey(handle.db, { name: 'bench', scopes: ['ingest'] });
  const rng = new Rng(7);
  const rows = [];
  const database = databaseUrl ? new URL(databaseUrl).pathname.slice(1) : undefined;
  // Unmeasured: the first thousands of requests run cold code (JIT) through every layer, which a service
  // that runs for days does not. One document per request and one batched round, as measured below.
  if (WARMUP_DOCUMENTS > 0) {
    await phase(service, key, rng, 'warm-up', WARMUP_DOCUMENTS, { database });
    if (BATCH > 1) await phase(service, key, rng, 'warm-up-batched', WARMUP_DOCUMENTS, { batch: BATCH, database });
  }
  const single = await phase(service, key, rng, 'burst', DOCUMENTS, { database });
  rows.push(summary(kind, 'burst, 1 per request', single));
  if (BATCH > 1) {
    const batched = await phase(service, key, rng, 'burst-batched', DOCUMENTS, { batch: BATCH, database });
    rows.push(summary(kind, `burst, ${BATCH} per request`, batched));
  }
  // Latency is measured under a steady load below capacity (a queue that only grows has no steady latency).
  const rate = Math.max(10, Math.round(RATE ?? single.documents / single.seconds / 2));
  const paced = await phase(service, key, rng, 'paced', Math.round(rate * PACED_SECONDS), { rate, database });
  rows.push(summary(kind, `steady ${rate}/s, 1 per request`, paced));
  await service.stop();
  await handle.close();
  return rows;
}

const loadAtStart = loadavg();
const results = values['postgres-only'] && process.env.DATABASE_URL ? [] : await run('pglite', undefined);
let dropDatabase = async () => {};
if (process.env.DATABASE_URL) {
  const name = `lw_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  dropDatabase = async () => {
    // A connection pg-boss is still closing may see its backend terminated here: that is the point.
    process.on('uncaughtException', (error: Error & { code?: string }) => {
      if (error.code !== '57P01') throw error;
    });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  try {
    results.push(...(await run('postgres', url.toString())));
  } catch (error) {
    await dropDatabase();
    throw error;
  }
}
const loadAtEnd = loadavg();
console.log(
  '\ningest → recorded finding (verification off): recorded/s and p50/p99 from sending to the finding row; ' +
    'notified/s until the last finding of the burst was notified; CPU per document of this process and of the PostgreSQL backends serving it',
);
console.table(results);
console.log(
  `load average ${loadAtStart.map((l) => l.toFixed(2)).join(' ')} at the start, ${loadAtEnd.map((l) => l.toFixed(2)).join(' ')} at the end`,
);
const postgres = results.filter((r) => r.database === 'postgres');
const single = postgres.find((r) => r.mode.startsWith('burst, 1 '));
const batched = postgres.find((r) => r.mode.startsWith('burst') && r !== single);
const steady = postgres.find((r) => r.mode.startsWith('steady'));
if (single) {
  const met = (n: number) => (n >= 1000 ? 'met' : 'NOT met');
  console.log(
    `target ≥ 1,000 documents/s on PostgreSQL: ${met(single.recordedPerSecond)} one per request (${single.recordedPerSecond})` +
      (batched ? `, ${met(batched.recordedPerSecond)} in batches (${batched.recordedPerSecond})` : ''),
  );
}
if (steady) {
  console.log(`target p99 ≤ 250 ms: ${steady.p99Ms <= 250 ? 'met' : 'NOT met'} (${steady.p99Ms} ms at ${steady.mode})`);
}
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./out/pipeline-results.json', import.meta.url),
  JSON.stringify({ loadAverage: { start: loadAtStart, end: loadAtEnd }, results }, null, 2),
);
// Dropped after the results are out, so nothing in the clean-up can lose them.
await dropDatabase();
process.exit(0);
