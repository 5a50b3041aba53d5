import { createHash, createHmac, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { escapeHtml, page } from './stand-in-page.ts';
import type { DeliveryFailure } from './delivery-failure.ts';
import type { SourceChange } from './source-change.ts';

export interface JiraPerson {
  /** Data Center user key. */
  key: string;
  name: string;
  displayName: string;
  email: string;
}

export interface JiraStoredComment {
  id: string;
  body: string;
  author: string;
  updateAuthor: string;
  created: string;
  updated: string;
}

export interface JiraStoredIssue {
  id: string;
  key: string;
  project: string;
  summary: string;
  description: string | null;
  reporter: string;
  created: string;
  updated: string;
  comments: JiraStoredComment[];
}

export interface FakeJiraOptions {
  /** Shared secret of the admin webhook registered for leakwatch (X-Hub-Signature). */
  webhookSecret: string;
}

/** Jira's own timestamp format: `2026-01-05T10:00:00.000+0000`. */
function jiraTime(at: number): string {
  return new Date(at).toISOString().replace('Z', '+0000');
}

/** Like Jira, only a hash of each personal access token is kept. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

const FIELDS = [
  { id: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  { id: 'description', name: 'Description', custom: false, schema: { type: 'string', system: 'description' } },
  { id: 'environment', name: 'Environment', custom: false, schema: { type: 'string', system: 'environment' } },
  { id: 'comment', name: 'Comment', custom: false, schema: { type: 'comments-page', system: 'comment' } },
  { id: 'updated', name: 'Updated', custom: false, schema: { type: 'datetime', system: 'updated' } },
];

/**
 * A stand-in Jira Data Center (REST v2, wiki-markup text, user keys) with
 * what leakwatch's Data Center client reads and writes: server info,
 * `myself`, fields, projects, `POST /search` on the JQL the poller writes
 * (`updated >=`, project and key clauses, `startAt` paging), issues, comments
 * (`notifyUsers=false` edits), worklogs and users; bearer personal access
 * tokens (a revoked one gets 401, which also makes it the issuer leakwatch
 * verifies leaked Jira PATs against); and admin webhooks for comment events,
 * signed with `X-Hub-Signature` and carrying `X-Atlassian-Webhook-Identifier`.
 */
export class FakeJira {
  readonly app: Hono<{ Variables: { user: string } }>;
  readonly issues = new Map<string, JiraStoredIssue>();
  readonly people = new Map<string, JiraPerson>();
  readonly deliveryFailures: DeliveryFailure[] = [];
  readonly #tokens = new Map<string, { user: string; revoked: boolean }>();
  readonly #options: FakeJiraOptions;
  readonly #deliveries = new Set<Promise<void>>();
  #baseUrl = 'http://127.0.0.1';
  #webhookUrl: string | undefined;
  #nextId = 10_400;
  #changeListener: ((change: SourceChange) => void) | undefined;

  constructor(options: FakeJiraOptions) {
    this.#options = options;
    this.app = new Hono<{ Variables: { user: string } }>();
    this.#routes();
  }

  setBaseUrl(url: string): void {
    this.#baseUrl = url.replace(/\/+$/, '');
  }

  /** Registers leakwatch's admin webhook (comment created/updated/deleted, issue created/updated). */
  setWebhookUrl(url: string): void {
    this.#webhookUrl = url;
  }

  addPerson(person: JiraPerson): void {
    this.people.set(person.key, person);
  }

  /** A personal access token `user` created (Profile → Personal Access Tokens). */
  issueToken(token: string, userKey: string): void {
    this.#tokens.set(tokenHash(token), { user: userKey, revoked: false });
  }

  revokeToken(token: string): void {
    const found = this.#tokens.get(tokenHash(token));
    if (found) found.revoked = true;
  }

  onChange(listener: (change: SourceChange) => void): void {
    this.#changeListener = listener;
  }

  seedIssue(input: {
    key: string;
    summary: string;
    description?: string;
    reporter: string;
    daysAgo: number;
  }): JiraStoredIssue {
    const at = jiraTime(Date.now() - input.daysAgo * 86_400_000);
    const issue: JiraStoredIssue = {
      id: String(this.#nextId++),
      key: input.key,
      project: input.key.slice(0, input.key.lastIndexOf('-')),
      summary: input.summary,
      description: input.description ?? null,
      reporter: input.reporter,
      created: at,
      updated: at,
      comments: [],
    };
    this.issues.set(issue.key, issue);
    return issue;
  }

  /** Someone comments on an issue in the browser: stored, then the `comment_created` webhook. */
  async comment(key: string, authorKey: string, body: string): Promise<JiraStoredComment> {
    const issue = this.issues.get(key);
    if (!issue) throw new Error(`no issue ${key}`);
    const now = jiraTime(Date.now());
    const comment: JiraStoredComment = {
      id: String(this.#nextId++),
      body,
      author: authorKey,
      updateAuthor: authorKey,
      created: now,
      updated: now,
    };
    issue.comments.push(comment);
    issue.updated = now;
    await this.#sendWebhook('comment_created', issue, comment);
    return comment;
  }

  /** Resolves when every webhook started so far has been delivered (or given up on). */
  async settled(): Promise<void> {
    while (this.#deliveries.size > 0) await Promise.allSettled([...this.#deliveries]);
  }

  async #sendWebhook(event: string, issue: JiraStoredIssue, comment: JiraStoredComment): Promise<void> {
    const url = this.#webhookUrl;
    if (!url) return;
    const body = JSON.stringify({
      timestamp: Date.now(),
      webhookEvent: event,
      comment: this.#comment(issue, comment),
      issue: {
        id: issue.id,
        self: `${this.#baseUrl}/rest/api/2/issue/${issue.id}`,
        key: issue.key,
        fields: { summary: issue.summary, project: this.#project(issue.project) },
      },
    });
    const signature = `sha256=${createHmac('sha256', this.#options.webhookSecret).update(body).digest('hex')}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'x-hub-signature': signature,
          'x-atlassian-webhook-identifier': randomUUID(),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      if (!response.ok)
        this.deliveryFailures.push({ platform: 'jira', what: `webhook ${event}`, status: response.status });
    } catch {
      this.deliveryFailures.push({ platform: 'jira', what: `webhook ${event}`, status: 'unreachable' });
    }
  }

  // ------------------------------------------------------------ JSON as Data Center renders it

  #user(key: string) {
    const person = this.people.get(key);
    return {
      self: `${this.#baseUrl}/rest/api/2/user?username=${person?.name ?? key}`,
      name: person?.name ?? key,
      key,
      ...(person?.email ? { emailAddress: person.email } : {}),
      avatarUrls: { '48x48': `${this.#baseUrl}/secure/useravatar?avatarId=10122` },
      displayName: person?.displayName ?? key,
      active: person !== undefined,
      timeZone: 'UTC',
    };
  }

  #project(key: string) {
    return {
      self: `${this.#baseUrl}/rest/api/2/project/10000`,
      id: '10000',
      key,
      name: key,
      projectTypeKey: 'software',
    };
  }

  #comment(issue: JiraStoredIssue, comment: JiraStoredComment) {
    return {
      self: `${this.#baseUrl}/rest/api/2/issue/${issue.id}/comment/${comment.id}`,
      id: comment.id,
      author: this.#user(comment.author),
      body: comment.body,
      updateAuthor: this.#user(comment.updateAuthor),
      created: comment.created,
      updated: comment.updated,
    };
  }

  #commentPage(issue: JiraStoredIssue, startAt: number, maxResults: number) {
    return {
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: issue.comments.slice(startAt, startAt + maxResults).map((c) => this.#comment(issue, c)),
    };
  }

  #issue(issue: JiraStoredIssue, fields: readonly string[], changelog: boolean) {
    const all = fields.length === 0 || fields.includes('*all') || fields.includes('*navigable');
    const want = (f: string) => all || fields.includes(f);
    const out: Record<string, unknown> = {};
    if (want('summary')) out.summary = issue.summary;
    if (want('description')) out.description = issue.description;
    if (want('environment')) out.environment = null;
    if (want('updated')) out.updated = issue.updated;
    if (want('created')) out.created = issue.created;
    if (want('project')) out.project = this.#project(issue.project);
    if (want('reporter')) out.reporter = this.#user(issue.reporter);
    if (want('creator')) out.creator = this.#user(issue.reporter);
    if (want('comment')) out.comment = this.#commentPage(issue, 0, issue.comments.length);
    if (want('worklog')) out.worklog = { startAt: 0, maxResults: 20, total: 0, worklogs: [] };
    if (want('attachment')) out.attachment = [];
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.#baseUrl}/rest/api/2/issue/${issue.id}`,
      key: issue.key,
      fields: out,
      ...(changelog ? { changelog: { startAt: 0, maxResults: 0, total: 0, histories: [] } } : {}),
    };
  }

  /** The JQL leakwatch writes: `project in (…)`, `project = "…"`, `key > "…"`, `updated >= "…"`, ORDER BY. */
  #search(jql: string): JiraStoredIssue[] {
    let list = [...this.issues.values()];
    const inProjects = /project in \(([^)]*)\)/
      .exec(jql)?.[1]
      ?.split(',')
      .map((k) => k.trim().replace(/"/g, ''));
    if (inProjects) list = list.filter((i) => inProjects.includes(i.project));
    const oneProject = /project = "([A-Z][A-Z0-9_]*)"/.exec(jql)?.[1];
    if (oneProject) list = list.filter((i) => i.project === oneProject);
    const after = /key > "[A-Z][A-Z0-9_]*-(\d+)"/.exec(jql)?.[1];
    if (after) list = list.filter((i) => Number(i.key.split('-')[1]) > Number(after));
    const since = /updated >= "(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})"/.exec(jql);
    if (since) {
      const at = Date.UTC(+since[1]!, +since[2]! - 1, +since[3]!, +since[4]!, +since[5]!);
      list = list.filter((i) => Date.parse(i.updated) >= at);
    }
    const byKey = (a: JiraStoredIssue, b: JiraStoredIssue) => Number(a.key.split('-')[1]) - Number(b.key.split('-')[1]);
    if (/ORDER BY updated/i.test(jql))
      list.sort((a, b) => Date.parse(a.updated) - Date.parse(b.updated) || byKey(a, b));
    else list.sort(byKey);
    return list;
  }

  #error(c: Context, status: 400 | 401 | 404, message: string) {
    return c.json({ errorMessages: [message], errors: {} }, status);
  }

  #routes(): void {
    const app = this.app;
    const base = '/rest/api/2';
    app.get(`${base}/serverInfo`, (c) =>
      c.json({
        baseUrl: this.#baseUrl,
        version: '9.12.3',
        versionNumbers: [9, 12, 3],
        deploymentType: 'DataCenter',
        buildNumber: 9_120_003,
        serverTitle: 'Jira (stand-in)',
      }),
    );
    // Every other resource needs a valid personal access token.
    app.use(`${base}/*`, async (c, next) => {
      const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const found = token ? this.#tokens.get(tokenHash(token)) : undefined;
      if (!found || found.revoked) {
        return c.json({ message: 'Client must be authenticated to access this resource.', 'status-code': 401 }, 401);
      }
      c.set('user', found.user);
      await next();
    });
    const caller = (c: Context<{ Variables: { user: string } }>) => c.get('user');

    app.get(`${base}/myself`, (c) =>
      c.json({ ...this.#user(caller(c)), groups: { size: 1, items: [] }, expand: 'groups,applicationRoles' }),
    );
    app.get(`${base}/field`, (c) =>
      c.json(FIELDS.map((f) => ({ ...f, key: f.id, navigable: true, searchable: true }))),
    );
    app.get(`${base}/project`, (c) => {
      const keys = [...new Set([...this.issues.values()].map((i) => i.project))].sort();
      return c.json(keys.map((key) => this.#project(key)));
    });
    app.post(`${base}/search`, async (c) => {
      const body = (await c.req.json().catch(() => null)) as {
        jql?: string;
        startAt?: number;
        maxResults?: number;
        fields?: string[];
        expand?: string[] | string;
      } | null;
      if (!body || typeof body.jql !== 'string') return this.#error(c, 400, 'The JQL query is missing.');
      const all = this.#search(body.jql);
      const startAt = body.startAt ?? 0;
      const maxResults = Math.min(body.maxResults ?? 50, 100);
      const changelog = (Array.isArray(body.expand) ? body.expand.join(',') : (body.expand ?? '')).includes(
        'changelog',
      );
      return c.json({
        expand: 'schema,names',
        startAt,
        maxResults,
        total: all.length,
        issues: all.slice(startAt, startAt + maxResults).map((i) => this.#issue(i, body.fields ?? [], changelog)),
      });
    });
    const issueOf = (c: Context) => this.issues.get(c.req.param('key') ?? '');
    const noIssue = (c: Context) => this.#error(c, 404, 'Issue Does Not Exist');
    app.get(`${base}/issue/:key`, (c) => {
      const issue = issueOf(c);
      if (!issue) return noIssue(c);
      const fields = (c.req.query('fields') ?? '').split(',').filter(Boolean);
      return c.json(this.#issue(issue, fields, (c.req.query('expand') ?? '').includes('changelog')));
    });
    app.put(`${base}/issue/:key`, async (c) => {
      const issue = issueOf(c);
      if (!issue) return noIssue(c);
      const fields = ((await c.req.json().catch(() => null)) as { fields?: Record<string, unknown> } | null)?.fields;
      if (!fields) return this.#error(c, 400, 'fields are required');
      const before = `${issue.summary}\n${issue.description ?? ''}`;
      if (typeof fields.summary === 'string') issue.summary = fields.summary;
      if ('description' in fields)
        issue.description = typeof fields.description === 'string' ? fields.description : null;
      issue.updated = jiraTime(Date.now());
      this.#changeListener?.({
        platform: 'jira',
        place: issue.key,
        kind: 'edited',
        before,
        after: `${issue.summary}\n${issue.description ?? ''}`,
        by: this.people.get(caller(c))?.name ?? caller(c),
      });
      return c.body(null, 204);
    });
    app.get(`${base}/issue/:key/comment`, (c) => {
      const issue = issueOf(c);
      if (!issue) return noIssue(c);
      const startAt = Number(c.req.query('startAt') ?? 0);
      const maxResults = Math.min(Number(c.req.query('maxResults') ?? 50), 100);
      return c.json(this.#commentPage(issue, startAt, maxResults));
    });
    app.get(`${base}/issue/:key/comment/:id`, (c) => {
      const issue = issueOf(c);
      const comment = issue?.comments.find((x) => x.id === c.req.param('id'));
      if (!issue || !comment) return this.#error(c, 404, 'Can not find a comment for the id: ' + c.req.param('id'));
      return c.json(this.#comment(issue, comment));
    });
    app.put(`${base}/issue/:key/comment/:id`, async (c) => {
      const issue = issueOf(c);
      const comment = issue?.comments.find((x) => x.id === c.req.param('id'));
      if (!issue || !comment) return this.#error(c, 404, 'Can not find a comment for the id: ' + c.req.param('id'));
      const body = ((await c.req.json().catch(() => null)) as { body?: unknown } | null)?.body;
      if (typeof body !== 'string') return this.#error(c, 400, 'Comment body can not be empty!');
      const before = comment.body;
      comment.body = body;
      comment.updateAuthor = caller(c);
      comment.updated = jiraTime(Date.now());
      issue.updated = comment.updated;
      this.#changeListener?.({
        platform: 'jira',
        place: `${issue.key} comment ${comment.id}`,
        kind: 'edited',
        before,
        after: body,
        by: this.people.get(caller(c))?.name ?? caller(c),
      });
      // Jira answers the edit first and sends the webhook on its own.
      const delivery = this.#sendWebhook('comment_updated', issue, comment).finally(() =>
        this.#deliveries.delete(delivery),
      );
      this.#deliveries.add(delivery);
      return c.json(this.#comment(issue, comment));
    });
    app.get(`${base}/issue/:key/worklog`, (c) => {
      if (!issueOf(c)) return noIssue(c);
      return c.json({ startAt: 0, maxResults: 0, total: 0, worklogs: [] });
    });
    app.get(`${base}/issue/:key/worklog/:id`, (c) =>
      this.#error(c, 404, 'Cannot find worklog with id: ' + c.req.param('id')),
    );
    app.put(`${base}/issue/:key/worklog/:id`, (c) =>
      this.#error(c, 404, 'Cannot find worklog with id: ' + c.req.param('id')),
    );
    app.get(`${base}/attachment/:id`, (c) =>
      this.#error(c, 404, 'The attachment with id ' + c.req.param('id') + ' does not exist'),
    );
    app.get(`${base}/user`, (c) => {
      const key = c.req.query('key') ?? '';
      if (!this.people.has(key)) return this.#error(c, 404, `The user with the key '${key}' does not exist`);
      return c.json(this.#user(key));
    });
    app.all('/rest/*', (c) => this.#error(c, 404, 'null for uri: ' + c.req.url));
    app.get('/browse/:key', (c) => this.#browse(c));
    app.get('/', (c) => {
      const items = [...this.issues.values()]
        .map((i) => `<li><a href="/browse/${i.key}">${i.key}</a> ${escapeHtml(i.summary)}</li>`)
        .join('');
      return c.html(page('Stand-in Jira', `<ul>${items}</ul>`));
    });
  }

  #browse(c: Context): Response {
    const issue = this.issues.get(c.req.param('key') ?? '');
    if (!issue) return c.html(page('Not found', '<p>Issue does not exist.</p>'), 404);
    const focus = c.req.query('focusedCommentId');
    const comments = issue.comments
      .map((x) => {
        const who = this.people.get(x.author)?.displayName ?? x.author;
        const mark = x.id === focus ? ' class="focus"' : '';
        return `<li${mark}><strong>${escapeHtml(who)}</strong>: ${escapeHtml(x.body)}</li>`;
      })
      .join('');
    return c.html(
      page(
        `${issue.key}: ${issue.summary}`,
        `<p>${escapeHtml(issue.description ?? '')}</p><h2>Comments</h2><ul>${comments}</ul>`,
      ),
    );
  }
}
