import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FakeConfluence } from './fake-confluence.ts';
import { FakeGraph } from './fake-graph.ts';
import { FakeIssuer } from './fake-issuer.ts';
import { FakeJira } from './fake-jira.ts';
import { FakeSlack } from './fake-slack.ts';
import { createSelfSignedCertificate, derInteger } from './self-signed-certificate.ts';

const BOT = 'xoxb-test-bot-token-0001';
const ADMIN = 'xoxp-test-admin-token-0001';

function slack(): FakeSlack {
  const fake = new FakeSlack({
    teamId: 'T0TEST0001',
    teamName: 'Test',
    botUser: { id: 'U0BOT00001', name: 'leakwatch', realName: 'leakwatch', isBot: true },
    botToken: BOT,
    adminUser: { id: 'U0ADMIN001', name: 'sam', realName: 'Sam', isAdmin: true },
    adminToken: ADMIN,
    signingSecret: 'a'.repeat(32),
  });
  fake.addPerson({ id: 'U0ALICE001', name: 'alice', realName: 'Alice', email: 'alice@acme.test' });
  fake.addChannel('C0GENERAL1', 'general', ['U0BOT00001', 'U0ADMIN001', 'U0ALICE001']);
  return fake;
}

async function call(fake: FakeSlack, method: string, token: string | undefined, params: Record<string, string> = {}) {
  const response = await fake.app.request(`/api/${method}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: new URLSearchParams(params).toString(),
  });
  return (await response.json()) as Record<string, unknown> & { ok: boolean; error?: string };
}

describe('stand-in Slack', () => {
  it('answers like the Web API: auth errors, unknown methods, and only admins edit other people’s messages', async () => {
    const fake = slack();
    const posted = await fake.postAsUser('U0ALICE001', 'C0GENERAL1', 'hello');
    expect(await call(fake, 'auth.test', undefined)).toEqual({ ok: false, error: 'not_authed' });
    expect(await call(fake, 'auth.test', 'xoxb-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await call(fake, 'chat.scheduleMessage', BOT)).toMatchObject({ ok: false, error: 'unknown_method' });
    expect(await call(fake, 'auth.test', BOT)).toMatchObject({
      ok: true,
      team_id: 'T0TEST0001',
      user_id: 'U0BOT00001',
    });

    const edit = { channel: 'C0GENERAL1', ts: posted.ts, text: 'hi' };
    expect(await call(fake, 'chat.update', BOT, edit)).toEqual({ ok: false, error: 'cant_update_message' });
    expect(await call(fake, 'chat.update', ADMIN, edit)).toMatchObject({ ok: true, text: 'hi' });
    expect(fake.find('C0GENERAL1', posted.ts)).toMatchObject({ text: 'hi', edited: { user: 'U0ADMIN001' } });
    expect(await call(fake, 'conversations.open', BOT, { users: 'U0BOT00001' })).toEqual({
      ok: false,
      error: 'cannot_dm_bot',
    });
    expect(await call(fake, 'users.lookupByEmail', BOT, { email: 'nobody@acme.test' })).toEqual({
      ok: false,
      error: 'users_not_found',
    });
  });

  it('reads history newest first within oldest/latest, inclusive only when asked', async () => {
    const fake = slack();
    const first = await fake.postAsUser('U0ALICE001', 'C0GENERAL1', 'one');
    const second = await fake.postAsUser('U0ALICE001', 'C0GENERAL1', 'two');
    const window = { channel: 'C0GENERAL1', oldest: first.ts, latest: second.ts };
    const exclusive = await call(fake, 'conversations.history', BOT, window);
    expect(exclusive.messages).toEqual([]);
    const inclusive = await call(fake, 'conversations.history', BOT, { ...window, inclusive: 'true' });
    expect((inclusive.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(['two', 'one']);
    expect(await call(fake, 'conversations.history', BOT, { channel: 'C0NOWHERE1' })).toEqual({
      ok: false,
      error: 'channel_not_found',
    });
  });
});

describe('stand-in Confluence Data Center', () => {
  it('requires the PAT, rejects stale versions and renumbers after deleting a version', async () => {
    const fake = new FakeConfluence({
      pat: 'pat-0001',
      serviceUser: { key: 'svc', username: 'svc', displayName: 'Service' },
      webhookSecret: 'w'.repeat(32),
    });
    const page = fake.seedPage({
      spaceKey: 'OPS',
      title: 'Runbook',
      versions: [
        { body: '<p>one</p>', by: 'svc', daysAgo: 3 },
        { body: '<p>two</p>', by: 'svc', daysAgo: 2 },
      ],
    });
    const auth = { authorization: 'Bearer pat-0001', 'content-type': 'application/json' };
    expect((await fake.app.request(`/rest/api/content/${page.id}`)).status).toBe(401);
    const stale = await fake.app.request(`/rest/api/content/${page.id}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ version: { number: 2 }, body: { storage: { value: '<p>x</p>' } } }),
    });
    expect(stale.status).toBe(409);
    const current = await fake.app.request(`/rest/api/content/${page.id}/version/2`, {
      method: 'DELETE',
      headers: auth,
    });
    expect(current.status).toBe(400);
    const old = await fake.app.request(`/rest/api/content/${page.id}/version/1`, { method: 'DELETE', headers: auth });
    expect(old.status).toBe(204);
    expect(page.versions.map((v) => [v.number, v.body])).toEqual([[1, '<p>two</p>']]);
    expect((await fake.app.request('/rest/api/nothing-here', { headers: auth })).status).toBe(404);
  });
});

describe('stand-in Jira Data Center', () => {
  it('accepts only live personal access tokens, as the leaked-token check relies on', async () => {
    const fake = new FakeJira({ webhookSecret: 'w'.repeat(32) });
    fake.addPerson({ key: 'JIRAUSER1', name: 'svc', displayName: 'Service', email: 'svc@acme.test' });
    fake.issueToken('live-token', 'JIRAUSER1');
    fake.issueToken('old-token', 'JIRAUSER1');
    fake.revokeToken('old-token');
    const myself = (token: string) =>
      fake.app.request('/rest/api/2/myself', { headers: { authorization: `Bearer ${token}` } });
    expect((await myself('live-token')).status).toBe(200);
    expect(await (await myself('live-token')).json()).toMatchObject({ key: 'JIRAUSER1', timeZone: 'UTC' });
    expect((await myself('old-token')).status).toBe(401);
    expect((await fake.app.request('/rest/api/2/serverInfo')).status).toBe(200);
    const unknown = await fake.app.request('/rest/api/2/dashboard', {
      headers: { authorization: 'Bearer live-token' },
    });
    expect(unknown.status).toBe(404);
  });
});

describe('stand-in Microsoft login and Graph', () => {
  const person = {
    id: 'u-1',
    displayName: 'Admin',
    mail: 'admin@acme.test',
    userPrincipalName: 'admin@acme.test',
    accountEnabled: true,
  };
  const graph = () =>
    new FakeGraph({
      tenantId: 'tenant-1',
      clientId: 'client-1',
      clientSecret: 'secret-1',
      delegatedToken: 'delegated-1',
      delegatedUser: person,
    });
  const token = (fake: FakeGraph, secret: string) =>
    fake.app.request('/tenant-1/oauth2/v2.0/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'client-1',
        client_secret: secret,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    });

  it('issues app tokens for the right secret only, and refuses softDelete to them (delegated only, as in Graph)', async () => {
    const fake = graph();
    fake.addTeam({ id: 't-1', displayName: 'Team', channels: [{ id: 'c-1', displayName: 'General' }] });
    expect(await (await token(fake, 'wrong')).json()).toMatchObject({ error: 'invalid_client' });
    const { access_token } = (await (await token(fake, 'secret-1')).json()) as { access_token: string };
    const message = await fake.postAsUser('u-1', 't-1', 'c-1', '<p>hi</p>');
    const path = `/v1.0/teams/t-1/channels/c-1/messages/${message.id}`;
    const as = (bearer: string) => ({ authorization: `Bearer ${bearer}` });
    expect((await fake.app.request(path, { headers: as(access_token) })).status).toBe(200);
    expect((await fake.app.request(path, { headers: as('forged') })).status).toBe(401);
    expect((await fake.app.request(`${path}/softDelete`, { method: 'POST', headers: as(access_token) })).status).toBe(
      403,
    );
    expect((await fake.app.request(`${path}/softDelete`, { method: 'POST', headers: as('delegated-1') })).status).toBe(
      204,
    );
    expect(await (await fake.app.request(path, { headers: as(access_token) })).json()).toMatchObject({
      body: { content: '' },
      deletedDateTime: expect.any(String),
    });
    const unknown = await fake.app.request('/v1.0/planner/tasks', { headers: as(access_token) });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'BadRequest' } });
  });

  it('creates no subscription whose notification URL fails the validation handshake', async () => {
    const fake = graph();
    const { access_token } = (await (await token(fake, 'secret-1')).json()) as { access_token: string };
    const response = await fake.app.request('/v1.0/subscriptions', {
      method: 'POST',
      headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'created,updated',
        // Nothing listens on port 9 (discard) of the loopback address.
        notificationUrl: 'http://127.0.0.1:9/webhooks/teams',
        resource: '/teams/getAllMessages',
        expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
        clientState: 'client-state-0001',
      }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'ValidationError' } });
    expect(fake.subscriptions.size).toBe(0);
  });
});

describe('stand-in issuers', () => {
  it('answer live for tokens they issued and dead once revoked', async () => {
    const issuer = new FakeIssuer();
    issuer.issue('vault', 'hvs.test-token-value-0001', 'approle-deploy');
    const lookup = () =>
      issuer.app.request('/vault/v1/auth/token/lookup-self', {
        headers: { 'x-vault-token': 'hvs.test-token-value-0001' },
      });
    expect((await lookup()).status).toBe(200);
    const revoke = await issuer.app.request('/vault/v1/auth/token/revoke-self', {
      method: 'POST',
      headers: { 'x-vault-token': 'hvs.test-token-value-0001' },
    });
    expect(revoke.status).toBe(204);
    expect((await lookup()).status).toBe(403);
    const gitea = await issuer.app.request('/gitea/api/v1/user', { headers: { authorization: 'token unknown' } });
    expect(gitea.status).toBe(401);
    expect(issuer.checks.map((c) => `${c.service}:${c.outcome}`)).toEqual(['vault:live', 'vault:dead', 'gitea:dead']);
  });
});

describe('self-signed certificate', () => {
  it('is a CA certificate for 127.0.0.1 and localhost, signed by its own key', () => {
    const { cert } = createSelfSignedCertificate('test');
    const parsed = new X509Certificate(cert);
    expect(parsed.ca).toBe(true);
    expect(parsed.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(parsed.checkHost('localhost')).toBe('localhost');
    expect(parsed.verify(parsed.publicKey)).toBe(true);
    expect(parsed.subject).toContain('CN=test');
  });

  it('encodes integers in DER\u2019s shortest form, so a random serial starting with a zero byte is accepted', () => {
    const hex = (bytes: number[]) => derInteger(Buffer.from(bytes)).toString('hex');
    expect(hex([0x00, 0x05])).toBe('020105');
    expect(hex([0x00, 0x00, 0x05])).toBe('020105');
    expect(hex([0x00, 0x85])).toBe('02020085');
    expect(hex([0x85])).toBe('02020085');
    expect(hex([0x00])).toBe('020100');
    expect(hex([0x7f, 0xff])).toBe('02027fff');
  });
});
