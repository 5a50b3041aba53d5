/**
 * Errors the Jira clients throw. Their messages name the request (method and
 * path) and the status only: a Jira error body can quote issue text, and the
 * HTTP library's own errors carry the request headers (the credentials), so
 * neither is ever kept as a message or a cause.
 */
export class JiraApiError extends Error {
  /** HTTP status, or 0 when no response arrived (timeout, connection failure). */
  readonly status: number;

  constructor(request: string, status: number, detail?: string) {
    super(`Jira ${request} ${status === 0 ? 'got no response' : `answered ${status}`}${detail ? `: ${detail}` : ''}`);
    this.name = 'JiraApiError';
    this.status = status;
  }
}

/** 429, or 503 with `Retry-After`: the caller should come back after `retryAfterMs` (jobs reschedule, not sleep). */
export class JiraRateLimitError extends JiraApiError {
  readonly retryAfterMs: number;

  constructor(request: string, status: number, retryAfterMs: number) {
    super(request, status, `rate limited, retry after ${Math.ceil(retryAfterMs / 1000)} s`);
    this.name = 'JiraRateLimitError';
    this.retryAfterMs = retryAfterMs;
  }
}

const DEFAULT_RETRY_AFTER_MS = 60_000;
const MAX_RETRY_AFTER_MS = 3_600_000;

/** `Retry-After` (seconds or an HTTP date) in milliseconds from `nowMs`; 60 s when absent or unreadable, at most 1 h. */
export function retryAfterMs(value: string | null | undefined, nowMs: number): number {
  if (value === null || value === undefined || value.trim() === '') return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.min(Math.max(date - nowMs, 0), MAX_RETRY_AFTER_MS);
  return DEFAULT_RETRY_AFTER_MS;
}

/** Whether a status means "slow down": 429 always, 503 when the server said when to come back. */
export function isRateLimited(status: number, retryAfter: string | null | undefined): boolean {
  return status === 429 || (status === 503 && retryAfter !== null && retryAfter !== undefined && retryAfter !== '');
}
