import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasScope } from '../src/api/require-scope.ts';
import { createApiKey, type ApiScope } from '../src/db/api-keys-repository.ts';
import { startApiHarness, type ApiHarness, type KeyName } from './api-harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

const ID = randomUUID();

interface Operation {
  method: string;
  path: string;
  scope: ApiScope;
}

/** Every operation of the served OpenAPI document, with the scope it declares: the table the tests below run over. */
async function documentedOperations(): Promise<Operation[]> {
  const response = await h.call('GET', '/api/v1/openapi.json');
  expect(response.status).toBe(200);
  const doc = (await response.json()) as {
    paths: Record<string, Record<string, { 'x-required-scope'?: ApiScope; security?: unknown }>>;
  };
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      // An operation without a declared scope would be skipped silently below: fail here instead.
      expect(op['x-required-scope'], `${method} ${path} declares no scope`).toBeDefined();
      expect(op.security, `${method} ${path} declares no security`).toEqual([{ bearerAuth: [] }]);
      return { method, path, scope: op['x-required-scope']! };
    }),
  );
}
const url = (path: string) => `/api/v1${path.replace(/\{[^}]+\}/g, ID)}`;
const bodyFor = (method: string) => (method === 'get' || method === 'delete' ? undefined : {});
/** Requests from one address per operation, so the brute-force limit does not mix into these answers. */
const addressOf = (index: number) => `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`;

describe('API authentication and scopes', () => {
  it('the OpenAPI document lists every operation the API answers, each with a scope and bearer security', async () => {
    const response = await h.call('GET', '/api/v1/openapi.json');
    const doc = (await response.json()) as {
      openapi: string;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = await documentedOperations();
    // The routes the app really serves under /api/v1 (except the document itself) are all documented.
    const served = h.app.routes
      .filter((r) => r.path.startsWith('/api/v1/') && r.path !== '/api/v1/openapi.json' && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = new Set(operations.map((o) => `${o.method} /api/v1${o.path}`));
    expect([...new Set(served)].filter((r) => !documented.has(r))).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(30);
  });

  it('every documented operation rejects a missing key (401), an unknown key (401) and every key without its scope (403)', async () => {
    const operations = await documentedOperations();
    const rows = await h.database.db.selectFrom('api_keys').select(['name', 'scopes']).execute();
    const scopes = Object.fromEntries(rows.map((r) => [r.name, r.scopes as ApiScope[]]));
    for (const [index, op] of operations.entries()) {
      const label = `${op.method} ${op.path}`;
      const options = { body: bodyFor(op.method), address: addressOf(index) };
      const missing = await h.call(op.method, url(op.path), options);
      expect(missing.status, label).toBe(401);
      expect(await missing.json(), label).toMatchObject({ error: { code: 'unauthenticated' } });
      const unknown = await h.call(op.method, url(op.path), { ...options, key: 'lwk_not-a-real-key' });
      expect(unknown.status, label).toBe(401);

      const wrongKeys = (Object.keys(h.keys) as KeyName[]).filter(
        (name) => !hasScope({ scopes: scopes[name]! }, op.scope),
      );
      expect(wrongKeys.length, label).toBeGreaterThan(0);
      for (const name of wrongKeys) {
        const wrong = await h.call(op.method, url(op.path), { ...options, key: h.keys[name] });
        expect(wrong.status, `${label} with ${name}`).toBe(403);
        const error = ((await wrong.json()) as { error: { code: string; message: string; requestId: string } }).error;
        expect(error.code).toBe('forbidden');
        expect(error.message).toContain(op.scope);
        expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/);
      }
      // A key with the scope gets past authorization (to a 2xx, 400, 404 or 409).
      for (const name of (Object.keys(h.keys) as KeyName[]).filter((n) => !wrongKeys.includes(n))) {
        const right = await h.call(op.method, url(op.path), { ...options, key: h.keys[name] });
        expect([401, 403], `${label} with ${name}`).not.toContain(right.status);
      }
    }
  });

  it('every documented operation rejects malformed Authorization headers with 401', async () => {
    const operations = await documentedOperations();
    const admin = h.keys.admin;
    const malformed = [
      '',
      'Bearer',
      'Bearer ',
      `Basic ${Buffer.from(`user:${admin}`).toString('base64')}`,
      `Token ${admin}`,
      admin,
      `Bearer ${admin} ${admin}`,
      `Bearer ${admin},Bearer ${admin}`,
      `Bearer "${admin}"`,
      `Bearer ${admin.toUpperCase()}`,
      `Bearer ${admin.slice(0, -1)}`,
      `Bearer ${admin}x`,
      `Bearer ${'A'.repeat(8192)}`,
      'Bearer lwk_\t',
      'Bearer lwk_caf\u00e9',
    ];
    for (const [index, op] of operations.entries()) {
      for (const authorization of malformed) {
        const response = await h.app.request(
          url(op.path),
          {
            method: op.method.toUpperCase(),
            headers: { authorization, 'content-type': 'application/json' },
            ...(bodyFor(op.method) ? { body: '{}' } : {}),
          },
          { incoming: { socket: { remoteAddress: addressOf(index + 500) } } },
        );
        expect(response.status, `${op.method} ${op.path} with ${JSON.stringify(authorization.slice(0, 30))}`).toBe(401);
      }
    }
  });

  it('a revoked key is refused on every documented operation at once', async () => {
    const { key, record } = await createApiKey(h.database.db, { name: 'soon-revoked', scopes: ['admin'] });
    expect((await h.call('GET', '/api/v1/stats', { key })).status).toBe(200); // used (and cached) before
    expect((await h.call('DELETE', `/api/v1/keys/${record.id}`, { key: h.keys.admin })).status).toBe(200);
    const operations = await documentedOperations();
    for (const [index, op] of operations.entries()) {
      const response = await h.call(op.method, url(op.path), {
        key,
        body: bodyFor(op.method),
        address: addressOf(index + 1000),
      });
      expect(response.status, `${op.method} ${op.path}`).toBe(401);
    }
  });

  it('every dashboard page and form refuses a visitor without a session, and changes nothing', async () => {
    const dashboardRoutes = h.app.routes.filter(
      (r) =>
        (r.method === 'GET' || r.method === 'POST') &&
        !/^\/(api|slack|webhooks|healthz|readyz|metrics|assets)(\/|$)/.test(r.path) &&
        r.path !== '/sign-in' &&
        r.path !== '/*',
    );
    expect(dashboardRoutes.length).toBeGreaterThanOrEqual(10);
    const auditBefore = await h.database.db.selectFrom('audit_log').select('id').execute();
    for (const route of dashboardRoutes) {
      const path = route.path.replace(/:(\w+)/g, ID);
      for (const cookie of [undefined, 'lw_session=forged', `lw_session=${'A'.repeat(200)}`]) {
        const response = await h.app.request(`http://lw.test${path}`, {
          method: route.method,
          headers: {
            ...(cookie ? { cookie } : {}),
            ...(route.method === 'POST'
              ? { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://lw.test' }
              : {}),
          },
          ...(route.method === 'POST' ? { body: '_csrf=x&reason=test&status=acknowledged' } : {}),
        });
        const label = `${route.method} ${route.path} ${cookie ? 'forged cookie' : 'no cookie'}`;
        expect(response.status, label).toBe(303);
        expect(response.headers.get('location'), label).toMatch(/^\/sign-in/);
      }
    }
    const auditAfter = await h.database.db.selectFrom('audit_log').select('id').execute();
    expect(auditAfter.length).toBe(auditBefore.length);
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
