import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentSink } from '../../src/core/integration.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { dumpDatabase } from '../../test/service-harness.ts';
import { createConfluenceApi } from './create-confluence-api.ts';
import { cursorName, pollConfluence, pollCron, type PollerDeps } from './poller.ts';
import { FakeConfluenceSite, tooManyRequests } from './test-support/fake-confluence-site.ts';
import { itemsWithSecrets, startPipelineHarness, type PipelineHarness } from './test-support/pipeline-harness.ts';
import { CLOUD_URL, DC_URL, siteConfig } from './test-support/site-config.ts';
import { VersionLedger } from './version-ledger.ts';

const server = useMswServer();
const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
const codeMacro = (code: string) =>
  `<p>Deploy steps</p><ac:structured-macro ac:name="code" ac:schema-version="1"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[${code}]]></ac:plain-text-body></ac:structured-macro>`;

let harness: PipelineHarness;
beforeAll(async () => {
  harness = await startPipelineHarness();
}, 120_000);
afterAll(async () => {
  await harness?.stop();
});
beforeEach(async () => {
  await harness.database.db.deleteFrom('connector_cursors').execute();
  await harness.database.db.deleteFrom('inbound_events').execute();
  await harness.takeSubmitted();
});

function setup(deployment: 'cloud' | 'datacenter', options: { maxPageSize?: number; sink?: DocumentSink } = {}) {
  const site = new FakeConfluenceSite({
    deployment,
    baseUrl: deployment === 'cloud' ? CLOUD_URL : DC_URL,
    maxPageSize: options.maxPageSize ?? 2,
  });
  server.use(...site.handlers());
  const api = createConfluenceApi(siteConfig(deployment), { sleep: async () => {} });
  const deps: PollerDeps = {
    api,
    db: harness.database.db,
    sink: options.sink ?? harness.sink,
    ledger: new VersionLedger(api.host),
    logger: harness.logger,
    now: () => site.now(),
    spaces: [],
    overlapSeconds: 300,
  };
  return { site, deps };
}

async function cursorRow(host: string) {
  return harness.database.db
    .selectFrom('connector_cursors')
    .selectAll()
    .where('connector', '=', cursorName(host))
    .executeTakeFirst();
}

describe('Confluence poller', () => {
  it('finds a secret that only lives in version 2 of a page and reads each version once', async () => {
    const { site, deps } = setup('cloud');
    site.add({
      id: '1001',
      kind: 'page',
      title: 'Deploy runbook',
      spaceKey: 'ENG',
      bodies: [
        codeMacro('make deploy'),
        codeMacro(`export SLACK_BOT_TOKEN=${TOKEN}`),
        codeMacro('make deploy # token in vault'),
      ],
    });

    const first = await pollConfluence(deps);
    expect(first).toMatchObject({ status: 'ok', items: 1, documents: 3, skipped: 0 });
    const submitted = await harness.takeSubmitted();
    expect(submitted.map((d) => d.ref.item).sort()).toEqual(['page:1001', 'page:1001@v1', 'page:1001@v2']);
    expect(itemsWithSecrets(harness.scanner, submitted)).toEqual(['page:1001@v2']);
    const v2 = submitted.find((d) => d.ref.item === 'page:1001@v2')!;
    expect(v2.format).toBe('xhtml');
    expect(v2.ref).toMatchObject({
      platform: 'confluence',
      workspace: 'acme.atlassian.net',
      container: 'ENG',
      version: '2',
      author: { id: 'acc-dana' },
      url: 'https://acme.atlassian.net/wiki/pages/viewpage.action?pageId=1001&pageVersion=2',
    });
    expect(submitted.find((d) => d.ref.item === 'page:1001')!.ref).toMatchObject({
      version: '3',
      url: 'https://acme.atlassian.net/wiki/spaces/ENG/pages/1001/Deploy%20runbook',
    });

    // The overlap window returns the page again: nothing is re-read.
    const versionReads = () =>
      site.requestsTo('GET', /\/wiki\/api\/v2\/pages\/1001$/).filter((r) => r.url.searchParams.has('version'));
    expect(versionReads()).toHaveLength(2);
    expect(await pollConfluence(deps)).toMatchObject({ status: 'ok', items: 0, documents: 0 });
    expect(await harness.takeSubmitted()).toEqual([]);
    expect(versionReads()).toHaveLength(2);

    // A new edit: the new current version, and the previous one as history; versions 1 and 2 are not read again.
    site.edit('1001', codeMacro('make deploy-v2'));
    const third = await pollConfluence(deps);
    expect(third).toMatchObject({ items: 1, documents: 2 });
    expect((await harness.takeSubmitted()).map((d) => d.ref.item).sort()).toEqual(['page:1001', 'page:1001@v3']);
    expect(versionReads().map((r) => r.url.searchParams.get('version'))).toEqual(['2', '1', '3']);

    const row = await cursorRow('acme.atlassian.net');
    expect(row).toMatchObject({ last_error: null });
    expect(row!.last_polled_at).toBeInstanceOf(Date);
    expect(new Date(row!.cursor!).getTime()).toBeGreaterThanOrEqual(Date.parse(site.current('1001').createdAt));
    expect(await dumpDatabase(harness.database)).not.toContain(TOKEN);
  });

  it('reads every result page of the search (no stop after the first page) and comments with their space', async () => {
    const { site, deps } = setup('cloud', { maxPageSize: 2 });
    for (let i = 1; i <= 5; i++)
      site.add({ id: `110${i}`, kind: 'page', title: `P${i}`, spaceKey: 'ENG', bodies: ['<p>ok</p>'] });
    site.add({
      id: '1110',
      kind: 'comment',
      location: 'inline',
      containerId: '1101',
      title: 'Re: P1',
      spaceKey: 'ENG',
      bodies: [`<p>try <code>${TOKEN}</code></p>`],
    });
    const result = await pollConfluence(deps);
    expect(result).toMatchObject({ status: 'ok', items: 6, documents: 6 });
    const submitted = await harness.takeSubmitted();
    expect(submitted).toHaveLength(6);
    expect(itemsWithSecrets(harness.scanner, submitted)).toEqual(['comment:1110']);
    expect(submitted.find((d) => d.ref.item === 'comment:1110')!.ref.container).toBe('ENG');
    expect(site.requestsTo('GET', /^\/wiki\/rest\/api\/search$/)).toHaveLength(3);
  });

  it('catches content that became searchable late, inside the overlap window', async () => {
    const { site, deps } = setup('cloud');
    site.add({ id: '1201', kind: 'page', title: 'Early', spaceKey: 'ENG', bodies: ['<p>ok</p>'] });
    await pollConfluence(deps);
    await harness.takeSubmitted();
    const cursor = new Date((await cursorRow('acme.atlassian.net'))!.cursor!);

    // Written two minutes before the cursor, indexed only now.
    const late = new Date(cursor.getTime() - 120_000).toISOString();
    site.add({ id: '1202', kind: 'page', title: 'Late', spaceKey: 'ENG', bodies: [`<p>${TOKEN}</p>`], at: late });
    site.advance(60_000);
    expect(await pollConfluence(deps)).toMatchObject({ items: 1 });
    expect(itemsWithSecrets(harness.scanner, await harness.takeSubmitted())).toEqual(['page:1202']);
    const searched = site.requestsTo('GET', /^\/wiki\/rest\/api\/search$/).at(-1)!;
    expect(searched.url.searchParams.get('cql')).toContain(`lastmodified >= "`);
  });

  it('does not advance the cursor when submit fails, and records the error', async () => {
    const failing: DocumentSink = {
      submit: async () => {
        throw new Error('database unavailable');
      },
    };
    const { site, deps } = setup('cloud', { sink: failing });
    site.add({ id: '1301', kind: 'page', title: 'P', spaceKey: 'ENG', bodies: [`<p>${TOKEN}</p>`] });
    await expect(pollConfluence(deps)).rejects.toThrow('database unavailable');
    const row = await cursorRow('acme.atlassian.net');
    expect(row).toMatchObject({ cursor: null, last_error: 'database unavailable' });
    expect(await harness.database.db.selectFrom('inbound_events').selectAll().execute()).toEqual([]);

    // Once the pipeline takes documents again, the same page is read.
    const retry = await pollConfluence({ ...deps, sink: harness.sink });
    expect(retry).toMatchObject({ status: 'ok', items: 1 });
    expect(itemsWithSecrets(harness.scanner, await harness.takeSubmitted())).toEqual(['page:1301']);
    expect(await cursorRow('acme.atlassian.net')).toMatchObject({ last_error: null });
  });

  it('advances the cursor only past result pages whose documents were submitted', async () => {
    let calls = 0;
    const flaky: DocumentSink = {
      submit: async (docs) => {
        if (++calls === 3) throw new Error('queue full');
        await harness.sink.submit(docs);
      },
    };
    const { site, deps } = setup('cloud', { sink: flaky, maxPageSize: 2 });
    for (let i = 1; i <= 4; i++)
      site.add({ id: `140${i}`, kind: 'page', title: `P${i}`, spaceKey: 'ENG', bodies: ['<p/>'] });
    await expect(pollConfluence(deps)).rejects.toThrow('queue full');
    const row = await cursorRow('acme.atlassian.net');
    // The first result page (1401, 1402) is durable: the cursor is at its newest item, not beyond.
    expect(row!.cursor).toBe(site.current('1402').createdAt);
    expect(row!.last_error).toBe('queue full');
  });

  it('stops on a long 429, keeps the cursor and reports the rate limit', async () => {
    const { site, deps } = setup('cloud');
    site.add({ id: '1501', kind: 'page', title: 'P', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.failNext('GET', /^\/wiki\/rest\/api\/search$/, () => tooManyRequests(90));
    const result = await pollConfluence(deps);
    expect(result).toMatchObject({ status: 'rate_limited', items: 0, cursor: null });
    expect(result.retryAfterMs).toBeGreaterThan(60_000);
    expect((await cursorRow('acme.atlassian.net'))!.last_error).toMatch(/rate limited; retry in \d+ s/);
  });

  it('reports unreadable items without failing the run', async () => {
    const { site, deps } = setup('cloud');
    site.add({ id: '1601', kind: 'page', title: 'Restricted', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.add({ id: '1602', kind: 'page', title: 'Open', spaceKey: 'ENG', bodies: ['<p/>'] });
    site.failNext('GET', /\/wiki\/api\/v2\/pages\/1601$/, () => new Response(null, { status: 403 }));
    expect(await pollConfluence(deps)).toMatchObject({ status: 'ok', items: 1, skipped: 1 });
    expect((await cursorRow('acme.atlassian.net'))!.last_error).toBe('1 item(s) could not be read: page 1601: 403');
  });

  it('polls Data Center through /rest/api/content/search with the same history rules', async () => {
    const { site, deps } = setup('datacenter');
    site.add({
      id: '1701',
      kind: 'page',
      title: 'DC runbook',
      spaceKey: 'OPS',
      bodies: ['<p>a</p>', `<p><a href="https://ci.corp.test/?t=${TOKEN}">ci</a></p>`, '<p>b</p>'],
    });
    expect(await pollConfluence(deps)).toMatchObject({ status: 'ok', items: 1, documents: 3 });
    const submitted = await harness.takeSubmitted();
    expect(itemsWithSecrets(harness.scanner, submitted)).toEqual(['page:1701@v2']);
    expect(submitted.find((d) => d.ref.item === 'page:1701')!.ref).toMatchObject({
      workspace: 'wiki.corp.test',
      container: 'OPS',
      author: { id: 'key-acc-dana' },
    });
    expect(site.requestsTo('GET', /\/confluence\/rest\/api\/content\/search$/)).toHaveLength(1);
  });
});

describe('pollCron', () => {
  it('rounds the interval up to whole minutes', () => {
    expect(pollCron(30)).toBe('* * * * *');
    expect(pollCron(60)).toBe('* * * * *');
    expect(pollCron(300)).toBe('*/5 * * * *');
    expect(pollCron(7200)).toBe('0 */2 * * *');
  });
});
