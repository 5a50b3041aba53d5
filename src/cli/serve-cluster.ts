import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.ts';
import { loadFingerprintKey } from '../detection/fingerprint.ts';
import type { Logger } from '../logger.ts';

/** A process that dies this soon after it started counts as crash-looping: the next start waits longer. */
const HEALTHY_AFTER_MS = 30_000;
const FIRST_RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * `serve` as `config.serveProcesses` processes sharing one port (node:cluster):
 * each is a whole `serve` (HTTP with its inline scan, and pipeline workers),
 * so the acknowledgement path of webhooks spreads over as many cores. This
 * process only forks them, replaces one that dies (after a pause that grows
 * while they keep dying young), and passes SIGTERM/SIGINT on; it resolves
 * when all have stopped. The processes share the job queue and claims through
 * PostgreSQL as separate replicas do (docs/scaling.md).
 */
export async function runServeCluster(config: Config, logger: Logger): Promise<number> {
  // Made once here: processes starting together must not each generate a fingerprint key of their own.
  loadFingerprintKey(config.dataDir, config.fingerprintKey);
  let stopping = false;
  let restartDelay = FIRST_RESTART_DELAY_MS;
  const started = new Map<Worker, number>();
  const pending = new Set<NodeJS.Timeout>();

  const fork = () => started.set(cluster.fork(), Date.now());
  const allExited = new Promise<void>((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const startedAt = started.get(worker) ?? 0;
      started.delete(worker);
      if (stopping) {
        if (started.size === 0) resolve();
        return;
      }
      const lived = Date.now() - startedAt;
      restartDelay =
        lived > HEALTHY_AFTER_MS ? FIRST_RESTART_DELAY_MS : Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
      logger.error(
        { pid: worker.process.pid, code, signal, restartInMs: restartDelay },
        'a serve process exited; starting another',
      );
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (!stopping) fork();
      }, restartDelay);
      pending.add(timer);
    });
  });

  for (let i = 0; i < config.serveProcesses; i++) fork();
  logger.info({ processes: config.serveProcesses, port: config.port }, 'leakwatch serve processes started');

  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  stopping = true;
  for (const timer of pending) clearTimeout(timer);
  if (started.size > 0) {
    // Each stops gracefully on SIGTERM (running jobs finish, up to 20 s).
    for (const worker of started.keys()) worker.process.kill('SIGTERM');
    await allExited;
  }
  return 0;
}
