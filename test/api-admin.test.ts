import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '../src/db/audit-repository.ts';
import { QUEUES } from '../src/jobs/queues.ts';
import { auditOf, seedFinding, startApiHarness, type ApiHarness } from './api-harness.ts';

// A well-formed example token (GitHub detector examples): error texts quoting it must come back redacted.
const SECRET = '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';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

describe('identities', () => {
  it('creates, searches, pages, updates and deletes identities, each change audited', async () => {
    const create = (body: unknown) => h.call('POST', '/api/v1/identities', { key: h.keys.admin, body });
    const ids: string[] = [];
    for (const [i, name] of ['Ada', 'Grace', 'Linus'].entries()) {
      const response = await create({
        platform: 'jira',
        platformUserId: `acct-${i}`,
        email: `${name.toLowerCase()}@example.com`,
        displayName: name,
      });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const duplicate = await create({ platform: 'jira', platformUserId: 'acct-0' });
    expect(duplicate.status).toBe(409);

    const search = (await (await h.call('GET', '/api/v1/identities?q=grace', { key: h.keys.reader })).json()) as {
      identities: { id: string; email: string }[];
    };
    expect(search.identities.map((i) => i.id)).toEqual([ids[1]]);
    const first = (await (
      await h.call('GET', '/api/v1/identities?platform=jira&limit=2', { key: h.keys.reader })
    ).json()) as {
      identities: { id: string }[];
      nextCursor: string;
    };
    const second = (await (
      await h.call(`GET`, `/api/v1/identities?platform=jira&limit=2&cursor=${first.nextCursor}`, { key: h.keys.reader })
    ).json()) as { identities: { id: string }[]; nextCursor: string | null };
    expect([...first.identities, ...second.identities].map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(second.nextCursor).toBeNull();

    const patched = await h.call('PATCH', `/api/v1/identities/${ids[0]}`, {
      key: h.keys.admin,
      body: { slackUserId: 'U0ADA', active: false, displayName: null },
    });
    expect(await patched.json()).toMatchObject({
      slackUserId: 'U0ADA',
      active: false,
      displayName: null,
      email: 'ada@example.com',
    });
    await seedFinding(h.database.db, { ownerIdentityId: ids[0]! });
    expect(await (await h.call('GET', `/api/v1/identities/${ids[0]}`, { key: h.keys.reader })).json()).toMatchObject({
      ownedFindings: 1,
    });

    expect((await h.call('DELETE', `/api/v1/identities/${ids[0]}`, { key: h.keys.admin })).status).toBe(204);
    expect((await h.call('GET', `/api/v1/identities/${ids[0]}`, { key: h.keys.reader })).status).toBe(404);
    expect((await auditOf(h.database.db, ids[0]!)).map((a) => [a.action, a.actor])).toEqual([
      ['identity.created', 'api-key:admin'],
      ['identity.updated', 'api-key:admin'],
      ['identity.deleted', 'api-key:admin'],
    ]);
  });

  it.each([
    [{ platformUserId: 'x' }, 'platform'],
    [{ platform: 'Jira Cloud', platformUserId: 'x' }, 'platform'],
    [{ platform: 'jira' }, 'platformUserId'],
    [{ platform: 'jira', platformUserId: 'x', email: 'not-an-email' }, 'email'],
    [{ platform: 'jira', platformUserId: 'x', active: 'yes' }, 'active'],
  ])('rejects %o naming %s', async (body, field) => {
    const response = await h.call('POST', '/api/v1/identities', { key: h.keys.admin, body });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', field } });
  });
});

describe('connector status', () => {
  it('shows each cursor with its lag and scrubbed last error, and backfill progress', async () => {
    const db = h.database.db;
    await db
      .insertInto('connector_cursors')
      .values([
        {
          connector: 'jira:acme.atlassian.net',
          cursor: '2026-01-01T00:00:00Z',
          last_polled_at: new Date(Date.now() - 120_000),
          last_error: `401 from Jira while using ${SECRET}`,
        },
        { connector: 'confluence:acme.atlassian.net', cursor: null, last_polled_at: null, last_error: null },
      ])
      .execute();
    await db
      .insertInto('backfill_runs')
      .values({ platform: 'jira', scope: JSON.stringify({ projects: ['OPS'] }), items_done: 40, documents: 120 })
      .execute();
    const response = await h.call('GET', '/api/v1/connectors', { key: h.keys.admin });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    const health = JSON.parse(text) as {
      connectors: { connector: string; lagSeconds: number | null; lastError: string | null }[];
      backfills: { platform: string; status: string; itemsDone: number; documents: number; scope: unknown }[];
    };
    const jira = health.connectors.find((c) => c.connector.startsWith('jira:'))!;
    expect(jira.lagSeconds).toBeGreaterThanOrEqual(119);
    expect(jira.lagSeconds).toBeLessThan(200);
    expect(jira.lastError).toContain('401 from Jira');
    expect(jira.lastError).toContain('ghp_********');
    expect(health.connectors.find((c) => c.connector.startsWith('confluence:'))).toMatchObject({ lagSeconds: null });
    expect(health.backfills).toMatchObject([
      { platform: 'jira', status: 'running', itemsDone: 40, documents: 120, scope: { projects: ['OPS'] } },
    ]);
    const onlyConfluence = (await (
      await h.call('GET', '/api/v1/connectors?platform=confluence', { key: h.keys.admin })
    ).json()) as {
      connectors: unknown[];
      backfills: unknown[];
    };
    expect(onlyConfluence.connectors).toHaveLength(1);
    expect(onlyConfluence.backfills).toHaveLength(0);
  });
});

describe('dead-letter jobs', () => {
  it('lists a job that exhausted its retries (error scrubbed, no sealed values) and retries it on its queue', async () => {
    const findingId = randomUUID();
    const boss = h.ctx.boss;
    await boss.send(QUEUES.notify, { findingId, sealedSecret: h.ctx.transit.seal(SECRET) }, { retryLimit: 0 });
    const [job] = await boss.fetch(QUEUES.notify);
    await boss.fail(QUEUES.notify, job!.id, { message: `Slack said invalid_auth for ${SECRET}` });
    const list = await h.call('GET', '/api/v1/jobs/dead-letter', { key: h.keys.admin });
    const text = await list.text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('sealedSecret');
    const dead = (
      JSON.parse(text) as { jobs: { id: string; queue: string; error: string; payload: unknown }[] }
    ).jobs.find((j) => (j.payload as { findingId?: string }).findingId === findingId)!;
    expect(dead).toMatchObject({ queue: 'notify', payload: { findingId } });
    expect(dead.error).toContain('invalid_auth');

    const retried = await h.call('POST', `/api/v1/jobs/dead-letter/${dead.id}/retry`, { key: h.keys.admin });
    expect(retried.status).toBe(202);
    expect(await retried.json()).toEqual({ queue: 'notify' });
    const back = await boss.findJobs(QUEUES.notify, { data: { findingId }, queued: true });
    expect(back).toHaveLength(1);
    expect((await boss.findJobs(QUEUES.deadLetter, { id: dead.id })).length).toBe(0);
    expect((await h.call('POST', `/api/v1/jobs/dead-letter/${dead.id}/retry`, { key: h.keys.admin })).status).toBe(404);
    expect(await auditOf(h.database.db, dead.id)).toMatchObject([
      { action: 'job.retried', actor: 'api-key:admin', details: { queue: 'notify', findingId } },
    ]);
  });

  it('lists a dead batched job by the ids of its findings, without their sealed values', async () => {
    const findingIds = [randomUUID(), randomUUID()];
    const boss = h.ctx.boss;
    const batch = findingIds.map((findingId) => ({
      findingId,
      sealedSecret: h.ctx.transit.seal(SECRET),
      sealedParts: {},
      reason: 'new' as const,
    }));
    await boss.send(QUEUES.verify, { batch }, { retryLimit: 0, singletonKey: `batch:${findingIds[0]}` });
    const [job] = await boss.fetch(QUEUES.verify);
    await boss.fail(QUEUES.verify, job!.id, { message: 'database said no' });
    const text = await (await h.call('GET', '/api/v1/jobs/dead-letter', { key: h.keys.admin })).text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('sealedSecret');
    const dead = (JSON.parse(text) as { jobs: { queue: string; payload: { findingIds?: string[] } }[] }).jobs.find(
      (j) => j.payload.findingIds?.includes(findingIds[0]!),
    );
    expect(dead).toMatchObject({ queue: 'verify', payload: { findingIds } });
  });

  it('refuses to retry a job with no recorded source queue', async () => {
    const id = await h.ctx.boss.send(QUEUES.deadLetter, { findingId: randomUUID() });
    const response = await h.call('POST', `/api/v1/jobs/dead-letter/${id}/retry`, { key: h.keys.admin });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'not_retryable' } });
  });
});

describe('stats', () => {
  it('counts findings by status, liveness, platform and detector, computes MTTR, and plots open/live per day', async () => {
    const db = h.database.db;
    const today = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()));
    const noon = (daysAgo: number) => new Date(today.getTime() - daysAgo * 86_400_000 + 12 * 3600_000);
    const day = (daysAgo: number) => noon(daysAgo).toISOString().slice(0, 10);
    // Resolved a day after it was found.
    const resolved = await seedFinding(db, {
      detector: 'stats-a',
      firstSeenAt: noon(3),
      status: 'resolved',
      liveness: 'dead',
      places: [{ platform: 'jira', container: 'OPS' }],
    });
    await db
      .updateTable('findings')
      .set({ resolved_at: noon(2) })
      .where('id', '=', resolved.id)
      .execute();
    // Open, found live two days ago.
    const live = await seedFinding(db, {
      detector: 'stats-b',
      firstSeenAt: noon(3),
      liveness: 'live',
      places: [
        { platform: 'slack', container: 'C1' },
        { platform: 'jira', container: 'OPS' },
      ],
    });
    await db
      .insertInto('verifications')
      .values({ finding_id: live.id, liveness: 'live', checked_at: noon(2) })
      .execute();

    const response = await h.call('GET', '/api/v1/stats?days=5', { key: h.keys.reader });
    expect(response.status).toBe(200);
    const stats = (await response.json()) as {
      byStatus: Record<string, number>;
      byLiveness: Record<string, number>;
      byPlatform: Record<string, number>;
      byDetector: Record<string, number>;
      timeToResolve: { resolvedCount: number; meanSecondsToResolve: number; medianSecondsToResolve: number };
      timeline: { date: string; open: number; live: number }[];
    };
    expect(stats.byDetector).toMatchObject({ 'stats-a': 1, 'stats-b': 1 });
    expect(stats.byStatus.resolved).toBeGreaterThanOrEqual(1);
    expect(stats.byPlatform.jira).toBeGreaterThanOrEqual(2);
    expect(stats.timeToResolve).toMatchObject({
      resolvedCount: 1,
      meanSecondsToResolve: 86_400,
      medianSecondsToResolve: 86_400,
    });
    expect(stats.timeline.map((d) => d.date)).toEqual([day(4), day(3), day(2), day(1), day(0)]);
    const on = (daysAgo: number) => stats.timeline.find((d) => d.date === day(daysAgo))!;
    // Findings seeded by other tests here are open all along and never checked: a constant baseline.
    const base = on(4).open;
    expect(on(4)).toMatchObject({ open: base, live: 0 });
    expect(on(3)).toMatchObject({ open: base + 2, live: 0 });
    expect(on(2)).toMatchObject({ open: base + 1, live: 1 });
    expect(on(0)).toMatchObject({ live: 1 });

    const active = (await (await h.call('GET', '/api/v1/stats?active=true', { key: h.keys.reader })).json()) as {
      byDetector: Record<string, number>;
    };
    expect(active.byDetector['stats-a']).toBeUndefined();
    expect(active.byDetector['stats-b']).toBe(1);
    expect((await h.call('GET', '/api/v1/stats?days=0', { key: h.keys.reader })).status).toBe(400);
  });
});

describe('audit log', () => {
  it('filters by actor, action prefix and target, and pages newest first', async () => {
    const db = h.database.db;
    const target = randomUUID();
    for (let i = 0; i < 5; i++) {
      await writeAudit(db, {
        actor: i % 2 ? 'slack:U1' : 'api-key:bot',
        action: i < 3 ? 'finding.acknowledged' : 'allowlist.created',
        targetType: 'finding',
        targetId: target,
        details: { n: i },
      });
    }
    const get = async (query: string) => {
      const response = await h.call('GET', `/api/v1/audit?targetId=${target}&${query}`, { key: h.keys.admin });
      expect(response.status).toBe(200);
      return (await response.json()) as {
        entries: { actor: string; details: { n: number } }[];
        nextCursor: string | null;
      };
    };
    expect((await get('action=finding.')).entries.map((e) => e.details.n)).toEqual([2, 1, 0]);
    expect((await get('actor=slack:U1')).entries.map((e) => e.details.n)).toEqual([3, 1]);
    expect((await get('action=allowlist.created')).entries.map((e) => e.details.n)).toEqual([4, 3]);
    const first = await get('limit=2');
    const second = await get(`limit=2&cursor=${first.nextCursor}`);
    const third = await get(`limit=2&cursor=${second.nextCursor}`);
    expect([...first.entries, ...second.entries, ...third.entries].map((e) => e.details.n)).toEqual([4, 3, 2, 1, 0]);
    expect(third.nextCursor).toBeNull();
    expect((await get('from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z')).entries).toEqual([]);
    const bad = await h.call('GET', '/api/v1/audit?cursor=bm90LWpzb24', { key: h.keys.admin });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'cursor' } });
  });
});

describe('hook deliveries', () => {
  it('lists deliveries newest first with filters, the last error scrubbed', async () => {
    const db = h.database.db;
    const finding = await seedFinding(db);
    await db
      .insertInto('hook_deliveries')
      .values([
        {
          hook: 'soar',
          event: 'finding.created',
          event_id: 'e1',
          finding_id: finding.id,
          status: 'delivered',
          attempts: 1,
          last_status_code: 200,
          created_at: new Date(Date.now() - 60_000),
        },
        {
          hook: 'soar',
          event: 'finding.verified_live',
          event_id: 'e2',
          finding_id: finding.id,
          status: 'failed',
          attempts: 11,
          last_status_code: 500,
          last_error: `receiver echoed ${SECRET}`,
        },
      ])
      .execute();
    const response = await h.call('GET', `/api/v1/hook-deliveries?findingId=${finding.id}`, { key: h.keys.admin });
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    const { deliveries } = JSON.parse(text) as {
      deliveries: { eventId: string; status: string; lastError: string | null }[];
    };
    expect(deliveries.map((d) => d.eventId)).toEqual(['e2', 'e1']);
    expect(deliveries[0]!.lastError).toContain('receiver echoed ghp_********');
    const failed = (await (
      await h.call('GET', '/api/v1/hook-deliveries?status=failed', { key: h.keys.admin })
    ).json()) as {
      deliveries: { eventId: string }[];
    };
    expect(failed.deliveries.map((d) => d.eventId)).toEqual(['e2']);
  });
});

describe('OpenAPI document', () => {
  it('describes request and response schemas and the error shape', async () => {
    const doc = (await (await h.call('GET', '/api/v1/openapi.json')).json()) as {
      servers: { url: string }[];
      paths: Record<
        string,
        Record<string, { parameters?: { name: string; in: string }[]; responses: Record<string, unknown> }>
      >;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    const list = doc.paths['/findings']!.get!;
    expect(list.parameters!.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        'status',
        'liveness',
        'severity',
        'detector',
        'platform',
        'container',
        'owner',
        'from',
        'to',
        'cursor',
        'limit',
      ]),
    );
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '429']));
    expect(doc.components.schemas.Error!.properties).toHaveProperty('error');
    expect(doc.components.schemas.Finding!.properties).toHaveProperty('redacted');
    expect(doc.components.schemas.Finding!.properties).not.toHaveProperty('secret');
    expect(doc.components.schemas.AllowlistEntryInput).toBeDefined();
  });
});
