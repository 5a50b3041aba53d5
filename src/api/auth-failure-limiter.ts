/**
 * Counts failed authentications per client address in a fixed window. Once an
 * address reaches `maxFailures`, every authentication attempt from it is
 * refused until the window ends — checked before the key is looked up, so a
 * guess cannot be confirmed while locked out. Successful requests are never
 * counted. State is per process: with N processes an address gets at most N
 * times the budget, which still bounds guessing (keys have 256 random bits;
 * the limit mainly keeps noisy scanners off the database).
 */
export class AuthFailureLimiter {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #clock: () => number;
  readonly #failures = new Map<string, { count: number; windowStart: number }>();

  constructor(options: { maxFailures: number; windowMs: number }, clock: () => number = Date.now) {
    if (!Number.isInteger(options.maxFailures) || options.maxFailures < 1) throw new Error('maxFailures must be ≥ 1');
    if (!(options.windowMs > 0)) throw new Error('windowMs must be > 0');
    this.#maxFailures = options.maxFailures;
    this.#windowMs = options.windowMs;
    this.#clock = clock;
  }

  /** Seconds until `address` may try again, or undefined when it is not locked out. */
  retryAfterSeconds(address: string): number | undefined {
    const entry = this.#current(address);
    if (!entry || entry.count < this.#maxFailures) return undefined;
    return Math.max(1, Math.ceil((entry.windowStart + this.#windowMs - this.#clock()) / 1000));
  }

  recordFailure(address: string): void {
    const entry = this.#current(address);
    if (entry) {
      entry.count++;
      return;
    }
    // Bounded memory under a flood of distinct addresses: expired windows go first, then everything.
    if (this.#failures.size >= 10_000) this.#prune();
    this.#failures.set(address, { count: 1, windowStart: this.#clock() });
  }

  #current(address: string) {
    const entry = this.#failures.get(address);
    if (entry && this.#clock() - entry.windowStart >= this.#windowMs) {
      this.#failures.delete(address);
      return undefined;
    }
    return entry;
  }

  #prune() {
    const now = this.#clock();
    for (const [address, entry] of this.#failures) {
      if (now - entry.windowStart >= this.#windowMs) this.#failures.delete(address);
    }
    if (this.#failures.size >= 10_000) this.#failures.clear();
  }
}
