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

/** REST v1 content (https://developer.atlassian.com/server/confluence/rest/), the fields leakwatch reads. */
interface DcUser {
  type?: string;
  username?: string;
  userKey?: string;
  displayName?: string;
}

interface DcContent {
  id: string;
  type: string;
  status?: string;
  title?: string;
  space?: { key?: string };
  version?: { number: number; when?: string; by?: DcUser; message?: string };
  history?: { createdBy?: DcUser; createdDate?: string };
  body?: { storage?: { value?: string; representation?: string } };
  container?: { id: string | number; type?: string; space?: { key?: string } };
  _links?: { webui?: string; base?: string; context?: string };
}

interface DcList<T> {
  results: T[];
  _links?: { next?: string; base?: string; context?: string };
}

const PAGE_LIMIT = 50;
const CONTENT_EXPAND = 'body.storage,version,history,space,container,container.space';

function isKind(type: string): type is ContentRef['kind'] {
  return type === 'page' || type === 'blogpost' || type === 'comment';
}

/**
 * Confluence Data Center (and Server 7.9+): REST v1 `/rest/api/content` with
 * `expand=body.storage,version,history`, CQL via `/rest/api/content/search`,
 * historical versions via `status=historical&version=n`.
 */
export class ConfluenceDataCenterApi implements ConfluenceApi {
  readonly deployment = 'datacenter' as const;
  readonly host: string;
  readonly #http: ConfluenceHttp;
  readonly #baseUrl: string;

  constructor(http: ConfluenceHttp, host: string, baseUrl: string) {
    this.#http = http;
    this.host = host;
    this.#baseUrl = baseUrl;
  }

  async searchModifiedSince(
    since: Date,
    spaces: readonly string[],
    next?: string,
  ): Promise<ResultPage<ChangedContent>> {
    const page = await this.#http.json<DcList<DcContent>>(
      next
        ? { path: next }
        : {
            path: '/rest/api/content/search',
            query: { cql: modifiedSinceCql(since, spaces), limit: PAGE_LIMIT, expand: 'version' },
          },
    );
    const items: ChangedContent[] = [];
    for (const content of page.results) {
      if (!isKind(content.type) || !content.version) continue;
      items.push({
        ref: { kind: content.type, id: String(content.id) },
        version: content.version.number,
        lastModified: content.version.when ?? new Date(0).toISOString(),
      });
    }
    return { items, next: this.#nextLink(page) };
  }

  async listSpaceKeys(): Promise<string[]> {
    const spaces = await this.#listAll<{ key: string }>('/rest/api/space', { limit: 100 });
    return spaces.map((s) => s.key);
  }

  async listSpaceContent(
    spaceKey: string,
    kind: 'page' | 'blogpost',
    next?: string,
  ): Promise<ResultPage<ContentVersion>> {
    const page = await this.#http.json<DcList<DcContent>>(
      next
        ? { path: next }
        : {
            path: '/rest/api/content',
            query: { spaceKey, type: kind, expand: CONTENT_EXPAND, limit: 25 },
          },
    );
    return { items: page.results.map((c) => this.#toVersion(c)), next: this.#nextLink(page) };
  }

  async listComments(container: ContentVersion): Promise<ContentVersion[]> {
    const comments = await this.#listAll<DcContent>(`/rest/api/content/${container.ref.id}/child/comment`, {
      expand: CONTENT_EXPAND,
      depth: 'all',
      limit: PAGE_LIMIT,
    });
    return comments.map((c) => ({
      ...this.#toVersion(c),
      spaceKey: container.spaceKey,
      container: container.ref,
    }));
  }

  async getContent(ref: ContentRef): Promise<ContentVersion | undefined> {
    const response = await this.#http.request<DcContent>({
      path: `/rest/api/content/${ref.id}`,
      query: { expand: CONTENT_EXPAND },
    });
    return response.data && this.#toVersion(response.data);
  }

  async getVersion(current: ContentVersion, version: number): Promise<ContentVersion | undefined> {
    const response = await this.#http.request<DcContent>({
      path: `/rest/api/content/${current.ref.id}`,
      query: { status: 'historical', version, expand: 'body.storage,version' },
    });
    if (!response.data) return undefined;
    const found = this.#toVersion(response.data);
    // A historical version is its own content object: keep the current's identity and place.
    return {
      ...found,
      ref: current.ref,
      spaceKey: current.spaceKey,
      container: current.container,
      url:
        current.ref.kind === 'comment'
          ? current.url
          : `${this.#baseUrl}/pages/viewpage.action?pageId=${current.ref.id}&pageVersion=${version}`,
    };
  }

  async historicalVersions(current: ContentVersion): Promise<number[]> {
    // No public version list on Data Center; Confluence renumbers versions after a deletion, so they are 1..n.
    return Array.from({ length: Math.max(current.version - 1, 0) }, (_, i) => current.version - 1 - i);
  }

  async updateBody(current: ContentVersion, body: string, message: string): Promise<number> {
    const number = current.version + 1;
    const payload = {
      id: current.ref.id,
      type: current.ref.kind,
      title: current.title,
      version: { number, message },
      body: { storage: { value: body, representation: 'storage' } },
      ...(current.container ? { container: { id: current.container.id, type: current.container.kind } } : {}),
    };
    try {
      await this.#http.json({ method: 'PUT', path: `/rest/api/content/${current.ref.id}`, body: payload });
    } catch (error) {
      if (error instanceof ConfluenceHttpError && error.status === 409)
        throw new VersionConflictError(current.ref, number);
      throw error;
    }
    return number;
  }

  async deleteVersion(ref: ContentRef, version: number): Promise<void> {
    await this.#http.json({ method: 'DELETE', path: `/rest/api/content/${ref.id}/version/${version}` });
  }

  async getUser(id: string): Promise<ConfluenceUser | undefined> {
    const response = await this.#http.request<DcUser>({ path: '/rest/api/user', query: { key: id } });
    if (!response.data) return undefined;
    return response.data.displayName ? { displayName: response.data.displayName } : {};
  }

  async #listAll<T>(path: string, query: Record<string, string | number>): Promise<T[]> {
    const out: T[] = [];
    let page = await this.#http.json<DcList<T>>({ path, query });
    out.push(...page.results);
    for (let next = this.#nextLink(page); next; next = this.#nextLink(page)) {
      page = await this.#http.json<DcList<T>>({ path: next });
      out.push(...page.results);
    }
    return out;
  }

  /** v1 `_links.next` is relative to the context path, which the configured base URL already carries. */
  #nextLink(page: DcList<unknown>): string | undefined {
    const link = page._links?.next;
    return link ? `${this.#baseUrl}${link}` : undefined;
  }

  #toVersion(content: DcContent): ContentVersion {
    const by = content.version?.by;
    const kind = isKind(content.type) ? content.type : 'page';
    const containerKind = content.container?.type;
    const webui = content._links?.webui;
    return {
      ref: { kind, id: String(content.id) },
      title: content.title ?? '',
      spaceKey: content.space?.key ?? content.container?.space?.key ?? '',
      version: content.version?.number ?? 1,
      body: content.body?.storage?.value ?? '',
      ...(by?.userKey ? { author: { id: by.userKey, ...(by.displayName ? { name: by.displayName } : {}) } } : {}),
      ...(content.version?.when ? { createdAt: content.version.when } : {}),
      ...(webui ? { url: `${this.#baseUrl}${webui}` } : {}),
      ...(kind === 'comment' && content.container && containerKind && isKind(containerKind)
        ? { container: { kind: containerKind, id: String(content.container.id) } }
        : {}),
    };
  }
}
