import type { Kysely } from 'kysely';
import type { PgBoss, Queue } from 'pg-boss';
import type { DocumentSink } from '../../src/core/integration.ts';
import type { Database } from '../../src/db/schema.ts';
import { QUEUES } from '../../src/jobs/queues.ts';
import type { Logger } from '../../src/logger.ts';
import type { GraphClient } from './graph-client.ts';
import type { AuthorDirectory } from './owner.ts';
import type { TeamsConfig } from './teams-config.ts';

/** What every Teams component works with; built once by `createTeamsIntegration`. */
export interface TeamsContext {
  config: TeamsConfig;
  graph: GraphClient;
  db: Kysely<Database>;
  boss: PgBoss;
  sink: DocumentSink;
  logger: Logger;
  now(): Date;
  /** The clientState every subscription carries and every notification must echo. */
  clientState(): Promise<string>;
  /** When set, documents carry their author's email (looked up in Entra ID, cached). */
  authors?: AuthorDirectory;
}

/** Queues the Teams integration owns. */
export const TEAMS_QUEUES = {
  /** Read one message a change notification named, and submit it. */
  fetch: 'teams-fetch',
  /** Follow stored delta links / chat high-water marks (after `missed`, on a timer). */
  catchup: 'teams-catchup',
  /** One slice of a `leakwatch backfill teams` run. */
  backfill: 'teams-backfill',
  /** Create, renew, reauthorize and recreate change-notification subscriptions. */
  subscriptions: 'teams-subscriptions',
} as const;

const RETRYING: Omit<Queue, 'name'> = {
  retryLimit: 8,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 900,
  expireInSeconds: 300,
  deadLetter: QUEUES.deadLetter,
  deleteAfterSeconds: 3600,
};

/**
 * Queue options the service should create these queues with. `stately` with a
 * singleton key per message keeps a burst of notifications for one message to
 * one queued fetch (it reads the latest state anyway); subscription changes
 * run one at a time so two workers never race on the stored subscriptions.
 */
export const TEAMS_QUEUE_OPTIONS: Record<(typeof TEAMS_QUEUES)[keyof typeof TEAMS_QUEUES], Omit<Queue, 'name'>> = {
  'teams-fetch': { ...RETRYING, policy: 'stately' },
  'teams-catchup': { ...RETRYING, policy: 'stately', expireInSeconds: 900 },
  'teams-backfill': { ...RETRYING, policy: 'stately', expireInSeconds: 900 },
  'teams-subscriptions': { ...RETRYING, policy: 'singleton', expireInSeconds: 600 },
};

/** Creates the Teams queues that do not exist yet (idempotent). */
export async function createTeamsQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const [name, options] of Object.entries(TEAMS_QUEUE_OPTIONS)) {
    if (!existing.has(name)) await boss.createQueue(name, options);
  }
}
