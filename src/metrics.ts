import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics. Labels are bounded, secret-free values (queue names, detector ids, outcomes). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'leakwatch_' });
  return {
    registry,
    jobs: new Counter({
      name: 'leakwatch_jobs_total',
      help: 'Pipeline jobs handled, by queue and outcome',
      labelNames: ['queue', 'outcome'] as const,
      registers: [registry],
    }),
    jobSeconds: new Histogram({
      name: 'leakwatch_job_duration_seconds',
      help: 'Time to handle one pipeline job',
      labelNames: ['queue'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    matches: new Counter({
      name: 'leakwatch_matches_total',
      help: 'Credentials found by scans, by detector',
      labelNames: ['detector'] as const,
      registers: [registry],
    }),
    verifications: new Counter({
      name: 'leakwatch_verifications_total',
      help: 'Liveness checks, by result',
      labelNames: ['liveness'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
