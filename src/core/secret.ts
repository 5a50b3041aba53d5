import { inspect } from 'node:util';

/**
 * A credential value that cannot leak by accident: printing, logging, string
 * interpolation and JSON serialisation all yield the redacted form. Only an
 * explicit `reveal()` returns the raw value, and only the verifier/revoker HTTP
 * wrapper and the fingerprinting step should call it.
 *
 * @example
 *   const s = new Secret('ghp_…', 'ghp_********abcd');
 *   `${s}` // 'ghp_********abcd'
 */
export class Secret {
  readonly #value: string;
  readonly redacted: string;

  constructor(value: string, redacted: string) {
    this.#value = value;
    this.redacted = redacted;
  }

  /** The raw credential. Every call site is a place a secret can escape: keep them few. */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return this.redacted;
  }

  toJSON(): string {
    return this.redacted;
  }

  [inspect.custom](): string {
    return `Secret(${this.redacted})`;
  }
}
