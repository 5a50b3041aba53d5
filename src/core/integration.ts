import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { PgBoss, Queue } from 'pg-boss';
import type { Database, Finding, Identity, Occurrence } from '../db/schema.ts';
import type { Detector } from './detector.ts';
import type { TextFormat } from '../detection/normalize.ts';
import type { Scanner } from '../detection/scanner.ts';
import type { SealedBox } from '../findings/sealed-box.ts';
import type { FindingEvents, RevocationDecider } from '../jobs/pipeline-context.ts';
import type { Logger } from '../logger.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { DocumentRef } from './document.ts';

/** A text an integration read from its platform, ready to be scanned. */
export interface InboundDocument {
  ref: DocumentRef;
  text: string;
  format: TextFormat;
  /**
   * The item's text as first posted (a new message, a new comment): no earlier
   * version can hold an occurrence to close, so if nothing is found in it there
   * is nothing to write. Leave unset when unsure (an edit, a poll, an import).
   */
  firstVersion?: boolean;
}

/**
 * The durable way into the pipeline. `submit` resolves only once every
 * document is durable: scanned with its findings and their next jobs recorded,
 * or stored as a scan job (its text sealed). A webhook may be acknowledged and
 * a poll cursor advanced right after it (invariant 2).
 */
export interface DocumentSink {
  submit(documents: readonly InboundDocument[]): Promise<void>;
}

/** A span of the current text that holds the finding's secret, and what to put there instead. */
export interface LocatedSecret {
  start: number;
  end: number;
  redacted: string;
}

export interface RedactionRequest {
  finding: Finding;
  occurrence: Occurrence;
  /**
   * Scans a text as it is now on the platform and returns the spans (in that
   * text's own offsets, markup included) holding this finding's secret. The
   * integration re-reads the item, calls `locate`, writes the text back with
   * each span replaced by `redacted`. No raw secret travels in the job.
   */
  locate(text: string, format: TextFormat): LocatedSecret[];
  /** Who asked (`system`, `api:<key name>`, `slack:U123`). */
  requestedBy: string;
}

export interface RedactionOutcome {
  /**
   * `redacted`: the text now holds the redacted form; `deleted`: the item was removed;
   * `warned`: could not edit, a warning was posted instead; `not_found`: the secret is no longer
   * there (already redacted or edited away); `unsupported`: the platform/credentials cannot redact;
   * `failed`: tried and could not (the detail says what remains).
   */
  status: 'redacted' | 'deleted' | 'warned' | 'not_found' | 'unsupported' | 'failed';
  /** Human-readable, secret-free. E.g. "2 of 3 historical versions removed; version 4 is locked". */
  detail?: string;
}

export interface BackfillRequest {
  containers?: string[];
  /** Only what was written or changed from then on. */
  since?: Date;
}

/** Everything an integration may use; built once per process by the service. */
export interface IntegrationDeps {
  db: Kysely<Database>;
  boss: PgBoss;
  sink: DocumentSink;
  scanner: Scanner;
  /** Loaded detectors by id (issuer, revoker, rotation advice). */
  detectors: ReadonlyMap<string, Detector>;
  logger: Logger;
  now(): Date;
  /** The process's notifier (Slack DM when Slack is configured), for integrations that tell owners. */
  notifier(): Notifier;
  /** For owner-requested revocation ("Revoke it now"): the policy, and the boxes the secret is kept in. */
  revocation?: {
    policy: RevocationDecider;
    transit: SealedBox;
    /** Undefined without LEAKWATCH_ENCRYPTION_KEY: nothing is kept to revoke with. */
    vault: SealedBox | undefined;
    events: FindingEvents;
  };
}

/** A background job handler an integration registers (backfill pages, polls, renewals). */
export type JobHandler = (data: unknown) => Promise<unknown>;

/**
 * One platform (Slack, Teams, Jira, Confluence). Everything is optional: an
 * integration offers what its platform and credentials allow.
 */
export interface Integration {
  readonly platform: string;
  /** HTTP routes (webhooks, interactions), mounted at the root of the app. */
  routes?: Hono;
  /** Delivers owner notices (Slack DM, Teams message). The first configured one is used. */
  notifier?: Notifier;
  /** Findings seen on this platform are redacted as soon as they are recorded (besides LEAKWATCH_AUTO_REDACT). */
  autoRedact?: boolean;
  /** Redacts one occurrence on this platform. */
  redact?(request: RedactionRequest): Promise<RedactionOutcome>;
  /** Resolves a platform user to an identity (email, active), e.g. for owner lookup. */
  resolveIdentity?(
    identity: Identity,
  ): Promise<Partial<Pick<Identity, 'email' | 'display_name' | 'slack_user_id' | 'active'>> | null>;
  /** Queues this integration owns (created at start, retried with backoff, dead-lettered) and their handlers. */
  queues?: Record<string, JobHandler>;
  /** pg-boss options for some of those queues (default: retrying with backoff, then dead-lettered). */
  queueOptions?: Record<string, Omit<Queue, 'name'>>;
  /** Cron schedules (pg-boss) on its own queues, e.g. `{ queue: 'jira-poll', cron: '* * * * *' }`. */
  schedules?: Array<{ queue: string; cron: string; data?: object }>;
  /**
   * Starts (or resumes) a backfill of the platform's history as resumable jobs, recorded in
   * `backfill_runs`. `containers`: channels, projects or spaces (all readable ones when empty).
   */
  startBackfill?(options: BackfillRequest): Promise<{ runId: string; resumed: boolean }>;
  /** Posts the security digest now (`leakwatch digest`). */
  sendDigest?(options: { period?: 'daily' | 'weekly'; requestedBy?: string }): Promise<{ posted: boolean }>;
  /** Called once workers run (e.g. Socket Mode connect, subscription renewal). */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}
