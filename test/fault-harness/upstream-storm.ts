import type { MiddlewareHandler } from 'hono';

/** How an upstream answers while a storm lasts. */
export type StormMode = '429' | '500' | '503' | 'hang';

/**
 * A switch in front of a stand-in upstream (Slack Web API, token issuer):
 * while a storm lasts, every request is answered 429 (with Retry-After), 500,
 * 503 (with Retry-After) or held without an answer until the storm ends; the
 * requests that arrive during the storm are counted, so a hot loop shows.
 */
export class UpstreamStorm {
  /** Requests that arrived while the storm lasted, by path. */
  readonly duringStorm = new Map<string, number>();
  #mode: StormMode | undefined;
  #retryAfterSeconds = 5;
  #releaseHeld: Array<() => void> = [];

  get active(): StormMode | undefined {
    return this.#mode;
  }

  /** Total requests that arrived during storms. */
  get stormRequests(): number {
    let total = 0;
    for (const n of this.duringStorm.values()) total += n;
    return total;
  }

  start(mode: StormMode, retryAfterSeconds = 5): void {
    this.#mode = mode;
    this.#retryAfterSeconds = retryAfterSeconds;
  }

  /** Ends the storm; held requests are answered 503 (their callers timed out long ago, most likely). */
  stop(): void {
    this.#mode = undefined;
    for (const release of this.#releaseHeld.splice(0)) release();
  }

  /** Hono middleware for the stand-in's app; `counts` decides which paths are counted (all by default). */
  middleware(counts: (path: string) => boolean = () => true): MiddlewareHandler {
    return async (c, next) => {
      const mode = this.#mode;
      if (mode === undefined) return next();
      const path = new URL(c.req.url).pathname;
      if (counts(path)) this.duringStorm.set(path, (this.duringStorm.get(path) ?? 0) + 1);
      const retryAfter = { 'retry-after': String(this.#retryAfterSeconds) };
      switch (mode) {
        case '429':
          return c.json({ ok: false, error: 'ratelimited' }, 429, retryAfter);
        case '503':
          return c.json({ ok: false, error: 'service_unavailable' }, 503, retryAfter);
        case '500':
          return c.json({ ok: false, error: 'internal_error' }, 500);
        case 'hang':
          // Bounded: a held request is released when the storm ends (or after two minutes at most).
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 120_000);
            this.#releaseHeld.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
          return c.json({ ok: false, error: 'service_unavailable' }, 503);
      }
    };
  }
}
