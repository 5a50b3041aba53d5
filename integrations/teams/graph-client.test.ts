import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { createGraphTokenSource } from './graph-auth.ts';
import { createGraphClient } from './graph-client.ts';
import { GraphRequestError, GraphThrottledError } from './graph-errors.ts';
import { GRAPH, TEAM, teamsTestConfig, tokenEndpoint } from './teams-test-harness.ts';

const server = useMswServer();

function client(env: Record<string, string> = {}, timeoutMs?: number) {
  const config = teamsTestConfig(env);
  return createGraphClient({
    baseUrl: config.graphApiUrl,
    tokens: createGraphTokenSource(config),
    ...(timeoutMs ? { timeoutMs } : {}),
  });
}

describe('Graph client', () => {
  it('follows @odata.nextLink across pages with the app token', async () => {
    const auth: Array<string | null> = [];
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams/${TEAM}/channels`, ({ request }) => {
        auth.push(request.headers.get('authorization'));
        const skip = new URL(request.url).searchParams.get('$skiptoken');
        return skip
          ? HttpResponse.json({ value: [{ id: '19:c@thread.tacv2' }] })
          : HttpResponse.json({
              '@odata.context': `${GRAPH}/$metadata#teams('${TEAM}')/channels`,
              '@odata.nextLink': `${GRAPH}/teams/${TEAM}/channels?$skiptoken=page2`,
              value: [{ id: '19:a@thread.tacv2' }, { id: '19:b@thread.tacv2' }],
            });
      }),
    );
    const channels = await client().all<{ id: string }>(`/teams/${TEAM}/channels`);
    expect(channels.map((c) => c.id)).toEqual(['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2']);
    expect(auth).toEqual(['Bearer app-token', 'Bearer app-token']);
  });

  it("returns a delta round's @odata.deltaLink on its last page", async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams/${TEAM}/channels/:channel/messages/delta`, () =>
        HttpResponse.json({
          '@odata.context': `${GRAPH}/$metadata#Collection(chatMessage)`,
          '@odata.deltaLink': `${GRAPH}/teams/${TEAM}/channels/19:x@thread.tacv2/messages/delta?$deltatoken=abc`,
          value: [],
        }),
      ),
    );
    const page = await client().page(`/teams/${TEAM}/channels/19%3Ax%40thread.tacv2/messages/delta`);
    expect(page).toEqual({
      value: [],
      deltaLink: `${GRAPH}/teams/${TEAM}/channels/19:x@thread.tacv2/messages/delta?$deltatoken=abc`,
    });
  });

  it('surfaces 429 and 503 as GraphThrottledError with the Retry-After seconds', async () => {
    let status = 429;
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users/:id`, () =>
        HttpResponse.json(
          { error: { code: 'TooManyRequests', message: 'Too many requests' } },
          { status, headers: { 'Retry-After': status === 429 ? '12' : '3' } },
        ),
      ),
    );
    const first = await client()
      .get('/users/u1')
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(GraphThrottledError);
    expect(first).toMatchObject({ status: 429, retryAfterSeconds: 12 });
    status = 503;
    expect(
      await client()
        .get('/users/u1')
        .catch((e: unknown) => e),
    ).toMatchObject({ status: 503, retryAfterSeconds: 3 });
  });

  it('reports Graph errors with status and code', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams/:team/channels/:channel/messages/:id`, () =>
        HttpResponse.json({ error: { code: 'NotFound', message: 'Message not found' } }, { status: 404 }),
      ),
    );
    const error = (await client()
      .get(`/teams/${TEAM}/channels/c/messages/1`)
      .catch((e: unknown) => e)) as GraphRequestError;
    expect(error).toBeInstanceOf(GraphRequestError);
    expect(error).toMatchObject({ status: 404, code: 'NotFound' });
    expect(error.message).toContain('Message not found');
  });

  it('reaches Graph through GRAPH_API_URL and rewrites Graph links to it, refusing other hosts', async () => {
    const proxy = 'https://graph-proxy.internal.test';
    const seen: string[] = [];
    server.use(
      tokenEndpoint(),
      http.get(`${proxy}/v1.0/teams`, ({ request }) => {
        seen.push(request.url);
        const page2 = new URL(request.url).searchParams.has('$skiptoken');
        return HttpResponse.json(
          page2
            ? { value: [{ id: 't2' }], '@odata.nextLink': 'https://attacker.example/v1.0/teams?$skiptoken=x' }
            : { value: [{ id: 't1' }], '@odata.nextLink': 'https://graph.microsoft.com/v1.0/teams?$skiptoken=2' },
        );
      }),
    );
    const error = await client({ GRAPH_API_URL: proxy })
      .all('/teams')
      .catch((e: unknown) => e);
    expect(seen).toEqual([`${proxy}/v1.0/teams`, `${proxy}/v1.0/teams?$skiptoken=2`]);
    expect(error).toMatchObject({ code: 'UntrustedLink' });
  });

  it('gives up on a hanging Graph after the timeout', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/users/:id`, async () => {
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        return HttpResponse.json({});
      }),
    );
    const error = await client({}, 200)
      .get('/users/slow')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as Error).message).toContain('timed out after 200 ms');
  });
});
