import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultEnvironment } from './fault-harness/fault-environment.ts';
import { runKillScenario, runOutageScenario, runScaleOut, runStormScenario } from './fault-harness/fault-scenarios.ts';
import type { PipelineTally } from './fault-harness/pipeline-tally.ts';

/**
 * Real `leakwatch serve` / `leakwatch worker` processes against a fresh
 * PostgreSQL database, the stand-in Slack and Vault on 127.0.0.1: kill -9,
 * a database outage, an upstream storm and three workers, each checked end to
 * end (nothing acknowledged lost, one DM per finding, at most one revoke per
 * token). The full-size run is `npm run bench:faults`.
 */
describe.runIf(process.env.DATABASE_URL)('faults (PostgreSQL, real processes)', () => {
  let env: FaultEnvironment;

  beforeAll(async () => {
    env = new FaultEnvironment({ serverUrl: process.env.DATABASE_URL! });
    await env.start();
  });

  afterAll(async () => {
    await env?.close();
  });

  /** Processes that ended on their own since `from` (crashes). */
  const exitsSince = (from: number) => env.processes.unexpectedExits.slice(from);

  /** The effects every scenario must show once its backlog drained. */
  function expectExactlyOnce(tally: PipelineTally) {
    expect(tally.lostAcknowledged).toBe(0);
    expect(tally.duplicateFindings).toBe(0);
    expect(tally.findings).toBe(tally.planted - tally.missingUnacknowledged);
    expect(tally.duplicateDms).toBe(0);
    expect(tally.withoutDm).toEqual({ resolvedBeforeNotice: 0, uncertain: 0, other: 0 });
    expect(tally.duplicateRevokes).toBe(0);
    expect(tally.unrevokedLive).toBe(0);
    expect(tally.backlog).toBe(0);
    expect(tally.deadLetters).toBe(0);
  }

  it('loses nothing and repeats no effect when serve and workers are killed -9 mid-stream', async () => {
    const exits = env.processes.unexpectedExits.length;
    const report = await runKillScenario(env, { events: 1000, kills: 2, workers: 1, drainTimeoutMs: 90_000 });
    expect(report.kills).toHaveLength(2);
    expect(report.drained).toBe(true);
    expect(report.driver.gaveUp).toEqual([]);
    expectExactlyOnce(report.tally);
    // Every token was live, so every one was revoked, once.
    expect(report.tally.revokeCalls).toBe(1000);
    expect(exitsSince(exits)).toEqual([]);
  }, 180_000);

  it('rides out a 5 s database outage: no crash, /readyz 503 then 200, workers catch up', async () => {
    const exits = env.processes.unexpectedExits.length;
    const report = await runOutageScenario(env, { events: 300, outageSeconds: 5, workers: 1, drainTimeoutMs: 90_000 });
    expect(exitsSince(exits)).toEqual([]);
    expect(report.readyDuring['503']).toBeGreaterThan(0);
    expect(report.readyDuring['200'] ?? 0).toBe(0);
    expect(report.readyAfter['200']).toBeGreaterThan(0);
    expect(report.reconnections).toBeGreaterThan(0);
    expect(report.drained).toBe(true);
    expect(report.driver.gaveUp).toEqual([]);
    expectExactlyOnce(report.tally);
  }, 180_000);

  it('does not hot-loop while Slack answers 500 for 10 s, and sends every DM once afterwards', async () => {
    const exits = env.processes.unexpectedExits.length;
    const report = await runStormScenario(env, {
      events: 200,
      target: 'slack',
      mode: '500',
      stormSeconds: 10,
      retryAfterSeconds: 5,
      workers: 1,
      drainTimeoutMs: 90_000,
    });
    expect(exitsSince(exits)).toEqual([]);
    expect(report.stormRequests).toBeGreaterThan(0);
    // Backoff, not a loop: each DM is tried a handful of times (3 HTTP calls per try at most).
    expect(report.requestsPerEvent).toBeLessThanOrEqual(3 * (2 + Math.log2(report.stormSeconds)));
    expect(report.drained).toBe(true);
    expectExactlyOnce(report.tally);
  }, 180_000);

  it('shares the work between three worker processes without duplicate effects', async () => {
    const exits = env.processes.unexpectedExits.length;
    const one = await runScaleOut(env, { documents: 300, workers: 1, drainTimeoutMs: 90_000 });
    const three = await runScaleOut(env, { documents: 300, workers: 3, drainTimeoutMs: 90_000 });
    for (const run of [one, three]) expectExactlyOnce(run.tally);
    expect(three.tally.dms).toBe(300);
    expect(exitsSince(exits)).toEqual([]);
    // Throughput is reported, not asserted: on 2 shared cores three workers need not be faster.
    console.log(
      `scale-out: 1 worker ${one.documentsPerSecond.toFixed(0)} docs/s, 3 workers ${three.documentsPerSecond.toFixed(0)} docs/s`,
    );
  }, 180_000);
});
