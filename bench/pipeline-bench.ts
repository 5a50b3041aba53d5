/**
 * Pipeline benchmark: documents/s from ingest (`POST /api/v1/documents`, in
 * process) to a recorded finding, and the latency of each document from
 * acceptance to its finding row, on embedded PGlite and (when DATABASE_URL is
 * set) PostgreSQL. Verification is switched off so no issuer is contacted; the
 * measured path is ingest → scan → record.
 *
 *   node bench/pipeline-bench.ts [--documents 3000]
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
  options: { documents: { type: 'string', default: '3000' }, 'postgres-only': { type: 'boolean', default: false } },
});
const DOCUMENTS = Number(values.documents);
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function run(kind: 'pglite' | 'postgres', databaseUrl: string | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), 'lw-bench-'));
  const config = loadConfig({
    LEAKWATCH_DATA_DIR: dataDir,
    LEAKWATCH_VERIFY: 'false',
    LEAKWATCH_LOG_LEVEL: 'warn',

    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const handle = await openDatabase({ databaseUrl, dataDir, poolSize: 20 });
  const service = await startService(
    config,
    { http: false, workers: true },
    {
      handle,
      logger: createLogger({ level: 'warn' }),
    },
  );
  const { key } = await createApiKey(handle.db, { name: 'bench', scopes: ['ingest'] });
  const rng = new Rng(7);
  const accepted = new Map<string, number>();
  const started = performance.now();
  const startedAt = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < DOCUMENTS; i++) {
    let body = '';
    for (let j = 0; j < 30; j++) body += ALNUM[rng.int(ALNUM.length)];
    const token = withBase62Crc32('ghp_', body);
    const item = `m${i}`;
    const send = Promise.resolve(
      service.app.request('/api/v1/documents', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ platform: 'bench', container: 'c', id: item, text: `deploy with ${token} please` }),
      }),
    ).then((r: Response) => {
      if (r.status !== 202) throw new Error(`ingest answered ${r.status}`);
      accepted.set(item, Date.now());
    });
    inFlight.push(send);
    if (inFlight.length >= 64) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  const ingestSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const row = await handle.db
      .selectFrom('occurrences')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(row.n) >= DOCUMENTS) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const totalSeconds = (performance.now() - started) / 1000;
  const rows = await handle.db
    .selectFrom('occurrences')
    .innerJoin('findings', 'findings.id', 'occurrences.finding_id')
    .select(['occurrences.item', 'findings.created_at'])
    .execute();
  const latencies = rows.map((r) => r.created_at.getTime() - (accepted.get(r.item) ?? startedAt)).sort((a, b) => a - b);
  await service.stop();
  await handle.close();
  return {
    database: kind,
    documents: DOCUMENTS,
    ingestPerSecond: Math.round(DOCUMENTS / ingestSeconds),
    recordedPerSecond: Math.round(DOCUMENTS / totalSeconds),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

const results = values['postgres-only'] && process.env.DATABASE_URL ? [] : [await run('pglite', undefined)];
if (process.env.DATABASE_URL) {
  const name = `lw_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  try {
    results.push(await run('postgres', url.toString()));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
console.log('\ningest → recorded finding (verification off)');
console.table(results);
for (const r of results.filter((x) => x.database === 'postgres')) {
  console.log(
    `target ≥ 1,000 documents/s on PostgreSQL: ${r.recordedPerSecond >= 1000 ? 'met' : 'NOT met'} (${r.recordedPerSecond})`,
  );
  console.log(`target p99 ≤ 250 ms: ${r.p99Ms <= 250 ? 'met' : 'NOT met'} (${r.p99Ms} ms)`);
}
mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
writeFileSync(new URL('./out/pipeline-results.json', import.meta.url), JSON.stringify(results, null, 2));
process.exit(0);
