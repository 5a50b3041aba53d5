import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { markRotated } from '../src/findings/remediation.ts';
import { QUEUES, type ScanJob, type VerifyJob } from '../src/jobs/queues.ts';
import { handleReverifyDue } from '../src/jobs/reverify-worker.ts';
import { handleScan } from '../src/jobs/scan-worker.ts';
import { handleVerify } from '../src/jobs/verify-worker.ts';
import type { Service } from '../src/service.ts';
import { useMswServer } from './msw-server.ts';
import { startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

const server = useMswServer();
let database: DatabaseHandle & { drop(): Promise<void> };
let service: Service;
let clock = new Date('2026-11-26T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  ({ service } = await startTestService(database, testConfig({ LEAKWATCH_REVERIFY_GRACE_SECONDS: '3600' }), {
    http: false,
    workers: false,
  }));
  service.ctx.now = () => clock;
}, 120_000);
afterAll(async () => {
  await service?.stop();
  await database?.drop();
});

async function leak(token: string, item: string): Promise<string> {
  const ctx = service.ctx;
  const scan: ScanJob = {
    ref: { platform: 'chat', workspace: 'w', container: 'c', item },
    format: 'plain',
    sealedText: ctx.transit.seal(`here: ${token}`),
    receivedAt: clock.toISOString(),
  };
  await handleScan(ctx, scan);
  const [verify] = await ctx.boss.findJobs<VerifyJob>(QUEUES.verify, { queued: true });
  await ctx.boss.deleteQueuedJobs(QUEUES.verify);
  await handleVerify(ctx, verify!.data);
  await ctx.boss.deleteQueuedJobs(QUEUES.notify);
  return verify!.data.findingId;
}

async function reverifyOnce(): Promise<void> {
  const ctx = service.ctx;
  await handleReverifyDue(ctx);
  const jobs = await ctx.boss.findJobs<VerifyJob>(QUEUES.verify, { queued: true });
  await ctx.boss.deleteQueuedJobs(QUEUES.verify);
  for (const job of jobs) await handleVerify(ctx, job.data);
}

describe('re-verification of rotated credentials', () => {
  it('resolves a rotated credential once it verifies dead, and escalates one still live after the grace period', async () => {
    const dead = new Set<string>();
    server.use(
      http.post('https://slack.com/api/auth.test', ({ request }) => {
        const token = (request.headers.get('authorization') ?? '').replace('Bearer ', '');
        return HttpResponse.json(
          dead.has(token) ? { ok: false, error: 'token_revoked' } : { ok: true, team: 'Acme', user: 'bot' },
        );
      }),
    );
    const rotatedToken = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
    const stubbornToken = 'xoxb-83898259670-377503758857-5FR9pEZKQHSjfP9FEwxNx7Ot';
    const rotated = await leak(rotatedToken, 'm1');
    const stubborn = await leak(stubbornToken, 'm2');
    expect(await markRotated(database.db, rotated, 'slack:U1', clock)).toMatchObject({
      status: 'remediated',
      remediation: 'rotated',
    });
    expect(await markRotated(database.db, stubborn, 'slack:U2', clock)).toMatchObject({ status: 'remediated' });

    // The owner really rotated the first one; the second is still live.
    dead.add(rotatedToken);
    await reverifyOnce();
    const first = await database.db
      .selectFrom('findings')
      .selectAll()
      .where('id', 'in', [rotated, stubborn])
      .orderBy('id')
      .execute();
    const byId = Object.fromEntries(first.map((f) => [f.id, f]));
    expect(byId[rotated]).toMatchObject({ status: 'resolved', liveness: 'dead' });
    expect(byId[stubborn]).toMatchObject({ status: 'remediated', liveness: 'live', escalated_at: null });
    // The notice the owner got is rewritten to show the proof, for the resolved finding only.
    const refreshes = await service.ctx.boss.findJobs<{ findingId: string }>(QUEUES.noticeRefresh, { queued: true });
    expect(refreshes.map((j) => j.data.findingId)).toEqual([rotated]);

    // Two hours later (grace is one hour) it is still live: escalated.
    clock = new Date(clock.getTime() + 2 * 3600_000);
    await reverifyOnce();
    const later = await database.db
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', stubborn)
      .executeTakeFirstOrThrow();
    expect(later.escalated_at).not.toBeNull();
    const actions = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', stubborn)
      .execute();
    expect(actions.map((a) => a.action)).toContain('finding.escalated');
  }, 120_000);
});
