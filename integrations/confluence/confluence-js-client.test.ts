import { deleteContentVersion } from 'confluence.js/v1';
import { getPageById, getSpaces } from 'confluence.js/v2';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { ConfluenceHttp, ConfluenceHttpError, ConfluenceRateLimitedError } from './confluence-http.ts';
import { confluenceJsClient, ConfluenceResponseShapeError } from './confluence-js-client.ts';
import { CLOUD_API_TOKEN, CLOUD_URL, siteConfig } from './test-support/site-config.ts';

const server = useMswServer();
const basic = `Basic ${Buffer.from(`leakwatch@acme.test:${CLOUD_API_TOKEN}`).toString('base64')}`;
const LEAKED = 'AKIAIOSFODNN7EXAMPLE';

function client() {
  return confluenceJsClient(new ConfluenceHttp(siteConfig('cloud'), { sleep: async () => {} }));
}

describe('confluence.js over ConfluenceHttp', () => {
  it('writes confluence.js query lists as repeated keys and passes its headers, never over our credentials', async () => {
    const seen: Request[] = [];
    server.use(
      http.get(`${CLOUD_URL}/wiki/api/v2/spaces`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json({ results: [{ id: '98305', key: 'ENG' }], _links: {} });
      }),
      http.delete(`${CLOUD_URL}/wiki/rest/api/content/42/version/3`, ({ request }) => {
        seen.push(request);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const spaces = await getSpaces(client(), { keys: ['ENG', 'OPS'], limit: 10 });
    expect(spaces.results?.map((s) => s.key)).toEqual(['ENG']);
    expect(new URL(seen[0]!.url).searchParams.getAll('keys')).toEqual(['ENG', 'OPS']);
    expect(new URL(seen[0]!.url).searchParams.get('limit')).toBe('10');

    await expect(deleteContentVersion(client(), { id: '42', versionNumber: 3 })).resolves.toBeUndefined();
    expect(seen[1]!.headers.get('x-atlassian-token')).toBe('no-check');
    expect(seen[1]!.headers.get('authorization')).toBe(basic);

    server.use(
      http.get(`${CLOUD_URL}/wiki/api/v2/pages/7`, ({ request }) => {
        seen.push(request);
        return HttpResponse.json({ id: '7' });
      }),
    );
    await client().sendRequest({ url: '/wiki/api/v2/pages/7', headers: { Authorization: 'Bearer someone-else' } });
    expect(seen[2]!.headers.get('authorization')).toBe(basic);
  });

  it("validates answers with the endpoint's confluence.js schema: dates parsed, bad shapes named by field, never by value", async () => {
    server.use(
      http.get(`${CLOUD_URL}/wiki/api/v2/pages/11`, () =>
        HttpResponse.json({
          id: '11',
          title: 'Runbook',
          version: { number: 2, createdAt: '2026-11-20T10:01:00.000Z', authorId: 'acc-dana' },
          body: { storage: { representation: 'storage', value: `<p>${LEAKED}</p>` } },
          somethingNew: { kept: true },
        }),
      ),
      http.get(`${CLOUD_URL}/wiki/api/v2/pages/12`, () =>
        HttpResponse.json({ id: '12', title: LEAKED, version: { number: LEAKED } }),
      ),
    );
    const page = await getPageById(client(), { id: 11, bodyFormat: 'storage' });
    expect(page.version?.createdAt).toBeInstanceOf(Date);
    expect(page.body?.storage?.value).toBe(`<p>${LEAKED}</p>`);
    // confluence.js schemas are loose: fields Atlassian adds later pass through.
    expect((page as Record<string, unknown>).somethingNew).toEqual({ kept: true });

    const error = await getPageById(client(), { id: 12 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceResponseShapeError);
    expect((error as Error).message).toBe(
      'Confluence GET /wiki/api/v2/pages/12 answered with an unexpected shape (version.number)',
    );
    expect(String((error as Error).stack)).not.toContain(LEAKED);
  });

  it('fails a 2xx answer that is not JSON by status, without quoting it', async () => {
    server.use(http.get(`${CLOUD_URL}/wiki/api/v2/pages/13`, () => HttpResponse.text(`token=${LEAKED}`)));
    const error = await getPageById(client(), { id: 13 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceHttpError);
    expect((error as Error).message).toBe('Confluence GET /wiki/api/v2/pages/13 answered 200 (the answer is not JSON)');
    expect(String((error as Error).stack)).not.toContain(LEAKED);
  });

  it('turns a 429 from a confluence.js call into ConfluenceRateLimitedError carrying Retry-After', async () => {
    server.use(
      http.get(`${CLOUD_URL}/wiki/api/v2/pages/14`, () =>
        HttpResponse.json({ message: 'Rate limit exceeded' }, { status: 429, headers: { 'retry-after': '90' } }),
      ),
    );
    const error = await getPageById(client(), { id: 14 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRateLimitedError);
    expect((error as ConfluenceRateLimitedError).retryAfterMs).toBeGreaterThan(80_000);
  });
});
