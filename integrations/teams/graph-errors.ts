/**
 * Graph (or Entra ID) asked us to slow down: 429, or 503 with Retry-After.
 * Background jobs catch it and reschedule themselves `retryAfterSeconds` later
 * instead of blocking a worker.
 */
export class GraphThrottledError extends Error {
  readonly status: number;
  readonly retryAfterSeconds: number;

  constructor(status: number, retryAfterSeconds: number, what: string) {
    super(`${what} throttled (${status}); retry after ${retryAfterSeconds}s`);
    this.name = 'GraphThrottledError';
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Any other non-success answer from Graph. `code` is Graph's `error.code` (e.g. `NotFound`, `Forbidden`). */
export class GraphRequestError extends Error {
  readonly status: number;
  readonly code: string | undefined;

  constructor(status: number, code: string | undefined, message: string) {
    super(message);
    this.name = 'GraphRequestError';
    this.status = status;
    this.code = code;
  }
}

/** Seconds to wait from a Retry-After header (delta-seconds or HTTP date); a sane default when absent. */
export function retryAfterSeconds(header: string | null, now: Date, fallback = 30): number {
  if (!header) return fallback;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.ceil(seconds), 3600);
  const at = Date.parse(header);
  if (Number.isFinite(at)) return Math.min(Math.max(0, Math.ceil((at - now.getTime()) / 1000)), 3600);
  return fallback;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof GraphRequestError && error.status === 404;
}
