import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from '../../src/demo/stand-in-server.ts';
import { FaultUpstreams } from './fault-upstreams.ts';
import { LeakwatchProcesses } from './leakwatch-processes.ts';
import { TcpProxy } from './tcp-proxy.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface FaultEnvironmentOptions {
  /** The PostgreSQL server (`DATABASE_URL`); a fresh database is created on it and dropped at the end. */
  serverUrl: string;
  people?: number;
  /** Extra leakwatch variables (worker concurrency, batch size…). */
  env?: NodeJS.ProcessEnv;
  /** The port `serve` listens on (a free one by default): for stand-ins that must know leakwatch's URL up front. */
  port?: number;
}

/**
 * Everything a fault run needs, on 127.0.0.1: a fresh database
 * `leakwatch_faults_<pid>_<random>` on the shared PostgreSQL server, reached by
 * leakwatch only through a TCP proxy (so an outage can be simulated without
 * touching the server), the stand-in Slack and Vault, an ingest API key, and
 * the leakwatch processes. `close()` stops everything and drops the database.
 */
export class FaultEnvironment {
  readonly upstreams: FaultUpstreams;
  readonly proxy: TcpProxy;
  readonly fingerprintKey = randomBytes(32).toString('hex');
  readonly databaseName = `leakwatch_faults_${process.pid}_${randomBytes(3).toString('hex')}`;
  readonly #options: FaultEnvironmentOptions;
  readonly #dataDir = mkdtempSync(join(tmpdir(), 'lw-faults-'));
  /** Direct connection (not through the proxy) for the checks. */
  db!: pg.Pool;
  processes!: LeakwatchProcesses;
  apiKey = '';
  port = 0;
  env: NodeJS.ProcessEnv = {};

  constructor(options: FaultEnvironmentOptions) {
    this.#options = options;
    const server = new URL(options.serverUrl);
    this.upstreams = new FaultUpstreams({ people: options.people ?? 50 });
    this.proxy = new TcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const admin = new pg.Client({ connectionString: this.#options.serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${this.databaseName}`);
    await admin.end();
    await this.proxy.start();
    await this.upstreams.start();
    this.port = this.#options.port ?? (await freePort());
    const direct = new URL(this.#options.serverUrl);
    direct.pathname = `/${this.databaseName}`;
    this.db = new pg.Pool({ connectionString: direct.toString(), max: 4 });
    this.db.on('error', () => {});
    const proxied = new URL(direct);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.proxy.port);
    this.env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: proxied.toString(),
      LEAKWATCH_DATA_DIR: this.#dataDir,
      LEAKWATCH_FINGERPRINT_KEY: this.fingerprintKey,
      LEAKWATCH_LOG_LEVEL: 'info',
      LEAKWATCH_HOST: '127.0.0.1',
      // Two pools per process (queries, job queue): 5 each keeps 1 serve + 3 workers at 40 connections.
      LEAKWATCH_DATABASE_POOL_SIZE: '5',
      PORT: String(this.port),
      ...this.upstreams.leakwatchEnvironment(),
      ...this.#options.env,
    };
    // The key is created (and the schema migrated) by the real CLI, as an operator would.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['src/cli.ts', 'keys', 'create', '--name', 'faults', '--scopes', 'ingest,findings:read'],
      { cwd: ROOT, env: this.env },
    );
    this.apiKey = stdout.trim().split('\n').at(-1)!.trim();
    this.processes = new LeakwatchProcesses(this.env);
  }

  async close(): Promise<void> {
    await this.processes?.stopAll();
    await this.upstreams.stop();
    await this.proxy.stop();
    await this.db?.end();
    const admin = new pg.Client({ connectionString: this.#options.serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.databaseName} WITH (FORCE)`);
    await admin.end();
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}
