import type { Secret } from './secret.ts';
import type { Severity } from './severity.ts';

/** A half-open character range [start, end) into the original (un-normalised) text. */
export interface Span {
  start: number;
  end: number;
}

export interface MatchPart extends Span {
  name: string;
  secret: Secret;
}

/** In-memory output of a scan. Never persisted as is: `record()` keeps only the fingerprint and redacted preview. */
export interface Match extends Span {
  detectorId: string;
  issuer: string;
  severity: Severity;
  secret: Secret;
  /** Companion parts (e.g. the AWS secret key beside its key id), each with its own span. */
  parts: readonly MatchPart[];
  /** 1 when a checksum or exact structure proved the format; lower for heuristic formats. */
  confidence: number;
  /** HMAC-SHA256 of the credential under the server's fingerprint key (hex). */
  fingerprint: string;
  /** Redacted preview of the whole credential, safe to store and show. */
  redacted: string;
}
