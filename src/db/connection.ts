import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

/** A SQL executor for pg-boss on the same database (it runs multi-statement scripts, so every row is returned). */
export type ExecuteSql = (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;

/** LISTEN/NOTIFY for pg-boss on PGlite, so workers wake when a job is queued instead of polling. */
export type Listen = (
  channel: string,
  onNotification: (payload: string) => void,
  onReconnect: () => void,
) => Promise<{ close(): Promise<void> }>;

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: 'pglite' | 'postgres';
  /** Connection string for components with their own pool (pg-boss on PostgreSQL). */
  connectionString?: string;
  /** Connections per pool on PostgreSQL (components with their own pool use as many). */
  poolSize?: number;
  /** In-process executor for pg-boss on PGlite. */
  executeSql?: ExecuteSql;
  listen?: Listen;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** PGlite only: keep everything in memory (tests). */
  inMemory?: boolean;
  poolSize?: number;
}

/**
 * Opens the database: PostgreSQL through `pg` when a URL is configured,
 * otherwise embedded PGlite (real Postgres compiled to WebAssembly) persisted in
 * `<dataDir>/pglite`. The same migrations and queries run on both.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      // A dropped connection must not crash the process; the pool replaces it.
      allowExitOnIdle: false,
    });
    pool.on('error', () => {});
    // The pool listens for errors only on idle clients. A client checked out by a query or transaction
    // whose socket dies (database restart, network cut) emits 'error' with nobody listening, which ends
    // the process; its statement fails on its own, and the pool discards the client when it comes back.
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'postgres',
      connectionString: options.databaseUrl,
      poolSize: options.poolSize ?? 10,
      close: () => db.destroy(),
    };
  }
  let dataDirectory: string | undefined;
  if (!options.inMemory) {
    dataDirectory = join(options.dataDir, 'pglite');
    mkdirSync(dataDirectory, { recursive: true });
  }
  const pglite = await PGlite.create(dataDirectory ? { dataDir: dataDirectory } : {});
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  const executeSql: ExecuteSql = async (text, values) => {
    if (values === undefined || values.length === 0) {
      return { rows: (await pglite.exec(text)).flatMap((r) => r.rows) };
    }
    return { rows: (await pglite.query(text, values as unknown[])).rows };
  };
  const listen: Listen = async (channel, onNotification, onReconnect) => {
    const unsubscribe = await pglite.listen(channel, onNotification);
    // In-process: the subscription cannot drop, but pg-boss expects the call after subscribing.
    onReconnect();
    return { close: () => unsubscribe() };
  };
  return {
    db,
    kind: 'pglite',
    executeSql,
    listen,
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
