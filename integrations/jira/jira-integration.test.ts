import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, Identity, Occurrence } from '../../src/db/schema.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { dumpDatabase } from '../../test/service-harness.ts';
import { loadJiraConfig } from './jira-config.ts';
import { DC_SITE, FakeJira } from './jira-fake-server.ts';
import { createJiraIntegration } from './jira-integration.ts';
import { JIRA_BACKFILL_QUEUE, JIRA_POLL_QUEUE, JIRA_REDACTION_STATUS_QUEUE } from './jira-queues.ts';
import { GITHUB_TOKEN, startPipelineKit, WEBHOOK_SECRET, type PipelineKit } from './jira-test-kit.ts';

const server = useMswServer();
const lee = { id: 'JIRAUSER10100', name: 'Lee', email: 'lee@corp.example' };

let kit: PipelineKit;
beforeAll(async () => {
  kit = await startPipelineKit();
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});
beforeEach(async () => {
  await kit.submitted();
});

const deps = () => kit.integrationDeps();

describe('createJiraIntegration', () => {
  it('detects Data Center from serverInfo, polls through its queue, takes webhooks, redacts and resolves owners', async () => {
    const jira = new FakeJira('datacenter');
    jira.addIssue({
      key: 'ENG-1',
      updated: new Date(Date.now() - 60_000),
      creator: lee,
      fields: { description: `deploy: ${GITHUB_TOKEN}` },
    });
    server.use(...jira.handlers());
    // No JIRA_DEPLOYMENT and not an atlassian.net host: the site is asked.
    const config = loadJiraConfig({
      JIRA_URL: DC_SITE,
      JIRA_PAT: 'pat-value',
      JIRA_WEBHOOK_SECRET: WEBHOOK_SECRET,
      JIRA_PROJECTS: 'ENG',
    })!;
    const integration = createJiraIntegration(config, deps(), { issueWriteIntervalMs: 0 });
    expect(integration.platform).toBe('jira');
    expect(integration.schedules).toEqual([{ queue: JIRA_POLL_QUEUE, cron: '* * * * *' }]);
    expect(Object.keys(integration.queues!).sort()).toEqual(
      [JIRA_BACKFILL_QUEUE, JIRA_POLL_QUEUE, JIRA_REDACTION_STATUS_QUEUE].sort(),
    );

    await integration.start!();
    expect(jira.called('GET', /serverInfo$/)).toHaveLength(1);
    expect(await integration.queues![JIRA_POLL_QUEUE]!({})).toMatchObject({ status: 'polled', issues: 1 });
    const docs = await kit.submitted();
    expect(docs.find((d) => d.ref.item === 'ENG-1#field-description')).toMatchObject({
      ref: { workspace: 'jira.corp.example', container: 'ENG' },
    });
    const cursor = await kit.handle.db
      .selectFrom('connector_cursors')
      .selectAll()
      .where('connector', '=', 'jira:jira.corp.example')
      .executeTakeFirstOrThrow();
    expect(cursor.last_error).toBeNull();

    const issue = jira.issues.get('ENG-1')!;
    const body = JSON.stringify({
      timestamp: Date.now(),
      webhookEvent: 'comment_created',
      comment: jira.renderComment(issue, jira.comment(lee, `again ${GITHUB_TOKEN}`, new Date())),
      issue: { id: issue.id, key: 'ENG-1', fields: { project: { key: 'ENG' } } },
    });
    const response = await integration.routes!.request('/webhooks/jira', {
      method: 'POST',
      headers: {
        'x-hub-signature': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
        'x-atlassian-webhook-identifier': 'int-1',
      },
      body,
    });
    expect(response.status).toBe(200);
    expect((await kit.submitted())[0]!.text).toBe(`again ${GITHUB_TOKEN}`);

    const outcome = await integration.redact!({
      finding: { id: '00000000-0000-4000-8000-000000000009' } as Finding,
      occurrence: { id: '00000000-0000-4000-8000-00000000000a', item: 'ENG-1#field-description' } as Occurrence,
      locate: kit.locateFor(GITHUB_TOKEN),
      requestedBy: 'api:ops',
    });
    expect(outcome.status).toBe('redacted');
    expect(issue.fields.description).not.toContain(GITHUB_TOKEN);

    expect(
      await integration.resolveIdentity!({ platform: 'jira', platform_user_id: 'JIRAUSER10100' } as Identity),
    ).toMatchObject({
      email: 'lee@corp.example',
      active: true,
    });

    // Invariant 1: documents travel sealed; nothing in the database or the logs holds the token.
    expect(await dumpDatabase(kit.handle)).not.toContain(GITHUB_TOKEN);
    expect(kit.logs.join('\n')).not.toContain(GITHUB_TOKEN);
  });

  it('has no webhook route without a secret, and records a poll that cannot reach the site', async () => {
    server.use(
      http.get('https://jira.down.example/rest/api/2/serverInfo', () => new HttpResponse(null, { status: 502 })),
    );
    const config = loadJiraConfig({ JIRA_URL: 'https://jira.down.example', JIRA_PAT: 'pat-value' })!;
    const integration = createJiraIntegration(config, deps());
    expect(integration.routes).toBeUndefined();
    expect(await integration.queues![JIRA_POLL_QUEUE]!({})).toMatchObject({ status: 'failed' });
    const row = await kit.handle.db
      .selectFrom('connector_cursors')
      .selectAll()
      .where('connector', '=', 'jira:jira.down.example')
      .executeTakeFirstOrThrow();
    expect(row.last_error).toContain('JIRA_DEPLOYMENT');
    expect(row.last_polled_at).not.toBeNull();
  });
});
