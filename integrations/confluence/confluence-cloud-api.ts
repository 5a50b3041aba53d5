import type { Client } from 'confluence.js/core';
import { deleteContentVersion, getUser, searchByCQL } from 'confluence.js/v1';
import {
  getBlogPostById,
  getBlogPostFooterComments,
  getBlogPostInlineComments,
  getBlogPostsInSpace,
  getBlogPostVersions,
  getFooterCommentById,
  getFooterCommentChildren,
  getFooterCommentVersions,
  getInlineCommentById,
  getInlineCommentChildren,
  getInlineCommentVersions,
  getPageById,
  getPageFooterComments,
  getPageInlineComments,
  getPagesInSpace,
  getPageVersions,
  getSpaceById,
  getSpaces,
  updateBlogPost,
  updateFooterComment,
  updateInlineComment,
  updatePage,
} from 'confluence.js/v2';
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
import { confluenceJsClient } from './confluence-js-client.ts';

/** The fields leakwatch reads from any v2 page, blog post or comment, as confluence.js's schemas parse them. */
interface V2Item {
  id?: string;
  title?: string;
  spaceId?: string;
  pageId?: string;
  blogPostId?: string;
  version?: { number?: number; authorId?: string; createdAt?: Date } | null;
  body?: { storage?: { value?: string } | null } | null;
  _links?: { webui?: string } | null;
}

/** One page of a v2 (or v1) listing: confluence.js types every one of them like this. */
interface Listing<T> {
  results?: T[];
  _links?: { next?: string; context?: string };
}

const PAGE_LIMIT = 50;
const STORAGE = 'storage';
/** Reply threads deeper than this are not followed (a guard against cycles, not a product limit). */
const MAX_REPLY_DEPTH = 20;
const SEARCH_PATH = '/wiki/rest/api/search';
const SPACE_LISTING = /^\/wiki\/api\/v2\/spaces\/(\d+)\/(pages|blogposts)$/;

/**
 * confluence.js types content ids as numbers; Confluence sends them as decimal
 * strings. A string that does not survive the round trip would address other
 * content, so it is refused rather than rounded.
 */
function numericId(id: string): number {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 0 || String(n) !== id) throw new Error(`Confluence id ${id} is not a numeric id`);
  return n;
}

function isKind(type: string): type is ContentRef['kind'] {
  return type === 'page' || type === 'blogpost' || type === 'comment';
}

function isNotFound(error: unknown): boolean {
  return error instanceof ConfluenceHttpError && error.status === 404;
}

async function orUndefinedWhenGone<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Confluence Cloud through confluence.js: REST v2 for pages, blog posts,
 * footer and inline comments and their versions; REST v1 where v2 has no
 * equivalent (CQL search, users, deleting a historical version). Every call
 * is a confluence.js endpoint function over `confluenceJsClient`, so deadlines,
 * pacing, `Retry-After` and the same-origin rule stay in `ConfluenceHttp`.
 * Listings page through `_links.next` to the end; the `next` handed to callers
 * is that link made absolute, and only its cursor is read back from it. Space
 * ids are resolved to keys once and cached.
 */
export class ConfluenceCloudApi implements ConfluenceApi {
  readonly deployment = 'cloud' as const;
  readonly host: string;
  readonly #http: ConfluenceHttp;
  readonly #client: Client;
  readonly #siteBase: string;
  readonly #spaceKeys = new Map<string, string>();
  /** Space key of each page/blog post a comment was read from. */
  readonly #containerSpaces = new Map<string, string>();

  constructor(http: ConfluenceHttp, host: string) {
    this.#http = http;
    this.#client = confluenceJsClient(http);
    this.host = host;
    this.#siteBase = `${http.origin}/wiki`;
  }

  async searchModifiedSince(
    since: Date,
    spaces: readonly string[],
    next?: string,
  ): Promise<ResultPage<ChangedContent>> {
    // A continuation keeps the query and the paging flags of its link (Cloud writes `next=true&cursor=…&start=…`).
    const link = next === undefined ? undefined : this.#continuation(next, (path) => path === SEARCH_PATH);
    const start = Number(link?.searchParams.get('start') ?? Number.NaN);
    const page = await searchByCQL(this.#client, {
      cql: link?.searchParams.get('cql') ?? modifiedSinceCql(since, spaces),
      limit: PAGE_LIMIT,
      expand: ['content.version'],
      ...(link ? { cursor: this.#cursor(link) } : {}),
      ...(link?.searchParams.get('next') === 'true' ? { next: true } : {}),
      ...(link?.searchParams.get('prev') === 'true' ? { prev: true } : {}),
      ...(Number.isSafeInteger(start) ? { start } : {}),
    });
    const items: ChangedContent[] = [];
    for (const result of page.results) {
      const content = result.content;
      if (!content?.id || !isKind(content.type) || !content.version) continue;
      const location: unknown = content.extensions?.location;
      items.push({
        ref: {
          kind: content.type,
          id: content.id,
          ...(location === 'inline' || location === 'footer' ? { commentLocation: location } : {}),
        },
        version: content.version.number,
        lastModified: result.lastModified.toISOString(),
      });
    }
    return { items, next: this.#nextLink(page, 'context') };
  }

  async listSpaceKeys(): Promise<string[]> {
    const spaces = await this.#listAll((cursor) => getSpaces(this.#client, { limit: 250, cursor }));
    const keys: string[] = [];
    for (const space of spaces) {
      if (!space.id || !space.key) continue;
      this.#spaceKeys.set(space.id, space.key);
      keys.push(space.key);
    }
    return keys;
  }

  async listSpaceContent(
    spaceKey: string,
    kind: 'page' | 'blogpost',
    next?: string,
  ): Promise<ResultPage<ContentVersion>> {
    const collection = kind === 'page' ? 'pages' : 'blogposts';
    let spaceId: string | undefined;
    let cursor: string | undefined;
    if (next !== undefined) {
      // The link names the space by id: resuming needs no lookup.
      const link = this.#continuation(next, (path) => SPACE_LISTING.exec(path)?.[2] === collection);
      spaceId = SPACE_LISTING.exec(link.pathname)?.[1];
      cursor = this.#cursor(link);
    } else spaceId = await this.#spaceId(spaceKey);
    if (spaceId === undefined) return { items: [] };
    const query = { id: numericId(spaceId), bodyFormat: STORAGE, limit: PAGE_LIMIT, cursor };
    const page: Listing<V2Item> =
      kind === 'page' ? await getPagesInSpace(this.#client, query) : await getBlogPostsInSpace(this.#client, query);
    const items = (page.results ?? []).flatMap((c) => (c.id ? [this.#toVersion(c, { kind, id: c.id }, spaceKey)] : []));
    return { items, next: this.#nextLink(page, 'root') };
  }

  async listComments(container: ContentVersion): Promise<ContentVersion[]> {
    const id = numericId(container.ref.id);
    const onBlog = container.ref.kind === 'blogpost';
    const out: ContentVersion[] = [];
    for (const location of ['footer', 'inline'] as const) {
      const roots = await this.#listAll<V2Item>((cursor) => {
        const query = { id, bodyFormat: STORAGE, limit: PAGE_LIMIT, cursor };
        if (location === 'footer')
          return onBlog ? getBlogPostFooterComments(this.#client, query) : getPageFooterComments(this.#client, query);
        return onBlog ? getBlogPostInlineComments(this.#client, query) : getPageInlineComments(this.#client, query);
      });
      let level = roots;
      for (let depth = 0; level.length > 0 && depth < MAX_REPLY_DEPTH; depth++) {
        const replies: V2Item[] = [];
        for (const comment of level) {
          if (!comment.id) continue;
          const ref: ContentRef = { kind: 'comment', id: comment.id, commentLocation: location };
          out.push(this.#toVersion(comment, ref, container.spaceKey, { container: container.ref }));
          const parent = numericId(comment.id);
          replies.push(
            ...(await this.#listAll<V2Item>((cursor) => {
              const query = { id: parent, bodyFormat: STORAGE, limit: PAGE_LIMIT, cursor };
              return location === 'footer'
                ? getFooterCommentChildren(this.#client, query)
                : getInlineCommentChildren(this.#client, query);
            })),
          );
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
    const id = numericId(current.ref.id);
    const versions = await this.#listAll<{ number?: number }>((cursor) => {
      const query = { id, limit: 250, cursor };
      switch (current.ref.kind) {
        case 'page':
          return getPageVersions(this.#client, query);
        case 'blogpost':
          return getBlogPostVersions(this.#client, query);
        case 'comment':
          return current.ref.commentLocation === 'inline'
            ? getInlineCommentVersions(this.#client, query)
            : getFooterCommentVersions(this.#client, query);
      }
    });
    return versions
      .flatMap((v) => (v.number !== undefined && v.number < current.version ? [v.number] : []))
      .sort((a, b) => b - a);
  }

  async updateBody(current: ContentVersion, body: string, message: string): Promise<number> {
    const number = current.version + 1;
    const id = numericId(current.ref.id);
    const storage = { representation: STORAGE, value: body };
    const version = { number, message };
    const content = { id: current.ref.id, status: 'current', title: current.title, body: storage, version };
    try {
      if (current.ref.kind === 'page') await updatePage(this.#client, { id, body: content });
      else if (current.ref.kind === 'blogpost') await updateBlogPost(this.#client, { id, body: content });
      else if (current.ref.commentLocation === 'inline')
        await updateInlineComment(this.#client, { commentId: id, version, body: storage });
      else await updateFooterComment(this.#client, { commentId: id, body: { version, body: storage } });
    } catch (error) {
      if (error instanceof ConfluenceHttpError && error.status === 409)
        throw new VersionConflictError(current.ref, number);
      throw error;
    }
    return number;
  }

  async deleteVersion(ref: ContentRef, version: number): Promise<void> {
    // v2 has no version deletion; v1 keeps it (the current version cannot be deleted).
    await deleteContentVersion(this.#client, { id: ref.id, versionNumber: version });
  }

  async getUser(id: string): Promise<ConfluenceUser | undefined> {
    const user = await orUndefinedWhenGone(getUser(this.#client, { accountId: id }));
    if (!user) return undefined;
    const name = user.displayName ?? user.publicName;
    return {
      ...(user.email ? { email: user.email } : {}),
      ...(name ? { displayName: name } : {}),
      ...(user.accountStatus ? { active: user.accountStatus === 'active' } : {}),
    };
  }

  async #get(ref: ContentRef, version: number | undefined): Promise<ContentVersion | undefined> {
    const id = numericId(ref.id);
    const query = { bodyFormat: STORAGE, version };
    if (ref.kind === 'page' || ref.kind === 'blogpost') {
      const content: V2Item | undefined = await orUndefinedWhenGone(
        ref.kind === 'page'
          ? getPageById(this.#client, { id, ...query })
          : getBlogPostById(this.#client, { id, ...query }),
      );
      if (!content) return undefined;
      const spaceKey = content.spaceId ? await this.#spaceKey(content.spaceId) : undefined;
      return this.#toVersion(content, ref, spaceKey ?? '');
    }
    // Without a location hint a comment is looked for among footer comments first, then inline ones.
    let resolved: ContentRef = { ...ref, commentLocation: ref.commentLocation ?? 'footer' };
    let content: V2Item | undefined = await orUndefinedWhenGone(
      resolved.commentLocation === 'inline'
        ? getInlineCommentById(this.#client, { commentId: id, ...query })
        : getFooterCommentById(this.#client, { commentId: id, ...query }),
    );
    if (!content && ref.commentLocation === undefined) {
      resolved = { ...ref, commentLocation: 'inline' };
      content = await orUndefinedWhenGone(getInlineCommentById(this.#client, { commentId: id, ...query }));
    }
    if (!content) return undefined;
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
    const id = numericId(container.id);
    const content: V2Item | undefined = await orUndefinedWhenGone(
      container.kind === 'blogpost' ? getBlogPostById(this.#client, { id }) : getPageById(this.#client, { id }),
    );
    const spaceKey = content?.spaceId ? ((await this.#spaceKey(content.spaceId)) ?? '') : '';
    this.#containerSpaces.set(commentId, spaceKey);
    return spaceKey;
  }

  async #spaceKey(spaceId: string): Promise<string | undefined> {
    const known = this.#spaceKeys.get(spaceId);
    if (known !== undefined) return known;
    const space = await orUndefinedWhenGone(getSpaceById(this.#client, { id: numericId(spaceId) }));
    if (!space?.key) return undefined;
    this.#spaceKeys.set(spaceId, space.key);
    return space.key;
  }

  async #spaceId(spaceKey: string): Promise<string | undefined> {
    for (const [id, key] of this.#spaceKeys) if (key === spaceKey) return id;
    const page = await getSpaces(this.#client, { keys: [spaceKey] });
    const space = page.results?.find((s) => s.key === spaceKey);
    if (space?.id) this.#spaceKeys.set(space.id, spaceKey);
    return space?.id;
  }

  /** Reads a listing to the end, page after page through `_links.next` (no silent stop after the first page). */
  async #listAll<T>(read: (cursor: string | undefined) => Promise<Listing<T>>): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(cursor);
      out.push(...(page.results ?? []));
      const next = this.#nextLink(page, 'root');
      // The cursor goes back to the endpoint `read` calls, whatever path the link names.
      cursor = next === undefined ? undefined : this.#cursor(this.#continuation(next, () => true));
    } while (cursor !== undefined);
    return out;
  }

  /**
   * `_links.next` made absolute: v2 links are paths from the site root (they
   * include /wiki), v1 links are relative to the context path (/wiki).
   */
  #nextLink(page: Listing<unknown>, relativeTo: 'root' | 'context'): string | undefined {
    const link = page._links?.next;
    if (!link) return undefined;
    return relativeTo === 'root'
      ? `${this.#http.origin}${link}`
      : `${this.#http.origin}${page._links?.context ?? '/wiki'}${link}`;
  }

  /** A `next` link, checked: on the site's origin (see `ConfluenceHttp.url`) and for the listing it continues. */
  #continuation(next: string, isListing: (path: string) => boolean): URL {
    const link = this.#http.url(next);
    if (!isListing(link.pathname))
      throw new Error(`Confluence continuation link ${link.pathname} is for another listing`);
    return link;
  }

  /** The opaque cursor Confluence puts in its next links (confluence.js takes the cursor, not the link). */
  #cursor(link: URL): string {
    const cursor = link.searchParams.get('cursor');
    // Stopping here would end the listing early without a word.
    if (!cursor) throw new Error(`Confluence continuation link ${link.pathname} carries no cursor`);
    return cursor;
  }

  #toVersion(
    content: V2Item,
    ref: ContentRef,
    spaceKey: string,
    extra: { container?: ContentRef | undefined } = {},
  ): ContentVersion {
    const webui = content._links?.webui;
    const version = content.version;
    return {
      ref,
      title: content.title ?? '',
      spaceKey,
      version: version?.number ?? 1,
      body: content.body?.storage?.value ?? '',
      ...(version?.authorId ? { author: { id: version.authorId } } : {}),
      ...(version?.createdAt ? { createdAt: version.createdAt.toISOString() } : {}),
      ...(webui ? { url: `${this.#siteBase}${webui}` } : {}),
      ...(extra.container ? { container: extra.container } : {}),
    };
  }
}
