import { createHmac } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { escapeHtml, page } from './stand-in-page.ts';
import type { DeliveryFailure } from './delivery-failure.ts';
import type { SourceChange } from './source-change.ts';

export interface ConfluencePerson {
  /** Data Center user key (stable across renames). */
  key: string;
  username: string;
  displayName: string;
}

export interface ConfluenceVersion {
  number: number;
  /** Storage format (XHTML). */
  body: string;
  by: string;
  when: string;
  message: string;
}

export interface ConfluencePage {
  id: string;
  title: string;
  spaceKey: string;
  /** Ascending; the last one is current. */
  versions: ConfluenceVersion[];
}

export interface FakeConfluenceOptions {
  /** The bearer personal access token leakwatch signs in with. */
  pat: string;
  /** The account behind that token. */
  serviceUser: ConfluencePerson;
  /** Shared secret of the webhook registered for leakwatch (X-Hub-Signature). */
  webhookSecret: string;
}

const EXPAND_ALL = 'body.storage,version,history,space,container';

/**
 * A stand-in Confluence Data Center site (REST v1, as `ConfluenceDataCenterApi`
 * reads it): content by id with `expand`, historical versions
 * (`status=historical&version=n`), CQL search on `lastmodified`, space and
 * child-comment listings with `_links.next` paging, optimistic-lock updates
 * (409 on a stale version number), version deletion with renumbering, users by
 * key, bearer PAT authentication, and Data Center webhooks signed with
 * `X-Hub-Signature`. Everything lives in memory.
 */
export class FakeConfluence {
  readonly app: Hono;
  readonly pages = new Map<string, ConfluencePage>();
  readonly people = new Map<string, ConfluencePerson>();
  readonly deliveryFailures: DeliveryFailure[] = [];
  readonly #options: FakeConfluenceOptions;
  #baseUrl = 'http://127.0.0.1';
  #webhookUrl: string | undefined;
  #nextId = 65_601;
  #changeListener: ((change: SourceChange) => void) | undefined;

  constructor(options: FakeConfluenceOptions) {
    this.#options = options;
    this.addPerson(options.serviceUser);
    this.app = new Hono();
    this.app.use('/rest/*', async (c, next) => {
      const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (token !== this.#options.pat) {
        return c.json(
          { statusCode: 401, message: 'This request requires authentication', reason: 'Unauthorized' },
          401,
        );
      }
      await next();
    });
    this.#routes();
  }

  setBaseUrl(url: string): void {
    this.#baseUrl = url.replace(/\/+$/, '');
  }

  /** Registers leakwatch's webhook (what an admin does under General configuration → Webhooks). */
  setWebhookUrl(url: string): void {
    this.#webhookUrl = url;
  }

  addPerson(person: ConfluencePerson): void {
    this.people.set(person.key, person);
  }

  onChange(listener: (change: SourceChange) => void): void {
    this.#changeListener = listener;
  }

  /** A page written long ago (versions in order), without any webhook: it predates leakwatch. */
  seedPage(input: {
    spaceKey: string;
    title: string;
    versions: Array<{ body: string; by: string; daysAgo: number; message?: string }>;
  }): ConfluencePage {
    const created: ConfluencePage = {
      id: String(this.#nextId++),
      title: input.title,
      spaceKey: input.spaceKey,
      versions: input.versions.map((v, i) => ({
        number: i + 1,
        body: v.body,
        by: v.by,
        when: new Date(Date.now() - v.daysAgo * 86_400_000).toISOString(),
        message: v.message ?? '',
      })),
    };
    this.pages.set(created.id, created);
    return created;
  }

  /** Someone edits a page in the editor: a new current version, then the `page_updated` webhook. */
  async edit(pageId: string, body: string, by: string, message = ''): Promise<ConfluenceVersion> {
    const target = this.pages.get(pageId);
    if (!target) throw new Error(`no page ${pageId}`);
    const version = { number: this.current(target).number + 1, body, by, when: new Date().toISOString(), message };
    target.versions.push(version);
    await this.#sendWebhook('page_updated', target, by);
    return version;
  }

  current(target: ConfluencePage): ConfluenceVersion {
    return target.versions[target.versions.length - 1]!;
  }

  pageUrl(target: ConfluencePage, version?: number): string {
    return `${this.#baseUrl}/pages/viewpage.action?pageId=${target.id}${version ? `&pageVersion=${version}` : ''}`;
  }

  async #sendWebhook(event: string, target: ConfluencePage, byKey: string): Promise<void> {
    const url = this.#webhookUrl;
    if (!url) return;
    const current = this.current(target);
    const body = JSON.stringify({
      timestamp: Date.now(),
      event,
      userKey: byKey,
      page: {
        spaceKey: target.spaceKey,
        modificationDate: Date.parse(current.when),
        creatorKey: target.versions[0]!.by,
        lastModifierKey: current.by,
        self: this.pageUrl(target),
        id: Number(target.id),
        title: target.title,
        creationDate: Date.parse(target.versions[0]!.when),
        version: current.number,
      },
      updateTrigger: 'edit_page',
    });
    const signature = `sha256=${createHmac('sha256', this.#options.webhookSecret).update(body).digest('hex')}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      if (!response.ok)
        this.deliveryFailures.push({ platform: 'confluence', what: `webhook ${event}`, status: response.status });
    } catch {
      this.deliveryFailures.push({ platform: 'confluence', what: `webhook ${event}`, status: 'unreachable' });
    }
  }

  // ------------------------------------------------------------ JSON as Data Center renders it

  #user(key: string) {
    const person = this.people.get(key);
    return {
      type: 'known',
      username: person?.username ?? key,
      userKey: key,
      profilePicture: { path: '/images/icons/profilepics/default.svg', width: 48, height: 48, isDefault: true },
      displayName: person?.displayName ?? key,
      _links: { self: `${this.#baseUrl}/rest/api/user?key=${key}` },
    };
  }

  #content(target: ConfluencePage, version: ConfluenceVersion, expand: string) {
    const historical = version !== this.current(target);
    const want = (part: string) => expand.split(',').some((e) => e === part || e.startsWith(`${part}.`));
    return {
      id: target.id,
      type: 'page',
      status: historical ? 'historical' : 'current',
      title: target.title,
      ...(want('space') ? { space: { id: 98_305, key: target.spaceKey, name: target.spaceKey, type: 'global' } } : {}),
      ...(want('history')
        ? {
            history: {
              latest: !historical,
              createdBy: this.#user(target.versions[0]!.by),
              createdDate: target.versions[0]!.when,
            },
          }
        : {}),
      ...(want('version')
        ? {
            version: {
              by: this.#user(version.by),
              when: version.when,
              message: version.message,
              number: version.number,
              minorEdit: false,
            },
          }
        : {}),
      ...(want('body') ? { body: { storage: { value: version.body, representation: 'storage' } } } : {}),
      _links: {
        webui: `/pages/viewpage.action?pageId=${target.id}${historical ? `&pageVersion=${version.number}` : ''}`,
        self: `${this.#baseUrl}/rest/api/content/${target.id}`,
      },
    };
  }

  /** A v1 listing: `start`/`limit` paging with a `_links.next` relative to the context path. */
  #list<T>(c: Context, items: T[]) {
    const url = new URL(c.req.url);
    const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 25), 1), 100);
    const start = Math.max(Number(url.searchParams.get('start') ?? 0), 0);
    const slice = items.slice(start, start + limit);
    let next: string | undefined;
    if (start + limit < items.length) {
      const nextUrl = new URL(url);
      nextUrl.searchParams.set('start', String(start + limit));
      next = `${nextUrl.pathname}${nextUrl.search}`;
    }
    return c.json({
      results: slice,
      start,
      limit,
      size: slice.length,
      _links: { base: this.#baseUrl, context: '', ...(next ? { next } : {}), self: `${this.#baseUrl}${url.pathname}` },
    });
  }

  #notFound(c: Context) {
    return c.json(
      {
        statusCode: 404,
        data: { authorized: true, valid: true, errors: [] },
        message: 'No content found',
        reason: 'Not Found',
      },
      404,
    );
  }

  /** The CQL leakwatch writes: `type in (…)`, `space in (…)`, `lastmodified >= "yyyy/MM/dd HH:mm"`. */
  #search(cql: string): ConfluencePage[] {
    const since = /lastmodified >= "(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})"/.exec(cql);
    const sinceMs = since ? Date.UTC(+since[1]!, +since[2]! - 1, +since[3]!, +since[4]!, +since[5]!) : 0;
    const spaces = /space in \(([^)]*)\)/
      .exec(cql)?.[1]
      ?.split(',')
      .map((s) => s.trim().replace(/"/g, ''));
    const types = /type in \(([^)]*)\)/
      .exec(cql)?.[1]
      ?.split(',')
      .map((s) => s.trim());
    return [...this.pages.values()]
      .filter((p) => (!types || types.includes('page')) && (!spaces || spaces.includes(p.spaceKey)))
      .filter((p) => Date.parse(this.current(p).when) >= sinceMs)
      .sort((a, b) => Date.parse(this.current(a).when) - Date.parse(this.current(b).when));
  }

  #routes(): void {
    const app = this.app;
    app.get('/rest/api/content/search', (c) => {
      const expand = c.req.query('expand') ?? '';
      return this.#list(
        c,
        this.#search(c.req.query('cql') ?? '').map((p) => this.#content(p, this.current(p), expand)),
      );
    });
    app.get('/rest/api/content/:id/child/comment', (c) => {
      if (!this.pages.has(c.req.param('id'))) return this.#notFound(c);
      // Nobody comments on the demo's pages.
      return this.#list(c, []);
    });
    app.get('/rest/api/content/:id', (c) => {
      const target = this.pages.get(c.req.param('id'));
      if (!target) return this.#notFound(c);
      const expand = c.req.query('expand') ?? '';
      if (c.req.query('status') === 'historical') {
        const version = target.versions.find((v) => v.number === Number(c.req.query('version')));
        return version ? c.json(this.#content(target, version, expand)) : this.#notFound(c);
      }
      return c.json(this.#content(target, this.current(target), expand));
    });
    app.get('/rest/api/content', (c) => {
      const expand = c.req.query('expand') ?? '';
      const type = c.req.query('type') ?? 'page';
      const spaceKey = c.req.query('spaceKey');
      const items = [...this.pages.values()]
        .filter((p) => type === 'page' && (!spaceKey || p.spaceKey === spaceKey))
        .map((p) => this.#content(p, this.current(p), expand));
      return this.#list(c, items);
    });
    app.get('/rest/api/space', (c) => {
      const keys = [...new Set([...this.pages.values()].map((p) => p.spaceKey))];
      return this.#list(
        c,
        keys.map((key, i) => ({ id: 98_305 + i, key, name: key, type: 'global' })),
      );
    });
    app.put('/rest/api/content/:id', async (c) => {
      const target = this.pages.get(c.req.param('id'));
      if (!target) return this.#notFound(c);
      const payload = (await c.req.json().catch(() => null)) as {
        title?: string;
        version?: { number?: number; message?: string };
        body?: { storage?: { value?: string } };
      } | null;
      const body = payload?.body?.storage?.value;
      const number = payload?.version?.number;
      if (typeof body !== 'string' || typeof number !== 'number') {
        return c.json(
          { statusCode: 400, message: 'version and body.storage are required', reason: 'Bad Request' },
          400,
        );
      }
      const current = this.current(target);
      if (number !== current.number + 1) {
        const message = `Version must be incremented on update. Current version is: ${current.number}`;
        return c.json({ statusCode: 409, message, reason: 'Conflict' }, 409);
      }
      if (payload?.title) target.title = payload.title;
      target.versions.push({
        number,
        body,
        by: this.#options.serviceUser.key,
        when: new Date().toISOString(),
        message: payload?.version?.message ?? '',
      });
      this.#changeListener?.({
        platform: 'confluence',
        place: `"${target.title}" v${current.number}→v${number}`,
        kind: 'edited',
        before: current.body,
        after: body,
        by: this.#options.serviceUser.username,
      });
      return c.json(this.#content(target, this.current(target), EXPAND_ALL));
    });
    app.delete('/rest/api/content/:id/version/:n', (c) => {
      const target = this.pages.get(c.req.param('id'));
      if (!target) return this.#notFound(c);
      const n = Number(c.req.param('n'));
      if (n === this.current(target).number) {
        return c.json({ statusCode: 400, message: 'Cannot delete the current version', reason: 'Bad Request' }, 400);
      }
      const index = target.versions.findIndex((v) => v.number === n);
      if (index === -1) return this.#notFound(c);
      const [removed] = target.versions.splice(index, 1);
      // Confluence keeps version numbers contiguous: the later ones move down.
      target.versions.forEach((v, i) => (v.number = i + 1));
      this.#changeListener?.({
        platform: 'confluence',
        place: `"${target.title}" version ${n}`,
        kind: 'version_deleted',
        before: removed!.body,
        after: '',
        by: this.#options.serviceUser.username,
      });
      return c.body(null, 204);
    });
    app.get('/rest/api/user', (c) => {
      const key = c.req.query('key') ?? '';
      if (!this.people.has(key)) return c.json({ statusCode: 404, message: 'No user found', reason: 'Not Found' }, 404);
      return c.json(this.#user(key));
    });
    app.all('/rest/*', (c) =>
      c.json({ statusCode: 404, message: 'null for uri: ' + c.req.url, reason: 'Not Found' }, 404),
    );
    app.get('/pages/viewpage.action', (c) => this.#viewPage(c));
    app.get('/', (c) => {
      const items = [...this.pages.values()]
        .map(
          (p) =>
            `<li><a href="/pages/viewpage.action?pageId=${p.id}">${escapeHtml(p.title)}</a> (${escapeHtml(p.spaceKey)})</li>`,
        )
        .join('');
      return c.html(page('Stand-in Confluence', `<ul>${items}</ul>`));
    });
  }

  /** The page with its version history, as text (storage markup shown, not rendered). */
  #viewPage(c: Context): Response {
    const target = this.pages.get(c.req.query('pageId') ?? '');
    if (!target) return c.html(page('Not found', '<p>No such page.</p>'), 404);
    const versions = [...target.versions]
      .reverse()
      .map((v) => {
        const who = this.people.get(v.by)?.displayName ?? v.by;
        return `<li><strong>v${v.number}</strong> by ${escapeHtml(who)}, ${escapeHtml(v.when)}${v.message ? ` — ${escapeHtml(v.message)}` : ''}<pre>${escapeHtml(v.body)}</pre></li>`;
      })
      .join('');
    return c.html(
      page(target.title, `<p>Space ${escapeHtml(target.spaceKey)}. Versions, newest first:</p><ul>${versions}</ul>`),
    );
  }
}
