import pLimit from 'p-limit';
import type { Detector } from '../core/detector.ts';
import type { Match } from '../core/match.ts';
import type { Secret } from '../core/secret.ts';
import type {
  RevocationResult,
  RevokeMethod,
  SafeRequest,
  VerificationResult,
  VerifyContext,
} from '../core/verification.ts';
import { canaryReason } from './canary.ts';
import { VerificationCache } from './result-cache.ts';
import { HostRateLimiter } from './rate-limiter.ts';
import { createSafeHttp, EgressRefusedError, RateLimitedError } from './safe-http.ts';

export interface VerificationPolicy {
  /** Global switch: when false nothing is ever sent anywhere. */
  enabled: boolean;
  /** Detector ids whose checks are switched off. */
  disabledDetectors: ReadonlySet<string>;
  /** Allow private/loopback targets (only for self-hosted issuers inside your network). */
  allowPrivate: boolean;
  /** Self-hosted base URLs per issuer, e.g. `{ gitlab: ['https://gitlab.corp.example'] }`. */
  baseUrls: Readonly<Record<string, readonly string[]>>;
  timeoutMs: number;
  concurrency: number;
  hostRequestsPerSecond: number;
  cacheTtlMs: number;
}

export const DEFAULT_VERIFICATION_POLICY: VerificationPolicy = {
  enabled: true,
  disabledDetectors: new Set(),
  allowPrivate: false,
  baseUrls: {},
  timeoutMs: 10_000,
  concurrency: 8,
  hostRequestsPerSecond: 5,
  cacheTtlMs: 60 * 60 * 1000,
};

export interface VerificationRunner {
  /**
   * Liveness of a match, following the policy; never throws. `fresh` skips the
   * cache (re-verification after a revoke or rotation must ask the issuer).
   */
  verify(detector: Detector, match: Match, options?: { fresh?: boolean }): Promise<VerificationResult>;
  /** Revokes through the detector's revoker; never throws. Callers decide *whether* (policy lives in revocation/). */
  revoke(detector: Detector, match: Match): Promise<RevocationResult>;
}

const VERIFY_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);
const REVOKE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'DELETE', 'PATCH', 'PUT']);

function partsOf(match: Match): Record<string, Secret> {
  return Object.fromEntries(match.parts.map((p) => [p.name, p.secret]));
}

/**
 * Runs detectors' verifiers and revokers under one safety policy: global and
 * per-detector switches, canaries never contacted, egress only to the issuer's
 * hosts (self-hosted ones only from configuration), no private addresses,
 * bounded concurrency, per-host pacing with Retry-After, timeouts, and a
 * per detector + fingerprint result cache.
 */
export function createVerificationRunner(
  policy: VerificationPolicy,
  options: { now?: () => number; userAgent?: string } = {},
): VerificationRunner {
  const now = options.now ?? Date.now;
  const limiter = new HostRateLimiter(policy.hostRequestsPerSecond, now);
  const cache = new VerificationCache(policy.cacheTtlMs, 10_000, now);
  const limit = pLimit(policy.concurrency);
  const http = createSafeHttp({
    allowPrivate: policy.allowPrivate,
    timeoutMs: policy.timeoutMs,
    maxResponseBytes: 1024 * 1024,
    limiter,
    userAgent: options.userAgent ?? 'leakwatch-verifier (+secret leak monitor)',
  });

  function context<M extends string>(
    detector: Detector,
    match: Match,
    hosts: readonly string[],
    methods: ReadonlySet<string>,
  ): VerifyContext<M> {
    const baseUrls = policy.baseUrls[detector.issuer] ?? [];
    return {
      request: (req: SafeRequest<M>) => http({ hosts, baseUrls, methods }, req),
      parts: partsOf(match),
      baseUrls,
      now,
    };
  }

  function refusal(detector: Detector, match: Match, capability: 'verify' | 'revoke'): string | undefined {
    if (!policy.enabled) return 'verification is disabled';
    if (policy.disabledDetectors.has(detector.id)) return `verification is disabled for ${detector.id}`;
    const canary = canaryReason(detector, match);
    if (canary) return canary;
    const impl = capability === 'verify' ? detector.verify : detector.revoke;
    if (!impl) return capability === 'verify' ? 'no safe liveness check for this detector' : 'no built-in revoker';
    if (impl.selfHosted && (policy.baseUrls[detector.issuer] ?? []).length === 0) {
      return `no self-hosted ${detector.issuer} base URL configured`;
    }
    return undefined;
  }

  function describeFailure(error: unknown): { reason: string; retryAt?: number; refused: boolean } {
    if (error instanceof RateLimitedError) return { reason: error.message, retryAt: error.retryAt, refused: false };
    if (error instanceof EgressRefusedError)
      return { reason: `refused by egress policy: ${error.message}`, refused: true };
    return { reason: error instanceof Error ? error.message : 'unexpected error', refused: false };
  }

  return {
    async verify(detector, match, verifyOptions = {}) {
      const refused = refusal(detector, match, 'verify');
      if (refused !== undefined) {
        return {
          liveness: 'not_attempted',
          reason: refused,
          ...(refused.includes('canary') ? { facts: { canary: true } } : {}),
        };
      }
      const cached = verifyOptions.fresh ? undefined : cache.get(detector.id, match.fingerprint);
      if (cached) return cached;
      const verifier = detector.verify!;
      try {
        const result = await limit(() =>
          verifier.check(match.secret, context(detector, match, verifier.hosts, VERIFY_METHODS)),
        );
        if (result.liveness === 'live' || result.liveness === 'dead') cache.set(detector.id, match.fingerprint, result);
        return result;
      } catch (error) {
        const failure = describeFailure(error);
        if (failure.refused) return { liveness: 'not_attempted', reason: failure.reason };
        return {
          liveness: 'unknown',
          reason: failure.reason,
          ...(failure.retryAt ? { retryAt: failure.retryAt } : { retryable: true }),
        };
      }
    },

    async revoke(detector, match) {
      const refused = refusal(detector, match, 'revoke');
      if (refused !== undefined) return { outcome: 'failed', reason: refused };
      const revoker = detector.revoke!;
      try {
        return await limit(() =>
          revoker.revoke(match.secret, context<RevokeMethod>(detector, match, revoker.hosts, REVOKE_METHODS)),
        );
      } catch (error) {
        const failure = describeFailure(error);
        // Network errors, timeouts and rate limits may pass; an egress refusal will not.
        return { outcome: 'failed', reason: failure.reason, ...(failure.refused ? {} : { retryable: true }) };
      }
    },
  };
}
