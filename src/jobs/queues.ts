import { randomUUID } from 'node:crypto';
import type { Queue } from 'pg-boss';
import type { DocumentRef } from '../core/document.ts';
import type { TextFormat } from '../detection/normalize.ts';
import type { HookEvent } from '../revocation/hook-delivery.ts';

/** Queue names, in pipeline order. Every hop between stages is a durable job. */
export const QUEUES = {
  scan: 'scan',
  verify: 'verify',
  notify: 'notify',
  noticeRefresh: 'notice-refresh',
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

/** Brings the notices already sent for a finding up to date (today: once it is resolved). */
export interface NoticeRefreshJob {
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

/**
 * Several findings' jobs of one queue, queued together as one pg-boss job (by
 * the transaction that recorded or verified them). pg-boss writes a job row
 * three times (queued, fetched, completed) across a dozen indexes; one row per
 * finding cost PostgreSQL more than recording the finding itself. Workers
 * handle each item as a job of its own (`unbatch`); an item that fails is
 * split off into a job of its own, retried and dead-lettered alone.
 */
export interface JobBatch<T> {
  batch: T[];
}

/** Items per batched job; larger groups become several jobs. */
export const JOB_BATCH_MAX = 100;

/** The items a job's data carries: the batch's, or the data itself for a job of one item. */
export function unbatch<T>(data: T | JobBatch<T>): T[] {
  return isJobBatch(data) ? data.batch : [data];
}

export function isJobBatch<T>(data: T | JobBatch<T>): data is JobBatch<T> {
  return typeof data === 'object' && data !== null && Array.isArray((data as JobBatch<T>).batch);
}

/**
 * pg-boss rows for per-finding items: a single item stays a plain job keyed by
 * its finding (so the stately queue drops a second one queued for the same
 * finding); more become batches of `JOB_BATCH_MAX`, each with a key of its own.
 */
export function findingJobs<T extends { findingId: string }>(
  items: readonly T[],
): Array<{ data: T | JobBatch<T>; singletonKey: string }> {
  if (items.length === 1) return [{ data: items[0]!, singletonKey: items[0]!.findingId }];
  const jobs: Array<{ data: JobBatch<T>; singletonKey: string }> = [];
  for (let i = 0; i < items.length; i += JOB_BATCH_MAX) {
    jobs.push({ data: { batch: items.slice(i, i + JOB_BATCH_MAX) }, singletonKey: `batch:${randomUUID()}` });
  }
  return jobs;
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
  // One queued and one active job per key: a single finding's job is keyed by its finding, so a retried
  // upstream job cannot pile up duplicate checks, DMs or revokes; a batch (`findingJobs`) has a key of its
  // own, and the effects of its items are once-only in the database (a DM is claimed per finding and
  // recipient, a revoke per finding; a repeated check is answered from the runner's cache).
  verify: { ...RETRYING, policy: 'stately' },
  notify: { ...RETRYING, policy: 'stately' },
  // Updating a message is idempotent (the same content twice), so a repeated refresh does no harm.
  'notice-refresh': { ...RETRYING, policy: 'stately' },
  redact: { ...RETRYING, policy: 'stately' },
  revoke: { ...RETRYING, retryLimit: 5, policy: 'stately' },
  reverify: { retryLimit: 1, expireInSeconds: 600, deleteAfterSeconds: 3600 },
  hook: { ...RETRYING, retryLimit: HOOK_RETRY_LIMIT, retryDelay: 5, retryDelayMax: 3600, policy: 'stately' },
};
