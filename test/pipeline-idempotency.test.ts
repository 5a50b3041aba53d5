import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { handleNotify } from '../src/jobs/notify-worker.ts';
import { QUEUES, type ScanJob, type VerifyJob } from '../src/jobs/queues.ts';
import { handleRevoke } from '../src/jobs/revoke-worker.ts';
import { handleScan } from '../src/jobs/scan-worker.ts';
import { useMswServer } from './msw-server.ts';
import { eventually, startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

const server = useMswServer();
const SLACK_TOKEN = 'xoxb-83898259670-377503758857-5FR9pEZKQHSjfP9FEwxNx7Ot';

let database: DatabaseHandle & { drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('pipeline idempotency and durability', () => {
  it('repeats no effect when jobs are retried: one finding, one occurrence, one DM, one revoke', async () => {
    const revokes: number[] = [];
    server.use(
      http.post('https://slack.com/api/auth.test', () => HttpResponse.json({ ok: true, team: 'Acme', user: 'bot' })),
      http.post('https://slack.com/api/auth.revoke', () => {
        revokes.push(1);
        return HttpResponse.json({ ok: true, revoked: true });
      }),
    );
    // Workers off: the test drives each stage by hand, twice.
    const { service } = await startTestService(database, testConfig(), { http: false, workers: false });
    const ctx = service.ctx;
    try {
      const scan: ScanJob = {
        ref: { platform: 'chat', workspace: 'w', container: 'c1', item: 'm1', author: { id: 'u1' } },
        format: 'plain',
        sealedText: ctx.transit.seal(`use ${SLACK_TOKEN} for the bot`),
        receivedAt: new Date().toISOString(),
      };
      // A retried scan job (the worker died before completing it) records the same document again.
      await handleScan(ctx, scan);
      await handleScan(ctx, scan);
      await handleScan(ctx, scan);

      const findings = await database.db.selectFrom('findings').selectAll().execute();
      expect(findings).toHaveLength(1);
      expect(await database.db.selectFrom('occurrences').selectAll().execute()).toHaveLength(1);
      // The verify queue is stately per finding: repeated scans queue one check.
      const verifyJobs = await ctx.boss.findJobs<VerifyJob>(QUEUES.verify, { queued: true });
      expect(verifyJobs).toHaveLength(1);

      const findingId = findings[0]!.id;
      expect(await handleNotify(ctx, { findingId })).toBe('sent');
      expect(await handleNotify(ctx, { findingId })).toBe('already');
      expect(await database.db.selectFrom('notifications').selectAll().execute()).toHaveLength(1);

      const match = verifyJobs[0]!.data;
      const revoke = {
        findingId,
        sealedSecret: match.sealedSecret,
        sealedParts: match.sealedParts,
        requestedBy: 'test',
      };
      expect(await handleRevoke(ctx, revoke)).toBe('revoked');
      expect(await handleRevoke(ctx, revoke)).toBe('revoked');
      expect(revokes).toHaveLength(1);
    } finally {
      await service.stop();
    }
  }, 120_000);

  it('loses nothing when the process stops before the queued work is done', async () => {
    const token = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
    server.use(
      http.post('https://slack.com/api/auth.test', () => HttpResponse.json({ ok: false, error: 'invalid_auth' })),
    );
    const config = testConfig();
    // 1. An API-only process accepts documents and stops (as if killed after acknowledging).
    const first = await startTestService(database, config, { http: false, workers: false });
    for (let i = 0; i < 5; i++) {
      await first.service.ctx.boss.send(QUEUES.scan, {
        ref: { platform: 'chat', workspace: 'w', container: 'restart', item: `m${i}` },
        format: 'plain',
        sealedText: first.service.ctx.transit.seal(`token ${token} #${i}`),
        receivedAt: new Date().toISOString(),
      } satisfies ScanJob);
    }
    await first.service.stop();
    // 2. A new process with workers picks everything up.
    const second = await startTestService(database, config, { http: false, workers: true });
    try {
      const occurrences = await eventually(async () => {
        const rows = await database.db
          .selectFrom('occurrences')
          .selectAll()
          .where('container', '=', 'restart')
          .execute();
        return rows.length === 5 ? rows : undefined;
      });
      expect(new Set(occurrences.map((o) => o.finding_id)).size).toBe(1);
      await eventually(async () => {
        const f = await database.db
          .selectFrom('findings')
          .selectAll()
          .where('id', '=', occurrences[0]!.finding_id)
          .executeTakeFirst();
        return f?.status === 'resolved';
      });
    } finally {
      await second.service.stop();
    }
  }, 120_000);
});
