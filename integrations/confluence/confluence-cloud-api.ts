import {
  modifiedSinceCql,
  VersionConflictError,
  type ChangedContent,
  type ConfluenceApi,
  type ConfluenceUser,
  type ContentRef,
  type ContentVersion,
  type ResultPage,
} from './confluence-api.ts';
import { ConfluenceHttpError, type ConfluenceHttp } from './confluence-http.ts';

/** REST v2 shapes (https://developer.atlassian.com/cloud/confluence/rest/v2/), the fields leakwatch reads. */
interface V2Version {
  number: number;
  authorId?: string;
  createdAt?: string;
  message?: string;
}

interface V2Content {
  id: string;
  status?: string;
  title?: string;
  spaceId?: string;
  pageId?: string;
  blogPostId?: string;
  parentCommentId?: string;
  version?: V2Version;
  body?: { storage?: { value?: string; representation?: string } };
  _links?: { webui?: string; base?: string };
}

interface V2List<T> {
  results: T[];
  _links?: { next?: string; base?: string };
}

/** REST v1 search (https://developer.atlassian.com/cloud/confluence/rest/v1/api-group-search/). */
interface V1SearchResult {
  content?: {
    id: string;
    type: string;
    version?: { number: number; when?: string };
    extensions?: { location?: string };
  };
  lastModified?: string;
}

interface V1SearchPage {
  results: V1SearchResult[];
  _links?: { next?: string; base?: string; context?: string };
}

interface V1User {
  accountId?: string;
  email?: string;
  displayName?: string;
  publicName?: string;
  accountStatus?: string;
}

const PAGE_LIMIT = 50;
const STORAGE = { 'body-format': 'storage', limit: PAGE_LIMIT };
/** Reply threads deeper than this are not followed (a guard against cycles, not a product limit). */
const MAX_REPLY_DEPTH = 20;

function collectionFor(ref: ContentRef): string {
  switch (ref.kind) {
    case 'page':
      return 'pages';
    case 'blogpost':
      return 'blogposts';
    case 'comment':
      return ref.commentLocation === 'inline' ? 'inline-comments' : 'footer-comments';
  }
}

function isKind(type: string): type is ContentVersion['ref']['kind'] {
  return type === 'page' || type === 'blogpost' || type === 'comment';
}

/**
 * Confluence Cloud: REST v2 for pages, blog posts, comments and their
 * versions; REST v1 where v2 has no equivalent (CQL search, users, deleting a
 * historical version). Space ids are resolved to keys once and cached.
 */
export class ConfluenceCloudApi implements ConfluenceApi {
  readonly deployment = 'cloud' as const;
  readonly host: string;
  readonly #http: ConfluenceHttp;
  readonly #siteBase: string;
  readonly #spaceKeys = new Map<string, string>();
  /** Space key of each page/blog post a comment was read from. */
  readonly #containerSpaces = new Map<string, string>();

  constructor(http: ConfluenceHttp, host: string) {
    this.#http = http;
    this.host = host;
    this.#siteBase = `${http.origin}/wiki`;
  }

  async searchModifiedSince(
    since: Date,
    spaces: readonly string[],
    next?: string,
  ): Promise<ResultPage<ChangedContent>> {
    const page = next
      ? await this.#http.json<V1SearchPage>({ path: next })
      : await this.#http.json<V1SearchPage>({
          path: '/wiki/rest/api/search',
          query: { cql: modifiedSinceCql(since, spaces), limit: PAGE_LIMIT, expand: 'content.version' },
        });
    const items: ChangedContent[] = [];
    for (const result of page.results) {
      const content = result.content;
      if (!content || !isKind(content.type) || !content.version) continue;
      const location = content.extensions?.location;
      items.push({
        ref: {
          kind: content.type,
          id: content.id,
          ...(location === 'inline' || location === 'footer' ? { commentLocation: location } : {}),
        },
        version: content.version.number,
        lastModified: result.lastModified ?? content.version.when ?? new Date(0).toISOString(),
      });
    }
    // v1 links are relative to the context path (/wiki).
    const link = page._links?.next;
    return { items, next: link ? `${this.#http.origin}${page._links?.context ?? '/wiki'}${link}` : undefined };
  }

  async listSpaceKeys(): Promise<string[]> {
    const spaces = await this.#listAll<{ id: string; key: string }>('/wiki/api/v2/spaces', { limit: 250 });
    for (const space of spaces) this.#spaceKeys.set(space.id, space.key);
    return spaces.map((space) => space.key);
  }

  async listSpaceContent(
    spaceKey: string,
    kind: 'page' | 'blogpost',
    next?: string,
  ): Promise<ResultPage<ContentVersion>> {
    let page: V2List<V2Content>;
    if (next) page = await this.#http.json({ path: next });
    else {
      const spaceId = await this.#spaceId(spaceKey);
      if (spaceId === undefined) return { items: [] };
      page = await this.#http.json({
        path: `/wiki/api/v2/spaces/${spaceId}/${kind === 'page' ? 'pages' : 'blogposts'}`,
        query: { 'body-format': 'storage', limit: PAGE_LIMIT },
      });
    }
    const items = page.results.map((c) => this.#toVersion(c, { kind, id: c.id }, spaceKey));
    return { items, next: this.#nextLink(page) };
  }

  async listComments(container: ContentVersion): Promise<ContentVersion[]> {
    const parent = container.ref.kind === 'blogpost' ? 'blogposts' : 'pages';
    const out: ContentVersion[] = [];
    for (const location of ['footer', 'inline'] as const) {
      const roots = await this.#listAll(`/wiki/api/v2/${parent}/${container.ref.id}/${location}-comments`, STORAGE);
      let level = roots;
      for (let depth = 0; level.length > 0 && depth < MAX_REPLY_DEPTH; depth++) {
        const replies: V2Content[] = [];
        for (const comment of level) {
          out.push(
            this.#toVersion(
              comment,
              { kind: 'comment', id: comment.id, commentLocation: location },
              container.spaceKey,
              {
                container: container.ref,
              },
            ),
          );
          replies.push(...(await this.#listAll(`/wiki/api/v2/${location}-comments/${comment.id}/children`, STORAGE)));
        }
        level = replies;
      }
    }
    for (const comment of out) this.#containerSpaces.set(comment.ref.id, container.spaceKey);
    return out;
  }

  async getContent(ref: ContentRef): Promise<ContentVersion | undefined> {
    return this.#get(ref, undefined);
  }

  async getVersion(current: ContentVersion, version: number): Promise<ContentVersion | undefined> {
    const found = await this.#get(current.ref, version);
    if (!found) return undefined;
    // A historical version answers with the current links: point at the version itself, keep the current's place.
    const url =
      current.ref.kind === 'comment'
        ? current.url
        : `${this.#siteBase}/pages/viewpage.action?pageId=${current.ref.id}&pageVersion=${version}`;
    return { ...found, spaceKey: current.spaceKey, url, container: current.container ?? found.container };
  }

  async historicalVersions(current: ContentVersion): Promise<number[]> {
    const versions = await this.#listAll<V2Version>(
      `/wiki/api/v2/${collectionFor(current.ref)}/${current.ref.id}/versions`,
      { limit: 250 },
    );
    return versions
      .map((v) => v.number)
      .filter((n) => n < current.version)
      .sort((a, b) => b - a);
  }

  async updateBody(current: ContentVersion, body: string, message: string): Promise<number> {
    const number = current.version + 1;
    const storage = { representation: 'storage', value: body };
    const payload =
      current.ref.kind === 'comment'
        ? { version: { number, message }, body: storage }
        : { id: current.ref.id, status: 'current', title: current.title, body: storage, version: { number, message } };
    try {
      await this.#http.json({
        method: 'PUT',
        path: `/wiki/api/v2/${collectionFor(current.ref)}/${current.ref.id}`,
        body: payload,
      });
    } catch (error) {
      if (error instanceof ConfluenceHttpError && error.status === 409)
        throw new VersionConflictError(current.ref, number);
      throw error;
    }
    return number;
  }

  async deleteVersion(ref: ContentRef, version: number): Promise<void> {
    // v2 has no version deletion; v1 keeps it (the current version cannot be deleted).
    await this.#http.json({ method: 'DELETE', path: `/wiki/rest/api/content/${ref.id}/version/${version}` });
  }

  async getUser(id: string): Promise<ConfluenceUser | undefined> {
    const response = await this.#http.request<V1User>({ path: '/wiki/rest/api/user', query: { accountId: id } });
    const user = response.data;
    if (!user) return undefined;
    return {
      ...(user.email ? { email: user.email } : {}),
      ...(user.displayName || user.publicName ? { displayName: user.displayName ?? user.publicName } : {}),
      ...(user.accountStatus ? { active: user.accountStatus === 'active' } : {}),
    };
  }

  async #get(ref: ContentRef, version: number | undefined): Promise<ContentVersion | undefined> {
    const query = { 'body-format': 'storage', ...(version !== undefined ? { version } : {}) };
    let resolved = ref;
    let response = await this.#http.request<V2Content>({ path: `/wiki/api/v2/${collectionFor(ref)}/${ref.id}`, query });
    if (response.status === 404 && ref.kind === 'comment' && ref.commentLocation === undefined) {
      // Without a hint we try footer first, then inline.
      resolved = { ...ref, commentLocation: 'inline' };
      response = await this.#http.request<V2Content>({ path: `/wiki/api/v2/inline-comments/${ref.id}`, query });
    } else if (ref.kind === 'comment' && ref.commentLocation === undefined) {
      resolved = { ...ref, commentLocation: 'footer' };
    }
    const content = response.data;
    if (response.status === 404 || !content) return undefined;
    if (resolved.kind !== 'comment') {
      const spaceKey = content.spaceId ? await this.#spaceKey(content.spaceId) : undefined;
      return this.#toVersion(content, resolved, spaceKey ?? '');
    }
    const container: ContentRef | undefined = content.pageId
      ? { kind: 'page', id: content.pageId }
      : content.blogPostId
        ? { kind: 'blogpost', id: content.blogPostId }
        : undefined;
    const spaceKey = container ? await this.#containerSpaceKey(resolved.id, container) : '';
    return this.#toVersion(content, resolved, spaceKey, { container });
  }

  async #containerSpaceKey(commentId: string, container: ContentRef): Promise<string> {
    const known = this.#containerSpaces.get(commentId);
    if (known !== undefined) return known;
    const response = await this.#http.request<V2Content>({
      path: `/wiki/api/v2/${collectionFor(container)}/${container.id}`,
    });
    const spaceKey = response.data?.spaceId ? ((await this.#spaceKey(response.data.spaceId)) ?? '') : '';
    this.#containerSpaces.set(commentId, spaceKey);
    return spaceKey;
  }

  async #spaceKey(spaceId: string): Promise<string | undefined> {
    const known = this.#spaceKeys.get(spaceId);
    if (known !== undefined) return known;
    const response = await this.#http.request<{ id: string; key: string }>({ path: `/wiki/api/v2/spaces/${spaceId}` });
    if (!response.data) return undefined;
    this.#spaceKeys.set(spaceId, response.data.key);
    return response.data.key;
  }

  async #spaceId(spaceKey: string): Promise<string | undefined> {
    for (const [id, key] of this.#spaceKeys) if (key === spaceKey) return id;
    const page = await this.#http.json<V2List<{ id: string; key: string }>>({
      path: '/wiki/api/v2/spaces',
      query: { keys: spaceKey },
    });
    const space = page.results.find((s) => s.key === spaceKey);
    if (space) this.#spaceKeys.set(space.id, space.key);
    return space?.id;
  }

  /** Follows `_links.next` to the end (no silent stop after the first page). */
  async #listAll<T = V2Content>(path: string, query: Record<string, string | number> = {}): Promise<T[]> {
    const out: T[] = [];
    let page: V2List<T> = await this.#http.json({ path, query });
    out.push(...page.results);
    for (let next = this.#nextLink(page); next; next = this.#nextLink(page)) {
      page = await this.#http.json({ path: next });
      out.push(...page.results);
    }
    return out;
  }

  /** v2 `_links.next` is a path from the site root (it includes /wiki). */
  #nextLink(page: V2List<unknown>): string | undefined {
    const link = page._links?.next;
    return link ? `${this.#http.origin}${link}` : undefined;
  }

  #toVersion(
    content: V2Content,
    ref: ContentRef,
    spaceKey: string,
    extra: { container?: ContentRef | undefined } = {},
  ): ContentVersion {
    const webui = content._links?.webui;
    return {
      ref,
      title: content.title ?? '',
      spaceKey,
      version: content.version?.number ?? 1,
      body: content.body?.storage?.value ?? '',
      ...(content.version?.authorId ? { author: { id: content.version.authorId } } : {}),
      ...(content.version?.createdAt ? { createdAt: content.version.createdAt } : {}),
      ...(webui ? { url: `${this.#siteBase}${webui}` } : {}),
      ...(extra.container ? { container: extra.container } : {}),
    };
  }
}
