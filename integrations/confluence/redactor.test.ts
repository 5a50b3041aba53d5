import { HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RedactionRequest } from '../../src/core/integration.ts';
import type { Finding, Occurrence } from '../../src/db/schema.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createConfluenceApi } from './create-confluence-api.ts';
import { redactConfluenceOccurrence, type RedactorDeps } from './redactor.ts';
import { FakeConfluenceSite } from './test-support/fake-confluence-site.ts';
import { startPipelineHarness, type PipelineHarness } from './test-support/pipeline-harness.ts';
import { CLOUD_URL, DC_PAT, DC_URL, siteConfig } from './test-support/site-config.ts';
import { VersionLedger } from './version-ledger.ts';

const server = useMswServer();
const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
const codeMacro = (code: string) =>
  `<ac:structured-macro ac:name="code" ac:schema-version="1"><ac:plain-text-body><![CDATA[${code}]]></ac:plain-text-body></ac:structured-macro>`;

let harness: PipelineHarness;
let fingerprint: string;
let redactedForm: string;
beforeAll(async () => {
  harness = await startPipelineHarness();
  const [match] = harness.scanner.scan(`token ${TOKEN}`);
  fingerprint = match!.fingerprint;
  redactedForm = match!.redacted;
}, 120_000);
afterAll(async () => {
  await harness?.stop();
});
beforeEach(async () => {
  await harness.database.db.deleteFrom('inbound_events').execute();
});

function setup(deployment: 'cloud' | 'datacenter', maxAttempts?: number) {
  const site = new FakeConfluenceSite({ deployment, baseUrl: deployment === 'cloud' ? CLOUD_URL : DC_URL });
  server.use(...site.handlers());
  const api = createConfluenceApi(siteConfig(deployment), { sleep: async () => {} });
  const deps: RedactorDeps = {
    api,
    db: harness.database.db,
    ledger: new VersionLedger(api.host),
    logger: harness.logger,
    ...(maxAttempts ? { maxAttempts } : {}),
  };
  return { site, deps, host: api.host };
}

function request(host: string, item: string): RedactionRequest {
  const occurrence = {
    id: 'occ-1',
    finding_id: 'finding-1',
    platform: 'confluence',
    workspace: host,
    container: 'ENG',
    item,
    version: null,
    url: null,
    author_identity_id: null,
    span_start: 0,
    span_end: 0,
    first_seen_at: new Date(),
    last_seen_at: new Date(),
    closed_at: null,
    closed_reason: null,
  } satisfies Occurrence;
  return {
    finding: { id: 'finding-1', fingerprint, redacted: redactedForm } as Finding,
    occurrence,
    locate: harness.locator(fingerprint),
    requestedBy: 'api:test',
  };
}

function bodiesOnSite(site: FakeConfluenceSite): string {
  return [...site.contents.values()].flatMap((c) => c.versions.map((v) => v.body)).join('\n');
}

describe('Confluence redaction', () => {
  it('writes a redacted version, then deletes the historical versions that hold the secret, newest first', async () => {
    const { site, deps, host } = setup('cloud');
    site.add({
      id: '4001',
      kind: 'page',
      title: 'Deploy runbook',
      spaceKey: 'ENG',
      bodies: [
        '<p>Deploy with make</p>',
        `<p>Deploy with make</p>${codeMacro(`export SLACK_BOT_TOKEN=${TOKEN}`)}`,
        `<p>Token: <a href="https://ci.acme.test/run?token=${TOKEN}">run</a> &amp; ${TOKEN}</p>${codeMacro(`export SLACK_BOT_TOKEN=${TOKEN}`)}`,
      ],
    });
    await deps.ledger.record(harness.database.db, [
      deps.ledger.historyKey('4001', 1),
      deps.ledger.historyKey('4001', 2),
    ]);

    const outcome = await redactConfluenceOccurrence(deps, request(host, 'page:4001'));
    expect(outcome).toEqual({
      status: 'redacted',
      detail: 'wrote redacted version 4; deleted historical versions 3, 2',
    });

    const [put] = site.requestsTo('PUT', /\/wiki\/api\/v2\/pages\/4001$/);
    const payload = JSON.parse(put!.body);
    expect(payload.version).toEqual({ number: 4, message: 'leakwatch: redacted a leaked credential' });
    expect(payload.title).toBe('Deploy runbook');
    expect(put!.body).not.toContain(TOKEN);
    expect(payload.body.value).toBe(
      `<p>Token: <a href="https://ci.acme.test/run?token=${redactedForm}">run</a> &amp; ${redactedForm}</p>${codeMacro(`export SLACK_BOT_TOKEN=${redactedForm}`)}`,
    );
    expect(site.requestsTo('DELETE', /\/version\/\d+$/).map((r) => r.url.pathname)).toEqual([
      '/wiki/rest/api/content/4001/version/3',
      '/wiki/rest/api/content/4001/version/2',
    ]);
    // What is left: the clean first version and the redacted one (renumbered to 2).
    expect(site.contents.get('4001')!.versions.map((v) => v.number)).toEqual([1, 2]);
    expect(bodiesOnSite(site)).not.toContain(TOKEN);
    // The renumbered history is read afresh next time.
    expect(await harness.database.db.selectFrom('inbound_events').selectAll().execute()).toEqual([]);
    expect(harness.logs.join('\n')).not.toContain(TOKEN);
  });

  it('deletes a secret that only lives in version 2 without touching the clean current version', async () => {
    const { site, deps, host } = setup('cloud');
    site.add({
      id: '4101',
      kind: 'page',
      title: 'Runbook',
      spaceKey: 'ENG',
      bodies: ['<p>v1</p>', `<p>v2 ${TOKEN}</p>`, '<p>v3, token moved to the vault</p>'],
    });
    const outcome = await redactConfluenceOccurrence(deps, request(host, 'page:4101@v2'));
    expect(outcome).toEqual({ status: 'redacted', detail: 'deleted historical version 2' });
    expect(site.requestsTo('PUT', /./)).toEqual([]);
    expect(site.contents.get('4101')!.versions.map((v) => v.body)).toEqual([
      '<p>v1</p>',
      '<p>v3, token moved to the vault</p>',
    ]);

    // Running it again finds nothing left to do.
    expect(await redactConfluenceOccurrence(deps, request(host, 'page:4101@v2'))).toEqual({
      status: 'not_found',
      detail: 'the secret is no longer in the current version or its history',
    });
  });

  it('re-reads and retries when another edit takes the version number (409)', async () => {
    const { site, deps, host } = setup('cloud');
    site.add({ id: '4201', kind: 'page', title: 'Runbook', spaceKey: 'ENG', bodies: [`<p>${TOKEN}</p>`] });
    site.beforeNextPut = () => site.edit('4201', `<p>${TOKEN}</p><p>someone added a line</p>`);
    const outcome = await redactConfluenceOccurrence(deps, request(host, 'page:4201'));
    expect(outcome).toEqual({
      status: 'redacted',
      detail: 'wrote redacted version 3; deleted historical versions 2, 1',
    });
    const puts = site.requestsTo('PUT', /\/wiki\/api\/v2\/pages\/4201$/).map((r) => JSON.parse(r.body));
    expect(puts.map((p) => p.version.number)).toEqual([2, 3]);
    expect(puts[1].body.value).toBe(`<p>${redactedForm}</p><p>someone added a line</p>`);
    expect(puts.map((p) => JSON.stringify(p)).join('')).not.toContain(TOKEN);
    expect(bodiesOnSite(site)).not.toContain(TOKEN);
  });

  it('gives up after a bounded number of conflicts without writing', async () => {
    const { site, deps, host } = setup('cloud', 2);
    site.add({ id: '4301', kind: 'page', title: 'Busy', spaceKey: 'ENG', bodies: [`<p>${TOKEN}</p>`] });
    const keepEditing = () => {
      site.edit('4301', `<p>${TOKEN}</p>`);
      site.beforeNextPut = keepEditing;
    };
    site.beforeNextPut = keepEditing;
    expect(await redactConfluenceOccurrence(deps, request(host, 'page:4301'))).toEqual({
      status: 'failed',
      detail: 'the page kept changing: 2 version conflicts in a row, nothing was written',
    });
    site.beforeNextPut = undefined;
  });

  it('reports the versions it could not delete', async () => {
    const { site, deps, host } = setup('cloud');
    site.add({
      id: '4401',
      kind: 'page',
      title: 'Locked',
      spaceKey: 'ENG',
      bodies: [`<p>${TOKEN}</p>`, '<p>x</p>', `<p>${TOKEN} again</p>`],
    });
    site.failNext('DELETE', /\/content\/4401\/version\/1$/, () =>
      HttpResponse.json({ statusCode: 403, message: 'Not permitted' }, { status: 403 }),
    );
    const outcome = await redactConfluenceOccurrence(deps, request(host, 'page:4401'));
    expect(outcome).toEqual({
      status: 'failed',
      detail: 'wrote redacted version 4; deleted historical version 3; version 1 could not be deleted: 403',
    });
  });

  it('reports a write it is not allowed to make and content that is gone', async () => {
    const { site, deps, host } = setup('cloud');
    site.add({ id: '4501', kind: 'page', title: 'Read only', spaceKey: 'ENG', bodies: [`<p>${TOKEN}</p>`] });
    site.failNext('PUT', /\/pages\/4501$/, () => new Response(null, { status: 403 }));
    expect(await redactConfluenceOccurrence(deps, request(host, 'page:4501'))).toEqual({
      status: 'failed',
      detail: 'the redacted version could not be written: 403',
    });
    expect(await redactConfluenceOccurrence(deps, request(host, 'page:4599'))).toEqual({
      status: 'not_found',
      detail: 'page 4599 no longer exists',
    });
    expect(await redactConfluenceOccurrence(deps, request('other.atlassian.net', 'page:4501'))).toMatchObject({
      status: 'unsupported',
    });
  });

  it('redacts a Data Center comment with a bearer PAT and deletes its old versions', async () => {
    const { site, deps, host } = setup('datacenter');
    site.add({ id: '4601', kind: 'page', title: 'Ops', spaceKey: 'OPS', bodies: ['<p/>'] });
    site.add({
      id: '4602',
      kind: 'comment',
      containerId: '4601',
      title: 'Re: Ops',
      spaceKey: 'OPS',
      bodies: [`<p>${TOKEN}</p>`],
    });
    const outcome = await redactConfluenceOccurrence(deps, request(host, 'comment:4602'));
    expect(outcome).toEqual({ status: 'redacted', detail: 'wrote redacted version 2; deleted historical version 1' });
    const [put] = site.requestsTo('PUT', /\/confluence\/rest\/api\/content\/4602$/);
    expect(put!.headers.get('authorization')).toBe(`Bearer ${DC_PAT}`);
    expect(JSON.parse(put!.body)).toMatchObject({
      type: 'comment',
      version: { number: 2 },
      body: { storage: { value: `<p>${redactedForm}</p>` } },
      container: { id: '4601', type: 'page' },
    });
    expect(site.requestsTo('DELETE', /./).map((r) => r.url.pathname)).toEqual([
      '/confluence/rest/api/content/4602/version/1',
    ]);
    expect(bodiesOnSite(site)).not.toContain(TOKEN);
  });
});
