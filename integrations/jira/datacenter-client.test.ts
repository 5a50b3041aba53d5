import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { createDataCenterClient } from './datacenter-client.ts';
import { JiraApiError, JiraRateLimitError } from './jira-errors.ts';
import { DC_SITE, FakeJira } from './jira-fake-server.ts';
import { jiraTestConfig } from './jira-test-kit.ts';

const server = useMswServer();
const lee = { id: 'JIRAUSER10100', name: 'Lee', email: 'lee@corp.example' };

describe('Jira Data Center client (fetch, REST v2)', () => {
  it('pages /rest/api/2/search by startAt until total with a bearer PAT', async () => {
    const jira = new FakeJira('datacenter');
    for (let i = 1; i <= 130; i++)
      jira.addIssue({ key: `ENG-${i}`, updated: new Date(Date.UTC(2026, 0, 5, 9, 0, i)), creator: lee });
    let authorization: string | null = null;
    server.use(
      http.post(`${DC_SITE}/rest/api/2/search`, ({ request }) => {
        authorization = request.headers.get('authorization');
      }),
      ...jira.handlers(),
    );
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.search('project = "ENG" ORDER BY key ASC', ['summary', 'updated'], token);
      keys.push(...page.issues.map((i) => i.key));
      token = page.nextPageToken;
    } while (token !== undefined);
    expect(keys).toHaveLength(130);
    expect(jira.called('POST', /\/rest\/api\/2\/search$/).map((r) => (r.body as { startAt: number }).startAt)).toEqual([
      0, 100,
    ]);
    expect(authorization).toBe('Bearer NjM4MzQ1OTk0MjQ3OkdrZXlfdGVzdF9wYXQ');
  });

  it('reads wiki-markup comments and user keys, and edits with notifyUsers=false keeping the visibility', async () => {
    const jira = new FakeJira('datacenter');
    const at = new Date(Date.UTC(2026, 0, 5, 9));
    const comment = {
      ...jira.comment(lee, 'the token is {{secret}}', at),
      visibility: { type: 'role', value: 'Developers' },
    };
    jira.addIssue({ key: 'ENG-1', updated: at, creator: lee, comments: [comment] });
    server.use(...jira.handlers());
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const read = (await client.getComment('ENG-1', comment.id))!;
    expect(read).toMatchObject({
      body: 'the token is {{secret}}',
      author: { id: 'JIRAUSER10100', email: 'lee@corp.example' },
    });
    await client.updateComment('ENG-1', read, 'the token is {{redacted}}');
    const put = jira.called('PUT', /\/comment\//)[0]!;
    expect(put.query.notifyUsers).toBe('false');
    expect(put.body).toEqual({ body: 'the token is {{redacted}}', visibility: { type: 'role', value: 'Developers' } });
  });

  it('downloads attachments only from the configured site and stops at the cap', async () => {
    const jira = new FakeJira('datacenter');
    jira.addIssue({
      key: 'ENG-2',
      updated: new Date(),
      creator: lee,
      attachments: [
        {
          id: '10300',
          filename: 'env.txt',
          mimeType: 'text/plain',
          content: 'A'.repeat(4096),
          author: lee,
          created: '2026-01-05T09:00:00.000+0000',
        },
      ],
    });
    server.use(...jira.handlers());
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const issue = (await client.getIssue('ENG-2', ['attachment']))!;
    expect((await client.readAttachment(issue.attachments[0]!, 100)).length).toBe(100);
    await expect(
      client.readAttachment({ id: '1', filename: 'x.txt', contentUrl: 'https://attacker.example/steal' }, 100),
    ).rejects.toThrow('not on the Jira site');
  });

  it('reports 429 and a 503 with Retry-After as rate limits, other failures without their body', async () => {
    server.use(
      http.get(
        `${DC_SITE}/rest/api/2/field`,
        () => new HttpResponse(null, { status: 503, headers: { 'Retry-After': '7' } }),
      ),
      http.get(`${DC_SITE}/rest/api/2/myself`, () => HttpResponse.json({ message: 'ghp_leaked?' }, { status: 500 })),
    );
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const limited = await client.listFields().catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(JiraRateLimitError);
    expect((limited as JiraRateLimitError).retryAfterMs).toBe(7000);
    // A fresh client: the first one now holds every request until the Retry-After has passed.
    const other = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const failed = await other.myTimeZone().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(JiraApiError);
    expect((failed as Error).message).toBe('Jira GET /rest/api/2/myself answered 500');
  });
});
