import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/db/api-keys-repository.ts';
import { startApiHarness, type ApiHarness, type KeyName } from './api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const ID = randomUUID();

/** Every API route, the scope it needs, and a key that lacks that scope. */
const ROUTES: Array<{ method: string; path: string; scope: string; wrong: KeyName; body?: unknown }> = [
  { method: 'post', path: '/documents', scope: 'ingest', wrong: 'reader', body: {} },
  { method: 'get', path: '/findings', scope: 'findings:read', wrong: 'ingest' },
  { method: 'get', path: '/findings/{id}', scope: 'findings:read', wrong: 'ingest' },
  { method: 'post', path: '/findings/{id}/acknowledge', scope: 'findings:write', wrong: 'reader', body: {} },
  { method: 'post', path: '/findings/{id}/false-positive', scope: 'findings:write', wrong: 'reader', body: {} },
  { method: 'post', path: '/findings/{id}/rotated', scope: 'findings:write', wrong: 'reader' },
  { method: 'post', path: '/findings/{id}/reverify', scope: 'findings:write', wrong: 'reader' },
  { method: 'post', path: '/findings/{id}/revoke', scope: 'findings:write', wrong: 'reader' },
  { method: 'post', path: '/findings/{id}/redact', scope: 'findings:write', wrong: 'reader' },
  { method: 'put', path: '/findings/{id}/owner', scope: 'findings:write', wrong: 'reader', body: { identityId: null } },
  { method: 'get', path: '/allowlist', scope: 'findings:read', wrong: 'ingest' },
  { method: 'get', path: '/allowlist/{id}', scope: 'findings:read', wrong: 'ingest' },
  { method: 'post', path: '/allowlist/dry-run', scope: 'allowlist:write', wrong: 'writer', body: {} },
  { method: 'post', path: '/allowlist', scope: 'allowlist:write', wrong: 'writer', body: {} },
  { method: 'patch', path: '/allowlist/{id}', scope: 'allowlist:write', wrong: 'writer', body: {} },
  { method: 'delete', path: '/allowlist/{id}', scope: 'allowlist:write', wrong: 'writer' },
  { method: 'get', path: '/identities', scope: 'findings:read', wrong: 'ingest' },
  { method: 'get', path: '/identities/{id}', scope: 'findings:read', wrong: 'ingest' },
  { method: 'post', path: '/identities', scope: 'admin', wrong: 'writer', body: {} },
  { method: 'patch', path: '/identities/{id}', scope: 'admin', wrong: 'writer', body: {} },
  { method: 'delete', path: '/identities/{id}', scope: 'admin', wrong: 'writer' },
  { method: 'get', path: '/keys', scope: 'admin', wrong: 'writer' },
  { method: 'post', path: '/keys', scope: 'admin', wrong: 'writer', body: {} },
  { method: 'delete', path: '/keys/{id}', scope: 'admin', wrong: 'writer' },
  { method: 'get', path: '/connectors', scope: 'admin', wrong: 'writer' },
  { method: 'get', path: '/jobs/dead-letter', scope: 'admin', wrong: 'writer' },
  { method: 'post', path: '/jobs/dead-letter/{id}/retry', scope: 'admin', wrong: 'writer' },
  { method: 'get', path: '/stats', scope: 'findings:read', wrong: 'ingest' },
  { method: 'get', path: '/audit', scope: 'admin', wrong: 'writer' },
  { method: 'get', path: '/hook-deliveries', scope: 'admin', wrong: 'writer' },
];
const url = (path: string) => `/api/v1${path.replace('{id}', ID)}`;

describe('API authentication and scopes', () => {
  it('the route table covers every operation in the OpenAPI document, with the scope it declares', async () => {
    const response = await h.call('GET', '/api/v1/openapi.json');
    expect(response.status).toBe(200);
    const doc = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-required-scope'?: string; security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method, path, scope: op['x-required-scope'] })),
    );
    const expected = ROUTES.map(({ method, path, scope }) => ({ method, path, scope }));
    const order = (a: { method: string; path: string }, b: { method: string; path: string }) =>
      `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`);
    expect(documented.sort(order)).toEqual(expected.sort(order));
  });

  it.each(ROUTES)('$method $path rejects a missing key (401) and a key without $scope (403)', async (route) => {
    const body = route.body;
    const missing = await h.call(route.method, url(route.path), { body });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    const unknown = await h.call(route.method, url(route.path), { body, key: 'lwk_not-a-real-key' });
    expect(unknown.status).toBe(401);
    const wrong = await h.call(route.method, url(route.path), { body, key: h.keys[route.wrong] });
    expect(wrong.status).toBe(403);
    const error = ((await wrong.json()) as { error: { code: string; message: string; requestId: string } }).error;
    expect(error.code).toBe('forbidden');
    expect(error.message).toContain(route.scope);
    expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The admin key carries every scope: it gets past authorization (to a 2xx, 400, 404 or 409).
    const admin = await h.call(route.method, url(route.path), { body, key: h.keys.admin });
    expect([401, 403]).not.toContain(admin.status);
  });

  it('records when a key was last used', async () => {
    const before = await h.database.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('name', '=', 'reader')
      .executeTakeFirstOrThrow();
    expect((await h.call('GET', '/api/v1/stats', { key: h.keys.reader })).status).toBe(200);
    const after = await h.database.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('name', '=', 'reader')
      .executeTakeFirstOrThrow();
    expect(after.last_used_at).not.toBeNull();
    expect(after.last_used_at!.getTime()).toBeGreaterThanOrEqual(before.last_used_at?.getTime() ?? 0);
  });
});

describe('brute-force limiting', () => {
  it('locks out an address after repeated failures with 429 and Retry-After; others and signed-in keys are unaffected', async () => {
    const app = h.appWith({ authFailureLimit: { maxFailures: 3, windowMs: 60_000 } });
    const attacker = '198.51.100.7';
    // A client at the attacker's address (think: the same NAT) that signed in before the attack.
    expect((await h.call('GET', '/api/v1/stats', { app, key: h.keys.reader, address: attacker })).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      expect((await h.call('GET', '/api/v1/stats', { app, key: `lwk_guess${i}`, address: attacker })).status).toBe(401);
    }
    const locked = await h.call('GET', '/api/v1/stats', { app, key: 'lwk_guess-next', address: attacker });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(await locked.json()).toMatchObject({ error: { code: 'too_many_failures' } });
    // A valid key never seen here is refused too while locked out: the answer would confirm a guess.
    const fresh = (await createApiKey(h.database.db, { name: 'fresh', scopes: ['findings:read'] })).key;
    expect((await h.call('GET', '/api/v1/stats', { app, key: fresh, address: attacker })).status).toBe(429);
    // The key that authenticated before keeps working, and other addresses are not affected.
    expect((await h.call('GET', '/api/v1/stats', { app, key: h.keys.reader, address: attacker })).status).toBe(200);
    expect((await h.call('GET', '/api/v1/stats', { app, key: 'lwk_typo', address: '203.0.113.9' })).status).toBe(401);
    expect((await h.call('GET', '/api/v1/stats', { app, key: h.keys.writer, address: '203.0.113.9' })).status).toBe(
      200,
    );
  });

  it('does not count successful requests or requests without a key', async () => {
    const app = h.appWith({ authFailureLimit: { maxFailures: 2, windowMs: 60_000 } });
    const client = '198.51.100.8';
    for (let i = 0; i < 5; i++) {
      expect((await h.call('GET', '/api/v1/stats', { app, key: h.keys.reader, address: client })).status).toBe(200);
      expect((await h.call('GET', '/api/v1/stats', { app, address: client })).status).toBe(401);
    }
    expect((await h.call('GET', '/api/v1/stats', { app, key: 'lwk_once', address: client })).status).toBe(401);
    expect((await h.call('GET', '/api/v1/stats', { app, key: 'lwk_twice', address: client })).status).toBe(401);
    expect((await h.call('GET', '/api/v1/stats', { app, key: 'lwk_thrice', address: client })).status).toBe(429);
  });
});

describe('API keys', () => {
  it('creates a key shown once, lists keys without hashes, and revokes with immediate effect, all audited', async () => {
    const created = await h.call('POST', '/api/v1/keys', {
      key: h.keys.admin,
      body: { name: 'triage-bot', scopes: ['findings:read', 'findings:read'] },
    });
    expect(created.status).toBe(201);
    const { key, apiKey } = (await created.json()) as {
      key: string;
      apiKey: { id: string; prefix: string; scopes: string[] };
    };
    expect(key).toMatch(/^lwk_/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.scopes).toEqual(['findings:read']);
    expect((await h.call('GET', '/api/v1/findings', { key })).status).toBe(200);

    const list = await h.call('GET', '/api/v1/keys', { key: h.keys.admin });
    const text = await list.text();
    expect(text).toContain('triage-bot');
    expect(text).not.toContain(key);
    expect(text).not.toContain('key_hash');

    const revoked = await h.call('DELETE', `/api/v1/keys/${apiKey.id}`, { key: h.keys.admin });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await h.call('GET', '/api/v1/findings', { key })).status).toBe(401);
    expect((await h.call('DELETE', `/api/v1/keys/${apiKey.id}`, { key: h.keys.admin })).status).toBe(409);
    expect((await h.call('DELETE', `/api/v1/keys/${randomUUID()}`, { key: h.keys.admin })).status).toBe(404);
    const active = (await (await h.call('GET', '/api/v1/keys', { key: h.keys.admin })).json()) as {
      keys: { id: string }[];
    };
    expect(active.keys.map((k) => k.id)).not.toContain(apiKey.id);
    const all = (await (await h.call('GET', '/api/v1/keys?includeRevoked=true', { key: h.keys.admin })).json()) as {
      keys: { id: string }[];
    };
    expect(all.keys.map((k) => k.id)).toContain(apiKey.id);

    const audit = await h.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', apiKey.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ['api_key.created', 'api-key:admin'],
      ['api_key.revoked', 'api-key:admin'],
    ]);
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it.each([
    [{ scopes: ['admin'] }, 'name'],
    [{ name: 'x', scopes: [] }, 'scopes'],
    [{ name: 'x', scopes: ['root'] }, 'scopes.0'],
  ])('rejects an invalid key request naming the field (%#)', async (body, field) => {
    const response = await h.call('POST', '/api/v1/keys', { key: h.keys.admin, body });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; field: string; message: string } };
    expect(error).toMatchObject({ code: 'invalid_request', field });
    expect(error.message.startsWith(`${field}:`)).toBe(true);
  });
});
