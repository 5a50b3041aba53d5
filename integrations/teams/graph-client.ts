import type { GraphTokenSource } from './graph-auth.ts';
import { GraphRequestError, GraphThrottledError, retryAfterSeconds } from './graph-errors.ts';

/** One page of a Graph collection. Exactly one of the links is set until the last page of a delta round. */
export interface GraphPage<T> {
  value: T[];
  nextLink?: string;
  deltaLink?: string;
}

export interface GraphRequestOptions {
  body?: unknown;
  /** Another bearer token (the delegated one for softDelete) instead of the app token. */
  token?: string;
  headers?: Record<string, string>;
}

export interface GraphClient {
  /** GET a JSON resource; `pathOrLink` is `/teams/…` (relative to /v1.0) or a link Graph returned. */
  get<T>(pathOrLink: string, options?: GraphRequestOptions): Promise<T>;
  /** GET one page of a collection (follow `nextLink`; keep `deltaLink` for the next round). */
  page<T>(pathOrLink: string): Promise<GraphPage<T>>;
  /** Every item of a collection, following `@odata.nextLink`. For small lists (teams, channels). */
  all<T>(path: string): Promise<T[]>;
  /** GET raw text (hosted contents), at most `maxBytes`. */
  text(pathOrLink: string, maxBytes: number): Promise<string>;
  /** A write (POST/PATCH/DELETE); resolves with the JSON body, or undefined for 204. */
  send<T = unknown>(
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options?: GraphRequestOptions,
  ): Promise<T | undefined>;
}

export interface GraphClientOptions {
  /** GRAPH_API_URL, without version. */
  baseUrl: string;
  tokens: GraphTokenSource;
  timeoutMs?: number;
  now?: () => Date;
}

/** Graph always answers with links on its public host, even when we reach it through a proxy or fake. */
const GRAPH_PUBLIC_ORIGIN = 'https://graph.microsoft.com';
const VERSION = '/v1.0';

/**
 * A thin fetch client for Microsoft Graph: bearer token from msal, a timeout
 * on every call, `@odata.nextLink`/`@odata.deltaLink` paging, and throttling
 * (429, or 503 with Retry-After) surfaced as `GraphThrottledError` so the
 * calling job reschedules itself instead of sleeping in a worker.
 *
 * Links Graph returns are only followed on Graph's own origin (or the
 * configured one); the bearer token never goes anywhere else.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = new URL(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? 20_000;
  const now = options.now ?? (() => new Date());

  const resolve = (pathOrLink: string): URL => {
    if (pathOrLink.startsWith('/'))
      return new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}${VERSION}${pathOrLink}`);
    const link = new URL(pathOrLink);
    if (link.origin === base.origin) return link;
    if (link.origin !== GRAPH_PUBLIC_ORIGIN) {
      throw new GraphRequestError(0, 'UntrustedLink', `refusing to follow a Graph link to ${link.origin}`);
    }
    // A link on Graph's public host while we go through a proxy or fake: same version and path, our host.
    return new URL(`${base.origin}${base.pathname.replace(/\/$/, '')}${link.pathname}${link.search}`);
  };

  const call = async (method: string, pathOrLink: string, request: GraphRequestOptions = {}): Promise<Response> => {
    const url = resolve(pathOrLink);
    const token = request.token ?? (await options.tokens.token());
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...request.headers,
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    const what = `Graph ${method} ${url.pathname}`;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (error as Error).message;
      throw new GraphRequestError(0, 'NetworkError', `${what} failed: ${reason}`);
    }
    // 503 is Graph's other throttling answer (and otherwise transient): both are retried later, never in place.
    if (response.status === 429 || response.status === 503) {
      await response.body?.cancel();
      throw new GraphThrottledError(
        response.status,
        retryAfterSeconds(response.headers.get('retry-after'), now()),
        what,
      );
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let code: string | undefined;
      let message = text.slice(0, 200);
      try {
        const parsed = JSON.parse(text) as { error?: { code?: string; message?: string } };
        code = parsed.error?.code;
        message = parsed.error?.message?.slice(0, 300) ?? message;
      } catch {
        // Not JSON (a proxy's error page): keep the truncated text.
      }
      throw new GraphRequestError(
        response.status,
        code,
        `${what} → ${response.status}${code ? ` ${code}` : ''}: ${message}`,
      );
    }
    return response;
  };

  const json = async <T>(response: Response): Promise<T> => {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };

  const client: GraphClient = {
    async get<T>(pathOrLink: string, request?: GraphRequestOptions) {
      return json<T>(await call('GET', pathOrLink, request));
    },
    async page<T>(pathOrLink: string) {
      const body = await json<{ value?: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string }>(
        await call('GET', pathOrLink),
      );
      return {
        value: body?.value ?? [],
        ...(body?.['@odata.nextLink'] ? { nextLink: body['@odata.nextLink'] } : {}),
        ...(body?.['@odata.deltaLink'] ? { deltaLink: body['@odata.deltaLink'] } : {}),
      };
    },
    async all<T>(path: string) {
      const items: T[] = [];
      let link: string | undefined = path;
      while (link) {
        const page: GraphPage<T> = await client.page<T>(link);
        items.push(...page.value);
        link = page.nextLink;
      }
      return items;
    },
    async text(pathOrLink: string, maxBytes: number) {
      const response = await call('GET', pathOrLink, { headers: { accept: '*/*' } });
      const reader = response.body?.getReader();
      if (!reader) return '';
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel();
          // Scan what fits rather than nothing: a leaked key sits near the top as often as not.
          chunks.push(value.subarray(0, value.byteLength - (size - maxBytes)));
          break;
        }
        chunks.push(value);
      }
      return Buffer.concat(chunks).toString('utf8');
    },
    async send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, request?: GraphRequestOptions) {
      return json<T | undefined>(await call(method, path, request));
    },
  };
  return client;
}

/** Encodes one id for a Graph path segment (chat and channel ids contain `:` and `@`). */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
