import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Registry } from 'prom-client';
import type { Detector } from '../core/detector.ts';
import type { Database } from '../db/schema.ts';
import type { Scanner } from '../detection/scanner.ts';
import type { SealedBox } from '../findings/sealed-box.ts';
import type { CoalescingDocumentSink } from '../jobs/document-sink.ts';
import type { FindingEvents } from '../jobs/pipeline-context.ts';
import type { Logger } from '../logger.ts';
import type { ApiKey } from '../db/schema.ts';
import type { RevocationPolicy } from '../revocation/revocation-policy.ts';

/** What the HTTP layer needs from the service. */
export interface ApiContext {
  db: Kysely<Database>;
  boss: PgBoss;
  transit: SealedBox;
  logger: Logger;
  metrics: Registry;
  maxDocumentBytes: number;
  /** Durable way into the pipeline (scan jobs), shared with the integrations; without it ingest sends one job per request. */
  sink?: CoalescingDocumentSink;
  /** Integrations' routes (webhooks, interactions), mounted at the root. */
  integrationRoutes?: readonly Hono[];
  /** True when the database answers and migrations are applied. */
  ready(): Promise<boolean>;
  now(): Date;

  /**
   * The opt-in vault (LEAKWATCH_ENCRYPTION_KEY). Re-verify and revoke requests
   * need it to get the secret back; without it they answer 409.
   */
  vault?: SealedBox;
  /** The configured revocation policy; revoke requests are refused (503) without it. */
  revocationPolicy?: RevocationPolicy;
  /** Loaded detectors by id: names for the dashboard, revoke capability, allowlist validation. */
  detectors?: ReadonlyMap<string, Detector>;
  /** Lifecycle events to outbound hooks (a requested revocation is announced, as the pipeline does). */
  events?: FindingEvents;
  /**
   * Scrubs error strings that came from outside (connector errors, job
   * failures, hook responses) before the API shows them; without it they are shown as stored.
   */
  scanner?: Scanner;
  /**
   * Seals dashboard session cookies. Pass a box with its own purpose (e.g.
   * `new SealedBox(fingerprintKey, 'dashboard-session')`) so sessions survive
   * restarts and work across processes; without it a random per-process key is used.
   */
  sessions?: SealedBox;
  /**
   * Take the client address from the last `X-Forwarded-For` hop (only behind a
   * trusted reverse proxy), for brute-force limiting and `Secure` cookies.
   */
  trustProxy?: boolean;
  /** Failed authentications allowed per client address in a window before 429 (default 10 per 5 minutes). */
  authFailureLimit?: { maxFailures: number; windowMs: number };
}

/** Hono variables set by middleware. */
export interface ApiVariables {
  requestId: string;
  apiKey: ApiKey;
}

export type ApiEnv = { Variables: ApiVariables };
