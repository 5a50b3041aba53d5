import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { SealedBox } from '../../findings/sealed-box.ts';
import { DashboardSessions, SESSION_TTL_MS, isSameOrigin } from './dashboard-session.ts';

const KEY = 'dashboard-session-test-key-0123456789abcdef';

/** A tiny app that starts a session on /start and reports what it reads on /read. */
function harness(box = new SealedBox(KEY, 'dashboard-session'), now = () => new Date()) {
  const sessions = new DashboardSessions(box, false);
  const app = new Hono();
  app.get('/start', (c) => c.json(sessions.start(c, 'key-1', now())));
  app.get('/read', (c) => c.json(sessions.read(c, now()) ?? null));
  app.post('/origin', (c) => c.json(isSameOrigin(c, false)));
  return app;
}

async function sessionCookie(app: Hono): Promise<string> {
  const response = await app.request('http://lw.test/start');
  const header = response.headers.get('set-cookie')!;
  expect(header).toMatch(/HttpOnly/);
  expect(header).toMatch(/SameSite=Strict/);
  expect(header).not.toMatch(/Secure/);
  return /lw_session=([^;]+)/.exec(header)![1]!;
}

describe('dashboard sessions', () => {
  it('reads back a session it started, sealed so the browser cannot read or change it', async () => {
    const app = harness();
    const cookie = await sessionCookie(app);
    expect(cookie).not.toContain('key-1');
    const read = await (
      await app.request('http://lw.test/read', { headers: { cookie: `lw_session=${cookie}` } })
    ).json();
    expect(read).toMatchObject({ keyId: 'key-1' });
    const tampered = cookie.slice(0, -4) + (cookie.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(
      await (await app.request('http://lw.test/read', { headers: { cookie: `lw_session=${tampered}` } })).json(),
    ).toBeNull();
  });

  it('refuses a session sealed with another key, and an expired one', async () => {
    const cookie = await sessionCookie(harness());
    const other = harness(new SealedBox('another-key-for-sessions-0123456789abcdef', 'dashboard-session'));
    expect(
      await (await other.request('http://lw.test/read', { headers: { cookie: `lw_session=${cookie}` } })).json(),
    ).toBeNull();
    const later = harness(undefined, () => new Date(Date.now() + SESSION_TTL_MS + 1000));
    expect(
      await (await later.request('http://lw.test/read', { headers: { cookie: `lw_session=${cookie}` } })).json(),
    ).toBeNull();
  });

  it('marks the cookie Secure over HTTPS', async () => {
    const response = await harness().request('https://lw.test/start');
    expect(response.headers.get('set-cookie')).toMatch(/Secure/);
  });

  it.each([
    [{}, true],
    [{ origin: 'http://lw.test' }, true],
    [{ origin: 'https://evil.example' }, false],
    [{ origin: 'null' }, false],
    [{ 'sec-fetch-site': 'cross-site' }, false],
  ])('origin check %o → %s', async (headers, expected) => {
    const response = await harness().request('http://lw.test/origin', {
      method: 'POST',
      headers: { host: 'lw.test', ...headers },
    });
    expect(await response.json()).toBe(expected);
  });
});
