import { HostRateLimiter } from '../../src/verification/rate-limiter.ts';
import { JiraRateLimitError } from './jira-errors.ts';

/**
 * Paces requests to one Jira site (`JIRA_REQUESTS_PER_SECOND`) and, once the
 * site has answered 429/503 with `Retry-After`, fails further requests at once
 * until that time has passed, so a job gives up its slot and is rescheduled
 * instead of hammering a site that asked for a pause.
 */
export class SitePacer {
  readonly #limiter: HostRateLimiter;
  readonly #host: string;
  readonly #now: () => number;
  /** The instant a `Retry-After` answer is being recorded at, so the delay is measured from one clock reading. */
  #recordingAt: number | undefined;

  constructor(host: string, requestsPerSecond: number, now: () => number = Date.now) {
    this.#limiter = new HostRateLimiter(requestsPerSecond, () => this.#recordingAt ?? now());
    this.#host = host;
    this.#now = now;
  }

  /** Waits for this request's slot; throws `JiraRateLimitError` while the site's back-off lasts. */
  async before(request: string): Promise<void> {
    const blocked = this.#limiter.blockedUntil(this.#host);
    if (blocked !== undefined) throw new JiraRateLimitError(request, 429, blocked - this.#now());
    const wait = this.#limiter.reserve(this.#host);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Records the site's `Retry-After` and returns the error to throw. */
  rateLimited(request: string, status: number, retryAfter: string | null | undefined): JiraRateLimitError {
    const at = (this.#recordingAt = this.#now());
    try {
      const until = this.#limiter.backOff(this.#host, retryAfter ?? null);
      return new JiraRateLimitError(request, status, Math.max(until - at, 0));
    } finally {
      this.#recordingAt = undefined;
    }
  }
}
