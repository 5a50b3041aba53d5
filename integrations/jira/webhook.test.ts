import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentSink } from '../../src/core/integration.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createCloudClient } from './cloud-client.ts';
import { createDataCenterClient } from './datacenter-client.ts';
import type { JiraClient } from './jira-client.ts';
import { adf, FakeJira, jiraTime } from './jira-fake-server.ts';
import {
  GITHUB_TOKEN,
  jiraTestConfig,
  SLACK_TOKEN,
  startPipelineKit,
  WEBHOOK_SECRET,
  type PipelineKit,
} from './jira-test-kit.ts';
import { createIssueReader } from './issue-reader.ts';
import { jiraWebhookRoutes } from './webhook.ts';

const server = useMswServer();
const dana = { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Dana Ops', email: 'dana@acme.example' };
const NOW = Date.UTC(2026, 0, 5, 10, 0);

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

let deliveries = 0;

function app(client: JiraClient, options: { sink?: DocumentSink; projects?: string[]; site?: string } = {}) {
  const reader = createIssueReader({
    client,
    db: kit.handle.db,
    logger: kit.logger,
    site: options.site ?? 'acme.atlassian.net',
    maxAttachmentBytes: 4096,
  });
  return jiraWebhookRoutes({
    secret: jiraTestConfig('cloud').webhookSecret!,
    site: options.site ?? 'acme.atlassian.net',
    projects: options.projects ?? [],
    db: kit.handle.db,
    sink: options.sink ?? kit.sink,
    logger: kit.logger,
    now: () => new Date(NOW),
    runtime: async () => ({ client, reader }),
  });
}

function deliver(
  routes: ReturnType<typeof app>,
  payload: unknown,
  options: { id?: string; secret?: string; raw?: string; signature?: string | null } = {},
) {
  const body = options.raw ?? JSON.stringify(payload);
  const signature =
    options.signature === undefined
      ? `sha256=${createHmac('sha256', options.secret ?? WEBHOOK_SECRET)
          .update(body)
          .digest('hex')}`
      : options.signature;
  return routes.request('/webhooks/jira', {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-atlassian-webhook-identifier': options.id ?? `delivery-${++deliveries}`,
      'x-atlassian-webhook-flow': 'Primary',
      ...(signature === null ? {} : { 'x-hub-signature': signature }),
    },
    body,
  });
}

/** A `comment_created` delivery as Jira Cloud sends it. */
function commentCreated(jira: FakeJira, comment: Record<string, unknown>, issueKey = 'OPS-1') {
  return {
    timestamp: NOW - 2_000,
    webhookEvent: 'comment_created',
    comment,
    issue: {
      id: '10001',
      self: `${jira.site}/rest/api/2/10001`,
      key: issueKey,
      fields: {
        summary: 'Pipeline broken',
        issuetype: { self: `${jira.site}/rest/api/2/issuetype/10002`, id: '10002', name: 'Task', subtask: false },
        project: {
          self: `${jira.site}/rest/api/2/project/10000`,
          id: '10000',
          key: issueKey.split('-')[0],
          name: 'Ops',
          projectTypeKey: 'software',
        },
        assignee: null,
        priority: { self: `${jira.site}/rest/api/2/priority/3`, name: 'Medium', id: '3' },
        status: { self: `${jira.site}/rest/api/2/status/10000`, name: 'To Do', id: '10000' },
      },
    },
    eventType: 'primary_action',
  };
}

async function storedEvents(): Promise<string[]> {
  return (
    await kit.handle.db.selectFrom('inbound_events').select('event_id').where('platform', '=', 'jira').execute()
  ).map((r) => r.event_id);
}

describe('POST /webhooks/jira', () => {
  it('rejects a bad or missing signature with 401 and stores nothing', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    const routes = app(await createCloudClient(jiraTestConfig('cloud')));
    const before = await storedEvents();
    const comment = jira.renderComment(
      jira.addIssue({ key: 'OPS-1', updated: new Date(NOW), creator: dana }),
      jira.comment(dana, adf([[GITHUB_TOKEN]]), new Date(NOW)),
    );
    const payload = commentCreated(jira, comment);
    for (const response of [
      await deliver(routes, payload, { secret: 'some-other-secret-value' }),
      await deliver(routes, payload, { signature: null }),
      await deliver(routes, payload, { signature: 'sha1=0000' }),
      // Signed body, then tampered with.
      await deliver(routes, payload, {
        raw: JSON.stringify({ ...payload, timestamp: NOW }),
        signature: `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(JSON.stringify(payload)).digest('hex')}`,
      }),
    ]) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    expect(await storedEvents()).toEqual(before);
    expect(await kit.submitted()).toEqual([]);
    expect(jira.requests).toEqual([]);
  });

  it('submits a new comment from the payload before answering, and answers a redelivery as a duplicate', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    const routes = app(await createCloudClient(jiraTestConfig('cloud')));
    const issue = jira.addIssue({ key: 'OPS-1', updated: new Date(NOW), creator: dana });
    const comment = jira.renderComment(
      issue,
      jira.comment(
        dana,
        adf([['bot token: '], [SLACK_TOKEN.slice(0, 12), ['strong']], [SLACK_TOKEN.slice(12)]]),
        new Date(NOW),
      ),
    );
    const payload = commentCreated(jira, comment);

    const response = await deliver(routes, payload, { id: 'f2a8c2c0-9c1b-4d8e-a1f0-0c2d6f3b1a01' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, documents: 1 });
    const [doc] = await kit.submitted();
    expect(doc).toMatchObject({
      format: 'plain',
      ref: {
        platform: 'jira',
        workspace: 'acme.atlassian.net',
        container: 'OPS',
        item: `OPS-1#comment-${comment.id}`,
        url: `${jira.site}/browse/OPS-1?focusedCommentId=${comment.id}`,
        author: { id: dana.id, email: dana.email },
      },
    });
    expect(doc!.text).toContain(`bot token: ${SLACK_TOKEN}`);
    expect(await storedEvents()).toContain('f2a8c2c0-9c1b-4d8e-a1f0-0c2d6f3b1a01');
    expect(jira.requests).toEqual([]);

    const again = await deliver(routes, payload, { id: 'f2a8c2c0-9c1b-4d8e-a1f0-0c2d6f3b1a01' });
    expect(await again.json()).toEqual({ ok: true, duplicate: true });
    expect(await kit.submitted()).toEqual([]);
  });

  it('reads the issue for jira:issue_updated, and does not acknowledge (or record) an event it could not submit', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    jira.addIssue({
      key: 'OPS-2',
      updated: new Date(NOW),
      creator: dana,
      fields: { summary: 'creds', description: adf([['use '], [GITHUB_TOKEN, ['code']]]) },
    });
    const payload = {
      timestamp: NOW - 5_000,
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_updated',
      user: jira.user(dana),
      issue: {
        id: '10002',
        self: `${jira.site}/rest/api/2/10002`,
        key: 'OPS-2',
        fields: { summary: 'creds', description: 'use {{...}}' },
      },
      changelog: {
        id: '10500',
        items: [
          {
            field: 'description',
            fieldtype: 'jira',
            fieldId: 'description',
            from: null,
            fromString: '',
            to: null,
            toString: 'use …',
          },
        ],
      },
    };
    const down: DocumentSink = {
      submit: async () => {
        throw new Error('job queue unavailable');
      },
    };
    const failed = await deliver(app(client, { sink: down }), payload, { id: 'issue-updated-1' });
    expect(failed.status).toBe(500);
    expect(await storedEvents()).not.toContain('issue-updated-1');

    const ok = await deliver(app(client), payload, { id: 'issue-updated-1' });
    expect(ok.status).toBe(200);
    const docs = await kit.submitted();
    expect(docs.find((d) => d.ref.item === 'OPS-2#field-description')!.text).toContain(GITHUB_TOKEN);
    expect(jira.called('GET', /^\/rest\/api\/3\/issue\/OPS-2$/).length).toBeGreaterThanOrEqual(2);
    expect(await storedEvents()).toContain('issue-updated-1');
  });

  it('answers 503 with Retry-After when Jira rate-limits the read, recording nothing', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    jira.addIssue({
      key: 'OPS-3',
      updated: new Date(NOW),
      creator: dana,
      comments: [jira.comment(dana, adf([['x']]), new Date(NOW))],
    });
    jira.rateLimitOnce.set('GET /rest/api/3/issue/OPS-3/comment', 30);
    const routes = app(await createCloudClient(jiraTestConfig('cloud')));
    const comment = jira.issues.get('OPS-3')!.comments[0]!;
    // A payload without the body makes the connector fetch the issue's comment.
    const payload = { timestamp: NOW - 1000, webhookEvent: 'jira:issue_updated', issue: { id: '1', key: 'OPS-3' } };
    jira.issues.get('OPS-3')!.comments = Array.from({ length: 25 }, () => ({ ...comment, id: jira.id() }));
    const response = await deliver(routes, payload, { id: 'rate-limited-1' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await storedEvents()).not.toContain('rate-limited-1');
    expect(await kit.submitted()).toEqual([]);
  });

  it('bounds replays by the payload timestamp and rejects malformed bodies with 400', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    const routes = app(await createCloudClient(jiraTestConfig('cloud')));
    const stale = await deliver(routes, {
      timestamp: NOW - 2 * 3_600_000,
      webhookEvent: 'comment_created',
      issue: { key: 'OPS-1' },
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toMatchObject({ error: { code: 'stale_event' } });
    const future = await deliver(routes, {
      timestamp: NOW + 3_600_000,
      webhookEvent: 'comment_created',
      issue: { key: 'OPS-1' },
    });
    expect(future.status).toBe(401);
    const notJson = await deliver(routes, null, { raw: '{"timestamp": ' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const noTimestamp = await deliver(routes, { webhookEvent: 'comment_created' });
    expect(noTimestamp.status).toBe(400);
    expect(await kit.submitted()).toEqual([]);
  });

  it('closes a deleted comment, fetches a comment the payload lacks, and ignores other projects', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    const routes = app(await createCloudClient(jiraTestConfig('cloud')), { projects: ['OPS'] });
    const issue = jira.addIssue({ key: 'OPS-4', updated: new Date(NOW), creator: dana });
    const stored = jira.comment(dana, adf([[GITHUB_TOKEN]]), new Date(NOW));
    issue.comments.push(stored);

    const deleted = await deliver(routes, {
      ...commentCreated(jira, { id: '20999' }, 'OPS-4'),
      webhookEvent: 'comment_deleted',
    });
    expect(await deleted.json()).toEqual({ ok: true, documents: 1 });
    expect(await kit.submitted()).toMatchObject([{ text: '', ref: { item: 'OPS-4#comment-20999' } }]);

    const bodiless = await deliver(routes, commentCreated(jira, { id: stored.id, created: stored.created }, 'OPS-4'));
    expect(bodiless.status).toBe(200);
    expect((await kit.submitted())[0]!.text).toContain(GITHUB_TOKEN);
    expect(jira.called('GET', new RegExp(`/comment/${stored.id}$`))).toHaveLength(1);

    const elsewhere = await deliver(routes, commentCreated(jira, jira.renderComment(issue, stored), 'HR-9'));
    expect(await elsewhere.json()).toEqual({ ok: true, ignored: true });
    expect(await kit.submitted()).toEqual([]);
  });

  it('takes Data Center wiki-markup comments as they come', async () => {
    const jira = new FakeJira('datacenter');
    server.use(...jira.handlers());
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const routes = app(client, { site: 'jira.corp.example' });
    const lee = { id: 'JIRAUSER10100', name: 'Lee' };
    const issue = jira.addIssue({ key: 'ENG-5', updated: new Date(NOW), creator: lee });
    const comment = jira.renderComment(issue, {
      ...jira.comment(lee, `{code}export TOKEN=${GITHUB_TOKEN}{code}`, new Date(NOW)),
      updated: jiraTime(NOW),
    });
    const response = await deliver(routes, commentCreated(jira, comment, 'ENG-5'));
    expect(response.status).toBe(200);
    const [doc] = await kit.submitted();
    expect(doc).toMatchObject({
      text: `{code}export TOKEN=${GITHUB_TOKEN}{code}`,
      ref: { workspace: 'jira.corp.example', author: { id: 'JIRAUSER10100' } },
    });
  });
});
