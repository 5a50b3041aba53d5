import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../db/api-keys-repository.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { QUEUES, type ScanJob } from '../jobs/queues.ts';
import type { Service } from '../service.ts';
import { startTestService, testConfig } from '../../test/service-harness.ts';
import { createTestDatabase } from '../../test/test-database.ts';

let database: DatabaseHandle & { drop(): Promise<void> };
let service: Service;
let keys: Record<'ingest' | 'reader' | 'none', string>;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ service } = await startTestService(database, testConfig({ LEAKWATCH_MAX_DOCUMENT_BYTES: '2048' }), {
    http: false,
    workers: false,
  }));
  keys = {
    ingest: (await createApiKey(database.db, { name: 'i', scopes: ['ingest'] })).key,
    reader: (await createApiKey(database.db, { name: 'r', scopes: ['findings:read'] })).key,
    none: (await createApiKey(database.db, { name: 'n', scopes: ['allowlist:write'] })).key,
  };
}, 120_000);
afterAll(async () => {
  await service?.stop();
  await database?.drop();
});

const post = (key: string | undefined, body: unknown) =>
  service.app.request('/api/v1/documents', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /api/v1/documents', () => {
  const valid = { platform: 'wiki', container: 'ENG', id: 'p1', text: 'hello' };

  it('queues the document with its text sealed and answers 202', async () => {
    const response = await post(keys.ingest, { ...valid, text: 'secret-ish text' });
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const jobs = await service.ctx.boss.findJobs<ScanJob>(QUEUES.scan, { id });
    expect(jobs[0]!.data.ref).toMatchObject({ platform: 'wiki', container: 'ENG', item: 'p1', workspace: 'default' });
    expect(JSON.stringify(jobs[0]!.data)).not.toContain('secret-ish text');
  });

  it.each([
    [{ ...valid, container: undefined }, 'container'],
    [{ ...valid, platform: 'Bad Platform' }, 'platform'],
    [{ ...valid, url: 'not a url' }, 'url'],
    [{ ...valid, author: { email: 'nope' } }, 'author.email'],
    [{ ...valid, text: 42 }, 'text'],
  ])('rejects an invalid body naming the field (%#)', async (body, field) => {
    const response = await post(keys.ingest, body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as {
      error: { code: string; message: string; field: string; requestId: string };
    };
    expect(error).toMatchObject({ code: 'invalid_request', field });
    expect(error.message).toContain(field);
    expect(error.requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it('rejects malformed JSON with 400 and oversized bodies with 413', async () => {
    expect((await post(keys.ingest, '{"platform":')).status).toBe(400);
    const response = await post(keys.ingest, { ...valid, text: 'x'.repeat(5000) });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('requires a key with the ingest scope', async () => {
    expect((await post(undefined, valid)).status).toBe(401);
    expect((await post('lwk_notarealkey', valid)).status).toBe(401);
    expect((await post(keys.reader, valid)).status).toBe(403);
    expect((await post(keys.none, valid)).status).toBe(403);
  });
});

describe('GET /api/v1/findings', () => {
  it('lists findings newest first with cursor pagination and filters, never the secret', async () => {
    for (let i = 0; i < 3; i++) {
      await database.db
        .insertInto('findings')
        .values({
          detector_id: 'github-classic-pat',
          issuer: 'github',
          fingerprint: `fp-${i}`,
          redacted: `ghp_********000${i}`,
          severity: i === 2 ? 'low' : 'critical',
          first_seen_at: new Date(2026, 0, 1 + i),
          last_seen_at: new Date(2026, 0, 1 + i),
        })
        .execute();
    }
    const get = (query: string, key = keys.reader) =>
      service.app.request(`/api/v1/findings${query}`, { headers: { authorization: `Bearer ${key}` } });
    const first = (await (await get('?limit=2')).json()) as { findings: { redacted: string }[]; nextCursor: string };
    expect(first.findings.map((f) => f.redacted)).toEqual(['ghp_********0002', 'ghp_********0001']);
    const second = (await (await get(`?limit=2&cursor=${first.nextCursor}`)).json()) as {
      findings: { redacted: string }[];
      nextCursor: string | null;
    };
    expect(second.findings.map((f) => f.redacted)).toEqual(['ghp_********0000']);
    expect(second.nextCursor).toBeNull();
    const low = (await (await get('?severity=low')).json()) as { findings: unknown[] };
    expect(low.findings).toHaveLength(1);
    expect((await get('?severity=urgent')).status).toBe(400);
    expect((await get('?cursor=garbage')).status).toBe(400);
    expect((await get('', keys.ingest)).status).toBe(403);
  });
});

describe('GET /api/v1/jobs/dead-letter', () => {
  it('lists dead-lettered jobs without their sealed payloads, for admins only', async () => {
    const admin = (await createApiKey(database.db, { name: 'a', scopes: ['admin'] })).key;
    await service.ctx.boss.send(QUEUES.deadLetter, {
      findingId: 'f-1',
      sealedSecret: 'v1.sealed.value.x',
      reason: 'new',
    });
    const response = await service.app.request('/api/v1/jobs/dead-letter', {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(JSON.parse(body).jobs[0].payload).toEqual({ findingId: 'f-1', reason: 'new' });
    expect(body).not.toContain('sealed');
    const reader = await service.app.request('/api/v1/jobs/dead-letter', {
      headers: { authorization: `Bearer ${keys.reader}` },
    });
    expect(reader.status).toBe(403);
  });
});

describe('health', () => {
  it('answers liveness, readiness and metrics', async () => {
    expect((await service.app.request('/healthz')).status).toBe(200);
    expect(await (await service.app.request('/readyz')).json()).toEqual({ ready: true });
    const metrics = await (await service.app.request('/metrics')).text();
    expect(metrics).toContain('leakwatch_jobs_total');
    expect((await service.app.request('/nope')).status).toBe(404);
  });
});
