import { PgBoss, type Queue } from 'pg-boss';
import type { DatabaseHandle } from '../db/connection.ts';
import { QUEUE_OPTIONS, QUEUES, RETRYING } from './queues.ts';

export interface JobQueueOptions {
  /** Run pg-boss maintenance and cron schedules in this process (serve/worker), not in one-shot commands. */
  supervise: boolean;
}

/**
 * pg-boss on the same database as the findings: its own pool on PostgreSQL,
 * the in-process PGlite instance otherwise. Creates the queues (idempotent).
 */
export async function startJobQueue(handle: DatabaseHandle, options: JobQueueOptions): Promise<PgBoss> {
  // LISTEN/NOTIFY wakes a worker the moment a job is queued; polling stays on as the safety net.
  const common = { schema: 'pgboss', supervise: options.supervise, schedule: options.supervise, useListenNotify: true };
  const boss =
    handle.kind === 'postgres'
      ? new PgBoss({ connectionString: handle.connectionString!, max: 10, ...common })
      : new PgBoss({
          db: { executeSql: handle.executeSql!, listen: handle.listen! },
          ...common,
        } as ConstructorParameters<typeof PgBoss>[0]);
  // pg-boss reports background errors (e.g. a dropped connection) as events; it reconnects by itself.
  boss.on('error', () => {});
  await boss.start();
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  if (!existing.has(QUEUES.deadLetter)) await boss.createQueue(QUEUES.deadLetter, { retentionSeconds: 30 * 86_400 });
  for (const [name, queueOptions] of Object.entries(QUEUE_OPTIONS)) {
    if (!existing.has(name)) await boss.createQueue(name, queueOptions);
  }
  return boss;
}

/** Creates queues an integration owns (retrying, dead-lettered) unless they exist. */
export async function ensureQueues(
  boss: PgBoss,
  names: readonly string[],
  options: Record<string, Omit<Queue, 'name'>> = {},
): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const name of names) if (!existing.has(name)) await boss.createQueue(name, options[name] ?? RETRYING);
}
