import { HostRateLimiter } from '../../src/verification/rate-limiter.ts';
import type { ConfluenceConfig } from './confluence-config.ts';

/** A non-success answer from Confluence. The message names the method, path and status, never a body. */
export class ConfluenceHttpError extends Error {
  readonly status: number;

  constructor(method: string, path: string, status: number, detail?: string) {
    super(`Confluence ${method} ${path} answered ${status}${detail ? ` (${detail})` : ''}`);
    this.name = 'ConfluenceHttpError';
    this.status = status;
  }
}

/**
 * Confluence asked us to slow down (429, or 503 with `Retry-After`) for longer
 * than is worth waiting in-process: background jobs reschedule themselves for
 * `retryAfterMs` instead of holding a worker.
 */
export class ConfluenceRateLimitedError extends Error {
  readonly retryAfterMs: number;

  constructor(method: string, path: string, retryAfterMs: number) {
    super(`Confluence ${method} ${path} is rate limited; retry in ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'ConfluenceRateLimitedError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** A query value: lists repeat the key (`status=current&status=draft`), `undefined` leaves it out. */
export type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | undefined;

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** A path under the base URL (`/rest/api/…`), or an absolute URL on the same origin (a `_links.next`). */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Extra request headers (e.g. `X-Atlassian-Token`); they never replace the credentials or `accept`. */
  headers?: Record<string, string>;
}

export interface HttpResponse<T> {
  status: number;
  data: T;
}

export interface ConfluenceHttpOptions {
  fetch?: typeof fetch;
  /** Longest `Retry-After` waited for in-process before giving up with `ConfluenceRateLimitedError`. Default 5 s. */
  maxInlineWaitMs?: number;
  /** Attempts per request when Confluence asks for short waits. Default 3. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for pacing and `Retry-After` (epoch ms). */
  now?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one way leakwatch talks to a Confluence site: authenticated JSON over
 * fetch, paced per site, every request under a deadline, 429/503 answers with
 * `Retry-After` waited out when short and surfaced as
 * `ConfluenceRateLimitedError` when long. Credentials only travel to the
 * configured origin, whatever a `_links.next` says.
 */
export class ConfluenceHttp {
  readonly origin: string;
  readonly #base: string;
  readonly #authorization: string;
  readonly #timeoutMs: number;
  readonly #limiter: HostRateLimiter;
  readonly #fetch: typeof fetch;
  readonly #maxInlineWaitMs: number;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(config: ConfluenceConfig, options: ConfluenceHttpOptions = {}) {
    this.#base = config.baseUrl;
    this.origin = new URL(config.baseUrl).origin;
    this.#authorization =
      config.auth.kind === 'basic'
        ? `Basic ${Buffer.from(`${config.auth.email}:${config.auth.token.reveal()}`).toString('base64')}`
        : `Bearer ${config.auth.token.reveal()}`;
    this.#timeoutMs = config.requestTimeoutMs;
    this.#now = options.now ?? Date.now;
    this.#limiter = new HostRateLimiter(config.requestsPerSecond, this.#now);
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#maxInlineWaitMs = options.maxInlineWaitMs ?? 5000;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#sleep = options.sleep ?? defaultSleep;
  }

  /** Resolves a request path (or a same-origin absolute link) to a URL; refuses other origins. */
  url(path: string, query?: HttpRequest['query']): URL {
    const url = /^https?:\/\//.test(path) ? new URL(path) : new URL(`${this.#base}${path}`);
    if (url.origin !== this.origin) throw new Error(`refusing to send Confluence credentials to ${url.origin}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      if (typeof value === 'object') {
        url.searchParams.delete(key);
        for (const item of value) url.searchParams.append(key, String(item));
      } else url.searchParams.set(key, String(value));
    }
    return url;
  }

  /**
   * Sends a request and returns the parsed JSON. 404 comes back as a status
   * (callers decide whether "gone" is an error); other failures throw.
   */
  async request<T>(request: HttpRequest): Promise<HttpResponse<T | undefined>> {
    const method = request.method ?? 'GET';
    const url = this.url(request.path, request.query);
    const host = url.host;
    for (let attempt = 1; ; attempt++) {
      const blocked = this.#limiter.blockedUntil(host);
      if (blocked !== undefined) {
        const wait = blocked - this.#now();
        if (wait > this.#maxInlineWaitMs) throw new ConfluenceRateLimitedError(method, url.pathname, wait);
        await this.#sleep(wait);
      }
      const pace = this.#limiter.reserve(host);
      if (pace > 0) await this.#sleep(pace);

      // Set after the caller's headers, so no extra header can replace the credentials or the JSON contract.
      const headers = new Headers(request.headers);
      headers.set('authorization', this.#authorization);
      headers.set('accept', 'application/json');
      if (request.body !== undefined) headers.set('content-type', 'application/json');
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal: AbortSignal.timeout(this.#timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        const reason =
          error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
            ? `timed out after ${this.#timeoutMs} ms`
            : 'network error';
        throw new Error(`Confluence ${method} ${url.pathname} failed: ${reason}`, { cause: error });
      }

      const retryAfter = response.headers.get('retry-after');
      if (response.status === 429 || (response.status === 503 && retryAfter !== null)) {
        await response.body?.cancel();
        const until = this.#limiter.backOff(host, retryAfter);
        const wait = until - this.#now();
        if (attempt >= this.#maxAttempts || wait > this.#maxInlineWaitMs) {
          throw new ConfluenceRateLimitedError(method, url.pathname, Math.max(wait, 0));
        }
        continue;
      }
      if (response.status === 404) {
        await response.body?.cancel();
        return { status: 404, data: undefined };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ConfluenceHttpError(method, url.pathname, response.status);
      }
      if (response.status === 204) return { status: 204, data: undefined };
      const text = await response.text();
      if (text.length === 0) return { status: response.status, data: undefined };
      try {
        return { status: response.status, data: JSON.parse(text) as T };
      } catch {
        // JSON.parse quotes the text it choked on, and page text can hold the very secrets we look for.
        throw new ConfluenceHttpError(method, url.pathname, response.status, 'the answer is not JSON');
      }
    }
  }

  /** Like `request` but a 404 is an error too. */
  async json<T>(request: HttpRequest): Promise<T> {
    const response = await this.request<T>(request);
    if (response.status === 404)
      throw new ConfluenceHttpError(request.method ?? 'GET', this.url(request.path).pathname, 404);
    return response.data as T;
  }
}
