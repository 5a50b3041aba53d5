import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectors } from '../detectors/index.ts';
import { createApiKey } from '../src/db/api-keys-repository.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { createScanner } from '../src/detection/scanner.ts';
import { dumpDatabase, eventually, FINGERPRINT_KEY, startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

let database: DatabaseHandle & { drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('invariant 1: no raw secret is stored, logged or served', () => {
  it('plants every detector example through ingest and finds none of the secrets in tables, logs or API answers', async () => {
    // Every true-positive example of every detector is a planted secret.
    const scanner = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY });
    const documents = detectors.flatMap((d) => d.examples.match.map((text, i) => ({ id: `${d.id}-${i}`, text })));
    const secrets = new Set<string>();
    for (const doc of documents) {
      for (const m of scanner.scan(doc.text)) {
        secrets.add(m.secret.reveal());
        for (const p of m.parts) secrets.add(p.secret.reveal());
      }
    }
    expect(secrets.size).toBeGreaterThan(100);

    const { service, logs } = await startTestService(
      database,
      testConfig({ LEAKWATCH_VERIFY: 'false', LEAKWATCH_LOG_LEVEL: 'trace' }),
    );
    try {
      const { key } = await createApiKey(database.db, { name: 'all', scopes: ['admin'] });
      const answers: string[] = [];
      for (const doc of documents) {
        const response = await service.app.request('/api/v1/documents', {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            platform: 'wiki',
            container: 'SEC',
            id: doc.id,
            author: { id: 'u1' },
            text: doc.text,
          }),
        });
        expect(response.status).toBe(202);
        answers.push(await response.text());
      }
      await eventually(async () => {
        const items = await database.db.selectFrom('occurrences').select('item').distinct().execute();
        return items.length === documents.length;
      }, 120_000);
      let cursor: string | null = null;
      do {
        const response = await service.app.request(`/api/v1/findings?limit=500${cursor ? `&cursor=${cursor}` : ''}`, {
          headers: { authorization: `Bearer ${key}` },
        });
        const text = await response.text();
        answers.push(text);
        cursor = (JSON.parse(text) as { nextCursor: string | null }).nextCursor;
      } while (cursor);

      const haystacks = { database: await dumpDatabase(database), logs: logs.join('\n'), api: answers.join('\n') };
      for (const [where, haystack] of Object.entries(haystacks)) {
        const leaked = [...secrets].filter((s) => haystack.includes(s));
        expect(leaked.map((s) => `${s.slice(0, 6)}… in ${where}`)).toEqual([]);
      }
    } finally {
      await service.stop();
    }
  }, 300_000);
});
