import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../src/db/schema.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createGraphTokenSource } from './graph-auth.ts';
import { createGraphClient } from './graph-client.ts';
import { GraphThrottledError } from './graph-errors.ts';
import { createAuthorDirectory, createTeamsIdentityResolver, lookupTeamsUser } from './owner.ts';
import { GRAPH, teamsTestConfig, tokenEndpoint, USER } from './teams-test-harness.ts';

const server = useMswServer();

function graph() {
  const config = teamsTestConfig();
  return createGraphClient({ baseUrl: config.graphApiUrl, tokens: createGraphTokenSource(config) });
}

/** GET /users/{id}?$select=… answers only the selected properties, plus the context. */
function user(body: Record<string, unknown>) {
  return HttpResponse.json({
    '@odata.context': `${GRAPH}/$metadata#users(id,mail,userPrincipalName,accountEnabled,displayName)/$entity`,
    id: USER,
    ...body,
  });
}

const identity = (overrides: Partial<Identity> = {}): Identity => ({
  id: 'b0a5b5d6-0000-4000-8000-000000000001',
  platform: 'teams',
  platform_user_id: USER,
  email: null,
  display_name: 'Robin Kline',
  slack_user_id: null,
  active: true,
  created_at: new Date(),
  updated_at: new Date(),
  ...overrides,
});

describe('Teams owner lookup', () => {
  it('reads mail, name and accountEnabled from Entra ID with $select', async () => {
    let select: string | null = null;
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users/:id`, ({ request, params }) => {
        expect(params.id).toBe(USER);
        select = new URL(request.url).searchParams.get('$select');
        return user({
          displayName: 'Robin Kline',
          mail: 'Robin.Kline@Contoso.com',
          userPrincipalName: 'robin@contoso.onmicrosoft.com',
          accountEnabled: true,
        });
      }),
    );
    expect(await lookupTeamsUser(graph(), USER)).toEqual({
      email: 'robin.kline@contoso.com',
      display_name: 'Robin Kline',
      active: true,
    });
    expect(select!.split(',').sort()).toEqual(['accountEnabled', 'displayName', 'id', 'mail', 'userPrincipalName']);
  });

  it('falls back to a mailbox-shaped UPN, never a guest UPN, and reports disabled accounts', async () => {
    const answers = [
      { displayName: 'No Mailbox', mail: null, userPrincipalName: 'jo@contoso.com', accountEnabled: false },
      {
        displayName: 'Guest',
        mail: null,
        userPrincipalName: 'jo_fabrikam.com#EXT#@contoso.onmicrosoft.com',
        accountEnabled: true,
      },
    ];
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users/:id`, () => user(answers.shift()!)),
    );
    expect(await lookupTeamsUser(graph(), USER)).toEqual({
      email: 'jo@contoso.com',
      display_name: 'No Mailbox',
      active: false,
    });
    expect(await lookupTeamsUser(graph(), USER)).toEqual({ email: null, display_name: 'Guest', active: true });
  });

  it('treats a deleted user as inactive and leaves other platforms alone', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users/:id`, () =>
        HttpResponse.json(
          {
            error: {
              code: 'Request_ResourceNotFound',
              message:
                "Resource '8ea0e38b' does not exist or one of its queried reference-property objects are not present.",
            },
          },
          { status: 404 },
        ),
      ),
    );
    const resolve = createTeamsIdentityResolver(graph());
    expect(await resolve(identity())).toEqual({ active: false });
    expect(await resolve(identity({ platform: 'slack', platform_user_id: 'U0123' }))).toBeNull();
  });

  it('lets throttling through so the caller can retry later', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users/:id`, () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '5' } })),
    );
    await expect(lookupTeamsUser(graph(), USER)).rejects.toBeInstanceOf(GraphThrottledError);
  });

  it('caches authors for intake and retries a failed lookup after a pause', async () => {
    let calls = 0;
    let fail = true;
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users/:id`, () => {
        calls++;
        return fail
          ? HttpResponse.json({ error: { code: 'Authorization_RequestDenied' } }, { status: 403 })
          : user({ displayName: 'Robin Kline', mail: 'robin@contoso.com', accountEnabled: true });
      }),
    );
    let clock = 0;
    const directory = createAuthorDirectory(graph(), { now: () => new Date(clock), failureTtlMs: 60_000 });
    expect(await directory.lookup(USER)).toBeUndefined();
    expect(await directory.lookup(USER)).toBeUndefined();
    expect(calls).toBe(1);
    fail = false;
    clock += 61_000;
    expect(await directory.lookup(USER)).toMatchObject({ email: 'robin@contoso.com' });
    expect(await directory.lookup(USER)).toMatchObject({ email: 'robin@contoso.com' });
    expect(calls).toBe(2);
  });
});
