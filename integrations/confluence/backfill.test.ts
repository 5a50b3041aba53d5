import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import {
  BACKFILL_QUEUE,
  runBackfillStep,
  startConfluenceBackfill,
  type BackfillDeps,
  type BackfillJob,
} from './backfill.ts';
import { createConfluenceApi } from './create-confluence-api.ts';
import { FakeConfluenceSite, tooManyRequests } from './test-support/fake-confluence-site.ts';
import { itemsWithSecrets, startPipelineHarness, type PipelineHarness } from './test-support/pipeline-harness.ts';
import { CLOUD_URL, DC_URL, siteConfig } from './test-support/site-config.ts';
import { VersionLedger } from './version-ledger.ts';

const server = useMswServer();
const TOKEN = 'xoxb-83898259670-377503758857-5FR9pEZKQHSjfP9FEwxNx7Ot';

let harness: PipelineHarness;
beforeAll(async () => {
  harness = await startPipelineHarness();
}, 120_000);
afterAll(async () => {
  await harness?.stop();
});
beforeEach(async () => {
  await harness.database.db.deleteFrom('inbound_events').execute();
  await harness.database.db.deleteFrom('backfill_runs').execute();
  await harness.takeSubmitted();
  await drainJobs();
});

async function drainJobs(): Promise<void> {
  for (;;) {
    const jobs = await harness.boss.fetch<BackfillJob>(BACKFILL_QUEUE, { batchSize: 100 });
    if (jobs.length === 0) return;
    await harness.boss.complete(
      BACKFILL_QUEUE,
      jobs.map((j) => j.id),
    );
  }
}

let clockOffsetMs = 0;

function setup(deployment: 'cloud' | 'datacenter') {
  const site = new FakeConfluenceSite({
    deployment,
    baseUrl: deployment === 'cloud' ? CLOUD_URL : DC_URL,
    maxPageSize: 2,
  });
  server.use(...site.handlers());
  clockOffsetMs = 0;
  const api = createConfluenceApi(siteConfig(deployment), {
    sleep: async () => {},
    now: () => Date.now() + clockOffsetMs,
  });
  const deps: BackfillDeps = {
    api,
    db: harness.database.db,
    boss: harness.boss,
    sink: harness.sink,
    ledger: new VersionLedger(api.host),
    logger: harness.logger,
    now: () => new Date(),
  };
  return { site, deps };
}

/** Works the backfill queue like a worker would, one job at a time, until it is empty. */
async function work(deps: BackfillDeps, limit = 50): Promise<string[]> {
  const statuses: string[] = [];
  for (let i = 0; i < limit; i++) {
    const [job] = await harness.boss.fetch<BackfillJob>(BACKFILL_QUEUE);
    if (!job) return statuses;
    statuses.push((await runBackfillStep(deps, job.data)).status);
    await harness.boss.complete(BACKFILL_QUEUE, job.id);
  }
  throw new Error('backfill did not finish');
}

async function run(runId: string) {
  return harness.database.db.selectFrom('backfill_runs').selectAll().where('id', '=', runId).executeTakeFirstOrThrow();
}

describe('Confluence backfill', () => {
  it('reads whole spaces page by page (pages, blog posts, comments, every version) and records progress', async () => {
    const { site, deps } = setup('cloud');
    for (let i = 1; i <= 5; i++)
      site.add({ id: `200${i}`, kind: 'page', title: `P${i}`, spaceKey: 'ENG', bodies: ['<p>ok</p>'] });
    site.add({
      id: '2010',
      kind: 'page',
      title: 'History',
      spaceKey: 'ENG',
      bodies: ['<p>a</p>', `<p>${TOKEN}</p>`, '<p>gone</p>'],
    });
    site.add({ id: '2020', kind: 'blogpost', title: 'Blog', spaceKey: 'ENG', bodies: ['<p>news</p>'] });
    site.add({
      id: '2030',
      kind: 'comment',
      location: 'footer',
      containerId: '2001',
      title: 'Re',
      spaceKey: 'ENG',
      bodies: [`<p>use ${TOKEN}</p>`],
    });
    site.add({ id: '2099', kind: 'page', title: 'Elsewhere', spaceKey: 'OPS', bodies: ['<p>ok</p>'] });

    const { runId } = await startConfluenceBackfill(deps, { host: deps.api.host, spaces: [] }, { spaces: ['ENG'] });
    expect(await run(runId)).toMatchObject({ platform: 'confluence', status: 'running', items_done: 0 });

    const statuses = await work(deps);
    // 6 pages in result pages of 2 → 3 steps, 1 blog post → 1 step.
    expect(statuses).toEqual(['running', 'running', 'running', 'done']);
    const finished = await run(runId);
    expect(finished).toMatchObject({ status: 'done', items_done: 7, documents: 10, error: null });
    expect(finished.finished_at).toBeInstanceOf(Date);

    const submitted = await harness.takeSubmitted();
    expect(submitted).toHaveLength(10);
    expect(itemsWithSecrets(harness.scanner, submitted)).toEqual(['comment:2030', 'page:2010@v2']);
    expect(submitted.some((d) => d.ref.container === 'OPS')).toBe(false);
  });

  it('pauses on a 429 and resumes from the same position after Retry-After', async () => {
    const { site, deps } = setup('datacenter');
    for (let i = 1; i <= 3; i++)
      site.add({ id: `210${i}`, kind: 'page', title: `P${i}`, spaceKey: 'OPS', bodies: ['<p/>'] });
    const { runId } = await startConfluenceBackfill(deps, { host: deps.api.host, spaces: ['OPS'] });

    const [first] = await harness.boss.fetch<BackfillJob>(BACKFILL_QUEUE);
    expect(await runBackfillStep(deps, first!.data)).toMatchObject({ status: 'running', items: 2 });
    await harness.boss.complete(BACKFILL_QUEUE, first!.id);

    site.failNext('GET', /\/confluence\/rest\/api\/content$/, () => tooManyRequests(30));
    const [second] = await harness.boss.fetch<BackfillJob>(BACKFILL_QUEUE);
    expect(await runBackfillStep(deps, second!.data)).toMatchObject({ status: 'paused' });
    await harness.boss.complete(BACKFILL_QUEUE, second!.id);
    expect(await run(runId)).toMatchObject({ status: 'paused', items_done: 2 });
    expect((await run(runId)).error).toMatch(/rate limited; retry in \d+ s/);

    // The same step is queued again, not before Retry-After.
    expect(await harness.boss.fetch(BACKFILL_QUEUE)).toEqual([]);
    const queued = await harness.database.db
      .selectFrom('pgboss.job' as never)
      .select(['data' as never, 'start_after' as never])
      .where('name' as never, '=', BACKFILL_QUEUE as never)
      .where('state' as never, '=', 'created' as never)
      .execute();
    expect(queued).toHaveLength(1);
    const retry = queued[0] as unknown as { data: BackfillJob; start_after: Date };
    expect(retry.data).toEqual(second!.data);
    expect(retry.start_after.getTime()).toBeGreaterThan(Date.now() + 20_000);

    // A stale duplicate of an earlier step does nothing.
    expect(await runBackfillStep(deps, first!.data)).toMatchObject({ status: 'stale' });
    clockOffsetMs = 31_000;
    const resumed = await runBackfillStep(deps, retry.data);
    expect(resumed).toMatchObject({ status: 'running', items: 1 });
    await harness.database.db
      .deleteFrom('pgboss.job' as never)
      .where('name' as never, '=', BACKFILL_QUEUE as never)
      .where('state' as never, '=', 'created' as never)
      .where('start_after' as never, '>', new Date() as never)
      .execute();
    expect(await work(deps)).toEqual(['done']);
    expect(await run(runId)).toMatchObject({ status: 'done', items_done: 3 });
  });

  it('lists every readable space when none are given and skips what the ledger has already read', async () => {
    const { site, deps } = setup('cloud');
    site.add({ id: '2201', kind: 'page', title: 'A', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.add({ id: '2202', kind: 'page', title: 'B', spaceKey: 'OPS', bodies: ['<p/>', '<p/>'] });
    const { runId } = await startConfluenceBackfill(deps, { host: deps.api.host, spaces: [] });
    await work(deps);
    expect(await run(runId)).toMatchObject({ status: 'done', items_done: 2, documents: 3 });
    expect((await harness.takeSubmitted()).map((d) => d.ref.container).sort()).toEqual(['ENG', 'OPS', 'OPS']);

    // A second run over the same content reads nothing again.
    const again = await startConfluenceBackfill(deps, { host: deps.api.host, spaces: ['ENG', 'OPS'] });
    await work(deps);
    expect(await run(again.runId)).toMatchObject({ status: 'done', items_done: 2, documents: 0 });
    expect(await harness.takeSubmitted()).toEqual([]);
  });

  it('honours --since', async () => {
    const { site, deps } = setup('cloud');
    site.add({
      id: '2301',
      kind: 'page',
      title: 'Old',
      spaceKey: 'ENG',
      bodies: ['<p/>'],
      at: '2020-01-01T00:00:00.000Z',
    });
    site.add({ id: '2302', kind: 'page', title: 'New', spaceKey: 'ENG', bodies: ['<p/>'] });
    await startConfluenceBackfill(
      deps,
      { host: deps.api.host, spaces: ['ENG'] },
      { since: new Date('2025-01-01T00:00:00Z') },
    );
    await work(deps);
    expect((await harness.takeSubmitted()).map((d) => d.ref.item)).toEqual(['page:2302']);
  });
});
