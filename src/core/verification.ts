import type { Secret } from './secret.ts';

/** What a liveness check concluded. Only `unknown` carries an error reason, scrubbed of the secret. */
export const LIVENESS = ['live', 'dead', 'unknown', 'not_attempted'] as const;
export type Liveness = (typeof LIVENESS)[number];

/** Facts the issuer's API told us about a live credential, used to raise severity and guide the owner. */
export interface VerificationFacts {
  /** Account, user, org or app the credential belongs to (a login or id, never the secret). */
  account?: string;
  /** Scopes or permissions, e.g. from GitHub's `X-OAuth-Scopes`. */
  scopes?: readonly string[];
  /** ISO-8601 expiry when the API reports one. */
  expiresAt?: string;
  /** True when the credential grants admin/write-everything power (raises severity). */
  privileged?: boolean;
  /** The credential is a known canary (honeytoken): never contacted. */
  canary?: boolean;
  /** Anything else worth showing (plan, region, token name); values are short strings. */
  details?: Readonly<Record<string, string>>;
}

export interface VerificationResult {
  liveness: Liveness;
  /** Why: for `unknown`/`not_attempted` a short reason; never contains the secret. */
  reason?: string;
  facts?: VerificationFacts;
  /** For `unknown` caused by rate limiting: when the issuer allows another attempt (epoch ms). */
  retryAt?: number;
  /** For `unknown` caused by something that may pass (5xx, timeout, network): worth checking again later. */
  retryable?: boolean;
}

/** Methods a verifier may use. State-changing methods (PUT/PATCH/DELETE) are refused by the runner. */
export type VerifyMethod = 'GET' | 'HEAD' | 'POST';
export type RevokeMethod = VerifyMethod | 'DELETE' | 'PATCH' | 'PUT';

/** A header, body or URL value that may embed the secret; only the HTTP wrapper reveals it. */
export type Sensitive = string | Secret;

export interface SafeRequest<M extends string = VerifyMethod> {
  method?: M;
  url: Sensitive;
  headers?: Readonly<Record<string, Sensitive>>;
  body?: Sensitive;
}

/** A response as verifiers see it: status, headers and the body parsed as JSON when it is JSON, else text. */
export interface SafeResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** What the runner hands a verifier: HTTP restricted to the verifier's hosts, plus the credential's parts. */
export interface VerifyContext<M extends string = VerifyMethod> {
  request(request: SafeRequest<M>): Promise<SafeResponse>;
  /** Companion parts by name (e.g. the AWS secret key beside its key id). */
  parts: Readonly<Record<string, Secret>>;
  /** Self-hosted base URLs configured for this issuer (e.g. `https://gitlab.corp.example`). */
  baseUrls: readonly string[];
  /** Current time (injectable for tests). */
  now(): number;
}

/** A canned issuer response, replayed by the contract tests on the verifier's real URL. */
export interface CannedResponse {
  status: number;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}

/**
 * A read-only liveness check against the issuer's own API.
 * `check` must not throw for an invalid credential (return `dead`); unexpected
 * responses are `unknown`. It may only contact `hosts` (plus configured self-hosted ones).
 */
export interface Verifier {
  /** Hostnames the check may contact; `*.example.com` matches subdomains. */
  hosts: readonly string[];
  /** True when the check needs a configured self-hosted base URL (GitLab self-managed, Jira DC…). */
  selfHosted?: boolean;
  /**
   * The check goes to the SaaS host, but the issuer also ships a self-hosted edition issuing the same token
   * format (GitHub Enterprise Server, GitLab self-managed, Terraform Enterprise). A `dead` answer then does not
   * prove a token of some other instance dead, so a finding is not resolved on it at discovery.
   */
  selfHostedEdition?: boolean;
  check(secret: Secret, ctx: VerifyContext): Promise<VerificationResult>;
  fixtures: { live: CannedResponse; dead: CannedResponse };
}

export const REVOCATION_OUTCOMES = ['revoked', 'already_invalid', 'failed'] as const;
export type RevocationOutcome = (typeof REVOCATION_OUTCOMES)[number];

export interface RevocationResult {
  outcome: RevocationOutcome;
  reason?: string;
  /** A failure a later attempt may cure (rate limit, 5xx, timeout, network): the caller retries. */
  retryable?: boolean;
}

/** Revokes a credential through the issuer's public API (self-revocation or a finder's revoke endpoint). */
export interface Revoker {
  hosts: readonly string[];
  selfHosted?: boolean;
  revoke(secret: Secret, ctx: VerifyContext<RevokeMethod>): Promise<RevocationResult>;
  fixtures: { revoked: CannedResponse; failed: CannedResponse };
}
