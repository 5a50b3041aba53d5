import { inspect } from 'node:util';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { createCloudClient } from './cloud-client.ts';
import { loadJiraConfig } from './jira-config.ts';
import { JiraApiError, JiraRateLimitError } from './jira-errors.ts';
import { adf, CLOUD_SITE, FakeJira } from './jira-fake-server.ts';
import { jiraTestConfig } from './jira-test-kit.ts';

const server = useMswServer();
const dana = { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Dana Ops', email: 'dana@acme.example' };
const API_TOKEN = 'ATATT3xFfGF0-test-api-token';

function seeded(count: number): FakeJira {
  const jira = new FakeJira('cloud');
  const start = Date.UTC(2026, 0, 5, 9, 0);
  for (let i = 1; i <= count; i++) {
    jira.addIssue({
      key: `OPS-${i}`,
      updated: new Date(start + i * 1000),
      creator: dana,
      fields: { summary: `Issue ${i}` },
    });
  }
  return jira;
}

describe('Jira Cloud client (jira.js)', () => {
  it('pages /rest/api/3/search/jql by nextPageToken to the last page and never calls the removed search', async () => {
    const jira = seeded(250);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.search(
        'project in ("OPS") AND updated >= "2026/01/05 08:00" ORDER BY updated ASC',
        ['summary', 'updated'],
        token,
      );
      keys.push(...page.issues.map((i) => i.key));
      token = page.nextPageToken;
      pages++;
    } while (token !== undefined);
    expect(pages).toBe(3);
    expect(keys).toHaveLength(250);
    expect(new Set(keys).size).toBe(250);
    const searches = jira.called('POST', /^\/rest\/api\/3\/search\/jql$/);
    expect(searches[0]!.body).toMatchObject({ fields: ['summary', 'updated'], maxResults: 100, expand: 'changelog' });
    expect(searches[1]!.body).toHaveProperty('nextPageToken');
    expect(jira.requests.filter((r) => /^\/rest\/api\/[23]\/search$/.test(r.path))).toEqual([]);
  });

  it('reads comments past the inline 20 by startAt, worklogs, the changelog and a capped attachment', async () => {
    const jira = new FakeJira('cloud');
    const at = new Date(Date.UTC(2026, 0, 5, 9));
    const comments = Array.from({ length: 45 }, (_, i) => jira.comment(dana, adf([[`comment ${i}`]]), at));
    jira.addIssue({
      key: 'OPS-1',
      updated: at,
      creator: dana,
      comments,
      attachments: [
        {
          id: '10900',
          filename: 'deploy.log',
          mimeType: 'text/plain',
          content: 'x'.repeat(5000),
          author: dana,
          created: '2026-01-05T09:00:00.000+0000',
        },
      ],
    });
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const issue = (await client.getIssue('OPS-1', ['comment', 'attachment', 'updated']))!;
    expect(issue.comments).toMatchObject({ total: 45, startAt: 0 });
    expect(issue.comments!.values).toHaveLength(20);
    const second = await client.listComments('OPS-1', 20);
    expect(second.values.map((c) => c.body)).toEqual(comments.slice(20, 45).map((c) => c.body));
    expect(jira.called('GET', /\/comment$/)[0]!.query).toMatchObject({
      startAt: '20',
      maxResults: '100',
      orderBy: 'created',
    });
    const bytes = await client.readAttachment(issue.attachments[0]!, 1024);
    expect(bytes.length).toBe(1024);
    const [download] = jira.called('GET', /attachment\/content\/10900/);
    // Served by Jira itself (no redirect to the media store with our credentials), and only the first KiB asked for.
    expect(download!.query).toEqual({ redirect: 'false' });
    expect(download!.range).toBe('bytes=0-1023');
  });

  it('turns 429 + Retry-After into JiraRateLimitError and holds further requests until then', async () => {
    const jira = seeded(1);
    jira.rateLimitOnce.set('POST /rest/api/3/search/jql', 42);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const error = await client.search('project = "OPS" ORDER BY key ASC', ['summary']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraRateLimitError);
    expect((error as JiraRateLimitError).retryAfterMs).toBe(42_000);
    // The site asked for a pause: the next call fails fast without a request.
    const before = jira.requests.length;
    await expect(client.search('project = "OPS" ORDER BY key ASC', ['summary'])).rejects.toBeInstanceOf(
      JiraRateLimitError,
    );
    expect(jira.requests.length).toBe(before);
  });

  it('keeps credentials and response bodies out of its errors', async () => {
    server.use(
      http.get(`${CLOUD_SITE}/rest/api/3/issue/:key/comment/:id`, () =>
        HttpResponse.json(
          { errorMessages: [`internal error near 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`] },
          { status: 500 },
        ),
      ),
    );
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const error = await client.getComment('OPS-1', '10001').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JiraApiError);
    expect((error as JiraApiError).status).toBe(500);
    const printed = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${(error as Error).message}`;
    expect(printed).not.toContain('ghp_');
    expect(printed).not.toContain(API_TOKEN);
    expect(printed).not.toContain(Buffer.from(`leakwatch@acme.example:${API_TOKEN}`).toString('base64'));
    expect((error as Error).cause).toBeUndefined();
  });

  it('answers null for a 404 and sends edits with notifyUsers=false', async () => {
    const jira = seeded(1);
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    expect(await client.getIssue('OPS-404', ['summary'])).toBeNull();
    await client.updateIssueField('OPS-1', 'description', adf([['fixed']]));
    const put = jira.called('PUT', /^\/rest\/api\/3\/issue\/OPS-1$/)[0]!;
    expect(put.query.notifyUsers).toBe('false');
    expect(put.body).toEqual({ fields: { description: adf([['fixed']]) } });
  });

  it('signs in with OAuth 2.0 through the API gateway after resolving the cloud id', async () => {
    const cloudId = '11223344-a1b2-3b33-c444-def123456789';
    let authorization: string | null = null;
    server.use(
      http.get('https://api.atlassian.com/oauth/token/accessible-resources', () =>
        HttpResponse.json([
          { id: 'other', url: 'https://other.atlassian.net', name: 'other', scopes: ['read:jira-work'] },
          {
            id: cloudId,
            url: 'https://acme.atlassian.net',
            name: 'acme',
            scopes: ['read:jira-work', 'write:jira-work'],
          },
        ]),
      ),
      http.get(`https://api.atlassian.com/ex/jira/${cloudId}/rest/api/3/myself`, ({ request }) => {
        authorization = request.headers.get('authorization');
        return HttpResponse.json({ accountId: 'bot', timeZone: 'America/New_York', active: true });
      }),
      http.get(`https://api.atlassian.com/ex/jira/${cloudId}/rest/api/3/attachment/content/77`, () =>
        HttpResponse.text('API_KEY=abc'),
      ),
    );
    const config = loadJiraConfig({ JIRA_URL: CLOUD_SITE, JIRA_OAUTH_TOKEN: 'oauth-access-token-value' })!;
    const client = await createCloudClient(config);
    expect(await client.myTimeZone()).toBe('America/New_York');
    expect(authorization).toBe('Bearer oauth-access-token-value');
    // Attachments too go through the gateway, below its path.
    expect(Buffer.from(await client.readAttachment({ id: '77', filename: 'a.env' }, 100)).toString()).toBe(
      'API_KEY=abc',
    );
  });
});
