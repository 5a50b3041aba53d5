import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentSink } from '../../src/core/integration.ts';
import { useMswServer } from '../../test/msw-server.ts';
import {
  JIRA_BACKFILL_QUEUE,
  runJiraBackfillStep,
  startJiraBackfill,
  type BackfillContext,
  type JiraBackfillJob,
} from './backfill.ts';
import { createCloudClient } from './cloud-client.ts';
import type { JiraClient } from './jira-client.ts';
import { FakeJira } from './jira-fake-server.ts';
import { jiraTestConfig, startPipelineKit, type PipelineKit } from './jira-test-kit.ts';
import { createIssueReader } from './issue-reader.ts';

const server = useMswServer();
const dana = { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Dana Ops' };
const T0 = Date.UTC(2025, 5, 1);

let kit: PipelineKit;
beforeAll(async () => {
  kit = await startPipelineKit();
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});
beforeEach(async () => {
  await kit.submitted();
  await kit.boss.fetch(JIRA_BACKFILL_QUEUE, { batchSize: 100 });
});

function fake(): FakeJira {
  const jira = new FakeJira('cloud');
  for (let i = 1; i <= 120; i++) jira.addIssue({ key: `OPS-${i}`, updated: new Date(T0 + i * 60_000), creator: dana });
  for (let i = 1; i <= 30; i++) jira.addIssue({ key: `ENG-${i}`, updated: new Date(T0 + i * 60_000), creator: dana });
  return jira;
}

function context(client: JiraClient, sink: DocumentSink = kit.sink): BackfillContext {
  return {
    client,
    reader: createIssueReader({
      client,
      db: kit.handle.db,
      logger: kit.logger,
      site: 'acme.atlassian.net',
      maxAttachmentBytes: 0,
    }),
    db: kit.handle.db,
    boss: kit.boss,
    sink,
    logger: kit.logger,
    now: () => new Date(),
    timeZone: 'UTC',
  };
}

const summaries = (docs: { ref: { item: string } }[]) => docs.map((d) => d.ref.item).filter((i) => !i.includes('#'));
const run = (id: string) =>
  kit.handle.db.selectFrom('backfill_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('jira backfill', () => {
  it('reads whole projects in key order, records progress, audits the start and finishes', async () => {
    const jira = fake();
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const { runId } = await startJiraBackfill(kit.handle.db, kit.boss, {
      site: 'acme.atlassian.net',
      projects: ['OPS', 'ENG'],
      requestedBy: 'cli',
    });
    const queued = await kit.boss.fetch<JiraBackfillJob>(JIRA_BACKFILL_QUEUE);
    expect(queued.map((j) => j.data)).toEqual([{ runId }]);

    expect(await runJiraBackfillStep(context(client), { runId })).toEqual({
      status: 'done',
      itemsDone: 150,
      documents: 450,
    });
    const keys = summaries(await kit.submitted());
    expect(keys).toHaveLength(150);
    expect(new Set(keys).size).toBe(150);
    expect(await run(runId)).toMatchObject({ status: 'done', items_done: 150, documents: 450, error: null });
    const jqls = jira.called('POST', /search\/jql$/).map((r) => (r.body as { jql: string }).jql);
    expect(jqls.slice(0, 4)).toEqual([
      'project = "OPS" ORDER BY key ASC',
      'project = "OPS" AND key > "OPS-50" ORDER BY key ASC',
      'project = "OPS" AND key > "OPS-100" ORDER BY key ASC',
      'project = "ENG" ORDER BY key ASC',
    ]);
    const audit = await kit.handle.db.selectFrom('audit_log').selectAll().where('target_id', '=', runId).execute();
    expect(audit).toMatchObject([{ actor: 'cli', action: 'backfill.started', target_type: 'backfill_run' }]);
    // A finished run ignores a stray step.
    expect(await runJiraBackfillStep(context(client), { runId })).toMatchObject({ status: 'ignored' });
  });

  it('resumes after a failed submit from the last submitted page, skipping nothing', async () => {
    const jira = fake();
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const { runId } = await startJiraBackfill(kit.handle.db, kit.boss, {
      site: 'acme.atlassian.net',
      projects: ['OPS'],
      requestedBy: 'cli',
    });
    let submits = 0;
    const flaky: DocumentSink = {
      async submit(docs) {
        if (++submits === 2) throw new Error('job queue unavailable');
        await kit.sink.submit(docs);
      },
    };
    expect(await runJiraBackfillStep(context(client, flaky), { runId })).toEqual({ status: 'retrying', failures: 1 });
    expect(await run(runId)).toMatchObject({ status: 'running', items_done: 50, error: 'job queue unavailable' });
    expect(summaries(await kit.submitted())).toHaveLength(50);

    expect(await runJiraBackfillStep(context(client), { runId })).toMatchObject({ status: 'done', itemsDone: 120 });
    const rest = summaries(await kit.submitted());
    expect(rest).toEqual(Array.from({ length: 70 }, (_, i) => `OPS-${51 + i}`));
  });

  it('pauses on 429 until Retry-After, and lists every project when none are given', async () => {
    const jira = fake();
    jira.rateLimitOnce.set('POST /rest/api/3/search/jql', 90);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const { runId } = await startJiraBackfill(kit.handle.db, kit.boss, {
      site: 'acme.atlassian.net',
      projects: [],
      since: new Date(T0 + 100 * 60_000),
      requestedBy: 'api:ops',
    });
    expect(await kit.boss.fetch(JIRA_BACKFILL_QUEUE)).toHaveLength(1);
    const paused = await runJiraBackfillStep(context(client), { runId });
    // Retry-After: 90 s, counted from when the answer arrived (a millisecond may already have passed).
    expect(paused).toMatchObject({ status: 'paused' });
    expect((paused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(88_000);
    expect((paused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(90_000);
    expect(await run(runId)).toMatchObject({ status: 'paused' });
    expect(JSON.stringify((await run(runId)).state)).toContain('ENG');
    // Rescheduled, not retried at once: the job waits for the Retry-After.
    expect(await kit.boss.fetch(JIRA_BACKFILL_QUEUE)).toEqual([]);

    // A fresh client (the paused one keeps honouring the Retry-After) picks the run up again.
    const later = await createCloudClient(jiraTestConfig('cloud'));
    expect(await runJiraBackfillStep(context(later), { runId })).toMatchObject({ status: 'done' });
    const keys = summaries(await kit.submitted());
    // `--since` (inclusive) bounds both projects: ENG has nothing from minute 100 on, OPS has 100…120.
    expect(keys).toEqual(Array.from({ length: 21 }, (_, i) => `OPS-${100 + i}`));
    expect(jira.called('GET', /\/rest\/api\/3\/project\/search$/)).toHaveLength(1);
  });
});
