import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationDeps } from '../../src/core/integration.ts';
import type { Identity } from '../../src/db/schema.ts';
import { LogNotifier } from '../../src/notify/log-notifier.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { BACKFILL_QUEUE } from './backfill.ts';
import { createConfluenceIntegration } from './confluence-integration.ts';
import { POLL_QUEUE } from './poller.ts';
import { FakeConfluenceSite } from './test-support/fake-confluence-site.ts';
import { startPipelineHarness, type PipelineHarness } from './test-support/pipeline-harness.ts';
import { CLOUD_URL, siteConfig } from './test-support/site-config.ts';

const server = useMswServer();

let harness: PipelineHarness;
beforeAll(async () => {
  harness = await startPipelineHarness();
}, 120_000);

function integrationDeps(now: () => Date = () => new Date()): IntegrationDeps {
  return {
    db: harness.database.db,
    boss: harness.boss,
    sink: harness.sink,
    scanner: harness.scanner,
    detectors: new Map(harness.scanner.detectors.map((d) => [d.id, d])),
    logger: harness.logger,
    now,
    notifier: () => new LogNotifier(harness.logger),
  };
}
afterAll(async () => {
  await harness?.stop();
});

function identity(platform: string, id: string): Identity {
  return {
    id: 'identity-1',
    platform,
    platform_user_id: id,
    email: null,
    display_name: null,
    slack_user_id: null,
    active: true,
    created_at: new Date(),
    updated_at: new Date(),
  };
}

describe('createConfluenceIntegration', () => {
  it('on Cloud: poll and backfill queues, a cron schedule pg-boss accepts, no webhook route, identity lookup', async () => {
    const site = new FakeConfluenceSite({ deployment: 'cloud', baseUrl: CLOUD_URL });
    server.use(...site.handlers());
    site.users.set('acc-dana', { email: 'dana@acme.test', displayName: 'Dana' });
    const integration = createConfluenceIntegration(
      siteConfig('cloud', { LEAKWATCH_POLL_INTERVAL: '120' }),
      integrationDeps(() => site.now()),
    );

    expect(integration.platform).toBe('confluence');
    expect(Object.keys(integration.queues!).sort()).toEqual([BACKFILL_QUEUE, POLL_QUEUE]);
    expect(integration.schedules).toEqual([{ queue: POLL_QUEUE, cron: '*/2 * * * *' }]);
    await harness.boss.schedule(POLL_QUEUE, integration.schedules![0]!.cron);
    await harness.boss.unschedule(POLL_QUEUE);
    expect(integration.routes).toBeUndefined();

    expect(await integration.resolveIdentity!(identity('confluence', 'acc-dana'))).toEqual({
      email: 'dana@acme.test',
      display_name: 'Dana',
    });
    expect(await integration.resolveIdentity!(identity('confluence', 'acc-gone'))).toBeNull();
    expect(await integration.resolveIdentity!(identity('jira', 'acc-dana'))).toBeNull();

    site.add({ id: '5001', kind: 'page', title: 'P', spaceKey: 'ENG', bodies: ['<p/>'] });
    expect(await integration.queues![POLL_QUEUE]!({})).toMatchObject({ status: 'ok', items: 1 });
  });

  it('on Data Center: serves /webhooks/confluence only when a webhook secret is configured', async () => {
    const withSecret = createConfluenceIntegration(siteConfig('datacenter'), integrationDeps());
    const response = await withSecret.routes!.request('/webhooks/confluence', { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);

    const withoutSecret = createConfluenceIntegration(
      siteConfig('datacenter', { CONFLUENCE_WEBHOOK_SECRET: '' }),
      integrationDeps(),
    );
    expect(withoutSecret.routes).toBeUndefined();
    expect(harness.logs.some((l) => l.includes('CONFLUENCE_WEBHOOK_SECRET is not set'))).toBe(true);
  });
});
