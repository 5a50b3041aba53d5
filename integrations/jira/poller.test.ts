import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentSink } from '../../src/core/integration.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createCloudClient } from './cloud-client.ts';
import { createDataCenterClient } from './datacenter-client.ts';
import type { JiraClient } from './jira-client.ts';
import { adf, FakeJira } from './jira-fake-server.ts';
import { GITHUB_TOKEN, jiraTestConfig, startPipelineKit, type PipelineKit } from './jira-test-kit.ts';
import { createIssueReader } from './issue-reader.ts';
import { jqlDate } from './jql.ts';
import { pollJira, type PollContext, type PollCursor } from './poller.ts';

const server = useMswServer();
const dana = { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Dana Ops', email: 'dana@acme.example' };
const T0 = Date.UTC(2026, 0, 5, 10, 0);

let kit: PipelineKit;
beforeAll(async () => {
  kit = await startPipelineKit();
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});

let connectorSeq = 0;
let connector: string;
let clock: number;
beforeEach(async () => {
  // Each test polls as its own connector so cursors do not leak between tests.
  connector = `jira:test-${++connectorSeq}.atlassian.net`;
  clock = T0;
  await kit.submitted();
});

function context(client: JiraClient, overrides: Partial<PollContext> = {}): PollContext {
  return {
    connector,
    client,
    reader: createIssueReader({
      client,
      db: kit.handle.db,
      logger: kit.logger,
      site: 'acme.atlassian.net',
      maxAttachmentBytes: 4096,
    }),
    db: kit.handle.db,
    sink: kit.sink,
    logger: kit.logger,
    now: () => new Date(clock),
    projects: ['OPS'],
    pollIntervalSeconds: 60,
    timeZone: 'UTC',
    ...overrides,
  };
}

async function cursorRow() {
  const row = await kit.handle.db
    .selectFrom('connector_cursors')
    .selectAll()
    .where('connector', '=', connector)
    .executeTakeFirst();
  return { row, cursor: row?.cursor ? (JSON.parse(row.cursor) as PollCursor) : undefined };
}

/** Issues changed in the minutes before `clock`, `spacingMs` apart, the newest last. */
function cloudWith(count: number, minutesBack = 3, spacingMs = 100): FakeJira {
  const jira = new FakeJira('cloud');
  for (let i = 1; i <= count; i++) {
    jira.addIssue({
      key: `OPS-${i}`,
      updated: new Date(T0 - minutesBack * 60_000 + i * spacingMs),
      creator: dana,
      fields: { summary: `Issue ${i}`, description: i === count ? adf([['token '], [GITHUB_TOKEN, ['code']]]) : null },
    });
  }
  return jira;
}

const summaries = (docs: { ref: { item: string } }[]) => docs.map((d) => d.ref.item).filter((i) => !i.includes('#'));

describe('pollJira', () => {
  it('reads every page to the end, submits each issue once, and re-polls without duplicates', async () => {
    // 250 changes, 2 s apart, over the 9 minutes before now.
    const jira = cloudWith(250, 9, 2000);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    // A cursor from an earlier poll, just before the burst of changes.
    await kit.handle.db
      .insertInto('connector_cursors')
      .values({ connector, cursor: JSON.stringify({ since: new Date(T0 - 10 * 60_000).toISOString(), seen: [] }) })
      .execute();

    const first = await pollJira(context(client));
    expect(first).toMatchObject({ status: 'polled', issues: 250, pages: 3, more: false });
    const docs = await kit.submitted();
    expect(new Set(summaries(docs)).size).toBe(250);
    expect(summaries(docs)).toHaveLength(250);
    expect(docs.find((d) => d.ref.item === 'OPS-250#field-description')!.text).toContain(GITHUB_TOKEN);
    // Each next page starts from the newest minute already read (the overlap first, then the pages' own bounds).
    const jqls = jira.called('POST', /\/rest\/api\/3\/search\/jql$/).map((r) => (r.body as { jql: string }).jql);
    expect(jqls).toEqual(
      [15, 6, 3].map(
        (m) =>
          `project in ("OPS") AND updated >= "${jqlDate(new Date(T0 - m * 60_000), 'UTC')}" ORDER BY updated ASC, key ASC`,
      ),
    );
    expect(jira.requests.filter((r) => /^\/rest\/api\/[23]\/search$/.test(r.path))).toEqual([]);

    const { row, cursor } = await cursorRow();
    expect(cursor!.since).toBe(new Date(T0 - 9 * 60_000 + 250 * 2000).toISOString());
    expect(row!.last_error).toBeNull();
    expect(new Date(row!.last_polled_at!).getTime()).toBe(T0);

    clock = T0 + 61_000;
    const second = await pollJira(context(client));
    expect(second).toMatchObject({ status: 'polled', issues: 0 });
    expect(await kit.submitted()).toEqual([]);

    // An edit changes `updated`: only that issue is read again.
    jira.issues.get('OPS-7')!.updated = new Date(T0 + 30_000).toISOString().replace('Z', '+0000');
    clock = T0 + 122_000;
    expect(await pollJira(context(client))).toMatchObject({ status: 'polled', issues: 1 });
    expect(summaries(await kit.submitted())).toEqual(['OPS-7']);
  });

  it('does not advance the cursor when submit fails, and the next poll re-reads what was not submitted', async () => {
    const jira = cloudWith(150);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    await kit.handle.db
      .insertInto('connector_cursors')
      .values({ connector, cursor: JSON.stringify({ since: new Date(T0 - 4 * 60_000).toISOString(), seen: [] }) })
      .execute();
    const before = (await cursorRow()).cursor;

    let submits = 0;
    const failingSecondPage: DocumentSink = {
      async submit(documents) {
        submits++;
        if (submits === 2) throw new Error('job queue unavailable');
        await kit.sink.submit(documents);
      },
    };
    const outcome = await pollJira(context(client, { sink: failingSecondPage }));
    expect(outcome).toMatchObject({ status: 'failed', error: 'job queue unavailable', issues: 100 });
    const { row, cursor } = await cursorRow();
    // Advanced past page 1 (submitted) and not past page 2 (failed).
    expect(cursor!.since).toBe(new Date(T0 - 3 * 60_000 + 100 * 100).toISOString());
    expect(cursor!.since).not.toBe(before!.since);
    expect(row!.last_error).toBe('job queue unavailable');
    expect(summaries(await kit.submitted())).toHaveLength(100);

    clock = T0 + 61_000;
    expect(await pollJira(context(client))).toMatchObject({ status: 'polled', issues: 50 });
    const resubmitted = summaries(await kit.submitted());
    expect(resubmitted).toHaveLength(50);
    expect(resubmitted).toEqual(Array.from({ length: 50 }, (_, i) => `OPS-${101 + i}`));
    expect((await cursorRow()).row!.last_error).toBeNull();
  });

  it('leaves the cursor untouched when the very first submit fails', async () => {
    const jira = cloudWith(3);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const broken: DocumentSink = {
      submit: async () => {
        throw new Error('job queue unavailable');
      },
    };
    expect(await pollJira(context(client, { sink: broken }))).toMatchObject({ status: 'failed', issues: 0 });
    const { row } = await cursorRow();
    expect(row!.cursor).toBeNull();
    expect(row!.last_error).toBe('job queue unavailable');
  });

  it('finds an issue the search index showed late, through the overlap window', async () => {
    const jira = new FakeJira('cloud');
    // Changed first but indexed late (Jira Cloud search is eventually consistent).
    jira.addIssue({ key: 'OPS-1', updated: new Date(T0 - 90_000), creator: dana, hiddenForSearches: 1 });
    jira.addIssue({ key: 'OPS-2', updated: new Date(T0 - 30_000), creator: dana });
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    await kit.handle.db
      .insertInto('connector_cursors')
      .values({ connector, cursor: JSON.stringify({ since: new Date(T0 - 120_000).toISOString(), seen: [] }) })
      .execute();
    expect(await pollJira(context(client))).toMatchObject({ status: 'polled', issues: 1 });
    expect(summaries(await kit.submitted())).toEqual(['OPS-2']);
    // The cursor is now past OPS-1's `updated`, yet the next poll still sees it and skips OPS-2.
    expect(Date.parse((await cursorRow()).cursor!.since)).toBeGreaterThan(T0 - 90_000);
    clock = T0 + 60_000;
    expect(await pollJira(context(client))).toMatchObject({ status: 'polled', issues: 1 });
    expect(summaries(await kit.submitted())).toEqual(['OPS-1']);
  });

  it('honours LEAKWATCH_POLL_INTERVAL and a Retry-After pause', async () => {
    const jira = cloudWith(2);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const ctx = () => context(client, { pollIntervalSeconds: 300 });
    expect(await pollJira(ctx())).toMatchObject({ status: 'polled' });
    clock = T0 + 60_000;
    expect(await pollJira(ctx())).toEqual({ status: 'skipped', reason: 'interval' });
    clock = T0 + 300_000;
    jira.rateLimitOnce.set('POST /rest/api/3/search/jql', 120);
    expect(await pollJira(ctx())).toMatchObject({ status: 'rate_limited', retryAfterMs: 120_000 });
    const { row, cursor } = await cursorRow();
    expect(cursor!.pausedUntil).toBe(new Date(T0 + 420_000).toISOString());
    expect(row!.last_error).toContain('rate limited');
    clock = T0 + 400_000;
    expect(await pollJira(context(client, { pollIntervalSeconds: 60 }))).toEqual({
      status: 'skipped',
      reason: 'rate_limited',
    });
  });

  it('pages through one minute by token and otherwise by a fresh query, so an edit mid-poll does not hide an issue', async () => {
    const jira = new FakeJira('datacenter');
    // 150 issues within one minute (paged by startAt), then 150 over the next minutes (paged by the updated bound).
    for (let i = 1; i <= 150; i++)
      jira.addIssue({ key: `OPS-${i}`, updated: new Date(T0 - 8 * 60_000 + i * 100), creator: dana });
    for (let i = 151; i <= 300; i++) {
      jira.addIssue({ key: `OPS-${i}`, updated: new Date(T0 - 6 * 60_000 + (i - 150) * 2000), creator: dana });
    }
    // While the poll reads, someone edits OPS-160 (it moves to the end of the `updated` order).
    jira.afterSearch = (n) => {
      if (n === 3) jira.issues.get('OPS-160')!.updated = new Date(T0 - 1000).toISOString().replace('Z', '+0000');
    };
    server.use(...jira.handlers());
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    await kit.handle.db
      .insertInto('connector_cursors')
      .values({ connector, cursor: JSON.stringify({ since: new Date(T0 - 9 * 60_000).toISOString(), seen: [] }) })
      .execute();
    expect(await pollJira(context(client))).toMatchObject({ status: 'polled', more: false });
    const keys = summaries(await kit.submitted());
    // Every issue was read; OPS-160 twice (before and after its edit), no other twice.
    expect(new Set(keys).size).toBe(300);
    expect(keys.filter((k) => k === 'OPS-160')).toHaveLength(2);
    expect(keys).toHaveLength(301);
    const bodies = jira
      .called('POST', /\/rest\/api\/2\/search$/)
      .map((r) => r.body as { jql: string; startAt: number });
    // Within the first minute the token (startAt) pages; then each query starts at the newest minute read.
    expect(bodies[0]!.startAt).toBe(0);
    expect(bodies.some((b) => b.startAt === 100)).toBe(true);
    expect(new Set(bodies.map((b) => b.jql)).size).toBeGreaterThan(2);
  });

  it('polls Data Center through /rest/api/2/search with startAt', async () => {
    const jira = new FakeJira('datacenter');
    for (let i = 1; i <= 120; i++) {
      jira.addIssue({
        key: `OPS-${i}`,
        updated: new Date(T0 - 60_000 + i * 100),
        creator: dana,
        fields: { description: 'h1. wiki' },
      });
    }
    server.use(...jira.handlers());
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    // Page 1 from the overlap; then a fresh query from the minute all 120 share, paged on by startAt.
    expect(await pollJira(context(client))).toMatchObject({ status: 'polled', issues: 120, pages: 3 });
    const docs = await kit.submitted();
    expect(summaries(docs)).toHaveLength(120);
    expect(docs.find((d) => d.ref.item === 'OPS-1#field-description')!.text).toBe('h1. wiki');
    expect(jira.called('POST', /\/rest\/api\/2\/search$/).map((r) => (r.body as { startAt: number }).startAt)).toEqual([
      0, 0, 100,
    ]);
  });
});

describe('jqlDate', () => {
  it('writes the instant in the account time zone at minute resolution', () => {
    const at = new Date(Date.UTC(2026, 0, 5, 3, 7, 59));
    expect(jqlDate(at, 'UTC')).toBe('2026/01/05 03:07');
    expect(jqlDate(at, 'America/New_York')).toBe('2026/01/04 22:07');
    expect(jqlDate(at, 'Asia/Kolkata')).toBe('2026/01/05 08:37');
  });
});
