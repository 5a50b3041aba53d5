import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { startService, type ServiceRoles } from '../service.ts';
import { runServeCluster } from './serve-cluster.ts';
import type { CommandIo } from './command-io.ts';

export const SERVE_USAGE = `Usage: leakwatch serve | leakwatch worker

serve   HTTP API, webhooks and pipeline workers in one process (PORT, default 8080; LEAKWATCH_HOST, default 127.0.0.1)
worker  pipeline workers only, for scaling out against one PostgreSQL (DATABASE_URL)

LEAKWATCH_SERVE_PROCESSES=N runs serve as N processes sharing the port (one per core; needs DATABASE_URL).
Without DATABASE_URL, data lives in embedded PGlite under LEAKWATCH_DATA_DIR (default ./.leakwatch).
Stops gracefully on SIGTERM/SIGINT: no new jobs are taken, running ones finish (up to 20 s) or are released.`;

/** Runs until a termination signal; resolves with the exit code. */
export async function runService(roles: ServiceRoles, argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  const config = loadConfig(io.env);
  if (roles.http && config.serveProcesses > 1 && cluster.isPrimary) {
    return runServeCluster(config, createLogger({ level: config.logLevel }));
  }
  const service = await startService(config, roles);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await service.stop();
  // A process of `runServeCluster` keeps an IPC channel to it open: close it so the process can end.
  cluster.worker?.disconnect();
  return 0;
}
