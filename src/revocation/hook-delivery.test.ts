import { delay, http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../core/secret.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { useMswServer } from '../../test/msw-server.ts';
import type { HookConfig } from './hook-config.ts';
import { deliverHook, enqueueHookDeliveries, type HookEvent } from './hook-delivery.ts';
import { verifyHookSignature } from './hook-signature.ts';

const server = useMswServer();

const RAW = 'ghp_R4wS3cr3tV4lu3Th4tMustN3v3rL34k0000';
const SECRET = new Secret(RAW, 'ghp_********0000');
const NOW = Date.parse('2026-12-01T12:00:00Z');

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let findingId: string;

function hook(overrides: Partial<HookConfig> = {}): HookConfig {
  return {
    name: 'siem',
    url: 'https://hooks.example.com/leakwatch',
    secret: 'siem-signing-key-0123456789abcdef0123',
    events: ['finding.created', 'finding.verified_live', 'finding.revoke_requested', 'finding.resolved'],
    includeSecret: false,
    timeoutMs: 2000,
    ...overrides,
  };
}

let sequence = 0;
function event(type: HookEvent['type'] = 'finding.created'): HookEvent {
  sequence++;
  return {
    id: `${findingId}:${type}:${sequence}`,
    type,
    occurredAt: new Date(NOW).toISOString(),
    finding: {
      id: findingId,
      detectorId: 'github-classic-pat',
      issuer: 'github',
      severity: 'high',
      status: 'open',
      liveness: 'live',
      redacted: SECRET.redacted,
      fingerprint: 'fp_0123',
      firstSeenAt: new Date(NOW).toISOString(),
      lastSeenAt: new Date(NOW).toISOString(),
      occurrences: [{ platform: 'slack', container: 'C123', item: '1700000000.0001', url: null }],
    },
  };
}

/** Answers the hook URL with the given responses in turn, recording each request. */
function receiver(...responses: (() => Response | Promise<Response>)[]) {
  const seen: { headers: Headers; body: string }[] = [];
  server.use(
    http.post('https://hooks.example.com/*', async ({ request }) => {
      seen.push({ headers: request.headers, body: await request.text() });
      const next = responses[Math.min(seen.length - 1, responses.length - 1)];
      return next ? next() : new HttpResponse(null, { status: 204 });
    }),
  );
  return seen;
}

async function enqueueOne(h: HookConfig, e: HookEvent): Promise<string> {
  const [id, ...rest] = await enqueueHookDeliveries(database.db, [h], e);
  expect(rest).toEqual([]);
  if (!id) throw new Error('nothing enqueued');
  return id;
}

function row(id: string) {
  return database.db.selectFrom('hook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  database = await createTestDatabase();
  const finding = await database.db
    .insertInto('findings')
    .values({
      detector_id: 'github-classic-pat',
      issuer: 'github',
      fingerprint: 'fp_0123',
      redacted: SECRET.redacted,
      severity: 'high',
      first_seen_at: new Date(NOW),
      last_seen_at: new Date(NOW),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  findingId = finding.id;
  // Starting PGlite (WebAssembly) and migrating can take a while on a busy machine.
}, 60_000);
afterAll(() => database.drop(), 60_000);

describe('enqueueHookDeliveries', () => {
  beforeEach(() => database.db.deleteFrom('hook_deliveries').execute());

  it('records one delivery per subscribed hook, once per event even when the job runs again', async () => {
    const hooks = [
      hook({ name: 'a' }),
      hook({ name: 'b', events: ['finding.resolved'] }),
      hook({ name: 'c', events: ['finding.created'] }),
    ];
    const e = event('finding.created');
    const first = await enqueueHookDeliveries(database.db, hooks, e);
    expect(first).toHaveLength(2);
    const again = await enqueueHookDeliveries(database.db, hooks, e);
    // Still pending, so a re-run hands them out again (nothing lost), but no second row exists.
    expect(again).toEqual(first);
    const rows = await database.db.selectFrom('hook_deliveries').selectAll().execute();
    expect(rows.map((r) => r.hook).sort()).toEqual(['a', 'c']);
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0 && r.finding_id === findingId)).toBe(true);
  });

  it('hands out nothing for deliveries that are already finished', async () => {
    receiver();
    const h = hook();
    const e = event();
    const id = await enqueueOne(h, e);
    await deliverHook(database.db, h, id, e, undefined, { now: () => NOW });
    expect(await enqueueHookDeliveries(database.db, [h], e)).toEqual([]);
    expect(await database.db.selectFrom('hook_deliveries').selectAll().execute()).toHaveLength(1);
  });
});

describe('deliverHook', () => {
  it('POSTs the event with a signature the receiver can verify', async () => {
    const seen = receiver();
    const h = hook();
    const e = event();
    const id = await enqueueOne(h, e);
    const outcome = await deliverHook(database.db, h, id, e, SECRET, { now: () => NOW });
    expect(outcome).toEqual({ result: 'delivered', statusCode: 204 });
    const [request] = seen;
    expect(request!.headers.get('content-type')).toBe('application/json');
    expect(request!.headers.get('user-agent')).toMatch(/^leakwatch/);
    expect(request!.headers.get('x-leakwatch-event')).toBe('finding.created');
    expect(request!.headers.get('x-leakwatch-delivery')).toBe(id);
    expect(request!.headers.get('x-leakwatch-timestamp')).toBe(String(NOW / 1000));
    const ok = verifyHookSignature(
      h.secret,
      request!.headers.get('x-leakwatch-signature'),
      request!.headers.get('x-leakwatch-timestamp'),
      request!.body,
      NOW / 1000 + 10,
    );
    expect(ok).toBe(true);
    expect(JSON.parse(request!.body)).toEqual({ id: e.id, type: e.type, occurredAt: e.occurredAt, finding: e.finding });
    expect(await row(id)).toMatchObject({ status: 'delivered', attempts: 1, last_status_code: 204, last_error: null });
    expect((await row(id)).delivered_at).toEqual(new Date(NOW));
  });

  it('leaves the raw secret out of the body by default', async () => {
    const seen = receiver();
    const h = hook();
    const e = event();
    await deliverHook(database.db, h, await enqueueOne(h, e), e, SECRET, { now: () => NOW });
    expect(seen[0]!.body).not.toContain(RAW);
    expect(JSON.parse(seen[0]!.body)).not.toHaveProperty('secret');
    expect(JSON.parse(seen[0]!.body).finding.redacted).toBe(SECRET.redacted);
  });

  it('includes the raw secret only for a hook configured to receive it', async () => {
    const seen = receiver();
    const h = hook({ name: 'revoker', includeSecret: true });
    const e = event('finding.revoke_requested');
    await deliverHook(database.db, h, await enqueueOne(h, e), e, SECRET, { now: () => NOW });
    expect(JSON.parse(seen[0]!.body).secret).toBe(RAW);
  });

  it('retries a 500, then delivers, and does not send a delivered event again', async () => {
    const seen = receiver(
      () => new HttpResponse('boom', { status: 500 }),
      () => new HttpResponse(null, { status: 200 }),
    );
    const h = hook();
    const e = event();
    const id = await enqueueOne(h, e);
    const first = await deliverHook(database.db, h, id, e, undefined, { now: () => NOW });
    expect(first).toMatchObject({ result: 'retry', statusCode: 500, error: expect.stringMatching(/HTTP 500/) });
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 });
    expect(await deliverHook(database.db, h, id, e, undefined, { now: () => NOW })).toEqual({
      result: 'delivered',
      statusCode: 200,
    });
    expect(await row(id)).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200, last_error: null });
    expect(await deliverHook(database.db, h, id, e, undefined, { now: () => NOW })).toMatchObject({
      result: 'delivered',
    });
    expect(seen).toHaveLength(2);
    expect((await row(id)).attempts).toBe(2);
  });

  it('fails without retrying on a 400, and on a redirect (which it does not follow)', async () => {
    const seen = receiver(
      () => new HttpResponse('bad payload', { status: 400 }),
      () => new HttpResponse(null, { status: 302, headers: { location: 'https://elsewhere.example.com/' } }),
    );
    const h = hook();
    const e1 = event();
    const id1 = await enqueueOne(h, e1);
    expect(await deliverHook(database.db, h, id1, e1, undefined)).toMatchObject({ result: 'failed', statusCode: 400 });
    expect(await row(id1)).toMatchObject({ status: 'failed', attempts: 1, last_status_code: 400 });
    expect(await deliverHook(database.db, h, id1, e1, undefined)).toMatchObject({ result: 'failed' });
    expect(seen).toHaveLength(1);

    const e2 = event();
    const id2 = await enqueueOne(h, e2);
    expect(await deliverHook(database.db, h, id2, e2, undefined)).toMatchObject({
      result: 'failed',
      statusCode: 302,
      error: expect.stringMatching(/redirects are not followed/),
    });
    expect(seen).toHaveLength(2);
  });

  it('retries after a timeout', async () => {
    receiver(async () => {
      await delay(5000);
      return new HttpResponse(null, { status: 200 });
    });
    const h = hook({ timeoutMs: 100 });
    const e = event();
    const id = await enqueueOne(h, e);
    const started = Date.now();
    expect(await deliverHook(database.db, h, id, e, undefined)).toEqual({
      result: 'retry',
      error: 'timed out after 100 ms',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
  });

  it('retries after a network error', async () => {
    receiver(() => HttpResponse.error());
    const h = hook();
    const e = event();
    const id = await enqueueOne(h, e);
    expect(await deliverHook(database.db, h, id, e, undefined)).toMatchObject({
      result: 'retry',
      error: expect.stringMatching(/^request failed/),
    });
  });

  it('honours Retry-After as seconds or as a date, within a cap', async () => {
    receiver(
      () => new HttpResponse(null, { status: 429, headers: { 'retry-after': '120' } }),
      () => new HttpResponse(null, { status: 503, headers: { 'retry-after': new Date(NOW + 30_000).toUTCString() } }),
      () => new HttpResponse(null, { status: 503, headers: { 'retry-after': '99999999' } }),
      () => new HttpResponse(null, { status: 502 }),
    );
    const h = hook();
    const e = event();
    const id = await enqueueOne(h, e);
    const attempt = () => deliverHook(database.db, h, id, e, undefined, { now: () => NOW });
    expect(await attempt()).toMatchObject({ result: 'retry', statusCode: 429, retryAfterSeconds: 120 });
    expect(await attempt()).toMatchObject({ result: 'retry', statusCode: 503, retryAfterSeconds: 30 });
    expect(await attempt()).toMatchObject({ result: 'retry', retryAfterSeconds: 3600 });
    expect(await attempt()).not.toHaveProperty('retryAfterSeconds');
    expect((await row(id)).attempts).toBe(4);
  });

  it('records a retryable failure as failed on the last attempt the caller will make', async () => {
    receiver(() => new HttpResponse(null, { status: 503 }));
    const h = hook();
    const e = event();
    const id = await enqueueOne(h, e);
    const attempt = () => deliverHook(database.db, h, id, e, undefined, { maxAttempts: 2 });
    expect(await attempt()).toMatchObject({ result: 'retry' });
    expect(await attempt()).toMatchObject({
      result: 'failed',
      error: expect.stringMatching(/gave up after 2 attempts/),
    });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: 2 });
  });

  it('refuses to sign a different event under an existing delivery id', async () => {
    const h = hook();
    const id = await enqueueOne(h, event());
    await expect(deliverHook(database.db, h, id, event(), undefined)).rejects.toThrow(/belongs to hook/);
    await expect(deliverHook(database.db, hook({ name: 'other' }), id, event(), undefined)).rejects.toThrow();
  });

  it('never writes the raw secret or the signing key to hook_deliveries, whatever the receiver does', async () => {
    const h = hook({ name: 'revoker', includeSecret: true });
    const attempts: { respond?: () => Response; fetch?: typeof fetch }[] = [
      // A receiver echoing the request back in its status text and body.
      { respond: () => new HttpResponse(RAW, { status: 400, statusText: `bad ${RAW}` }) },
      {
        respond: () => new HttpResponse(JSON.stringify({ echo: RAW }), { status: 500, statusText: `oops ${h.secret}` }),
      },
      // A transport error whose message quotes the secret.
      { fetch: (async () => Promise.reject(new TypeError(`socket hang up near ${RAW}`))) as typeof fetch },
      {
        fetch: (async () =>
          Promise.reject(
            Object.assign(new TypeError('fetch failed'), { cause: { message: encodeURIComponent(RAW) } }),
          )) as typeof fetch,
      },
    ];
    for (const { respond, fetch } of attempts) {
      if (respond) receiver(respond);
      const e = event('finding.revoke_requested');
      const id = await enqueueOne(h, e);
      await deliverHook(database.db, h, id, e, SECRET, { now: () => NOW, ...(fetch ? { fetch } : {}) });
      expect((await row(id)).last_error).toMatch(/\[redacted\]|HTTP 400/);
    }
    const dump = JSON.stringify(await database.db.selectFrom('hook_deliveries').selectAll().execute());
    expect(dump).not.toContain(RAW);
    expect(dump).not.toContain(encodeURIComponent(RAW));
    expect(dump).not.toContain(h.secret);
    expect(dump).toContain('[redacted]');
  });
});
