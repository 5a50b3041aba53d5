import type { Severity } from './severity.ts';
import type { Revoker, Verifier } from './verification.ts';

/** True and false positives every detector carries; one contract test runs them all. */
export interface DetectorExamples {
  /** Texts in which this detector must report at least one credential. */
  match: readonly string[];
  /** Texts on which this detector must report nothing. */
  ignore: readonly string[];
}

/** Where a candidate was found, for checks that look beyond the secret itself (custom-rule allowlists). */
export interface ValidationContext {
  /** The whole text the pattern matched (may include the keyword and assignment). */
  match: string;
  /** The line of text the secret is on. */
  line(): string;
}

/**
 * A second credential part that only makes sense next to the first (AWS secret
 * key beside its key id, a Twilio auth token beside its account SID).
 */
export interface DetectorCompanion {
  name: string;
  /** Searched within `window` characters either side of the primary match; group `secret` is the value. */
  pattern: RegExp;
  window: number;
  /** Minimum Shannon entropy (bits per character) of the companion value. */
  entropy?: number;
}

/**
 * A declarative token detector. It never does I/O: the engine runs the
 * keyword prefilter, the pattern near keyword hits, then `validate`, the
 * entropy floor and the placeholder filters.
 *
 * @example
 *   export const npmToken: Detector = {
 *     id: 'npm-access-token', name: 'npm access token', issuer: 'npm',
 *     keywords: ['npm_'], pattern: /\b(?<secret>npm_[A-Za-z0-9]{36})\b/,
 *     validate: (s) => hasBase62Crc32(s, 'npm_'), severity: 'high',
 *     examples: { match: ['NPM_TOKEN=npm_…'], ignore: ['npm_config_cache'] },
 *   };
 */
export interface Detector {
  /** Stable kebab-case id, unique across the registry (used in config, allowlists, findings). */
  id: string;
  name: string;
  /** Who issued the credential, i.e. who can verify and revoke it (kebab-case, e.g. `github`). */
  issuer: string;
  /**
   * Case-insensitive literals for the prefilter. Prefer the token's own prefix
   * (`xoxb-`); a keyword only lets text through to `pattern`, it never decides a match.
   * Built-in detectors always have keywords; a custom rule without any runs over all text.
   */
  keywords: readonly string[];
  /**
   * Must contain a named group `secret` (the credential value). No `g`/`y` flag
   * needed: the engine compiles its own copy. Must not backtrack catastrophically.
   */
  pattern: RegExp;
  /** For patterns without a `secret` group (custom rules): the numbered group holding the secret; 0 = whole match. */
  secretGroup?: number;
  /** Characters before/after a keyword hit in which `pattern` is run. Defaults: 64 before, 256 after. */
  window?: { before?: number; after?: number };
  /**
   * Offline structure/checksum check. `false` or `0` rejects; a number in (0,1]
   * is a confidence (e.g. a checksum that is only reverse-engineered); `true` = 1.
   */
  validate?: (
    secret: string,
    groups: Readonly<Record<string, string | undefined>>,
    context?: ValidationContext,
  ) => boolean | number;
  /** Minimum Shannon entropy (bits per character) of the secret value. */
  entropy?: number;
  /** Parts that must be found near the primary match for the credential to be usable. */
  companions?: readonly DetectorCompanion[];
  /**
   * A catch-all detector (keyword assignments, URLs with credentials): its match
   * is dropped where a specific detector matched an overlapping span.
   */
  generic?: boolean;
  /** Skip the shared placeholder/sample filter (e.g. for PEM blocks whose body is checked in `validate`). */
  skipPlaceholderFilter?: boolean;
  severity: Severity;
  examples: DetectorExamples;
  /** Safe, read-only liveness check (see `Verifier`). */
  verify?: Verifier;
  /** Revocation through the issuer's API; only ever triggered by policy. */
  revoke?: Revoker;
}
