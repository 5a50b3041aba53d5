import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Integration, RedactionRequest } from '../src/core/integration.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { handleRedact } from '../src/jobs/redact-worker.ts';
import { handleScan } from '../src/jobs/scan-worker.ts';
import { eventually, startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';

let database: DatabaseHandle & { drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

/**
 * A platform whose items live in memory: the redaction contract (re-read the
 * item, locate the secret, write it back) exercised against the real worker,
 * queue and database. Each platform's HTTP side is tested in integrations/.
 */
function memoryPlatform(items: Map<string, string>) {
  const requests: RedactionRequest[] = [];
  const integration: Integration = {
    platform: 'memo',
    async redact(request) {
      requests.push(request);
      const text = items.get(request.occurrence.item);
      if (text === undefined) return { status: 'not_found', detail: 'item is gone' };
      const spans = request.locate(text, 'plain');
      if (spans.length === 0) return { status: 'not_found' };
      let out = text;
      for (const span of [...spans].sort((a, b) => b.start - a.start)) {
        out = out.slice(0, span.start) + span.redacted + out.slice(span.end);
      }
      items.set(request.occurrence.item, out);
      return { status: 'redacted' };
    },
  };
  return { integration, requests };
}

describe('redaction at the source', () => {
  it('redacts every open occurrence once, records each outcome, and repeats nothing when retried', async () => {
    const items = new Map([
      ['n1', `deploy bot: ${TOKEN} (do not share)`],
      ['n2', `again ${TOKEN}`],
    ]);
    const { integration, requests } = memoryPlatform(items);
    const config = testConfig({ LEAKWATCH_AUTO_REDACT: 'memo', LEAKWATCH_VERIFY: 'false' });
    const { service } = await startTestService(
      database,
      config,
      { http: false, workers: true },
      { integrations: () => [integration] },
    );
    try {
      await service.sink.submit(
        [...items].map(([item, text]) => ({
          ref: { platform: 'memo', workspace: 'w', container: 'notes', item },
          text,
          format: 'plain' as const,
        })),
      );
      const rows = await eventually(async () => {
        const r = await database.db.selectFrom('redactions').selectAll().execute();
        return r.length === 2 && r.every((x) => x.status === 'redacted') ? r : undefined;
      });
      expect(rows.map((r) => r.requested_by)).toEqual(['policy:auto', 'policy:auto']);
      expect(items.get('n1')).toBe('deploy bot: xoxb-********AAhl (do not share)');
      expect([...items.values()].join('\n')).not.toContain(TOKEN);

      const calls = requests.length;
      await handleRedact(service.ctx, new Map([['memo', integration]]), {
        findingId: rows[0]!.finding_id,
        requestedBy: 'test',
      });
      expect(requests.length).toBe(calls);
      const audits = await database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'occurrence.redaction_redacted')
        .execute();
      expect(audits).toHaveLength(2);
    } finally {
      await service.stop();
    }
  });

  it('records occurrences on a platform without a redacting connector as unsupported', async () => {
    const { service } = await startTestService(database, testConfig({ LEAKWATCH_VERIFY: 'false' }), {
      http: false,
      workers: false,
    });
    try {
      await service.sink.submit([
        {
          ref: { platform: 'wiki', workspace: 'w', container: 'docs', item: 'p1' },
          text: `token ${TOKEN.replace('aYX', 'bYX')}`,
          format: 'plain',
        },
      ]);
      const [job] = await service.ctx.boss.fetch('scan', { batchSize: 1 });
      await handleScan(service.ctx, job!.data as never);
      const finding = await database.db
        .selectFrom('occurrences')
        .select('finding_id')
        .where('item', '=', 'p1')
        .executeTakeFirstOrThrow();
      expect(
        await handleRedact(service.ctx, new Map(), { findingId: finding.finding_id, requestedBy: 'test' }),
      ).toEqual({
        unsupported: 1,
      });
      const row = await database.db
        .selectFrom('redactions')
        .selectAll()
        .where('finding_id', '=', finding.finding_id)
        .executeTakeFirstOrThrow();
      expect(row.detail).toBe('no wiki connector that can redact is configured');
    } finally {
      await service.stop();
    }
  });
});
