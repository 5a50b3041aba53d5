import { PgBoss, type Queue } from 'pg-boss';
import type { DatabaseHandle } from '../db/connection.ts';
import { QUEUE_OPTIONS, QUEUES, RETRYING } from './queues.ts';

/** Seconds between supervision passes (lapsed heartbeats, expiry); each pass is claimed by one process. */
const SUPERVISE_SECONDS = 10;

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
  const common = {
    schema: 'pgboss',
    supervise: options.supervise,
    schedule: options.supervise,
    useListenNotify: true,
    // How often lapsed heartbeats (jobs of a crashed process) are looked for; one process does it per pass.
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
  };
  const boss =
    handle.kind === 'postgres'
      ? new PgBoss({ connectionString: handle.connectionString!, max: handle.poolSize ?? 10, ...common })
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
  await applyHeartbeats(boss, Object.entries(QUEUE_OPTIONS));
  return boss;
}

/**
 * Queues created before heartbeats were configured get them too (createQueue
 * never changes an existing queue), so a crashed process's jobs are retried
 * in seconds rather than after expireInSeconds.
 */
async function applyHeartbeats(boss: PgBoss, queues: ReadonlyArray<[string, Omit<Queue, 'name'>]>): Promise<void> {
  const current = new Map((await boss.getQueues()).map((q) => [q.name, q.heartbeatSeconds ?? null]));
  for (const [name, options] of queues) {
    const wanted = options.heartbeatSeconds ?? null;
    if (current.has(name) && current.get(name) !== wanted) await boss.updateQueue(name, { heartbeatSeconds: wanted });
  }
}

/** Creates queues an integration owns (retrying, dead-lettered) unless they exist. */
export async function ensureQueues(
  boss: PgBoss,
  names: readonly string[],
  options: Record<string, Omit<Queue, 'name'>> = {},
): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  for (const name of names) if (!existing.has(name)) await boss.createQueue(name, options[name] ?? RETRYING);
  await applyHeartbeats(
    boss,
    names.map((name) => [name, options[name] ?? RETRYING]),
  );
}
