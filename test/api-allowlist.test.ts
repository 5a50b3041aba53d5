import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/db/schema.ts';
import { auditOf, seedFinding, startApiHarness, type ApiHarness } from './api-harness.ts';

let h: ApiHarness;
let seeded: Record<'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g', Finding>;

async function vault(finding: Finding, secret: string) {
  await h.database.db
    .insertInto('secret_vault')
    .values({ finding_id: finding.id, sealed: h.ctx.vault!.seal(JSON.stringify({ secret, parts: {} })) })
    .execute();
}

beforeAll(async () => {
  h = await startApiHarness();
  const db = h.database.db;
  seeded = {
    a: await seedFinding(db, {
      detector: 'github-classic-pat',
      fingerprint: 'fp-a',
      places: [{ platform: 'slack', container: 'C1' }],
    }),
    b: await seedFinding(db, {
      detector: 'github-classic-pat',
      status: 'notified',
      places: [
        { platform: 'slack', container: 'C1' },
        { platform: 'jira', container: 'OPS' },
      ],
    }),
    c: await seedFinding(db, {
      detector: 'slack-bot-token',
      issuer: 'slack',
      places: [{ platform: 'slack', container: 'C1' }],
    }),
    d: await seedFinding(db, { detector: 'github-classic-pat', fingerprint: 'fp-d', status: 'resolved' }),
    e: await seedFinding(db, {
      detector: 'npm-access-token',
      issuer: 'npm',
      places: [{ platform: 'wiki', container: 'W' }],
    }),
    f: await seedFinding(db, {
      detector: 'npm-access-token',
      issuer: 'npm',
      places: [{ platform: 'wiki', container: 'W' }],
    }),
    g: await seedFinding(db, {
      detector: 'npm-access-token',
      issuer: 'npm',
      places: [{ platform: 'wiki', container: 'W' }],
    }),
  };
  await vault(seeded.e, 'npm_test_fixture_0000000000000000000000');
  await vault(seeded.f, 'npm_production_token_000000000000000000');
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

type Impact = { wouldClose: { id: string }[]; count: number; unevaluated: number; truncated: boolean };
const dryRun = async (body: Record<string, unknown>, app = h.app) => {
  const response = await h.call('POST', '/api/v1/allowlist/dry-run', {
    key: h.keys.allowlister,
    body: { reason: 'dry run', ...body },
    app,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Impact;
};

describe('POST /api/v1/allowlist/dry-run', () => {
  it.each([
    [{ kind: 'fingerprint', fingerprint: 'fp-a' }, ['a']],
    [{ kind: 'fingerprint', fingerprint: 'fp-a', detector: 'slack-bot-token' }, []],
    [{ kind: 'fingerprint', fingerprint: 'fp-d' }, []],
    [{ kind: 'detector', detector: 'slack-bot-token' }, ['c']],
    [{ kind: 'place', platform: 'slack', container: 'C1' }, ['c', 'a']],
    [{ kind: 'place', platform: 'slack', container: 'C1', detector: 'github-classic-pat' }, ['a']],
    [{ kind: 'place', platform: 'jira' }, []],
    [{ kind: 'place', container: 'W' }, ['g', 'f', 'e']],
  ] as const)('%o would close %o', async (entry, expected) => {
    const impact = await dryRun(entry);
    expect(impact.wouldClose.map((f) => f.id).sort()).toEqual(expected.map((name) => seeded[name].id).sort());
    expect(impact).toMatchObject({ count: expected.length, unevaluated: 0, truncated: false });
  });

  it('tests a regex against vaulted secrets and reports the findings it could not test', async () => {
    const impact = await dryRun({ kind: 'regex', pattern: '^npm_test_', detector: 'npm-access-token' });
    expect(impact.wouldClose.map((f) => f.id)).toEqual([seeded.e.id]);
    expect(impact.unevaluated).toBe(1);
    const blind = await dryRun({ kind: 'regex', pattern: '^npm_test_' }, h.appWith({ vault: undefined }));
    expect(blind.wouldClose).toEqual([]);
    expect(blind.unevaluated).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(impact)).not.toContain('npm_test_fixture');
  });

  it('changes nothing', async () => {
    await dryRun({ kind: 'detector', detector: 'slack-bot-token' });
    const c = await h.database.db
      .selectFrom('findings')
      .select('status')
      .where('id', '=', seeded.c.id)
      .executeTakeFirstOrThrow();
    expect(c.status).toBe('open');
    expect(await h.database.db.selectFrom('allowlist_entries').selectAll().execute()).toEqual([]);
  });
});

describe('allowlist validation', () => {
  it.each([
    [{ kind: 'fingerprint' }, 'fingerprint'],
    [{ kind: 'detector' }, 'detector'],
    [{ kind: 'detector', detector: 'no-such-detector' }, 'detector'],
    [{ kind: 'regex' }, 'pattern'],
    [{ kind: 'regex', pattern: '(unclosed' }, 'pattern'],
    [{ kind: 'regex', pattern: '^(a+)+$' }, 'pattern'],
    [{ kind: 'place' }, 'platform'],
    [{ kind: 'fingerprint', fingerprint: 'x', pattern: 'y' }, 'pattern'],
    [{ kind: 'detector', detector: 'github-classic-pat', container: 'C1' }, 'container'],
    [{ kind: 'everything' }, 'kind'],
    [{ kind: 'detector', detector: 'github-classic-pat', reason: '' }, 'reason'],
    [{ kind: 'detector', detector: 'github-classic-pat', expiresAt: 'next week' }, 'expiresAt'],
  ])('rejects %o naming %s', async (entry, field) => {
    for (const path of ['/api/v1/allowlist', '/api/v1/allowlist/dry-run']) {
      const response = await h.call('POST', path, { key: h.keys.allowlister, body: { reason: 'because', ...entry } });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; field: string; message: string } };
      expect(error).toMatchObject({ code: 'invalid_request', field });
      expect(error.message.startsWith(`${field}: `)).toBe(true);
    }
  });

  it('explains why a regex is unsafe', async () => {
    const response = await h.call('POST', '/api/v1/allowlist', {
      key: h.keys.allowlister,
      body: { kind: 'regex', pattern: '^(a|aa)+$', reason: 'because' },
    });
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('backtrack');
  });

  it('refuses an expiry in the past', async () => {
    const response = await h.call('POST', '/api/v1/allowlist', {
      key: h.keys.allowlister,
      body: { kind: 'detector', detector: 'github-classic-pat', reason: 'because', expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { field: 'expiresAt' } });
  });
});

describe('allowlist CRUD', () => {
  it('creates an entry that closes what the dry run said, audited per entry and per finding', async () => {
    const body = { kind: 'place', platform: 'slack', container: 'C1', reason: 'the #sandbox channel uses fake tokens' };
    const preview = await dryRun(body);
    const created = await h.call('POST', '/api/v1/allowlist', { key: h.keys.allowlister, body });
    expect(created.status).toBe(201);
    const { entry, closedFindings } = (await created.json()) as {
      entry: { id: string; kind: string; createdBy: string; hits: number; expired: boolean };
      closedFindings: number;
    };
    expect(entry).toMatchObject({ kind: 'place', createdBy: 'api-key:allowlister', hits: 0, expired: false });
    expect(closedFindings).toBe(preview.count);
    const statuses = await h.database.db
      .selectFrom('findings')
      .select(['id', 'status'])
      .where('id', 'in', [seeded.a.id, seeded.b.id, seeded.c.id])
      .execute();
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({
      [seeded.a.id]: 'allowlisted',
      [seeded.b.id]: 'notified',
      [seeded.c.id]: 'allowlisted',
    });
    expect(await auditOf(h.database.db, entry.id)).toMatchObject([
      {
        action: 'allowlist.created',
        actor: 'api-key:allowlister',
        details: { kind: 'place', platform: 'slack', container: 'C1', closedFindings: 2 },
      },
    ]);
    expect(await auditOf(h.database.db, seeded.a.id)).toMatchObject([
      { action: 'finding.allowlisted', details: { from: 'open', entryId: entry.id } },
    ]);
    // Once closed, the same entry would close nothing more.
    expect((await dryRun(body)).count).toBe(0);
  });

  it('lists, reads, updates reason and expiry, and deletes, each change audited', async () => {
    const create = async (extra: Record<string, unknown>) => {
      const response = await h.call('POST', '/api/v1/allowlist', {
        key: h.keys.allowlister,
        body: { kind: 'fingerprint', reason: 'known test token', ...extra },
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { entry: { id: string } }).entry.id;
    };
    const id = await create({ fingerprint: 'fp-list', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    const get = await h.call('GET', `/api/v1/allowlist/${id}`, { key: h.keys.reader });
    expect(await get.json()).toMatchObject({ id, fingerprint: 'fp-list', reason: 'known test token', expired: false });

    const patched = await h.call('PATCH', `/api/v1/allowlist/${id}`, {
      key: h.keys.allowlister,
      body: { reason: 'known test token, see TICKET-1', expiresAt: null },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ reason: 'known test token, see TICKET-1', expiresAt: null });
    // Expire it by hand: the list's active filter leaves it out.
    await h.database.db
      .updateTable('allowlist_entries')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute();
    const all = (await (await h.call('GET', '/api/v1/allowlist', { key: h.keys.reader })).json()) as {
      entries: { id: string; expired: boolean }[];
    };
    expect(all.entries.find((e) => e.id === id)).toMatchObject({ expired: true });
    const active = (await (await h.call('GET', '/api/v1/allowlist?active=true', { key: h.keys.reader })).json()) as {
      entries: { id: string }[];
    };
    expect(active.entries.map((e) => e.id)).not.toContain(id);
    const kinds = (await (await h.call('GET', '/api/v1/allowlist?kind=place', { key: h.keys.reader })).json()) as {
      entries: { kind: string }[];
    };
    expect(kinds.entries.every((e) => e.kind === 'place')).toBe(true);

    expect((await h.call('DELETE', `/api/v1/allowlist/${id}`, { key: h.keys.allowlister })).status).toBe(204);
    expect((await h.call('GET', `/api/v1/allowlist/${id}`, { key: h.keys.reader })).status).toBe(404);
    expect((await h.call('DELETE', `/api/v1/allowlist/${id}`, { key: h.keys.allowlister })).status).toBe(404);
    expect(
      (await h.call('PATCH', `/api/v1/allowlist/${randomUUID()}`, { key: h.keys.allowlister, body: {} })).status,
    ).toBe(404);
    expect((await auditOf(h.database.db, id)).map((a) => a.action)).toEqual([
      'allowlist.created',
      'allowlist.updated',
      'allowlist.deleted',
    ]);
    expect((await auditOf(h.database.db, id))[2]!.details).toMatchObject({
      kind: 'fingerprint',
      fingerprint: 'fp-list',
    });
  });
});
