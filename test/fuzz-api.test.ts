import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiHarness, seedFinding, type ApiHarness } from './api-harness.ts';
import { anyString, fuzzRuns, garbageBody, hostileJson, mutatedObject } from './fuzz-arbitraries.ts';

// Walks the OpenAPI document and sends every operation hostile path parameters,
// query strings and bodies with an all-scopes key: the answer is always below
// 500, and every error is the documented JSON `{ error: { code, message } }`.
// A rejected request writes no audit row (mutations are audited in the same
// transaction, so no audit row means nothing changed).

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
}
interface Operation {
  parameters?: Array<{ in: string; name: string; schema?: Schema }>;
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let h: ApiHarness;
let doc: OpenApiDoc;
let realIds: string[];
let requests = 0;
const statuses = new Map<number, number>();

beforeAll(async () => {
  h = await startApiHarness();
  doc = (await (await h.call('GET', '/api/v1/openapi.json')).json()) as OpenApiDoc;
  const finding = await seedFinding(h.database.db);
  const identity = await h.call('POST', '/api/v1/identities', {
    key: h.keys.admin,
    body: { email: 'dana@example.com', displayName: 'Dana' },
  });
  const entry = await h.call('POST', '/api/v1/allowlist', {
    key: h.keys.admin,
    body: { kind: 'fingerprint', value: finding.fingerprint, reason: 'fuzz seed entry' },
  });
  realIds = [finding.id];
  for (const response of [identity, entry]) {
    if (response.status === 201 || response.status === 200)
      realIds.push(((await response.json()) as { id: string }).id);
  }
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

/** A plausible value for a schema (examples first), which the fuzzer then damages. */
function sample(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 4) return null;
  if (schema.$ref) return sample(doc.components.schemas[schema.$ref.split('/').pop()!], depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, sample(s, depth + 1)]));
    case 'array':
      return [sample(schema.items, depth + 1)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'email') return 'dana@example.com';
      if (schema.format === 'date-time') return '2026-01-31T12:00:00.000Z';
      if (schema.format === 'uri') return 'https://example.com/x';
      return 'fuzz value';
    default:
      return null;
  }
}

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz',
  undefined,
];

async function send(
  method: string,
  url: string,
  body: string | Uint8Array | undefined,
  contentType: string | undefined,
): Promise<Response> {
  requests++;
  const headers: Record<string, string> = { authorization: `Bearer ${h.keys.admin}` };
  if (contentType) headers['content-type'] = contentType;
  const init: RequestInit = { method, headers };
  if (body !== undefined && method !== 'GET') init.body = body as NonNullable<RequestInit['body']>;
  return h.app.request(url, init, { incoming: { socket: { remoteAddress: '192.0.2.7' } } });
}

async function auditCount(): Promise<number> {
  const row = await h.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The answer to hostile input: never a 5xx; an error is JSON naming what is wrong; a rejection changes nothing. */
async function expectCleanAnswer(response: Response, auditBefore: number, what: string) {
  expect(response.status, `${what} → ${response.status}`).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get('content-type') ?? '', what).toContain('application/json');
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, what).toBe('string');
    expect(String(body.error?.message ?? ''), what).not.toBe('');
    expect(await auditCount(), `${what}: a rejected request wrote an audit row`).toBe(auditBefore);
  } else {
    await response.arrayBuffer();
  }
}

const hostileSegment = fc.oneof(
  fc.constant('{real}'),
  fc.uuid(),
  fc.constantFrom('0', '-1', 'null', '..', '%00', '%2e%2e%2f', 'ffffffff-ffff-ffff-ffff-fffffffffffff', ' '),
  anyString.map((s) => encodeURIComponent(s.slice(0, 300).toWellFormed())),
);

describe('admin API under hostile input (every OpenAPI operation)', () => {
  it('the OpenAPI document lists the operations this test walks', () => {
    expect(operations().length).toBeGreaterThanOrEqual(25);
  });

  it('answers hostile path parameters, query strings, bodies and content types with a JSON 4xx or success, never 5xx', async () => {
    for (const { method, path, op } of operations()) {
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const shape = (sample(bodySchema) ?? {}) as Record<string, unknown>;
      await fc.assert(
        fc.asyncProperty(
          hostileSegment,
          fc.dictionary(
            fc.oneof(fc.constantFrom(...(queryNames.length > 0 ? queryNames : ['x'])), anyString),
            fc.oneof(anyString, fc.constantFrom('-1', '0', '1e309', '99999999999999999999', 'true', '2026-13-45')),
            { maxKeys: 4 },
          ),
          fc.oneof(
            mutatedObject(typeof shape === 'object' && shape !== null ? shape : {}).map((o) => JSON.stringify(o)),
            hostileJson.map((v) => JSON.stringify(v) ?? ''),
            garbageBody,
          ),
          fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, fc.constantFrom(...CONTENT_TYPES)),
          async (segment, query, body, contentType) => {
            const id = segment === '{real}' ? realIds[requests % realIds.length]! : segment;
            const search = new URLSearchParams(query).toString();
            const url = `/api/v1${path.replace('{id}', id)}${search ? `?${search}` : ''}`;
            const before = await auditCount();
            const response = await send(method, url, body, contentType);
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            await expectCleanAnswer(response, before, `${method} ${url.slice(0, 200)}`);
          },
        ),
        fuzzRuns(method === 'GET' ? 12 : 20),
      );
    }
    expect(requests).toBeGreaterThan(400);
    // The walk reaches past validation: some hostile requests are valid enough to succeed.
    expect(
      [...statuses.keys()].some((s) => s < 300),
      JSON.stringify([...statuses]),
    ).toBe(true);
    console.info(`admin API fuzz: ${requests} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  });

  it('names the offending field when a text field holds what PostgreSQL cannot store (NUL, unpaired surrogate)', async () => {
    const document = { platform: 'wiki', container: 'ENG', id: 'page-1', text: 'hello' };
    for (const [field, body] of [
      ['container', { ...document, container: 'E\u0000NG' }],
      ['author.name', { ...document, author: { name: 'Dana\u0000' } }],
      ['id', { ...document, id: 'page-\ud800' }],
    ] as const) {
      const before = await auditCount();
      const response = await h.call('POST', '/api/v1/documents', { key: h.keys.admin, body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { error: { code: string; field: string; message: string } };
      expect(answer.error).toMatchObject({ code: 'invalid_request', field });
      expect(answer.error.message).toContain(field);
      expect(await auditCount()).toBe(before);
    }
    // The document text itself may hold anything: it is sealed, never stored as text.
    const nulText = await h.call('POST', '/api/v1/documents', {
      key: h.keys.admin,
      body: { ...document, text: 'a\u0000b\ud800' },
    });
    expect(nulText.status).toBe(202);
    const batch = await h.call('POST', '/api/v1/documents', {
      key: h.keys.admin,
      body: {
        documents: [
          { ...document, text: 'a\u0000b' },
          { ...document, id: 'page-\u0000' },
        ],
      },
    });
    // A batch is checked the same way: texts may hold anything, the second document's id may not.
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ error: { field: 'documents.1.id' } });

    const note = await h.call('POST', `/api/v1/findings/${realIds[0]}/acknowledge`, {
      key: h.keys.admin,
      body: { note: 'ok\u0000' },
    });
    expect(note.status).toBe(400);
    const query = await h.call('GET', '/api/v1/identities?q=%00');
    expect(query.status).toBe(401); // unauthenticated: the key is checked first
    const searched = await h.call('GET', '/api/v1/identities?q=a%00b', { key: h.keys.admin });
    expect(searched.status).toBe(400);
    expect(await searched.json()).toMatchObject({ error: { field: 'q' } });
  });

  it('refuses bodies over the admin cap with 413 before parsing them', async () => {
    const response = await h.call('POST', `/api/v1/findings/${realIds[0]}/acknowledge`, {
      key: h.keys.admin,
      body: JSON.stringify({ note: 'x'.repeat(70 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('refuses deeply nested JSON and malformed JSON with 400', async () => {
    for (const body of ['['.repeat(30_000) + ']'.repeat(30_000), '{"note":', '{"note":"\\ud800"}x']) {
      const response = await h.call('POST', `/api/v1/findings/${realIds[0]}/acknowledge`, {
        key: h.keys.admin,
        body,
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
    }
  });
});

describe('dashboard forms under hostile input', () => {
  const FORM_PATHS = [
    '/sign-in',
    '/sign-out',
    '/allowlist',
    `/allowlist/${randomUUID()}/delete`,
    `/findings/${randomUUID()}/acknowledge`,
    '/identities',
    `/identities/${randomUUID()}`,
    `/jobs/${randomUUID()}/retry`,
  ];

  it('answers garbage form posts without a session or CSRF token with a 3xx to sign-in or a 4xx, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORM_PATHS),
        garbageBody,
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=zz',
          'multipart/form-data',
          'application/json',
          undefined,
        ),
        fc.constantFrom(
          undefined,
          'lw_session=garbage',
          'lw_signin=x; lw_session=%00',
          `lw_session=${'A'.repeat(5000)}`,
        ),
        async (path, body, contentType, cookie) => {
          const before = await auditCount();
          const headers: Record<string, string> = { origin: 'http://localhost' };
          if (contentType) headers['content-type'] = contentType;
          if (cookie) headers.cookie = cookie;
          const response = await h.app.request(
            `http://localhost${path}`,
            { method: 'POST', headers, body: body as NonNullable<RequestInit['body']> },
            { incoming: { socket: { remoteAddress: '192.0.2.8' } } },
          );
          expect(response.status, `${path} → ${response.status}`).toBeLessThan(500);
          expect([303, 400, 401, 403, 404, 413, 415]).toContain(response.status);
          await response.arrayBuffer();
          expect(await auditCount()).toBe(before);
        },
      ),
      fuzzRuns(100),
    );
  });

  /** Signs in through the sign-in form as a browser would; returns the session cookie and its CSRF token. */
  async function signIn(): Promise<{ cookie: string; csrf: string }> {
    const at = { incoming: { socket: { remoteAddress: '192.0.2.9' } } };
    const form = await h.app.request('http://localhost/sign-in', {}, at);
    const signInCookie = /lw_signin=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
    const signedIn = await h.app.request(
      'http://localhost/sign-in',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `lw_signin=${signInCookie}` },
        body: new URLSearchParams({ _csrf: signInCookie, apiKey: h.keys.admin }).toString(),
      },
      at,
    );
    expect(signedIn.status).toBe(303);
    const session = /lw_session=([^;]+)/.exec(signedIn.headers.get('set-cookie') ?? '')![1]!;
    const page = await h.app.request(
      'http://localhost/allowlist',
      { headers: { cookie: `lw_session=${session}` } },
      at,
    );
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    return { cookie: `lw_session=${session}`, csrf };
  }

  it('signed in: a missing or wrong CSRF token is a 403 and changes nothing; garbage fields with the right token never a 5xx', async () => {
    const { cookie, csrf } = await signIn();
    const outcomes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FORM_PATHS.filter((p) => p !== '/sign-in')),
        fc.oneof(fc.constant(undefined), fc.constant(csrf), anyString, fc.constant(`${csrf}x`)),
        fc.dictionary(
          fc.oneof(
            fc.constantFrom('reason', 'kind', 'value', 'displayName', 'email', 'expiresAt', 'note', 'back'),
            anyString,
          ),
          anyString,
          { maxKeys: 5 },
        ),
        async (path, token, fields) => {
          const before = await auditCount();
          const body = new URLSearchParams({ ...fields, ...(token === undefined ? {} : { _csrf: token }) });
          const response = await h.app.request(
            `http://localhost${path}`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
              body: body.toString(),
            },
            { incoming: { socket: { remoteAddress: '192.0.2.9' } } },
          );
          outcomes.set(response.status, (outcomes.get(response.status) ?? 0) + 1);
          expect(response.status, `${path} → ${response.status}`).toBeLessThan(500);
          await response.arrayBuffer();
          if (token !== csrf || path === '/sign-out') {
            if (token !== csrf) expect([403, 413]).toContain(response.status); // 413: over the form cap, refused unread
            expect(await auditCount()).toBe(before);
          }
        },
      ),
      fuzzRuns(120),
    );
    console.info(`dashboard forms signed in: statuses ${JSON.stringify(Object.fromEntries(outcomes))}`);
    expect(outcomes.get(403)).toBeGreaterThan(0);
  });

  it('sign-in with a valid form token and hostile key, next or extra fields: a 303 or 4xx page, never a 5xx', async () => {
    const at = { incoming: { socket: { remoteAddress: '192.0.2.10' } } };
    const form = await h.app.request('http://localhost/sign-in', {}, at);
    const token = /lw_signin=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')![1]!;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(h.keys.admin), fc.constant(h.keys.ingest), anyString),
        fc.oneof(
          fc.constantFrom('/\u0000', '/\r\nSet-Cookie: a=b', '/é', '/\u4e2d', '//evil.example', '/\\evil', '/findings'),
          anyString,
        ),
        async (apiKey, next) => {
          const response = await h.app.request(
            'http://localhost/sign-in',
            {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `lw_signin=${token}` },
              body: new URLSearchParams({ _csrf: token, apiKey, next }).toString(),
            },
            at,
          );
          expect(response.status, `${JSON.stringify(next)} → ${response.status}`).toBeLessThan(500);
          const location = response.headers.get('location');
          if (location !== null) expect(location).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
          await response.arrayBuffer();
        },
      ),
      fuzzRuns(100),
    );
  });
});
