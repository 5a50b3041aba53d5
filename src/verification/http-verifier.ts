import type { Secret } from '../core/secret.ts';
import type {
  CannedResponse,
  RevocationResult,
  RevokeMethod,
  Revoker,
  SafeRequest,
  SafeResponse,
  VerificationFacts,
  VerificationResult,
  Verifier,
  VerifyContext,
} from '../core/verification.ts';

export interface HttpVerifierSpec {
  hosts: readonly string[];
  selfHosted?: boolean;
  /** See `Verifier.selfHostedEdition`. */
  selfHostedEdition?: boolean;
  /** The single read-only request that tells live from dead. */
  request(secret: Secret, ctx: VerifyContext): SafeRequest;
  /** Statuses that prove the credential works (default [200]). */
  liveStatus?: readonly number[];
  /** Statuses that prove it does not (default [401, 403]). */
  deadStatus?: readonly number[];
  /**
   * Optional finer check of a response whose status is in `liveStatus`: return
   * `false` when the body says otherwise (e.g. Slack's HTTP 200 with `"ok":false`),
   * or `'dead'` when the body proves the credential invalid.
   */
  confirm?(response: SafeResponse): boolean | 'dead';
  /** Facts from a live response (account, scopes, expiry). */
  facts?(response: SafeResponse): VerificationFacts | undefined;
  fixtures: { live: CannedResponse; dead: CannedResponse };
}

/**
 * Builds a `Verifier` from one declarative HTTP check: most issuers answer a
 * "who am I" request with 200 for a live token and 401/403 for a dead one.
 * Anything else (5xx, an unexpected status, a body that fails `confirm`) is
 * `unknown`, never guessed.
 */
export function httpVerifier(spec: HttpVerifierSpec): Verifier {
  const live = spec.liveStatus ?? [200];
  const dead = spec.deadStatus ?? [401, 403];
  return {
    hosts: spec.hosts,
    ...(spec.selfHosted ? { selfHosted: true } : {}),
    ...(spec.selfHostedEdition ? { selfHostedEdition: true } : {}),
    fixtures: spec.fixtures,
    async check(secret, ctx): Promise<VerificationResult> {
      const response = await ctx.request(spec.request(secret, ctx));
      if (live.includes(response.status)) {
        const confirmed = spec.confirm ? spec.confirm(response) : true;
        if (confirmed === 'dead') return { liveness: 'dead' };
        if (!confirmed) return { liveness: 'unknown', reason: `unexpected response body (HTTP ${response.status})` };
        const facts = spec.facts?.(response);
        return facts ? { liveness: 'live', facts } : { liveness: 'live' };
      }
      if (dead.includes(response.status)) return { liveness: 'dead' };
      const retryable = response.status === 429 || response.status >= 500;
      return { liveness: 'unknown', reason: `unexpected HTTP ${response.status}`, ...(retryable ? { retryable } : {}) };
    },
  };
}

export interface HttpRevokerSpec {
  hosts: readonly string[];
  selfHosted?: boolean;
  request(secret: Secret, ctx: VerifyContext<RevokeMethod>): SafeRequest<RevokeMethod>;
  /** Statuses meaning "revoked now" (default [200, 202, 204]). */
  revokedStatus?: readonly number[];
  /** Statuses meaning the credential was already invalid (default [401, 404]). */
  invalidStatus?: readonly number[];
  confirm?(response: SafeResponse): boolean | 'already_invalid';
  fixtures: { revoked: CannedResponse; failed: CannedResponse };
}

/** Builds a `Revoker` from one declarative HTTP call (self-revocation endpoints). */
export function httpRevoker(spec: HttpRevokerSpec): Revoker {
  const revoked = spec.revokedStatus ?? [200, 202, 204];
  const invalid = spec.invalidStatus ?? [401, 404];
  return {
    hosts: spec.hosts,
    ...(spec.selfHosted ? { selfHosted: true } : {}),
    fixtures: spec.fixtures,
    async revoke(secret, ctx): Promise<RevocationResult> {
      const response = await ctx.request(spec.request(secret, ctx));
      if (revoked.includes(response.status)) {
        const confirmed = spec.confirm ? spec.confirm(response) : true;
        if (confirmed === 'already_invalid') return { outcome: 'already_invalid' };
        return confirmed ? { outcome: 'revoked' } : { outcome: 'failed', reason: 'unexpected response body' };
      }
      if (invalid.includes(response.status)) return { outcome: 'already_invalid' };
      const retryable = response.status === 429 || response.status >= 500;
      return { outcome: 'failed', reason: `unexpected HTTP ${response.status}`, ...(retryable ? { retryable } : {}) };
    },
  };
}

/** Reads a string field from a JSON body, if present. */
export function field(body: unknown, ...path: string[]): string | undefined {
  let value: unknown = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}
