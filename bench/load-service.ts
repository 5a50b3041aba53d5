/**
 * The service under test for the load benchmark, run as a child process of
 * `load-bench.ts` (forked with IPC) so the load generator never shares its
 * event loop: `leakwatch serve` (HTTP + workers) configured from the
 * environment the parent passes. Over IPC it reports `{ ready, port }`, and
 * answers `sample` with its own memory, open handles, CPU time and event-loop
 * utilisation (what the soak watches), and `stop` by stopping cleanly (so
 * `--cpu-prof` can write its profile). With LOAD_BENCH_PROCESSES > 1 it is
 * `serve` as that many processes on one port (`runCluster`).
 */
import cluster, { type Worker } from 'node:cluster';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { startService } from '../src/service.ts';

export interface ServiceSample {
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** process.getActiveResourcesInfo() counted by type. */
  handles: Record<string, number>;
  /** Cumulative CPU time of the process, microseconds (user + system). */
  cpuMicros: number;
  /** Event-loop utilisation since the previous sample (0–1). */
  elu: number;
  /** Taken right after a full garbage collection (`sample` with `gc: true`): heapUsed is then the live heap. */
  afterGc: boolean;
}

export type ServiceMessage = { type: 'ready'; port: number } | { type: 'sample'; sample: ServiceSample };

const send = (message: ServiceMessage) => process.send?.(message);

// `--count-queries` (set by the parent): statements by kind, printed at stop, to see where round trips go.
const queryCounts = new Map<string, number>();
if (process.env.LOAD_BENCH_COUNT_QUERIES === '1') {
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = (typeof first === 'string' ? first : (first?.text ?? '?')).replace(/\s+/g, ' ').trim().slice(0, 90);
    queryCounts.set(text, (queryCounts.get(text) ?? 0) + 1);
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
}

// LOAD_BENCH_ROLE (set by the parent with --workers N): `http` = serve without workers, `worker` = `leakwatch worker`.
async function runService(): Promise<void> {
  const role = process.env.LOAD_BENCH_ROLE ?? 'both';
  const service = await startService(loadConfig(process.env), { http: role !== 'worker', workers: role !== 'http' });
  let lastElu = performance.eventLoopUtilization();

  process.on('message', (message: { type: string; gc?: boolean }) => {
    if (message.type === 'sample') {
      // Forked with --expose-gc: a full collection first makes heapUsed the live heap, not the sawtooth's height.
      const gc = message.gc ? (globalThis as { gc?: () => void }).gc : undefined;
      gc?.();
      const memory = process.memoryUsage();
      const handles: Record<string, number> = {};
      for (const type of process.getActiveResourcesInfo()) handles[type] = (handles[type] ?? 0) + 1;
      const cpu = process.cpuUsage();
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      send({
        type: 'sample',
        sample: {
          at: Date.now(),
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          heapTotal: memory.heapTotal,
          external: memory.external,
          arrayBuffers: memory.arrayBuffers,
          handles,
          cpuMicros: cpu.user + cpu.system,
          elu: elu.utilization,
          afterGc: gc !== undefined,
        },
      });
    } else if (message.type === 'stop') {
      if (queryCounts.size > 0) {
        const top = [...queryCounts].sort((a, b) => b[1] - a[1]).slice(0, 25);
        console.log('statements sent by the service (top 25):');
        for (const [text, n] of top) console.log(`${String(n).padStart(8)}  ${text}`);
      }
      void service.stop().finally(() => process.exit(0));
    }
  });
  // The parent going away (Ctrl-C, crash) must not leave a service running.
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: service.port ?? 0 });
}

/**
 * LOAD_BENCH_PROCESSES=N (set by the parent with --processes N): `serve` as N
 * processes sharing one port through node:cluster, as LEAKWATCH_SERVE_PROCESSES
 * runs it. This process relays: it reports ready once all are, and answers
 * `sample` with their samples added up (memory, handles and CPU summed — its
 * own CPU included —, event-loop utilisation averaged).
 */
async function runCluster(processes: number): Promise<void> {
  const workers = Array.from({ length: processes }, () => cluster.fork());
  const next = (worker: Worker, type: ServiceMessage['type']) =>
    new Promise<ServiceMessage>((resolve) => {
      const listener = (message: ServiceMessage) => {
        if (message.type !== type) return;
        worker.off('message', listener);
        resolve(message);
      };
      worker.on('message', listener);
    });
  const ready = await Promise.all(workers.map((w) => next(w, 'ready')));
  process.on('message', (message: { type: string; gc?: boolean }) => {
    if (message.type === 'sample') {
      void Promise.all(
        workers.map((w) => {
          const answer = next(w, 'sample');
          w.send(message);
          return answer;
        }),
      ).then((answers) => {
        const samples = answers.map((a) => (a as Extract<ServiceMessage, { type: 'sample' }>).sample);
        const sum = (key: 'rss' | 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers' | 'cpuMicros') =>
          samples.reduce((total, s) => total + s[key], 0);
        const handles: Record<string, number> = {};
        for (const s of samples)
          for (const [type, n] of Object.entries(s.handles)) handles[type] = (handles[type] ?? 0) + n;
        const own = process.cpuUsage();
        send({
          type: 'sample',
          sample: {
            at: Date.now(),
            rss: sum('rss'),
            heapUsed: sum('heapUsed'),
            heapTotal: sum('heapTotal'),
            external: sum('external'),
            arrayBuffers: sum('arrayBuffers'),
            handles,
            cpuMicros: sum('cpuMicros') + own.user + own.system,
            elu: samples.reduce((total, s) => total + s.elu, 0) / samples.length,
            afterGc: samples.every((s) => s.afterGc),
          },
        });
      });
    } else if (message.type === 'stop') {
      let running = workers.length;
      for (const w of workers) {
        w.once('exit', () => {
          if (--running === 0) process.exit(0);
        });
        w.send(message);
      }
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready', port: (ready[0] as Extract<ServiceMessage, { type: 'ready' }>).port });
}

const processes = Number(process.env.LOAD_BENCH_PROCESSES ?? '1');
if (processes > 1 && cluster.isPrimary) await runCluster(processes);
else await runService();
