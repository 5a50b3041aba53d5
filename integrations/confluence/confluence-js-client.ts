import type { Client, SendRequestOptions } from 'confluence.js/core';
import type { ConfluenceHttp, HttpRequest, QueryValue } from './confluence-http.ts';

/**
 * Confluence answered 2xx with JSON that does not have the shape confluence.js
 * documents for the endpoint. The message names the endpoint and the paths of
 * the offending fields, never their values (page text can hold secrets).
 */
export class ConfluenceResponseShapeError extends Error {
  constructor(method: string, path: string, fields: string[]) {
    super(`Confluence ${method} ${path} answered with an unexpected shape (${fields.join(', ')})`);
    this.name = 'ConfluenceResponseShapeError';
  }
}

const METHODS = new Set<string>(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

function isMethod(method: string): method is NonNullable<HttpRequest['method']> {
  return METHODS.has(method);
}

/** confluence.js's query conventions: lists repeat the key, objects go as JSON, null and undefined are left out. */
function toQuery(searchParams: Record<string, unknown> | undefined): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(searchParams ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      const items = value.filter((item): item is string | number | boolean => item !== undefined && item !== null);
      if (items.length > 0) query[key] = items.map((item) => (typeof item === 'object' ? JSON.stringify(item) : item));
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      query[key] = value;
    } else query[key] = JSON.stringify(value);
  }
  return query;
}

/**
 * confluence.js's request seam (`Client`, which `createClient`, `createV2Client`
 * and every flat endpoint function accept), driven by `ConfluenceHttp`.
 *
 * confluence.js 3.2's own client cannot be used as is: it sends with the
 * global `fetch` and no `AbortSignal` (dist/core/createClient.js, `doRequest`),
 * so a request has no deadline and cannot be paced; and its errors keep
 * `Retry-After` only for 429 (dist/core/errors/fromResponse.js,
 * `createApiError`), so a 503 + `Retry-After` looks like any server error. Its
 * errors also carry the response body (`ApiError.body`, `SchemaMismatchError`),
 * which can quote page text. Here every request goes through the one
 * transport (deadline, pacing, 429/503 `Retry-After`, same-origin credentials,
 * errors that name only method, path and status), and each answer is then
 * validated with the endpoint's confluence.js schema, as confluence.js does.
 *
 * Only JSON bodies are supported: leakwatch calls no multipart endpoint.
 */
export function confluenceJsClient(http: ConfluenceHttp): Client {
  return {
    async sendRequest<T>(options: SendRequestOptions<T>): Promise<T> {
      const method = options.method ?? 'GET';
      if (!isMethod(method)) throw new Error(`Confluence ${method} ${options.url}: method not supported`);
      if (
        options.body !== undefined &&
        options.body !== null &&
        (options.body instanceof FormData || options.body instanceof Blob || options.body instanceof ReadableStream)
      ) {
        throw new Error(`Confluence ${method} ${options.url}: only JSON request bodies are supported`);
      }
      const data = await http.json<unknown>({
        method,
        path: options.url,
        query: toQuery(options.searchParams),
        ...(options.body !== undefined && options.body !== null ? { body: options.body } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
      });
      if (!options.schema || data === undefined) return data as T;
      const parsed = options.schema.safeParse(data);
      if (parsed.success) return parsed.data;
      const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)'))];
      throw new ConfluenceResponseShapeError(method, http.url(options.url).pathname, fields.slice(0, 5));
    },
  };
}
