import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { startJobQueue } from '../src/jobs/job-queue.ts';
import { createTestDatabase } from './test-database.ts';

export interface JobQueueBed {
  readonly database: DatabaseHandle & { drop(): Promise<void> };
  readonly boss: PgBoss;
}

/**
 * A fresh test database with the job queue started on it, for the tests of
 * one file: created before them, stopped and dropped after them. Read
 * `database` and `boss` inside tests and hooks (they exist once `beforeAll` ran).
 */
export function useJobQueueBed(): JobQueueBed {
  let database: JobQueueBed['database'] | undefined;
  let boss: PgBoss | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    boss = await startJobQueue(database, { supervise: false });
  }, 120_000);
  afterAll(async () => {
    await boss?.stop({ graceful: false, close: true });
    await database?.drop();
  });
  return {
    get database() {
      if (!database) throw new Error('the test database is created in beforeAll');
      return database;
    },
    get boss() {
      if (!boss) throw new Error('the job queue is started in beforeAll');
      return boss;
    },
  };
}
