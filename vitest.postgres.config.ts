import { defineConfig } from 'vitest/config';

/**
 * The tests that touch the database, run again against PostgreSQL
 * (`DATABASE_URL`) by `.ci/run` after the full suite passed on embedded PGlite.
 * Every test file that opens a database (through test/test-database.ts) is here;
 * the rest (detectors, engine, CLI) does not depend on the database.
 */
export default defineConfig({
  test: {
    include: [
      'src/db/**/*.test.ts',
      'src/findings/**/*.test.ts',
      'src/jobs/**/*.test.ts',
      'integrations/**/*.test.ts',
      'src/api/**/*.test.ts',
      'src/revocation/hook-delivery.test.ts',
      'test/api-*.test.ts',
      'test/cli-backfill.test.ts',
      'test/dashboard.e2e.test.ts',
      'test/findings-lifecycle.test.ts',
      'test/fuzz-api.test.ts',
      'test/fuzz-body-limits.test.ts',
      'test/fuzz-slack.test.ts',
      'test/fuzz-webhooks.test.ts',
      'test/no-raw-secrets.test.ts',
      'test/no-raw-secrets-platforms.test.ts',
      'test/pipeline-idempotency.test.ts',
      'test/pipeline.e2e.test.ts',
      'test/redaction.test.ts',
      'test/reverify.test.ts',
      'test/faults.test.ts',
      'test/serve-cluster.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
