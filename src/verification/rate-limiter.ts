/**
 * Per-host pacing for verification traffic: at most `perSecond` requests to one
 * host, and nothing at all to a host until its `Retry-After` has passed.
 */
export class HostRateLimiter {
  readonly #interval: number;
  readonly #now: () => number;
  readonly #nextSlot = new Map<string, number>();
  readonly #blockedUntil = new Map<string, number>();

  constructor(perSecond: number, now: () => number = Date.now) {
    this.#interval = 1000 / perSecond;
    this.#now = now;
  }

  /** Epoch ms until which the host asked us to back off, if it did and that is still in the future. */
  blockedUntil(host: string): number | undefined {
    const until = this.#blockedUntil.get(host);
    if (until === undefined) return undefined;
    if (until <= this.#now()) {
      this.#blockedUntil.delete(host);
      return undefined;
    }
    return until;
  }

  /** Records a 429/503 `Retry-After` (seconds or HTTP date); unparseable values back off for 60 s. */
  backOff(host: string, retryAfter: string | null): number {
    const now = this.#now();
    let until = now + 60_000;
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds) && seconds >= 0) until = now + Math.min(seconds, 86_400) * 1000;
      else {
        const date = Date.parse(retryAfter);
        if (Number.isFinite(date)) until = Math.min(Math.max(date, now), now + 86_400_000);
      }
    }
    this.#blockedUntil.set(host, Math.max(until, this.#blockedUntil.get(host) ?? 0));
    return until;
  }

  /** Milliseconds to wait before the next request to `host` may start (and reserves that slot). */
  reserve(host: string): number {
    const now = this.#now();
    const slot = Math.max(now, this.#nextSlot.get(host) ?? 0);
    this.#nextSlot.set(host, slot + this.#interval);
    return slot - now;
  }
}
