import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { cqlDate, modifiedSinceCql, VersionConflictError } from './confluence-api.ts';
import { ConfluenceHttp, ConfluenceHttpError, ConfluenceRateLimitedError } from './confluence-http.ts';
import { createConfluenceApi } from './create-confluence-api.ts';
import { FakeConfluenceSite, tooManyRequests } from './test-support/fake-confluence-site.ts';
import { CLOUD_API_TOKEN, CLOUD_URL, DC_PAT, DC_URL, siteConfig } from './test-support/site-config.ts';

const server = useMswServer();
const noSleep = async () => {};

function cloudSite(maxPageSize = 2) {
  const site = new FakeConfluenceSite({ deployment: 'cloud', baseUrl: CLOUD_URL, maxPageSize });
  server.use(...site.handlers());
  return { site, api: createConfluenceApi(siteConfig('cloud'), { sleep: noSleep }) };
}

function dcSite(maxPageSize = 2) {
  const site = new FakeConfluenceSite({ deployment: 'datacenter', baseUrl: DC_URL, maxPageSize });
  server.use(...site.handlers());
  return { site, api: createConfluenceApi(siteConfig('datacenter'), { sleep: noSleep }) };
}

describe('CQL', () => {
  it('formats lastmodified in UTC at minute resolution and quotes space keys', () => {
    expect(cqlDate(new Date('2026-03-04T05:06:59.999Z'))).toBe('2026/03/04 05:06');
    expect(modifiedSinceCql(new Date('2026-03-04T05:06:00Z'), ['ENG', 'OPS'])).toBe(
      'type in (page,blogpost,comment) and space in ("ENG","OPS") and lastmodified >= "2026/03/04 05:06" order by lastmodified asc',
    );
  });
});

describe('Confluence Cloud API', () => {
  it('authenticates with Basic email:token and lists every page of a space through _links.next', async () => {
    const { site, api } = cloudSite(2);
    for (let i = 1; i <= 5; i++)
      site.add({ id: `10${i}`, kind: 'page', title: `Page ${i}`, spaceKey: 'ENG', bodies: [`<p>${i}</p>`] });
    site.add({ id: '201', kind: 'blogpost', title: 'News', spaceKey: 'ENG', bodies: ['<p>blog</p>'] });

    const ids: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await api.listSpaceContent('ENG', 'page', next);
      ids.push(...page.items.map((c) => c.ref.id));
      next = page.next;
      pages++;
    } while (next);
    expect(ids).toEqual(['101', '102', '103', '104', '105']);
    expect(pages).toBe(3);

    const first = (await api.listSpaceContent('ENG', 'page')).items[0]!;
    expect(first).toMatchObject({
      ref: { kind: 'page', id: '101' },
      spaceKey: 'ENG',
      version: 1,
      body: '<p>1</p>',
      author: { id: 'acc-dana' },
      url: 'https://acme.atlassian.net/wiki/spaces/ENG/pages/101/Page%201',
    });
    const auth = site.requests[0]!.headers.get('authorization')!;
    expect(auth).toBe(`Basic ${Buffer.from(`leakwatch@acme.test:${CLOUD_API_TOKEN}`).toString('base64')}`);
    expect(site.requestsTo('GET', /\/wiki\/api\/v2\/spaces\/\d+\/pages$/).length).toBeGreaterThanOrEqual(3);
  });

  it('searches with v1 CQL and follows the context-relative next link to the last result', async () => {
    const { site, api } = cloudSite(2);
    for (let i = 1; i <= 5; i++)
      site.add({ id: `30${i}`, kind: 'page', title: `P${i}`, spaceKey: 'ENG', bodies: ['<p/>'] });
    site.add({ id: '399', kind: 'page', title: 'Other space', spaceKey: 'OPS', bodies: ['<p/>'] });
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = await api.searchModifiedSince(new Date('2026-01-01T00:00:00Z'), ['ENG'], next);
      seen.push(...page.items.map((i) => i.ref.id));
      next = page.next;
    } while (next);
    expect(seen).toEqual(['301', '302', '303', '304', '305']);
    const searches = site.requestsTo('GET', /^\/wiki\/rest\/api\/search$/);
    expect(searches).toHaveLength(3);
    expect(searches[0]!.url.searchParams.get('cql')).toContain('lastmodified >= "2026/01/01 00:00"');
    expect(searches[1]!.url.searchParams.get('cursor')).toBeTruthy();
    // The removed v1 content endpoints are never used on Cloud.
    expect(site.requests.some((r) => /\/wiki\/rest\/api\/content\/\d+$/.test(r.url.pathname))).toBe(false);
  });

  it('reads historical versions by number and lists them past the first page', async () => {
    const { site, api } = cloudSite(2);
    site.add({
      id: '501',
      kind: 'page',
      title: 'Runbook',
      spaceKey: 'ENG',
      bodies: ['<p>v1</p>', '<p>v2</p>', '<p>v3</p>', '<p>v4</p>'],
    });
    const current = (await api.getContent({ kind: 'page', id: '501' }))!;
    expect(current.version).toBe(4);
    expect(await api.historicalVersions(current)).toEqual([3, 2, 1]);
    const v2 = (await api.getVersion(current, 2))!;
    expect(v2).toMatchObject({ version: 2, body: '<p>v2</p>', spaceKey: 'ENG' });
    expect(v2.url).toBe('https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=501&pageVersion=2');
    expect(await api.getVersion(current, 9)).toBeUndefined();
  });

  it('finds footer, inline and reply comments with their space, and reads a comment without a location hint', async () => {
    const { site, api } = cloudSite(2);
    site.add({ id: '601', kind: 'page', title: 'Page', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.add({
      id: '611',
      kind: 'comment',
      location: 'footer',
      containerId: '601',
      title: 'Re',
      spaceKey: 'ENG',
      bodies: ['<p>a</p>'],
    });
    site.add({
      id: '612',
      kind: 'comment',
      location: 'footer',
      containerId: '601',
      parentCommentId: '611',
      title: 'Re',
      spaceKey: 'ENG',
      bodies: ['<p>b</p>'],
    });
    site.add({
      id: '613',
      kind: 'comment',
      location: 'inline',
      containerId: '601',
      title: 'Re',
      spaceKey: 'ENG',
      bodies: ['<p>c</p>'],
    });
    const page = (await api.getContent({ kind: 'page', id: '601' }))!;
    const comments = await api.listComments(page);
    expect(comments.map((c) => [c.ref.id, c.ref.commentLocation, c.container?.id])).toEqual([
      ['611', 'footer', '601'],
      ['612', 'footer', '601'],
      ['613', 'inline', '601'],
    ]);
    const inline = (await api.getContent({ kind: 'comment', id: '613' }))!;
    expect(inline).toMatchObject({
      ref: { commentLocation: 'inline' },
      spaceKey: 'ENG',
      body: '<p>c</p>',
      container: { kind: 'page', id: '601' },
    });
  });

  it('writes version n+1 with PUT /wiki/api/v2/pages/{id} and reports a stale number as a version conflict', async () => {
    const { site, api } = cloudSite();
    site.add({ id: '701', kind: 'page', title: 'Runbook', spaceKey: 'ENG', bodies: ['<p>v1</p>'] });
    const current = (await api.getContent({ kind: 'page', id: '701' }))!;
    expect(await api.updateBody(current, '<p>clean</p>', 'why')).toBe(2);
    const put = site.requestsTo('PUT', /\/wiki\/api\/v2\/pages\/701$/)[0]!;
    expect(JSON.parse(put.body)).toEqual({
      id: '701',
      status: 'current',
      title: 'Runbook',
      body: { representation: 'storage', value: '<p>clean</p>' },
      version: { number: 2, message: 'why' },
    });
    await expect(api.updateBody(current, '<p>stale</p>', 'why')).rejects.toBeInstanceOf(VersionConflictError);
  });

  it('waits out a short Retry-After and retries', async () => {
    const { site, api } = cloudSite();
    site.add({ id: '801', kind: 'page', title: 'P', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.failNext('GET', /\/wiki\/api\/v2\/pages\/801$/, () => tooManyRequests(1));
    expect((await api.getContent({ kind: 'page', id: '801' }))?.ref.id).toBe('801');
    expect(site.requestsTo('GET', /\/wiki\/api\/v2\/pages\/801$/)).toHaveLength(2);
  });

  it('gives up with ConfluenceRateLimitedError when Retry-After is long, and keeps backing off without calling', async () => {
    const { site, api } = cloudSite();
    site.add({ id: '802', kind: 'page', title: 'P', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.failNext('GET', /\/wiki\/api\/v2\/pages\/802$/, () => tooManyRequests(120));
    const error = await api.getContent({ kind: 'page', id: '802' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceRateLimitedError);
    expect((error as ConfluenceRateLimitedError).retryAfterMs).toBeGreaterThan(100_000);
    await expect(api.getContent({ kind: 'page', id: '802' })).rejects.toBeInstanceOf(ConfluenceRateLimitedError);
    expect(site.requestsTo('GET', /\/wiki\/api\/v2\/pages\/802$/)).toHaveLength(1);
  });

  it('reports a 503 with Retry-After as rate limiting and other failures by status only', async () => {
    const { site, api } = cloudSite();
    site.add({ id: '803', kind: 'page', title: 'P', spaceKey: 'ENG', bodies: ['<p>body text</p>'] });
    site.failNext('GET', /\/wiki\/api\/v2\/pages\/803$/, () =>
      HttpResponse.text('maintenance', { status: 503, headers: { 'retry-after': '600' } }),
    );
    await expect(api.getContent({ kind: 'page', id: '803' })).rejects.toBeInstanceOf(ConfluenceRateLimitedError);

    const other = cloudSite();
    other.site.add({ id: '804', kind: 'page', title: 'P', spaceKey: 'ENG', bodies: ['<p/>'] });
    other.site.failNext('DELETE', /\/version\/1$/, () =>
      HttpResponse.json({ message: 'secret-looking body' }, { status: 403 }),
    );
    const error = await other.api.deleteVersion({ kind: 'page', id: '804' }, 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfluenceHttpError);
    expect((error as Error).message).toBe('Confluence DELETE /wiki/rest/api/content/804/version/1 answered 403');
  });

  it('times out a request that does not answer', async () => {
    server.use(http.get(`${CLOUD_URL}/wiki/api/v2/pages/900`, () => new Promise<Response>(() => {})));
    const api = createConfluenceApi(siteConfig('cloud', { CONFLUENCE_TIMEOUT_MS: '1000' }));
    await expect(api.getContent({ kind: 'page', id: '900' })).rejects.toThrow('timed out after 1000 ms');
  });

  it('never sends credentials to another origin, whatever a next link says', async () => {
    const transport = new ConfluenceHttp(siteConfig('cloud'));
    expect(() => transport.url('https://evil.example/wiki/api/v2/pages?cursor=x')).toThrow(
      'refusing to send Confluence credentials to https://evil.example',
    );
  });

  it('resolves accountIds to email and name', async () => {
    const { site, api } = cloudSite();
    site.users.set('acc-dana', { email: 'dana@acme.test', displayName: 'Dana' });
    expect(await api.getUser('acc-dana')).toEqual({ email: 'dana@acme.test', displayName: 'Dana' });
    expect(await api.getUser('acc-nobody')).toBeUndefined();
  });
});

describe('Confluence Cloud API on confluence.js', () => {
  it('writes inline and footer comments of a blog post through their own v2 endpoints', async () => {
    const { site, api } = cloudSite();
    site.add({ id: '1201', kind: 'blogpost', title: 'News', spaceKey: 'ENG', bodies: ['<p/>'] });
    const comment = (location: 'footer' | 'inline', id: string) =>
      site.add({ id, kind: 'comment', location, containerId: '1201', title: 'Re', spaceKey: 'ENG', bodies: ['<p/>'] });
    comment('footer', '1211');
    comment('inline', '1212');
    const blog = (await api.getContent({ kind: 'blogpost', id: '1201' }))!;
    const [footer, inline] = await api.listComments(blog);
    expect([footer?.ref.commentLocation, inline?.ref.commentLocation]).toEqual(['footer', 'inline']);
    expect(site.requestsTo('GET', /\/wiki\/api\/v2\/blogposts\/1201\/(footer|inline)-comments$/)).toHaveLength(2);

    expect(await api.updateBody(inline!, '<p>clean</p>', 'why')).toBe(2);
    expect(await api.updateBody(footer!, '<p>clean</p>', 'why')).toBe(2);
    for (const path of [/\/wiki\/api\/v2\/inline-comments\/1212$/, /\/wiki\/api\/v2\/footer-comments\/1211$/]) {
      expect(JSON.parse(site.requestsTo('PUT', path)[0]!.body)).toEqual({
        version: { number: 2, message: 'why' },
        body: { representation: 'storage', value: '<p>clean</p>' },
      });
    }
    expect(site.current('1212').body).toBe('<p>clean</p>');
    expect(await api.historicalVersions({ ...inline!, version: 2 })).toEqual([1]);
    expect(site.requestsTo('GET', /\/wiki\/api\/v2\/inline-comments\/1212\/versions$/)).toHaveLength(1);
  });

  it('resumes a listing from a stored next link in a new process, and refuses links to another listing or origin', async () => {
    const { site, api } = cloudSite(2);
    for (let i = 1; i <= 3; i++)
      site.add({ id: `130${i}`, kind: 'page', title: `P${i}`, spaceKey: 'ENG', bodies: ['<p/>'] });
    const first = await api.listSpaceContent('ENG', 'page');
    expect(first.next).toMatch(/^https:\/\/acme\.atlassian\.net\/wiki\/api\/v2\/spaces\/\d+\/pages\?/);

    const restarted = createConfluenceApi(siteConfig('cloud'), { sleep: noSleep });
    const before = site.requests.length;
    const rest = await restarted.listSpaceContent('ENG', 'page', first.next);
    expect(rest.items.map((c) => c.ref.id)).toEqual(['1303']);
    // Straight to the continuation: no space lookup, the link names the space.
    expect(site.requests.slice(before).map((r) => r.url.pathname)).toEqual([new URL(first.next!).pathname]);

    await expect(restarted.listSpaceContent('ENG', 'blogpost', first.next)).rejects.toThrow('is for another listing');
    await expect(
      restarted.listSpaceContent('ENG', 'page', 'https://evil.example/wiki/api/v2/spaces/1/pages?cursor=x'),
    ).rejects.toThrow('refusing to send Confluence credentials to https://evil.example');
    expect(site.requests.length).toBe(before + 1);
  });

  it('refuses a content id that a JavaScript number cannot carry exactly instead of addressing other content', async () => {
    const { site, api } = cloudSite();
    await expect(api.getContent({ kind: 'page', id: '9007199254740993' })).rejects.toThrow(
      'Confluence id 9007199254740993 is not a numeric id',
    );
    expect(site.requests).toHaveLength(0);
  });
});

describe('Confluence Data Center API', () => {
  it('uses a bearer PAT, expand=body.storage,version,history and start-based next links to the end', async () => {
    const { site, api } = dcSite(2);
    for (let i = 1; i <= 5; i++)
      site.add({ id: `90${i}`, kind: 'page', title: `P${i}`, spaceKey: 'ENG', bodies: [`<p>${i}</p>`] });
    const ids: string[] = [];
    let next: string | undefined;
    do {
      const page = await api.listSpaceContent('ENG', 'page', next);
      ids.push(...page.items.map((c) => c.ref.id));
      next = page.next;
    } while (next);
    expect(ids).toEqual(['901', '902', '903', '904', '905']);
    const first = site.requestsTo('GET', /\/confluence\/rest\/api\/content$/)[0]!;
    expect(first.headers.get('authorization')).toBe(`Bearer ${DC_PAT}`);
    expect(first.url.searchParams.get('expand')).toContain('body.storage,version,history');
    expect(site.requestsTo('GET', /\/confluence\/rest\/api\/content$/)[1]!.url.searchParams.get('start')).toBe('2');

    const hits: string[] = [];
    next = undefined;
    do {
      const page = await api.searchModifiedSince(new Date('2026-01-01T00:00:00Z'), [], next);
      hits.push(...page.items.map((i) => i.ref.id));
      next = page.next;
    } while (next);
    expect(hits).toHaveLength(5);
    expect(site.requestsTo('GET', /\/confluence\/rest\/api\/content\/search$/)).toHaveLength(3);
  });

  it('reads historical versions with status=historical and keeps the page identity', async () => {
    const { site, api } = dcSite();
    site.add({
      id: '950',
      kind: 'page',
      title: 'Runbook',
      spaceKey: 'ENG',
      bodies: ['<p>v1</p>', '<p>v2</p>', '<p>v3</p>'],
      authorId: 'acc-dana',
    });
    const current = (await api.getContent({ kind: 'page', id: '950' }))!;
    expect(current).toMatchObject({ version: 3, spaceKey: 'ENG', author: { id: 'key-acc-dana' } });
    expect(await api.historicalVersions(current)).toEqual([2, 1]);
    const v1 = (await api.getVersion(current, 1))!;
    expect(v1).toMatchObject({ ref: { kind: 'page', id: '950' }, version: 1, body: '<p>v1</p>' });
    expect(v1.url).toBe(`${DC_URL}/pages/viewpage.action?pageId=950&pageVersion=1`);
    const request = site.requestsTo('GET', /\/rest\/api\/content\/950$/).at(-1)!;
    expect(request.url.searchParams.get('status')).toBe('historical');
    expect(request.url.searchParams.get('version')).toBe('1');
  });

  it('lists page comments (depth=all) with the page space and writes comments with their container', async () => {
    const { site, api } = dcSite();
    site.add({ id: '960', kind: 'page', title: 'Page', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.add({ id: '961', kind: 'comment', containerId: '960', title: 'Re', spaceKey: 'ENG', bodies: ['<p>a</p>'] });
    const page = (await api.getContent({ kind: 'page', id: '960' }))!;
    const [comment] = await api.listComments(page);
    expect(comment).toMatchObject({
      ref: { kind: 'comment', id: '961' },
      spaceKey: 'ENG',
      container: { kind: 'page', id: '960' },
    });
    await api.updateBody(comment!, '<p>b</p>', 'why');
    const put = JSON.parse(site.requestsTo('PUT', /\/rest\/api\/content\/961$/)[0]!.body);
    expect(put).toEqual({
      id: '961',
      type: 'comment',
      title: 'Re',
      version: { number: 2, message: 'why' },
      body: { storage: { value: '<p>b</p>', representation: 'storage' } },
      container: { id: '960', type: 'page' },
    });
  });
});
