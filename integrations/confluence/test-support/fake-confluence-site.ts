import { http, HttpResponse, type HttpHandler } from 'msw';

/**
 * An in-memory Confluence site behind msw, answering with the JSON shapes of
 * Confluence Cloud REST v2/v1 or Data Center REST v1 (as documented on
 * developer.atlassian.com): `_links.next` paging (capped page sizes so every
 * listing really pages), versions, storage bodies, 409 on a stale version,
 * version deletion with renumbering, and injectable failures (429 +
 * Retry-After, 403…). Tests drive leakwatch against it at the HTTP layer.
 */

export interface FakeVersion {
  number: number;
  body: string;
  authorId: string;
  createdAt: string;
  message?: string;
}

export interface FakeContent {
  id: string;
  kind: 'page' | 'blogpost' | 'comment';
  title: string;
  spaceKey: string;
  /** Ascending by number; the last one is current. */
  versions: FakeVersion[];
  location?: 'footer' | 'inline';
  containerId?: string;
  parentCommentId?: string;
}

export interface LoggedRequest {
  method: string;
  url: URL;
  body: string;
  headers: Headers;
}

interface Rule {
  method: string;
  path: RegExp;
  times: number;
  respond: () => Response | void;
}

export interface FakeSiteOptions {
  deployment: 'cloud' | 'datacenter';
  /** Cloud: https://acme.atlassian.net ; Data Center: https://wiki.corp.test/confluence */
  baseUrl: string;
  /** Largest page any listing returns, whatever `limit` asks (forces paging). */
  maxPageSize?: number;
}

const SPACE_IDS: Record<string, string> = {};

function spaceIdOf(key: string): string {
  SPACE_IDS[key] ??= String(98_304 + Object.keys(SPACE_IDS).length + 1);
  return SPACE_IDS[key];
}

export class FakeConfluenceSite {
  readonly deployment: 'cloud' | 'datacenter';
  readonly baseUrl: string;
  readonly origin: string;
  readonly contents = new Map<string, FakeContent>();
  readonly requests: LoggedRequest[] = [];
  readonly users = new Map<string, { email?: string; displayName: string }>();
  readonly spaces = new Set<string>();
  #rules: Rule[] = [];
  #maxPageSize: number;
  #clock = Date.parse('2026-11-20T10:00:00.000Z');
  /** Runs just before the next content PUT is handled (simulates a concurrent edit). */
  beforeNextPut: (() => void) | undefined;

  constructor(options: FakeSiteOptions) {
    this.deployment = options.deployment;
    this.baseUrl = options.baseUrl;
    this.origin = new URL(options.baseUrl).origin;
    this.#maxPageSize = options.maxPageSize ?? 2;
  }

  /** The site's clock: a little after its latest edit. */
  now(): Date {
    return new Date(this.#clock + 30_000);
  }

  /** Moves the site's clock on (time passing between polls). */
  advance(ms: number): void {
    this.#clock += ms;
  }

  #tick(): string {
    this.#clock += 60_000;
    return new Date(this.#clock).toISOString();
  }

  /** Adds content whose versions have the given bodies (version 1 first). */
  add(content: Omit<FakeContent, 'versions'> & { bodies: string[]; authorId?: string; at?: string }): FakeContent {
    const { bodies, authorId, at, ...rest } = content;
    const stored: FakeContent = {
      ...rest,
      versions: bodies.map((body, i) => ({
        number: i + 1,
        body,
        authorId: authorId ?? 'acc-dana',
        // `at`: written back then but only now visible in search (eventual consistency).
        createdAt: at ?? this.#tick(),
      })),
    };
    this.spaces.add(stored.spaceKey);
    this.contents.set(stored.id, stored);
    return stored;
  }

  /** Someone edits the content in Confluence: a new current version. */
  edit(id: string, body: string, authorId = 'acc-dana'): void {
    const content = this.contents.get(id)!;
    content.versions.push({ number: content.versions.length + 1, body, authorId, createdAt: this.#tick() });
  }

  current(id: string): FakeVersion {
    const versions = this.contents.get(id)!.versions;
    return versions[versions.length - 1]!;
  }

  /** The next `times` requests matching method + path get `respond()` instead of the normal answer. */
  failNext(method: string, path: RegExp, respond: () => Response, times = 1): void {
    this.#rules.push({ method, path, times, respond });
  }

  requestsTo(method: string, path: RegExp): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.url.pathname));
  }

  handlers(): HttpHandler[] {
    const logAndRules = http.all(`${this.origin}/*`, async ({ request }) => {
      const url = new URL(request.url);
      this.requests.push({
        method: request.method,
        url,
        body: await request.clone().text(),
        headers: request.headers,
      });
      const rule = this.#rules.find((r) => r.method === request.method && r.path.test(url.pathname) && r.times > 0);
      if (rule) {
        rule.times--;
        return rule.respond() ?? undefined;
      }
      return undefined;
    });
    return [logAndRules, ...(this.deployment === 'cloud' ? this.#cloudHandlers() : this.#dataCenterHandlers())];
  }

  // ---------------------------------------------------------------- shared

  #page<T>(items: T[], url: URL, cursorParam: 'cursor' | 'start'): { slice: T[]; next?: string } {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 25), this.#maxPageSize);
    const offset =
      cursorParam === 'cursor'
        ? Number(Buffer.from(url.searchParams.get('cursor') ?? 'MA', 'base64url').toString() || '0')
        : Number(url.searchParams.get('start') ?? 0);
    const slice = items.slice(offset, offset + limit);
    if (offset + limit >= items.length) return { slice };
    const next = new URL(url);
    if (cursorParam === 'cursor')
      next.searchParams.set('cursor', Buffer.from(String(offset + limit)).toString('base64url'));
    else next.searchParams.set('start', String(offset + limit));
    next.searchParams.set('limit', String(limit));
    return { slice, next: `${next.pathname}${next.search}` };
  }

  #cqlFilter(cql: string): (c: FakeContent) => boolean {
    const since = /lastmodified >= "(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})"/.exec(cql);
    const sinceMs = since ? Date.UTC(+since[1]!, +since[2]! - 1, +since[3]!, +since[4]!, +since[5]!) : 0;
    const spaces = /space in \(([^)]*)\)/
      .exec(cql)?.[1]
      ?.split(',')
      .map((s) => s.trim().replace(/"/g, ''));
    return (c) =>
      Date.parse(this.current(c.id).createdAt) >= sinceMs && (spaces === undefined || spaces.includes(c.spaceKey));
  }

  #searchHits(cql: string): FakeContent[] {
    return [...this.contents.values()]
      .filter(this.#cqlFilter(cql))
      .sort((a, b) => Date.parse(this.current(a.id).createdAt) - Date.parse(this.current(b.id).createdAt));
  }

  #put(id: string, number: number, body: string, title?: string): Response | undefined {
    const hook = this.beforeNextPut;
    this.beforeNextPut = undefined;
    hook?.();
    const content = this.contents.get(id);
    if (!content) return undefined;
    const current = this.current(id);
    if (number !== current.number + 1) {
      const title409 = `Version must be incremented on update. Current version is: ${current.number}`;
      return this.deployment === 'cloud'
        ? HttpResponse.json(
            { errors: [{ status: 409, code: 'CONFLICT', title: title409, detail: null }] },
            { status: 409 },
          )
        : HttpResponse.json({ statusCode: 409, message: title409, reason: 'Conflict' }, { status: 409 });
    }
    if (title !== undefined) content.title = title;
    content.versions.push({ number, body, authorId: 'acc-leakwatch', createdAt: this.#tick() });
    return undefined;
  }

  #deleteVersion(id: string, n: number): Response {
    const content = this.contents.get(id);
    if (!content) return HttpResponse.json({ statusCode: 404 }, { status: 404 });
    if (n === this.current(id).number) {
      return HttpResponse.json({ statusCode: 400, message: 'Cannot delete the current version' }, { status: 400 });
    }
    const index = content.versions.findIndex((v) => v.number === n);
    if (index === -1) return HttpResponse.json({ statusCode: 404 }, { status: 404 });
    content.versions.splice(index, 1);
    // Confluence keeps version numbers contiguous: the later ones move down.
    content.versions.forEach((v, i) => (v.number = i + 1));
    return new HttpResponse(null, { status: 204 });
  }

  // ----------------------------------------------------------------- Cloud

  #v2Version(v: FakeVersion) {
    return {
      createdAt: v.createdAt,
      message: v.message ?? '',
      number: v.number,
      minorEdit: false,
      authorId: v.authorId,
    };
  }

  #v2Content(c: FakeContent, v: FakeVersion, bodyFormat: string | null) {
    const webui =
      c.kind === 'comment'
        ? `/spaces/${c.spaceKey}/pages/${c.containerId}/Page?focusedCommentId=${c.id}`
        : `/spaces/${c.spaceKey}/${c.kind === 'page' ? 'pages' : 'blog'}/${c.id}/${encodeURIComponent(c.title)}`;
    const base = {
      id: c.id,
      status: 'current',
      title: c.title,
      version: this.#v2Version(v),
      ...(bodyFormat === 'storage'
        ? { body: { storage: { representation: 'storage', value: v.body } } }
        : { body: {} }),
      _links: { webui, tinyui: `/x/${c.id}` },
    };
    if (c.kind === 'comment') {
      const container = this.contents.get(c.containerId!)!;
      return {
        ...base,
        ...(container.kind === 'page' ? { pageId: container.id } : { blogPostId: container.id }),
        ...(c.parentCommentId ? { parentCommentId: c.parentCommentId } : {}),
        ...(c.location === 'inline'
          ? {
              resolutionStatus: 'open',
              properties: { inlineMarkerRef: `marker-${c.id}`, inlineOriginalSelection: 'text' },
            }
          : {}),
      };
    }
    return {
      ...base,
      spaceId: spaceIdOf(c.spaceKey),
      parentType: 'page',
      authorId: c.versions[0]!.authorId,
      ownerId: c.versions[0]!.authorId,
      createdAt: c.versions[0]!.createdAt,
    };
  }

  #v2List<T>(items: T[], url: URL) {
    const { slice, next } = this.#page(items, url, 'cursor');
    return HttpResponse.json(
      { results: slice, _links: { ...(next ? { next } : {}), base: `${this.origin}/wiki` } },
      next ? { headers: { link: `<${next}>; rel="next"` } } : undefined,
    );
  }

  #cloudHandlers(): HttpHandler[] {
    const o = `${this.origin}/wiki`;
    const notFound = () =>
      HttpResponse.json(
        { errors: [{ status: 404, code: 'NOT_FOUND', title: 'Not Found', detail: null }] },
        { status: 404 },
      );
    const collections = {
      pages: 'page',
      blogposts: 'blogpost',
      'footer-comments': 'comment',
      'inline-comments': 'comment',
    };
    const matches = (c: FakeContent | undefined, collection: string) => {
      if (!c || c.kind !== collections[collection as keyof typeof collections]) return false;
      if (c.kind !== 'comment') return true;
      return collection === `${c.location ?? 'footer'}-comments`;
    };
    const handlers: HttpHandler[] = [
      http.get(`${o}/api/v2/spaces`, ({ request }) => {
        const url = new URL(request.url);
        const keys = url.searchParams.get('keys')?.split(',');
        const spaces = [...this.spaces]
          .filter((k) => !keys || keys.includes(k))
          .map((key) => ({ id: spaceIdOf(key), key, name: key, type: 'global', status: 'current' }));
        return this.#v2List(spaces, url);
      }),
      http.get(`${o}/api/v2/spaces/:spaceId`, ({ params }) => {
        const key = [...this.spaces].find((k) => spaceIdOf(k) === params.spaceId);
        return key
          ? HttpResponse.json({ id: params.spaceId, key, name: key, type: 'global', status: 'current' })
          : notFound();
      }),
      http.get(`${o}/api/v2/spaces/:spaceId/:collection`, ({ params, request }) => {
        const url = new URL(request.url);
        const kind = params.collection === 'pages' ? 'page' : 'blogpost';
        const items = [...this.contents.values()]
          .filter((c) => c.kind === kind && spaceIdOf(c.spaceKey) === params.spaceId)
          .map((c) => this.#v2Content(c, this.current(c.id), url.searchParams.get('body-format')));
        return this.#v2List(items, url);
      }),
      http.get(`${o}/api/v2/:collection/:id/versions`, ({ params, request }) => {
        const c = this.contents.get(params.id as string);
        if (!matches(c, params.collection as string)) return notFound();
        const versions = [...c!.versions].reverse().map((v) => ({
          ...this.#v2Version(v),
          ...(c!.kind === 'comment' ? { comment: { id: c!.id } } : { page: { id: c!.id, title: c!.title } }),
        }));
        return this.#v2List(versions, new URL(request.url));
      }),
      http.get(`${o}/api/v2/:parent/:id/:location`, ({ params, request }) => {
        const { parent = '', id, location = '' } = params as Record<string, string>;
        if (!['footer-comments', 'inline-comments', 'children'].includes(location)) return undefined;
        const url = new URL(request.url);
        const loc = location === 'children' ? parent.replace('-comments', '') : location.replace('-comments', '');
        const items = [...this.contents.values()]
          .filter((c) =>
            location === 'children'
              ? c.kind === 'comment' && c.parentCommentId === id
              : c.kind === 'comment' && c.containerId === id && !c.parentCommentId,
          )
          .filter((c) => (c.location ?? 'footer') === loc)
          .map((c) => this.#v2Content(c, this.current(c.id), url.searchParams.get('body-format')));
        return this.#v2List(items, url);
      }),
      http.get(`${o}/api/v2/:collection/:id`, ({ params, request }) => {
        const c = this.contents.get(params.id as string);
        if (!matches(c, params.collection as string)) return notFound();
        const url = new URL(request.url);
        const wanted = url.searchParams.get('version');
        const v = wanted ? c!.versions.find((x) => x.number === Number(wanted)) : this.current(c!.id);
        if (!v) return notFound();
        return HttpResponse.json(this.#v2Content(c!, v, url.searchParams.get('body-format')));
      }),
      http.put(`${o}/api/v2/:collection/:id`, async ({ params, request }) => {
        const c = this.contents.get(params.id as string);
        if (!matches(c, params.collection as string)) return notFound();
        const payload = (await request.json()) as {
          title?: string;
          version: { number: number };
          body: { representation: string; value: string };
        };
        const refused = this.#put(c!.id, payload.version.number, payload.body.value, payload.title);
        return refused ?? HttpResponse.json(this.#v2Content(c!, this.current(c!.id), 'storage'));
      }),
      http.delete(`${o}/rest/api/content/:id/version/:n`, ({ params }) =>
        this.#deleteVersion(params.id as string, Number(params.n)),
      ),
      http.get(`${o}/rest/api/search`, ({ request }) => {
        const url = new URL(request.url);
        const hits = this.#searchHits(url.searchParams.get('cql') ?? '').map((c) => {
          const v = this.current(c.id);
          return {
            content: {
              id: c.id,
              type: c.kind,
              status: 'current',
              title: c.title,
              version: {
                by: { type: 'known', accountId: v.authorId },
                when: v.createdAt,
                number: v.number,
                minorEdit: false,
              },
              ...(c.kind === 'comment' ? { extensions: { location: c.location ?? 'footer' } } : {}),
              _links: { webui: `/spaces/${c.spaceKey}/pages/${c.id}`, self: `${o}/rest/api/content/${c.id}` },
            },
            title: c.title,
            excerpt: '',
            url: `/spaces/${c.spaceKey}/pages/${c.id}`,
            resultGlobalContainer: { title: c.spaceKey, displayUrl: `/spaces/${c.spaceKey}` },
            breadcrumbs: [],
            entityType: 'content',
            iconCssClass: `aui-icon content-type-${c.kind}`,
            lastModified: v.createdAt,
            friendlyLastModified: 'just now',
          };
        });
        const { slice, next } = this.#page(hits, url, 'cursor');
        return HttpResponse.json({
          results: slice,
          start: 0,
          limit: slice.length,
          size: slice.length,
          totalSize: hits.length,
          cqlQuery: url.searchParams.get('cql'),
          searchDuration: 12,
          _links: {
            base: o,
            context: '/wiki',
            // v1 links are relative to the context path.
            ...(next ? { next: next.replace(/^\/wiki/, '') } : {}),
            self: `${o}/rest/api/search`,
          },
        });
      }),
      http.get(`${o}/rest/api/user`, ({ request }) => {
        const id = new URL(request.url).searchParams.get('accountId') ?? '';
        const user = this.users.get(id);
        if (!user) return notFound();
        return HttpResponse.json({
          type: 'known',
          accountId: id,
          accountType: 'atlassian',
          ...(user.email ? { email: user.email } : {}),
          publicName: user.displayName,
          displayName: user.displayName,
          isExternalCollaborator: false,
        });
      }),
    ];
    return handlers;
  }

  // ----------------------------------------------------------- Data Center

  #dcContent(c: FakeContent, v: FakeVersion, expand: string, historical = false) {
    const by = {
      type: 'known',
      username: v.authorId.replace(/^acc-/, ''),
      userKey: `key-${v.authorId}`,
      displayName: v.authorId,
    };
    const container = c.containerId ? this.contents.get(c.containerId) : undefined;
    return {
      id: historical ? `${c.id}0${v.number}` : c.id,
      type: c.kind,
      status: historical ? 'historical' : 'current',
      title: c.title,
      ...(expand.includes('space')
        ? { space: { id: Number(spaceIdOf(c.spaceKey)), key: c.spaceKey, name: c.spaceKey } }
        : {}),
      ...(expand.includes('history')
        ? { history: { latest: !historical, createdBy: by, createdDate: c.versions[0]!.createdAt } }
        : {}),
      ...(expand.includes('version')
        ? { version: { by, when: v.createdAt, message: '', number: v.number, minorEdit: false } }
        : {}),
      ...(expand.includes('body.storage') ? { body: { storage: { value: v.body, representation: 'storage' } } } : {}),
      ...(expand.includes('container') && container
        ? {
            container: {
              id: container.id,
              type: container.kind,
              title: container.title,
              space: { key: container.spaceKey },
            },
          }
        : {}),
      _links: {
        webui: `/pages/viewpage.action?pageId=${c.kind === 'comment' ? c.containerId : c.id}`,
        self: `${this.baseUrl}/rest/api/content/${c.id}`,
      },
    };
  }

  #dcList<T>(items: T[], url: URL) {
    const { slice, next } = this.#page(items, url, 'start');
    const context = new URL(this.baseUrl).pathname;
    return HttpResponse.json({
      results: slice,
      start: Number(url.searchParams.get('start') ?? 0),
      limit: slice.length,
      size: slice.length,
      _links: {
        base: this.baseUrl,
        context,
        ...(next ? { next: next.slice(context.length) } : {}),
        self: `${this.baseUrl}${url.pathname.slice(context.length)}`,
      },
    });
  }

  #dataCenterHandlers(): HttpHandler[] {
    const b = this.baseUrl;
    const notFound = () =>
      HttpResponse.json({ statusCode: 404, message: 'No content found', reason: 'Not Found' }, { status: 404 });
    return [
      http.get(`${b}/rest/api/content/search`, ({ request }) => {
        const url = new URL(request.url);
        const expand = url.searchParams.get('expand') ?? '';
        const hits = this.#searchHits(url.searchParams.get('cql') ?? '').map((c) =>
          this.#dcContent(c, this.current(c.id), expand),
        );
        return this.#dcList(hits, url);
      }),
      http.get(`${b}/rest/api/content/:id/child/comment`, ({ params, request }) => {
        const url = new URL(request.url);
        const expand = url.searchParams.get('expand') ?? '';
        const items = [...this.contents.values()]
          .filter((c) => c.kind === 'comment' && c.containerId === params.id)
          .map((c) => this.#dcContent(c, this.current(c.id), expand));
        return this.#dcList(items, url);
      }),
      http.get(`${b}/rest/api/content/:id`, ({ params, request }) => {
        const c = this.contents.get(params.id as string);
        if (!c) return notFound();
        const url = new URL(request.url);
        const expand = url.searchParams.get('expand') ?? '';
        if (url.searchParams.get('status') === 'historical') {
          const v = c.versions.find((x) => x.number === Number(url.searchParams.get('version')));
          return v ? HttpResponse.json(this.#dcContent(c, v, expand, v !== this.current(c.id))) : notFound();
        }
        return HttpResponse.json(this.#dcContent(c, this.current(c.id), expand));
      }),
      http.get(`${b}/rest/api/content`, ({ request }) => {
        const url = new URL(request.url);
        const expand = url.searchParams.get('expand') ?? '';
        const items = [...this.contents.values()]
          .filter((c) => c.kind === url.searchParams.get('type') && c.spaceKey === url.searchParams.get('spaceKey'))
          .map((c) => this.#dcContent(c, this.current(c.id), expand));
        return this.#dcList(items, url);
      }),
      http.get(`${b}/rest/api/space`, ({ request }) =>
        this.#dcList(
          [...this.spaces].map((key) => ({ id: Number(spaceIdOf(key)), key, name: key, type: 'global' })),
          new URL(request.url),
        ),
      ),
      http.put(`${b}/rest/api/content/:id`, async ({ params, request }) => {
        const c = this.contents.get(params.id as string);
        if (!c) return notFound();
        const payload = (await request.json()) as {
          title?: string;
          type: string;
          version: { number: number };
          body: { storage: { value: string } };
        };
        const refused = this.#put(c.id, payload.version.number, payload.body.storage.value, payload.title);
        return refused ?? HttpResponse.json(this.#dcContent(c, this.current(c.id), 'version,space,body.storage'));
      }),
      http.delete(`${b}/rest/api/content/:id/version/:n`, ({ params }) =>
        this.#deleteVersion(params.id as string, Number(params.n)),
      ),
      http.get(`${b}/rest/api/user`, ({ request }) => {
        const key = new URL(request.url).searchParams.get('key') ?? '';
        const user = this.users.get(key);
        if (!user) return notFound();
        return HttpResponse.json({ type: 'known', username: key, userKey: key, displayName: user.displayName });
      }),
    ];
  }
}

/** A Retry-After answer. */
export function tooManyRequests(retryAfterSeconds: number): Response {
  return HttpResponse.json(
    { message: 'Rate limit exceeded' },
    { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}
