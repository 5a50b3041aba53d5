import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { Agent } from 'undici';
import type { SafeRequest, SafeResponse } from '../core/verification.ts';
import { hostMatches, isPrivateAddress } from './address-policy.ts';
import type { HostRateLimiter } from './rate-limiter.ts';
import { reveal } from './sensitive.ts';

/** The request broke the egress policy (host, scheme, method, address); nothing was sent. */
export class EgressRefusedError extends Error {
  override name = 'EgressRefusedError';
}

/** The issuer asked us to slow down (429, or 503 with Retry-After), or we are still inside its back-off. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
  readonly retryAt: number;
  constructor(host: string, retryAt: number) {
    super(`rate limited by ${host}`);
    this.retryAt = retryAt;
  }
}

export interface SafeHttpOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  maxResponseBytes: number;
  limiter: HostRateLimiter;
  userAgent: string;
}

export interface EgressScope {
  /** Issuer host patterns (`api.github.com`, `*.okta.com`). */
  hosts: readonly string[];
  /** Configured self-hosted base URLs; their origins are allowed too (and only they may use plain http). */
  baseUrls: readonly string[];
  methods: ReadonlySet<string>;
}

/**
 * DNS resolution that refuses private addresses at connect time, so a public
 * name that resolves to 127.0.0.1 (or is re-bound to it after a check) is
 * never reached: the check and the connection use the same answer.
 */
function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(
      hostname,
      { all: true, family: options.family === 6 ? 6 : options.family === 4 ? 4 : 0 },
      (error, addresses) => {
        if (error) return callback(error, []);
        if (!allowPrivate) {
          const bad = addresses.find((a) => isPrivateAddress(a.address));
          if (bad) {
            const refused = new EgressRefusedError(
              `${hostname} resolves to a private address`,
            ) as NodeJS.ErrnoException;
            refused.code = 'EGRESS_REFUSED';
            return callback(refused, []);
          }
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0];
        if (!first) return callback(new Error(`${hostname} has no address`), []);
        callback(null, first.address, first.family);
      },
    );
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The only place a verifier's or revoker's request leaves the process. It
 * enforces the egress policy (issuer hosts, https, allowed methods, no private
 * addresses), paces each host, honours Retry-After, never follows redirects,
 * caps time and response size, and scrubs the secret from any error.
 */
export function createSafeHttp(options: SafeHttpOptions) {
  const dispatcher = new Agent({
    connect: { lookup: guardedLookup(options.allowPrivate) as never, timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });

  return async function request(scope: EgressScope, req: SafeRequest<string>): Promise<SafeResponse> {
    const revealed: string[] = [];
    const open = (value: SafeRequest['url']): string => {
      const raw = reveal(value);
      if (typeof value !== 'string') revealed.push(raw);
      return raw;
    };
    const scrub = (message: string): string =>
      revealed.reduce((m, raw) => (raw.length > 0 ? m.split(raw).join('[secret]') : m), message);

    let url: URL;
    try {
      url = new URL(open(req.url));
    } catch {
      throw new EgressRefusedError('invalid URL');
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (!scope.methods.has(method)) throw new EgressRefusedError(`method ${method} is not allowed here`);
    const configuredOrigins = scope.baseUrls.flatMap((b) => {
      try {
        return [new URL(b).origin];
      } catch {
        return [];
      }
    });
    const selfHosted = configuredOrigins.includes(url.origin);
    if (!selfHosted && !hostMatches(url.hostname, scope.hosts)) {
      throw new EgressRefusedError(`host ${url.hostname} is not an allowed host for this issuer`);
    }
    if (url.protocol !== 'https:' && !(selfHosted && url.protocol === 'http:')) {
      throw new EgressRefusedError(`${url.protocol} is not allowed (https only)`);
    }
    if (url.username || url.password) throw new EgressRefusedError('credentials in the URL are not allowed');
    const literal = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(literal) && !options.allowPrivate && isPrivateAddress(literal)) {
      throw new EgressRefusedError(`${literal} is a private address`);
    }

    const host = url.host;
    const blockedUntil = options.limiter.blockedUntil(host);
    if (blockedUntil !== undefined) throw new RateLimitedError(host, blockedUntil);
    const wait = options.limiter.reserve(host);
    if (wait > 0) await sleep(Math.min(wait, options.timeoutMs));

    const headers: Record<string, string> = { 'user-agent': options.userAgent };
    for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = open(value);
    const body = req.body === undefined ? undefined : open(req.body);

    let response: Response;
    // Errors below are re-thrown without `cause` on purpose: the underlying error
    // can carry the URL or headers, i.e. the secret. Their text is scrubbed instead.
    /* eslint-disable preserve-caught-error */
    try {
      response = await fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
        dispatcher,
      } as RequestInit);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      if (cause?.code === 'EGRESS_REFUSED') throw new EgressRefusedError(scrub(cause.message ?? 'refused'));
      const e = error as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new Error(`timed out after ${options.timeoutMs} ms`);
      throw new Error(scrub(`request failed: ${cause?.code ?? cause?.message ?? e.message}`));
    }

    if (response.status === 429 || (response.status === 503 && response.headers.has('retry-after'))) {
      await response.body?.cancel();
      throw new RateLimitedError(host, options.limiter.backOff(host, response.headers.get('retry-after')));
    }
    let text: string;
    try {
      text = await readCapped(response, options.maxResponseBytes);
    } catch (error) {
      const e = error as Error;
      if (e.name === 'TimeoutError' || e.name === 'AbortError')
        throw new Error(`timed out after ${options.timeoutMs} ms`);
      throw new Error(scrub(`reading the response failed: ${e.message}`));
    }
    /* eslint-enable preserve-caught-error */
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') || /^\s*[{[]/.test(text)) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
}

export type SafeHttp = ReturnType<typeof createSafeHttp>;
