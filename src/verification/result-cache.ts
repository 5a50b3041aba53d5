import type { VerificationResult } from '../core/verification.ts';

/**
 * Verification results per detector + fingerprint for `ttlMs`, so a token
 * pasted in ten channels is checked once (each check leaves a trace in the
 * issuer's audit log). Bounded: the oldest entries go first.
 */
export class VerificationCache {
  readonly #entries = new Map<string, { result: VerificationResult; expires: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(ttlMs: number, maxEntries = 10_000, now: () => number = Date.now) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  get(detectorId: string, fingerprint: string): VerificationResult | undefined {
    const key = `${detectorId}:${fingerprint}`;
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.result;
  }

  set(detectorId: string, fingerprint: string, result: VerificationResult): void {
    const key = `${detectorId}:${fingerprint}`;
    this.#entries.delete(key);
    this.#entries.set(key, { result, expires: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
