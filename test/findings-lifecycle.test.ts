import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { QUEUES, type ScanJob } from '../src/jobs/queues.ts';
import { handleRevoke } from '../src/jobs/revoke-worker.ts';
import { handleScan } from '../src/jobs/scan-worker.ts';
import { handleVerify } from '../src/jobs/verify-worker.ts';
import type { Service } from '../src/service.ts';
import { useMswServer } from './msw-server.ts';
import { startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

const server = useMswServer();
let database: DatabaseHandle & { drop(): Promise<void> };
let service: Service;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ service } = await startTestService(
    database,
    testConfig({ LEAKWATCH_REVOCATION_POLICY: JSON.stringify({ default: 'auto', dryRun: true }) }),
    { http: false, workers: false },
  ));
}, 120_000);
afterAll(async () => {
  await service?.stop();
  await database?.drop();
});

const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';

interface Ingested {
  matches: Array<{ fingerprint: string; sealedSecret: string; sealedParts: Record<string, string> }>;
}

/** Scans and records one document by hand; returns its matches with their secrets sealed (as jobs carry them). */
async function ingest(item: string, text: string, container = 'general'): Promise<Ingested> {
  const ctx = service.ctx;
  const scan: ScanJob = {
    ref: { platform: 'chat', workspace: 'w', container, item },
    format: 'plain',
    sealedText: ctx.transit.seal(text),
    receivedAt: new Date().toISOString(),
  };
  await handleScan(ctx, scan);
  await ctx.boss.deleteQueuedJobs(QUEUES.verify);
  return {
    matches: ctx.scanner.scan(text).map((m) => ({
      fingerprint: m.fingerprint,
      sealedSecret: ctx.transit.seal(m.secret.reveal()),
      sealedParts: {},
    })),
  };
}

describe('findings lifecycle', () => {
  it('applies allowlist entries at record time, counting hits without storing anything', async () => {
    const db = database.db;
    await db
      .insertInto('allowlist_entries')
      .values([
        { kind: 'place', platform: 'chat', container: 'sandbox', reason: 'test workspace', created_by: 'admin' },
        {
          kind: 'regex',
          pattern: '^xoxb-573493285553-',
          reason: 'demo bot',
          created_by: 'admin',
          expires_at: new Date(Date.now() - 1000),
        },
        { kind: 'detector', detector_id: 'google-api-key', reason: 'public maps keys', created_by: 'admin' },
      ])
      .execute();
    await ingest('s1', `token ${TOKEN}`, 'sandbox');
    await ingest('s2', 'maps key AIzaSyD4x9Qk2LmN7pR3sT8vW1yZ5aB6cE0fGhJ please', 'general');
    expect(await db.selectFrom('findings').selectAll().execute()).toEqual([]);
    const hits = await db.selectFrom('allowlist_entries').select(['kind', 'hits']).orderBy('kind').execute();
    expect(hits.map((h) => [h.kind, Number(h.hits)])).toEqual([
      ['detector', 1],
      ['place', 1],
      ['regex', 0],
    ]);
    // The expired regex entry no longer applies.
    await ingest('g1', `token ${TOKEN}`, 'general');
    expect(await db.selectFrom('findings').select('detector_id').execute()).toEqual([
      { detector_id: 'slack-bot-token' },
    ]);
  });

  it('closes an occurrence when the secret is edited away and reopens a resolved finding seen again', async () => {
    const db = database.db;
    const finding = await db
      .selectFrom('findings')
      .selectAll()
      .where('detector_id', '=', 'slack-bot-token')
      .executeTakeFirstOrThrow();
    await ingest('g1', 'token removed, sorry', 'general');
    const closed = await db.selectFrom('occurrences').selectAll().where('item', '=', 'g1').executeTakeFirstOrThrow();
    expect(closed.closed_reason).toBe('no longer in the item');

    await db
      .updateTable('findings')
      .set({ status: 'resolved', resolved_at: new Date() })
      .where('id', '=', finding.id)
      .execute();
    await ingest('g2', `again ${TOKEN}`, 'general');
    const reopened = await db.selectFrom('findings').selectAll().where('id', '=', finding.id).executeTakeFirstOrThrow();
    expect(reopened.status).toBe('reopened');
    const actions = await db.selectFrom('audit_log').select('action').where('target_id', '=', finding.id).execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['finding.created', 'finding.reopened']));
  });

  it('in dry-run mode records the revocation without calling the issuer', async () => {
    const calls: string[] = [];
    server.use(
      http.all('*', ({ request }) => (calls.push(request.url), HttpResponse.json({ ok: true, revoked: true }))),
    );
    const db = database.db;
    const finding = await db
      .selectFrom('findings')
      .selectAll()
      .where('detector_id', '=', 'slack-bot-token')
      .executeTakeFirstOrThrow();
    const job = await ingest('g3', `once more ${TOKEN}`, 'general');
    const match = job.matches[0]!;
    expect(
      await handleRevoke(service.ctx, {
        findingId: finding.id,
        sealedSecret: match.sealedSecret,
        sealedParts: match.sealedParts,
        requestedBy: 'policy:auto',
      }),
    ).toBe('dry_run');
    expect(calls).toEqual([]);
    const revocation = await db
      .selectFrom('revocations')
      .selectAll()
      .where('finding_id', '=', finding.id)
      .executeTakeFirstOrThrow();
    expect(revocation).toMatchObject({ mode: 'dry_run', outcome: 'dry_run', status: 'completed' });
    const after = await db
      .selectFrom('findings')
      .select('status')
      .where('id', '=', finding.id)
      .executeTakeFirstOrThrow();
    expect(after.status).not.toBe('remediated');
  });

  it('does not resolve a token of an issuer with a self-hosted edition just because the SaaS host rejects it', async () => {
    // The token may belong to a GitHub Enterprise Server instance: 401 at api.github.com proves nothing about it.
    server.use(
      http.get('https://api.github.com/user', () => HttpResponse.json({ message: 'Bad credentials' }, { status: 401 })),
    );
    const job = await ingest('gh1', 'ci uses 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 for releases', 'general');
    const match = job.matches[0]!;
    const finding = await database.db
      .selectFrom('findings')
      .selectAll()
      .where('fingerprint', '=', match.fingerprint)
      .executeTakeFirstOrThrow();
    await handleVerify(service.ctx, {
      findingId: finding.id,
      sealedSecret: match.sealedSecret,
      sealedParts: {},
      reason: 'new',
    });
    const after = await database.db
      .selectFrom('findings')
      .selectAll()
      .where('id', '=', finding.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ liveness: 'dead', status: 'open' });
  });
});
