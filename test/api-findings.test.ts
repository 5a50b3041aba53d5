import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/db/schema.ts';
import { QUEUES, type RedactJob, type RevokeJob, type VerifyJob } from '../src/jobs/queues.ts';
import { auditOf, seedFinding, startApiHarness, type ApiHarness } from './api-harness.ts';

// A well-formed (checksum-valid) example token from the GitHub detector's own examples.
const SECRET = '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';

let h: ApiHarness;
let alice: string;
let seeded: Record<'critical' | 'ackd' | 'resolved' | 'teams' | 'late', Finding>;

beforeAll(async () => {
  h = await startApiHarness();
  const db = h.database.db;
  alice = (
    await db
      .insertInto('identities')
      .values({ platform: 'slack', platform_user_id: 'U0ALICE', email: 'Alice@Example.com', slack_user_id: 'U0ALICE' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  seeded = {
    critical: await seedFinding(db, {
      detector: 'filter-github',
      severity: 'critical',
      liveness: 'live',
      ownerIdentityId: alice,
      firstSeenAt: new Date('2025-06-01T00:00:00Z'),
      places: [{ platform: 'slack', container: 'C-SECURITY' }],
    }),
    ackd: await seedFinding(db, {
      detector: 'filter-slack',
      issuer: 'slack',
      status: 'acknowledged',
      liveness: 'dead',
      firstSeenAt: new Date('2025-06-05T00:00:00Z'),
      places: [{ platform: 'jira', container: 'OPS' }],
    }),
    resolved: await seedFinding(db, {
      detector: 'filter-github',
      severity: 'low',
      status: 'resolved',
      liveness: 'dead',
      firstSeenAt: new Date('2025-06-10T00:00:00Z'),
      places: [
        { platform: 'confluence', container: 'ENG' },
        { platform: 'slack', container: 'C-RANDOM' },
      ],
    }),
    teams: await seedFinding(db, {
      detector: 'filter-slack',
      issuer: 'slack',
      severity: 'medium',
      liveness: 'unknown',
      firstSeenAt: new Date('2025-06-15T00:00:00Z'),
      places: [{ platform: 'teams', container: 'general' }],
    }),
    late: await seedFinding(db, {
      detector: 'filter-github',
      liveness: 'live',
      firstSeenAt: new Date('2025-06-20T00:00:00Z'),
      places: [{ platform: 'jira', container: 'SEC' }],
    }),
  };
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const list = async (query: string, key = h.keys.reader) => {
  const response = await h.call('GET', `/api/v1/findings?${query}`, { key });
  expect(response.status).toBe(200);
  return (await response.json()) as { findings: { id: string; redacted: string }[]; nextCursor: string | null };
};

describe('GET /api/v1/findings filters', () => {
  const inRange = 'from=2025-05-01T00:00:00Z&to=2025-07-01T00:00:00Z';
  it.each([
    ['status=open', ['late', 'teams', 'critical']],
    ['status=acknowledged', ['ackd']],
    ['liveness=live', ['late', 'critical']],
    ['severity=critical', ['critical']],
    ['detector=filter-slack', ['teams', 'ackd']],
    ['platform=slack', ['resolved', 'critical']],
    ['platform=jira&container=SEC', ['late']],
    ['platform=jira&container=ENG', []],
    ['container=ENG', ['resolved']],
    ['owner=alice@example.com', ['critical']],
    ['owner=U0ALICE', ['critical']],
    ['from=2025-06-05T00:00:00Z&to=2025-06-15T00:00:00Z', ['resolved', 'ackd']],
    ['detector=filter-github&liveness=live&platform=jira', ['late']],
  ] as const)('%s', async (query, expected) => {
    const ids = (await list(query.includes('from=') ? query : `${query}&${inRange}`)).findings.map((f) => f.id);
    expect(ids).toEqual(expected.map((name) => seeded[name].id));
  });

  it('filters by owner identity id', async () => {
    expect((await list(`owner=${alice}`)).findings.map((f) => f.id)).toEqual([seeded.critical.id]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['status=gone', 'status'],
    ['liveness=maybe', 'liveness'],
    ['severity=urgent', 'severity'],
    ['from=yesterday', 'from'],
    ['cursor=garbage', 'cursor'],
    [`cursor=${Buffer.from('{"t":"2026-01-01T00:00:00Z","i":"x\' or 1=1"}').toString('base64url')}`, 'cursor'],
  ])('rejects %s naming the field', async (query, field) => {
    const response = await h.call('GET', `/api/v1/findings?${query}`, { key: h.keys.reader });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; field: string; message: string } };
    expect(error).toMatchObject({ code: 'invalid_request', field });
    expect(error.message).toContain(field);
  });
});

describe('GET /api/v1/findings pagination', () => {
  it('walks every finding exactly once, newest first, even with equal and microsecond timestamps', async () => {
    const db = h.database.db;
    const times = [
      '2024-03-01T00:00:00.000001Z',
      '2024-03-01T00:00:00.000001Z',
      '2024-03-01T00:00:00.000002Z',
      '2024-03-01T00:00:00.000002Z',
      '2024-03-01T00:00:00.000002Z',
      '2024-03-01T00:00:00.5Z',
      '2024-02-01T00:00:00Z',
    ];
    const ids: string[] = [];
    for (const [i, at] of times.entries()) {
      const row = await db
        .insertInto('findings')
        .values({
          detector_id: 'page-test',
          issuer: 'test',
          fingerprint: `page-${i}`,
          redacted: `tok_****${i}`,
          severity: 'low',
          first_seen_at: at,
          last_seen_at: at,
        })
        .returning(['id', 'first_seen_at'])
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`detector=page-test&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.findings.map((f) => f.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(times.length);
    expect([...seen].sort()).toEqual([...ids].sort());
    // Newest first: the 0.5 s row, then the three at …002 µs, the two at …001 µs, then February.
    expect(seen[0]).toBe(ids[5]);
    expect(seen.slice(1, 4).sort()).toEqual([ids[2], ids[3], ids[4]].sort());
    expect(seen[6]).toBe(ids[6]);
  });
});

describe('GET /api/v1/findings/{id}', () => {
  it('shows occurrences, owner, verification history and whether the vault holds the secret — never the secret', async () => {
    const db = h.database.db;
    const f = seeded.critical;
    await db
      .insertInto('verifications')
      .values([
        { finding_id: f.id, liveness: 'unknown', reason: 'timeout', checked_at: new Date('2025-06-01T00:01:00Z') },
        {
          finding_id: f.id,
          liveness: 'live',
          facts: JSON.stringify({ account: 'octocat', scopes: ['repo'] }),
          checked_at: new Date('2025-06-01T00:02:00Z'),
        },
      ])
      .execute();
    await db
      .insertInto('secret_vault')
      .values({ finding_id: f.id, sealed: h.ctx.vault!.seal(JSON.stringify({ secret: SECRET, parts: {} })) })
      .execute();
    const response = await h.call('GET', `/api/v1/findings/${f.id}`, { key: h.keys.reader });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(SECRET);
    const detail = JSON.parse(text);
    expect(detail).toMatchObject({
      id: f.id,
      redacted: f.redacted,
      vaulted: true,
      owner: { id: alice, email: 'Alice@Example.com' },
      occurrences: [{ platform: 'slack', container: 'C-SECURITY', closedAt: null }],
      verifications: [
        { liveness: 'live', facts: { account: 'octocat' } },
        { liveness: 'unknown', reason: 'timeout' },
      ],
      revocation: null,
    });
  });

  it('answers 404 for an unknown finding and 400 naming id for a malformed one', async () => {
    expect((await h.call('GET', `/api/v1/findings/${randomUUID()}`, { key: h.keys.reader })).status).toBe(404);
    const bad = await h.call('GET', '/api/v1/findings/not-a-uuid', { key: h.keys.reader });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: 'id' } });
  });
});

async function jobsFor<T>(queue: string, findingId: string) {
  return h.ctx.boss.findJobs<T>(queue, { data: { findingId } });
}

describe('finding actions', () => {
  const act = (id: string, action: string, body?: unknown, app = h.app) =>
    h.call('POST', `/api/v1/findings/${id}/${action}`, { key: h.keys.writer, body, app });

  it('acknowledges, then marks a false positive, each audited with the actor; invalid transitions are 409', async () => {
    const f = await seedFinding(h.database.db);
    const ack = await act(f.id, 'acknowledge', { note: 'on it' });
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { finding: { status: string } }).finding.status).toBe('acknowledged');
    const again = await act(f.id, 'acknowledge', {});
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'invalid_transition' } });
    expect((await act(f.id, 'false-positive', { note: 'a test fixture' })).status).toBe(200);
    expect((await act(f.id, 'rotated')).status).toBe(409);
    const audit = await auditOf(h.database.db, f.id);
    expect(audit.map((a) => [a.action, a.actor, a.details])).toEqual([
      ['finding.acknowledged', 'api-key:writer', { from: 'open', redacted: f.redacted, note: 'on it' }],
      [
        'finding.false_positive',
        'api-key:writer',
        { from: 'acknowledged', redacted: f.redacted, note: 'a test fixture' },
      ],
    ]);
  });

  it('marks a credential rotated (remediated), audited', async () => {
    const f = await seedFinding(h.database.db);
    const response = await act(f.id, 'rotated');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ finding: { status: 'remediated', remediation: 'rotated' } });
    expect((await auditOf(h.database.db, f.id)).map((a) => a.action)).toEqual(['finding.rotated']);
  });

  it('queues a requested re-verification with the vaulted secret re-sealed for transit, once', async () => {
    const f = await seedFinding(h.database.db);
    await h.database.db
      .insertInto('secret_vault')
      .values({
        finding_id: f.id,
        sealed: h.ctx.vault!.seal(JSON.stringify({ secret: SECRET, parts: { extra: 'p' } })),
      })
      .execute();
    const first = await act(f.id, 'reverify');
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ queued: true });
    expect(await (await act(f.id, 'reverify')).json()).toEqual({ queued: false });
    const jobs = await jobsFor<VerifyJob>(QUEUES.verify, f.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.reason).toBe('requested');
    expect(h.ctx.transit.open(jobs[0]!.data.sealedSecret)).toBe(SECRET);
    expect(h.ctx.transit.open(jobs[0]!.data.sealedParts.extra!)).toBe('p');
    expect(JSON.stringify(jobs[0]!.data)).not.toContain(SECRET);
    const audit = await auditOf(h.database.db, f.id);
    expect(audit.map((a) => [a.action, (a.details as { queued: boolean }).queued])).toEqual([
      ['finding.reverify_requested', true],
      ['finding.reverify_requested', false],
    ]);
  });

  it('refuses re-verification without a vault (409 saying how to enable it), or without a vaulted secret', async () => {
    const f = await seedFinding(h.database.db);
    const noVault = await act(f.id, 'reverify', undefined, h.appWith({ vault: undefined }));
    expect(noVault.status).toBe(409);
    const { error } = (await noVault.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('vault_disabled');
    expect(error.message).toContain('LEAKWATCH_ENCRYPTION_KEY');
    const notVaulted = await act(f.id, 'reverify');
    expect(notVaulted.status).toBe(409);
    expect(await notVaulted.json()).toMatchObject({ error: { code: 'secret_not_vaulted' } });
    expect(await jobsFor(QUEUES.verify, f.id)).toHaveLength(0);
    expect(await auditOf(h.database.db, f.id)).toHaveLength(0);
  });

  it('queues a revocation the policy allows, announcing it; refuses one it forbids, changing nothing', async () => {
    const f = await seedFinding(h.database.db, { detector: 'github-classic-pat', severity: 'critical' });
    await h.database.db
      .insertInto('secret_vault')
      .values({ finding_id: f.id, sealed: h.ctx.vault!.seal(JSON.stringify({ secret: SECRET, parts: {} })) })
      .execute();

    const off = h.appWith({
      revocationPolicy: { default: 'manual', dryRun: false, rules: [{ issuer: 'github', mode: 'off' }] },
    });
    const refused = await act(f.id, 'revoke', undefined, off);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'revocation_off' } });
    expect(await jobsFor(QUEUES.revoke, f.id)).toHaveLength(0);
    expect(await auditOf(h.database.db, f.id)).toHaveLength(0);
    expect((await act(f.id, 'revoke', undefined, h.appWith({ revocationPolicy: undefined }))).status).toBe(503);

    const accepted = await act(f.id, 'revoke');
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ queued: true, mode: 'manual', dryRun: false, builtInRevoker: true });
    const jobs = await jobsFor<RevokeJob>(QUEUES.revoke, f.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.data.requestedBy).toBe('api-key:writer');
    expect(h.ctx.transit.open(jobs[0]!.data.sealedSecret)).toBe(SECRET);
    expect(await auditOf(h.database.db, f.id)).toMatchObject([
      { action: 'finding.revoke_requested', actor: 'api-key:writer', details: { mode: 'manual', dryRun: false } },
    ]);

    const resolved = await seedFinding(h.database.db, { status: 'resolved' });
    expect((await act(resolved.id, 'revoke')).status).toBe(409);
  });

  it('queues a redaction of the open occurrences, and refuses when none is left', async () => {
    const f = await seedFinding(h.database.db, {
      places: [
        { platform: 'slack', container: 'C1' },
        { platform: 'jira', container: 'OPS', closed: true },
      ],
    });
    const response = await act(f.id, 'redact');
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queued: true, occurrences: 1 });
    const jobs = await jobsFor<RedactJob>(QUEUES.redact, f.id);
    expect(jobs.map((j) => j.data)).toEqual([{ findingId: f.id, requestedBy: 'api-key:writer' }]);
    expect((await auditOf(h.database.db, f.id)).map((a) => a.action)).toEqual(['finding.redaction_requested']);

    const gone = await seedFinding(h.database.db, { places: [{ platform: 'slack', container: 'C1', closed: true }] });
    expect(await (await act(gone.id, 'redact')).json()).toMatchObject({ error: { code: 'nothing_to_redact' } });
  });

  it('reassigns and clears the owner, audited; an unknown identity is a 400 naming identityId', async () => {
    const f = await seedFinding(h.database.db);
    const put = (body: unknown) => h.call('PUT', `/api/v1/findings/${f.id}/owner`, { key: h.keys.writer, body });
    const assigned = await put({ identityId: alice });
    expect(assigned.status).toBe(200);
    expect(await assigned.json()).toMatchObject({ finding: { ownerIdentityId: alice } });
    expect(await (await put({ identityId: null })).json()).toMatchObject({ finding: { ownerIdentityId: null } });
    for (const body of [{ identityId: randomUUID() }, { identityId: 'alice' }, {}]) {
      const bad = await put(body);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'invalid_request', field: 'identityId' } });
    }
    expect((await auditOf(h.database.db, f.id)).map((a) => [a.action, a.details])).toEqual([
      ['finding.owner_changed', { from: null, to: alice }],
      ['finding.owner_changed', { from: alice, to: null }],
    ]);
  });

  it('answers 404 for every action on an unknown finding and names the field of a bad body', async () => {
    const missing = randomUUID();
    for (const action of ['acknowledge', 'false-positive', 'rotated', 'reverify', 'revoke', 'redact']) {
      expect(
        (await act(missing, action, action.includes('-') || action === 'acknowledge' ? {} : undefined)).status,
      ).toBe(404);
    }
    const f = await seedFinding(h.database.db);
    const long = await act(f.id, 'acknowledge', { note: 'x'.repeat(1001) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ error: { field: 'note' } });
    const malformed = await h.call('POST', `/api/v1/findings/${f.id}/acknowledge`, {
      key: h.keys.writer,
      body: '{"note":',
    });
    expect(malformed.status).toBe(400);
  });
});
