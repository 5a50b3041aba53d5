import type { Queue } from 'pg-boss';
import type { DocumentRef } from '../core/document.ts';
import type { TextFormat } from '../detection/normalize.ts';
import type { HookEvent } from '../revocation/hook-delivery.ts';

/** Queue names, in pipeline order. Every hop between stages is a durable job. */
export const QUEUES = {
  scan: 'scan',
  verify: 'verify',
  notify: 'notify',
  redact: 'redact',
  revoke: 'revoke',
  reverify: 'reverify',
  hook: 'hook',
  deadLetter: 'dead-letter',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface ScanJob {
  ref: DocumentRef;
  format: TextFormat;
  /** The document text, sealed with the transit key (it contains the secrets). */
  sealedText: string;
  /** When leakwatch received it (ISO); used as the sighting time. */
  receivedAt: string;
}

export interface VerifyJob {
  findingId: string;
  /** Sealed secret and parts, from the scan (or from the vault for re-verification). */
  sealedSecret: string;
  sealedParts: Record<string, string>;
  reason: 'new' | 'reverify' | 'requested';
  /** How many times verification was rescheduled after an issuer's rate limit. */
  attempt?: number;
}

export interface NotifyJob {
  findingId: string;
}

export interface RedactJob {
  findingId: string;
  requestedBy: string;
}

export interface RevokeJob {
  findingId: string;
  sealedSecret: string;
  sealedParts: Record<string, string>;
  requestedBy: string;
}

export interface HookJob {
  deliveryId: string;
  /** The event, without any secret (see `HookEvent`). */
  event: HookEvent;
  /** Sealed secret, sent only to hooks configured with `includeSecret`. */
  sealedSecret?: string;
}

/** Hook deliveries are retried this many times (with exponential backoff) before they are recorded as failed. */
export const HOOK_RETRY_LIMIT = 10;

/** Active jobs refresh a heartbeat this often (÷2); a job whose process died is retried after it lapses. */
export const HEARTBEAT_SECONDS = 15;

/** Retries with exponential backoff, then the dead-letter queue; also the default for integrations' queues. */
export const RETRYING: Omit<Queue, 'name'> = {
  retryLimit: 8,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 300,
  // A worker that dies (kill -9, OOM, lost host) stops refreshing its jobs' heartbeat; the supervisor
  // then retries them within seconds instead of leaving them 'active' until expireInSeconds.
  heartbeatSeconds: HEARTBEAT_SECONDS,
  deadLetter: QUEUES.deadLetter,
  // Payloads carry sealed secrets: keep completed jobs only briefly.
  deleteAfterSeconds: 3600,
  notify: true,
};

/** Per-queue options: retries with exponential backoff, then the dead-letter queue. */
export const QUEUE_OPTIONS: Record<Exclude<QueueName, 'dead-letter'>, Omit<Queue, 'name'>> = {
  scan: RETRYING,
  // One queued and one active job per finding (singletonKey = finding id): a
  // retried upstream job cannot pile up duplicate checks, DMs or revokes.
  verify: { ...RETRYING, policy: 'stately' },
  notify: { ...RETRYING, policy: 'stately' },
  redact: { ...RETRYING, policy: 'stately' },
  revoke: { ...RETRYING, retryLimit: 5, policy: 'stately' },
  reverify: { retryLimit: 1, expireInSeconds: 600, deleteAfterSeconds: 3600 },
  hook: { ...RETRYING, retryLimit: HOOK_RETRY_LIMIT, retryDelay: 5, retryDelayMax: 3600, policy: 'stately' },
};
