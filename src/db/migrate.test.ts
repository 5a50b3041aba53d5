import { sql } from 'kysely';
import { migrations } from '../../migrations/index.ts';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import { openDatabase } from './connection.ts';
import { migrateToLatest } from './migrate.ts';

describe('migrations', () => {
  it('create every table and are idempotent', async () => {
    const database = await createTestDatabase();
    try {
      const again = await migrateToLatest(database.db);
      expect(again.results).toEqual([]);
      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
        database.db,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(
        expect.arrayContaining(['findings', 'occurrences', 'identities', 'allowlist_entries', 'audit_log', 'api_keys']),
      );
    } finally {
      await database.drop();
    }
  });

  it.runIf(process.env.DATABASE_URL)('apply once when several processes start at the same time', async () => {
    const database = await createTestDatabase();
    await database.close();
    // Roll back to empty, then race three independent pools at it.
    const handles = await Promise.all([1, 2, 3].map(() => openDatabase({ databaseUrl: database.url!, dataDir: '' })));
    try {
      await sql`drop schema public cascade; create schema public`.execute(handles[0]!.db);
      const results = await Promise.all(handles.map((h) => migrateToLatest(h.db)));
      const applied = results.flatMap((r) => r.results ?? []).filter((r) => r.status === 'Success');
      // Each migration is applied by exactly one of the racing processes.
      expect(applied).toHaveLength(Object.keys(migrations).length);
      expect(new Set(applied.map((r) => r.migrationName)).size).toBe(Object.keys(migrations).length);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await database.drop().catch(() => {});
    }
  });
});
