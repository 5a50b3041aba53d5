import type { JiraConfig } from './jira-config.ts';
import { isRateLimited, JiraApiError } from './jira-errors.ts';
import { SitePacer } from './site-pacer.ts';

export interface JiraRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * The one way leakwatch talks HTTP to a Jira site, for both products: every
 * request is paced per site, has a timeout, never follows a redirect with the
 * credentials, turns 429/503 + `Retry-After` into `JiraRateLimitError`, and
 * fails with a `JiraApiError` that names only the method, path and status
 * (never a response body, which can quote issue text).
 */
export interface JiraHttp {
  /** JSON in, JSON out (`undefined` for 204/empty). `path` is below the API base URL. */
  json(path: string, request?: JiraRequest): Promise<unknown>;
  /** The first `maxBytes` bytes of a response body (attachments): a path below the API base, or a URL on its origin. */
  bytes(url: string, maxBytes: number, headers?: Record<string, string>): Promise<Uint8Array>;
}

export interface JiraHttpOptions {
  /** Where API paths start: the site URL, or Atlassian's API gateway for OAuth tokens. */
  baseUrl: string;
  authorization: string;
  config: JiraConfig;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Query string as jira.js writes it: arrays repeat the key, objects are JSON, `undefined` is left out. */
export function withQuery(url: string, query: Record<string, unknown> | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item !== undefined && item !== null) params.append(key, String(item));
    } else params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${text}`;
}

/** `null` for a 404 (the item is gone or not visible), the error otherwise. */
export async function orNull<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (error) {
    if (error instanceof JiraApiError && error.status === 404) return null;
    throw error;
  }
}

export function createJiraHttp(options: JiraHttpOptions): JiraHttp {
  const fetchImpl = options.fetch ?? fetch;
  const pacer = new SitePacer(options.config.host, options.config.requestsPerSecond, options.now);
  const base = options.baseUrl.replace(/\/+$/, '');
  const origin = new URL(base).origin;
  const timeoutMs = options.config.requestTimeoutMs;

  async function send(url: string, label: string, init: RequestInit): Promise<Response> {
    await pacer.before(label);
    let response: Response;
    try {
      response = await fetchImpl(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new JiraApiError(label, 0, (error as Error).name);
    }
    const retryAfter = response.headers.get('retry-after');
    if (isRateLimited(response.status, retryAfter)) {
      await response.body?.cancel();
      throw pacer.rateLimited(label, response.status, retryAfter);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new JiraApiError(label, response.status);
    }
    return response;
  }

  return {
    async json(path, request = {}) {
      const method = request.method ?? 'GET';
      const label = `${method} ${path}`;
      const headers: Record<string, string> = {
        authorization: options.authorization,
        accept: 'application/json',
        ...request.headers,
      };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      const response = await send(withQuery(`${base}${path}`, request.query), label, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
      });
      if (response.status === 204) return undefined;
      const text = await response.text();
      if (text === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new JiraApiError(label, response.status, 'the answer is not JSON');
      }
    },

    async bytes(url, maxBytes, headers = {}) {
      // A path is below the API base (which may itself have a path: the OAuth gateway, a Data Center context path).
      const target = new URL(url.startsWith('/') ? `${base}${url}` : url);
      const label = `GET ${target.pathname}`;
      // The credentials go only to the configured site, whatever URL Jira handed out.
      if (target.origin !== origin) throw new JiraApiError(label, 0, 'the URL is not on the Jira site');
      const response = await send(target.toString(), label, {
        headers: { authorization: options.authorization, range: `bytes=0-${Math.max(maxBytes - 1, 0)}`, ...headers },
      });
      return readAtMost(response, maxBytes);
    },
  };
}

/** Reads a body up to `maxBytes` and stops, so a server that ignores `Range` does not fill memory. */
async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  while (length < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    const take = value.subarray(0, Math.min(value.length, maxBytes - length));
    chunks.push(take);
    length += take.length;
  }
  await reader.cancel().catch(() => {});
  return Buffer.concat(chunks, length);
}
