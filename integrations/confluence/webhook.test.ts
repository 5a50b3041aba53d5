import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createConfluenceApi } from './create-confluence-api.ts';
import { FakeConfluenceSite, tooManyRequests } from './test-support/fake-confluence-site.ts';
import { itemsWithSecrets, startPipelineHarness, type PipelineHarness } from './test-support/pipeline-harness.ts';
import { DC_URL, siteConfig, WEBHOOK_SECRET } from './test-support/site-config.ts';
import { VersionLedger } from './version-ledger.ts';
import { confluenceWebhookRoutes, verifyHubSignature, WEBHOOK_PATH } from './webhook.ts';

const server = useMswServer();
const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
const NOW = Date.parse('2026-11-20T12:00:00.000Z');

let harness: PipelineHarness;
beforeAll(async () => {
  harness = await startPipelineHarness();
}, 120_000);
afterAll(async () => {
  await harness?.stop();
});
beforeEach(async () => {
  await harness.database.db.deleteFrom('inbound_events').execute();
  await harness.takeSubmitted();
});

function setup(spaces: string[] = []) {
  const site = new FakeConfluenceSite({ deployment: 'datacenter', baseUrl: DC_URL });
  server.use(...site.handlers());
  const api = createConfluenceApi(siteConfig('datacenter'), { sleep: async () => {} });
  const routes = confluenceWebhookRoutes({
    api,
    db: harness.database.db,
    sink: harness.sink,
    ledger: new VersionLedger(api.host),
    logger: harness.logger,
    secret: new Secret(WEBHOOK_SECRET, '[redacted]'),
    spaces,
    now: () => new Date(NOW),
  });
  return { site, routes };
}

function sign(body: string, secret = WEBHOOK_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `signature: ''` sends no X-Hub-Signature header. */
function deliver(routes: ReturnType<typeof setup>['routes'], body: string, signature: string = sign(body)) {
  return routes.request(WEBHOOK_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature ? { 'x-hub-signature': signature } : {}) },
    body,
  });
}

async function inboundEvents() {
  return harness.database.db.selectFrom('inbound_events').select('event_id').execute();
}

describe('Confluence Data Center webhook', () => {
  it('reads the updated page with its history and submits it before answering 200', async () => {
    const { site, routes } = setup();
    site.add({
      id: '3001',
      kind: 'page',
      title: 'Ops',
      spaceKey: 'OPS',
      bodies: [`<p>${TOKEN}</p>`, '<p>removed</p>'],
    });
    const body = JSON.stringify({
      timestamp: NOW - 2000,
      event: 'page_updated',
      userKey: 'key-acc-dana',
      page: { id: 3001 },
      updateTrigger: 'edit_page',
    });
    const response = await deliver(routes, body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, documents: 2 });
    const submitted = await harness.takeSubmitted();
    expect(itemsWithSecrets(harness.scanner, submitted)).toEqual(['page:3001@v1']);
    expect((await inboundEvents()).map((e) => e.event_id)).toContain(`webhook:page_updated:3001:${NOW - 2000}`);

    // A redelivery is acknowledged without reading or submitting anything.
    const again = await deliver(routes, body);
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(await harness.takeSubmitted()).toEqual([]);
    expect(site.requestsTo('GET', /\/rest\/api\/content\/3001$/)).toHaveLength(2);
  });

  it('handles comment and blog events', async () => {
    const { site, routes } = setup();
    site.add({ id: '3101', kind: 'page', title: 'Ops', spaceKey: 'OPS', bodies: ['<p/>'] });
    site.add({
      id: '3102',
      kind: 'comment',
      containerId: '3101',
      title: 'Re',
      spaceKey: 'OPS',
      bodies: [`<p>${TOKEN}</p>`],
    });
    site.add({ id: '3103', kind: 'blogpost', title: 'News', spaceKey: 'OPS', bodies: ['<p>hi</p>'] });
    const comment = JSON.stringify({ timestamp: NOW, event: 'comment_created', userKey: 'k', comment: { id: 3102 } });
    expect((await deliver(routes, comment)).status).toBe(200);
    const blog = JSON.stringify({ timestamp: NOW, event: 'blog_created', userKey: 'k', blog: { id: 3103 } });
    expect((await deliver(routes, blog)).status).toBe(200);
    const submitted = await harness.takeSubmitted();
    expect(submitted.map((d) => d.ref.item).sort()).toEqual(['blogpost:3103', 'comment:3102']);
    expect(submitted.find((d) => d.ref.item === 'comment:3102')!.ref.container).toBe('OPS');
  });

  it.each([
    ['no signature', ''],
    ['a signature made with another secret', 'other'],
    ['a malformed signature', 'sha256=zz'],
  ])('answers 401 and stores nothing for %s', async (_name, variant) => {
    const { site, routes } = setup();
    site.add({ id: '3201', kind: 'page', title: 'Ops', spaceKey: 'OPS', bodies: [`<p>${TOKEN}</p>`] });
    const body = JSON.stringify({ timestamp: NOW, event: 'page_created', page: { id: 3201 } });
    const signature = variant === 'other' ? sign(body, 'another-secret-0123456789') : variant;
    const response = await deliver(routes, body, signature);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'invalid_signature', message: 'X-Hub-Signature is missing or does not match the body' },
    });
    expect(await inboundEvents()).toEqual([]);
    expect(await harness.takeSubmitted()).toEqual([]);
    expect(site.requests).toEqual([]);
  });

  it('answers 401 when the body was changed after signing', async () => {
    const { routes } = setup();
    const body = JSON.stringify({ timestamp: NOW, event: 'page_created', page: { id: 1 } });
    const response = await deliver(routes, body.replace('"id":1', '"id":2'), sign(body));
    expect(response.status).toBe(401);
  });

  it('refuses replays outside the 5 minute window and malformed payloads with 400', async () => {
    const { site, routes } = setup();
    const stale = JSON.stringify({ timestamp: NOW - 6 * 60_000, event: 'page_created', page: { id: 1 } });
    const staleResponse = await deliver(routes, stale);
    expect(staleResponse.status).toBe(400);
    expect(((await staleResponse.json()) as { error: { code: string } }).error.code).toBe('stale_event');
    expect((await deliver(routes, '{not json')).status).toBe(400);
    expect((await deliver(routes, JSON.stringify({ event: 'page_created', page: { id: 1 } }))).status).toBe(400);
    expect((await deliver(routes, JSON.stringify({ timestamp: NOW, event: 'page_created', page: {} }))).status).toBe(
      400,
    );
    expect(await inboundEvents()).toEqual([]);
    expect(site.requests).toEqual([]);
  });

  it('reads only content of the configured spaces', async () => {
    const { site, routes } = setup(['ENG']);
    site.add({ id: '3401', kind: 'page', title: 'Other', spaceKey: 'HR', bodies: [`<p>${TOKEN}</p>`] });
    const body = JSON.stringify({ timestamp: NOW, event: 'page_created', page: { id: 3401 } });
    expect(await (await deliver(routes, body)).json()).toEqual({ ok: true, documents: 0 });
    expect(await harness.takeSubmitted()).toEqual([]);
  });

  it('acknowledges events it does not scan without reading Confluence', async () => {
    const { site, routes } = setup();
    const body = JSON.stringify({ timestamp: NOW, event: 'space_created', space: { key: 'NEW' } });
    const response = await deliver(routes, body);
    expect(await response.json()).toEqual({ ok: true, ignored: 'space_created' });
    expect(site.requests).toEqual([]);
  });

  it('answers 503 with Retry-After and records nothing when Confluence cannot be read', async () => {
    const { site, routes } = setup();
    site.add({ id: '3301', kind: 'page', title: 'Ops', spaceKey: 'OPS', bodies: ['<p/>'] });
    site.failNext('GET', /\/rest\/api\/content\/3301$/, () => tooManyRequests(45));
    const body = JSON.stringify({ timestamp: NOW, event: 'page_updated', page: { id: 3301 } });
    const response = await deliver(routes, body);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('45');
    expect(await inboundEvents()).toEqual([]);
    expect(await harness.takeSubmitted()).toEqual([]);
  });
});

describe('verifyHubSignature', () => {
  const secret = new Secret(WEBHOOK_SECRET, '[redacted]');
  it('accepts the hex HMAC with or without the sha256= prefix', () => {
    const body = '{"a":1}';
    const hex = createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex');
    expect(verifyHubSignature(secret, body, `sha256=${hex}`)).toBe(true);
    expect(verifyHubSignature(secret, body, hex.toUpperCase())).toBe(true);
    expect(verifyHubSignature(secret, `${body} `, `sha256=${hex}`)).toBe(false);
    expect(verifyHubSignature(secret, body, `sha256=${hex.slice(2)}`)).toBe(false);
    expect(verifyHubSignature(secret, body, null)).toBe(false);
  });
});
