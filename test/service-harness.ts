import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll } from 'vitest';
import { detectors } from '../detectors/index.ts';
import { loadConfig, type Config } from '../src/config.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { createScanner } from '../src/detection/scanner.ts';
import { createLogger } from '../src/logger.ts';
import { startService, type Service, type ServiceOverrides, type ServiceRoles } from '../src/service.ts';
import { createTestDatabase } from './test-database.ts';

export const FINGERPRINT_KEY = 'service-test-fingerprint-key-0123456789abcdef';
export const ENCRYPTION_KEY = 'service-test-encryption-key-0123456789abcdef';

/** A config for tests: a temporary data dir, fixed keys, fast polling, plus overrides. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    LEAKWATCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'lw-service-')),
    LEAKWATCH_FINGERPRINT_KEY: FINGERPRINT_KEY,
    LEAKWATCH_ENCRYPTION_KEY: ENCRYPTION_KEY,
    LEAKWATCH_POLL_INTERVAL_SECONDS: '0.5',
    LEAKWATCH_VERIFY_HOST_RPS: '1000',
    LEAKWATCH_LOG_LEVEL: 'debug',
    ...env,
  });
}

/** Starts the service on a test database, capturing every log line. */
export async function startTestService(
  handle: DatabaseHandle,
  config: Config,
  roles: ServiceRoles = { http: false, workers: true },
  overrides: Omit<ServiceOverrides, 'handle' | 'logger'> = {},
): Promise<{ service: Service; logs: string[] }> {
  const logs: string[] = [];
  const scanner = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY });
  const logger = createLogger({ level: config.logLevel, scanner, write: (line) => logs.push(line) });
  const service = await startService(config, roles, { ...overrides, handle, logger });
  return { service, logs };
}

/** Polls until `check` returns a value (not undefined/false) or the time runs out. */
export interface TestServiceBed {
  readonly database: DatabaseHandle & { drop(): Promise<void> };
  readonly service: Service;
  readonly logs: string[];
}

/**
 * A fresh test database and a service on it (`testConfig(env)`, `roles`) for
 * the tests of one file: started before them, stopped and dropped after them.
 * Read its fields inside tests and hooks.
 */
export function useTestService(
  env: Record<string, string> = {},
  roles: ServiceRoles = { http: false, workers: true },
): TestServiceBed {
  let started: { database: TestServiceBed['database']; service: Service; logs: string[] } | undefined;
  beforeAll(async () => {
    const database = await createTestDatabase();
    const { service, logs } = await startTestService(database, testConfig(env), roles);
    started = { database, service, logs };
  }, 120_000);
  afterAll(async () => {
    await started?.service.stop();
    await started?.database.drop();
  });
  const get = () => {
    if (!started) throw new Error('the test service is started in beforeAll');
    return started;
  };
  return {
    get database() {
      return get().database;
    },
    get service() {
      return get().service;
    },
    get logs() {
      return get().logs;
    },
  };
}

export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every row of every table (ours and pg-boss's) as text, to search for leaked secrets. */
export async function dumpDatabase(handle: DatabaseHandle): Promise<string> {
  const tables = await sql<{ table_schema: string; table_name: string }>`
    select table_schema, table_name from information_schema.tables
    where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE'`.execute(handle.db);
  const parts: string[] = [];
  for (const t of tables.rows) {
    const rows = await sql`select * from ${sql.id(t.table_schema, t.table_name)}`.execute(handle.db);
    parts.push(`${t.table_schema}.${t.table_name}: ${JSON.stringify(rows.rows)}`);
  }
  return parts.join('\n');
}
