import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Registry } from 'prom-client';
import type { Database } from '../db/schema.ts';
import type { SealedBox } from '../findings/sealed-box.ts';
import type { Logger } from '../logger.ts';
import type { ApiKey } from '../db/schema.ts';

/** What the HTTP layer needs from the service. */
export interface ApiContext {
  db: Kysely<Database>;
  boss: PgBoss;
  transit: SealedBox;
  logger: Logger;
  metrics: Registry;
  maxDocumentBytes: number;
  /** Integrations' routes (webhooks, interactions), mounted at the root. */
  integrationRoutes?: readonly Hono[];
  /** True when the database answers and migrations are applied. */
  ready(): Promise<boolean>;
  now(): Date;
}

/** Hono variables set by middleware. */
export interface ApiVariables {
  requestId: string;
  apiKey: ApiKey;
}

export type ApiEnv = { Variables: ApiVariables };
