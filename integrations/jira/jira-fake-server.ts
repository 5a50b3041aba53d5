import { http, HttpResponse, type HttpHandler } from 'msw';

/**
 * An in-memory Jira for tests, answering over msw with the JSON shapes Jira
 * Cloud (REST v3: ADF, accountId, `/search/jql` + `nextPageToken`/`isLast`)
 * and Jira Data Center (REST v2: wiki markup, user keys, `/search` +
 * `startAt`/`total`) return. Issue search honours the JQL the connector
 * writes (project, `updated >=`, `key >`, ordering), inline comment and
 * worklog lists are cut at 20 as on Cloud, edits are applied, and every
 * request is logged so tests can assert what was (and was not) called.
 */
export type FakeKind = 'cloud' | 'datacenter';

export interface FakeUser {
  id: string;
  name: string;
  email?: string;
  active?: boolean;
}

export interface FakeComment {
  id: string;
  body: unknown;
  author: FakeUser;
  updateAuthor?: FakeUser;
  created: string;
  updated: string;
  visibility?: unknown;
}

export interface FakeWorklog {
  id: string;
  comment: unknown;
  author: FakeUser;
  created: string;
  updated: string;
}

export interface FakeAttachment {
  id: string;
  filename: string;
  mimeType: string;
  content: string;
  author: FakeUser;
  created: string;
}

export interface FakeHistory {
  id: string;
  author: FakeUser;
  created: string;
  fields: string[];
}

export interface FakeIssue {
  id: string;
  key: string;
  project: string;
  created: string;
  updated: string;
  creator: FakeUser;
  fields: Record<string, unknown>;
  comments: FakeComment[];
  worklogs: FakeWorklog[];
  attachments: FakeAttachment[];
  histories: FakeHistory[];
  /** Hidden from search for this many more searches (Cloud's eventually consistent index). */
  hiddenForSearches?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
  /** The `Range` header, when one was sent. */
  range?: string;
}

export const CLOUD_SITE = 'https://acme.atlassian.net';
export const DC_SITE = 'https://jira.corp.example';
const INLINE_LIMIT = 20;

/** Jira's own timestamp format: `2026-01-05T10:00:00.000+0000`. */
export function jiraTime(at: Date | number): string {
  return new Date(at).toISOString().replace('Z', '+0000');
}

/** An ADF document of paragraphs, each a list of text nodes `[text, marks?]`. */
export function adf(...paragraphs: [string, string[]?][][]): Record<string, unknown> {
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((nodes) => ({
      type: 'paragraph',
      content: nodes.map(([text, marks]) => ({
        type: 'text',
        text,
        ...(marks && marks.length > 0 ? { marks: marks.map((type) => ({ type })) } : {}),
      })),
    })),
  };
}

export class FakeJira {
  readonly kind: FakeKind;
  readonly site: string;
  readonly issues = new Map<string, FakeIssue>();
  readonly requests: LoggedRequest[] = [];
  readonly redactionJobs = new Map<
    string,
    { status: string; results: { externalId: string; successful: boolean }[] }
  >();
  /** Each listed request label (`METHOD /path`) answers 429 with `Retry-After` once, then normally. */
  readonly rateLimitOnce = new Map<string, number>();
  /** Answer for `POST /rest/api/3/redact`: a job id, or an HTTP status to fail with. */
  redactAnswer: { jobId: string } | { status: number } = { status: 403 };
  textCustomFields: { id: string; name: string; custom: string }[] = [
    {
      id: 'customfield_10050',
      name: 'Deploy notes',
      custom: 'com.atlassian.jira.plugin.system.customfieldtypes:textarea',
    },
  ];
  timeZone = 'UTC';
  /** Called after every search is answered (to change issues while a poll pages through results). */
  afterSearch?: (searches: number) => void;
  private searches = 0;
  private nextId = 10_000;

  constructor(kind: FakeKind) {
    this.kind = kind;
    this.site = kind === 'cloud' ? CLOUD_SITE : DC_SITE;
  }

  id(): string {
    return String(this.nextId++);
  }

  /** Adds an issue; `summary`/`description` etc. go in `fields` as the product stores them (ADF on Cloud). */
  addIssue(input: { key: string; updated: Date; creator: FakeUser } & Partial<Omit<FakeIssue, 'updated'>>): FakeIssue {
    const issue: FakeIssue = {
      id: input.id ?? this.id(),
      key: input.key,
      project: input.project ?? input.key.slice(0, input.key.lastIndexOf('-')),
      created: input.created ?? jiraTime(input.updated),
      updated: jiraTime(input.updated),
      creator: input.creator,
      fields: { summary: 'An issue', description: null, environment: null, ...input.fields },
      comments: input.comments ?? [],
      worklogs: input.worklogs ?? [],
      attachments: input.attachments ?? [],
      histories: input.histories ?? [],
      ...(input.hiddenForSearches ? { hiddenForSearches: input.hiddenForSearches } : {}),
    };
    this.issues.set(issue.key, issue);
    return issue;
  }

  comment(author: FakeUser, body: unknown, at: Date): FakeComment {
    return { id: this.id(), body, author, created: jiraTime(at), updated: jiraTime(at) };
  }

  called(method: string, pathPattern: RegExp): LoggedRequest[] {
    return this.requests.filter((r) => r.method === method && pathPattern.test(r.path));
  }

  // ---- JSON as the products render it ----

  private v(): '2' | '3' {
    return this.kind === 'cloud' ? '3' : '2';
  }

  user(u: FakeUser): Record<string, unknown> {
    if (this.kind === 'cloud') {
      return {
        self: `${this.site}/rest/api/3/user?accountId=${u.id}`,
        accountId: u.id,
        ...(u.email ? { emailAddress: u.email } : {}),
        avatarUrls: { '48x48': `https://avatar-management.example/${u.id}/48` },
        displayName: u.name,
        active: u.active ?? true,
        timeZone: 'Europe/Berlin',
        accountType: 'atlassian',
      };
    }
    return {
      self: `${this.site}/rest/api/2/user?username=${u.name.toLowerCase()}`,
      name: u.name.toLowerCase(),
      key: u.id,
      ...(u.email ? { emailAddress: u.email } : {}),
      avatarUrls: { '48x48': `${this.site}/secure/useravatar?avatarId=10122` },
      displayName: u.name,
      active: u.active ?? true,
      timeZone: 'Europe/Berlin',
    };
  }

  renderComment(issue: FakeIssue, c: FakeComment): Record<string, unknown> {
    return {
      self: `${this.site}/rest/api/${this.v()}/issue/${issue.id}/comment/${c.id}`,
      id: c.id,
      author: this.user(c.author),
      body: c.body,
      updateAuthor: this.user(c.updateAuthor ?? c.author),
      created: c.created,
      updated: c.updated,
      ...(c.visibility ? { visibility: c.visibility } : {}),
      ...(this.kind === 'cloud' ? { jsdPublic: true } : {}),
    };
  }

  renderWorklog(issue: FakeIssue, w: FakeWorklog): Record<string, unknown> {
    return {
      self: `${this.site}/rest/api/${this.v()}/issue/${issue.id}/worklog/${w.id}`,
      author: this.user(w.author),
      updateAuthor: this.user(w.author),
      comment: w.comment,
      created: w.created,
      updated: w.updated,
      started: w.created,
      timeSpent: '1h',
      timeSpentSeconds: 3600,
      id: w.id,
      issueId: issue.id,
    };
  }

  renderAttachment(a: FakeAttachment): Record<string, unknown> {
    return {
      self: `${this.site}/rest/api/${this.v()}/attachment/${a.id}`,
      id: a.id,
      filename: a.filename,
      author: this.user(a.author),
      created: a.created,
      size: Buffer.byteLength(a.content),
      mimeType: a.mimeType,
      content:
        this.kind === 'cloud'
          ? `${this.site}/rest/api/3/attachment/content/${a.id}`
          : `${this.site}/secure/attachment/${a.id}/${encodeURIComponent(a.filename)}`,
    };
  }

  renderIssue(issue: FakeIssue, fields: readonly string[], expandChangelog: boolean): Record<string, unknown> {
    const all = fields.length === 0 || fields.includes('*all');
    const want = (f: string) => all || fields.includes(f);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(issue.fields)) if (want(k)) out[k] = v;
    if (want('updated')) out.updated = issue.updated;
    if (want('created')) out.created = issue.created;
    if (want('project'))
      out.project = {
        self: `${this.site}/rest/api/${this.v()}/project/10000`,
        id: '10000',
        key: issue.project,
        name: `${issue.project} project`,
        projectTypeKey: 'software',
      };
    if (want('creator')) out.creator = this.user(issue.creator);
    if (want('reporter')) out.reporter = this.user(issue.creator);
    if (want('comment')) {
      const shown = this.kind === 'cloud' ? issue.comments.slice(0, INLINE_LIMIT) : issue.comments;
      out.comment = {
        comments: shown.map((c) => this.renderComment(issue, c)),
        self: `${this.site}/rest/api/${this.v()}/issue/${issue.id}/comment`,
        maxResults: shown.length,
        total: issue.comments.length,
        startAt: 0,
      };
    }
    if (want('worklog')) {
      const shown = issue.worklogs.slice(0, INLINE_LIMIT);
      out.worklog = {
        startAt: 0,
        maxResults: INLINE_LIMIT,
        total: issue.worklogs.length,
        worklogs: shown.map((w) => this.renderWorklog(issue, w)),
      };
    }
    if (want('attachment')) out.attachment = issue.attachments.map((a) => this.renderAttachment(a));
    const rendered: Record<string, unknown> = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.site}/rest/api/${this.v()}/issue/${issue.id}`,
      key: issue.key,
      fields: out,
    };
    if (expandChangelog) {
      // Most recent first, and on Cloud search only the latest 20.
      const newest = [...issue.histories].reverse();
      const shown = this.kind === 'cloud' ? newest.slice(0, INLINE_LIMIT) : newest;
      rendered.changelog = {
        startAt: 0,
        maxResults: shown.length,
        total: issue.histories.length,
        histories: shown.map((h) => this.renderHistory(h)),
      };
    }
    return rendered;
  }

  renderHistory(h: FakeHistory): Record<string, unknown> {
    return {
      id: h.id,
      author: this.user(h.author),
      created: h.created,
      items: h.fields.map((f) => ({
        field: f,
        fieldtype: f.startsWith('customfield_') ? 'custom' : 'jira',
        fieldId: f,
        from: null,
        fromString: 'previous value',
        to: null,
        toString: 'new value',
      })),
    };
  }

  // ---- JQL as the connector writes it ----

  private matches(jql: string): FakeIssue[] {
    let list = [...this.issues.values()];
    const inProjects = /project in \(([^)]*)\)/.exec(jql);
    if (inProjects) {
      const keys = inProjects[1]!.split(',').map((k) => k.trim().replace(/"/g, ''));
      list = list.filter((i) => keys.includes(i.project));
    }
    const oneProject = /project = "([A-Z0-9_]+)"/.exec(jql);
    if (oneProject) list = list.filter((i) => i.project === oneProject[1]);
    const after = /key > "([A-Z0-9_]+)-(\d+)"/.exec(jql);
    if (after) list = list.filter((i) => Number(i.key.split('-')[1]) > Number(after[2]));
    const since = /updated >= "(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2})"/.exec(jql);
    if (since) {
      const [, y, mo, d, h, mi] = since;
      const at = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
      list = list.filter((i) => Date.parse(i.updated) >= at);
    }
    const byKey = (a: FakeIssue, b: FakeIssue) => Number(a.key.split('-')[1]) - Number(b.key.split('-')[1]);
    if (/ORDER BY updated/.test(jql)) list.sort((a, b) => Date.parse(a.updated) - Date.parse(b.updated) || byKey(a, b));
    else list.sort(byKey);
    return list;
  }

  private searchable(list: FakeIssue[]): FakeIssue[] {
    const visible = list.filter((i) => !i.hiddenForSearches);
    for (const i of this.issues.values()) if (i.hiddenForSearches) i.hiddenForSearches--;
    return visible;
  }

  private searched(): void {
    this.searches++;
    this.afterSearch?.(this.searches);
  }

  // ---- msw handlers ----

  handlers(): HttpHandler[] {
    const site = this.site;
    const v = this.v();
    const log = async (request: Request): Promise<LoggedRequest> => {
      const url = new URL(request.url);
      let body: unknown;
      if (request.method !== 'GET') {
        const text = await request.clone().text();
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
      }
      const range = request.headers.get('range') ?? undefined;
      const entry: LoggedRequest = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body,
        ...(range ? { range } : {}),
      };
      this.requests.push(entry);
      return entry;
    };
    const limited = (entry: LoggedRequest) => {
      const label = `${entry.method} ${entry.path}`;
      const left = this.rateLimitOnce.get(label);
      if (left === undefined) return undefined;
      this.rateLimitOnce.delete(label);
      return HttpResponse.json(
        { errorMessages: ['Rate limit exceeded.'] },
        { status: 429, headers: { 'Retry-After': String(left), 'X-RateLimit-Reason': 'jira-burst-based' } },
      );
    };
    const issueOr404 = (key: string) => this.issues.get(key);
    const notFound = () =>
      HttpResponse.json(
        { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
        { status: 404 },
      );

    const handlers: HttpHandler[] = [
      http.get(`${site}/rest/api/2/serverInfo`, async ({ request }) => {
        await log(request);
        return HttpResponse.json({
          baseUrl: site,
          version: this.kind === 'cloud' ? '1001.0.0-SNAPSHOT' : '9.12.3',
          versionNumbers: this.kind === 'cloud' ? [1001, 0, 0] : [9, 12, 3],
          deploymentType: this.kind === 'cloud' ? 'Cloud' : 'DataCenter',
          buildNumber: 100_275,
          serverTitle: 'Jira',
        });
      }),
      http.get(`${site}/rest/api/${v}/myself`, async ({ request }) => {
        await log(request);
        return HttpResponse.json({ ...this.user({ id: 'leakwatch-bot', name: 'leakwatch' }), timeZone: this.timeZone });
      }),
      http.get(`${site}/rest/api/${v}/field`, async ({ request }) => {
        await log(request);
        return HttpResponse.json([
          {
            id: 'summary',
            key: 'summary',
            name: 'Summary',
            custom: false,
            schema: { type: 'string', system: 'summary' },
          },
          {
            id: 'description',
            key: 'description',
            name: 'Description',
            custom: false,
            schema: { type: 'string', system: 'description' },
          },
          {
            id: 'customfield_10020',
            key: 'customfield_10020',
            name: 'Sprint',
            custom: true,
            schema: { type: 'array', items: 'json', custom: 'com.pyxis.greenhopper.jira:gh-sprint', customId: 10020 },
          },
          ...this.textCustomFields.map((f) => ({
            id: f.id,
            key: f.id,
            name: f.name,
            custom: true,
            schema: { type: 'string', custom: f.custom, customId: Number(f.id.split('_')[1]) },
          })),
        ]);
      }),
      http.get(`${site}/rest/api/${v}/issue/:key`, async ({ request, params }) => {
        const entry = await log(request);
        const issue = issueOr404(String(params.key));
        if (!issue) return notFound();
        const fields = (entry.query.fields ?? '').split(',').filter(Boolean);
        return HttpResponse.json(this.renderIssue(issue, fields, (entry.query.expand ?? '').includes('changelog')));
      }),
      http.put(`${site}/rest/api/${v}/issue/:key`, async ({ request, params }) => {
        const entry = await log(request);
        const issue = issueOr404(String(params.key));
        if (!issue) return notFound();
        const fields = (entry.body as { fields?: Record<string, unknown> }).fields ?? {};
        Object.assign(issue.fields, fields);
        issue.updated = jiraTime(Date.now());
        return new HttpResponse(null, { status: 204 });
      }),
      http.get(`${site}/rest/api/${v}/issue/:key/comment`, async ({ request, params }) => {
        const entry = await log(request);
        const blocked = limited(entry);
        if (blocked) return blocked;
        const issue = issueOr404(String(params.key));
        if (!issue) return notFound();
        const startAt = Number(entry.query.startAt ?? 0);
        const maxResults = Math.min(Number(entry.query.maxResults ?? 50), 100);
        const page = issue.comments.slice(startAt, startAt + maxResults);
        return HttpResponse.json({
          startAt,
          maxResults,
          total: issue.comments.length,
          comments: page.map((c) => this.renderComment(issue, c)),
        });
      }),
      http.get(`${site}/rest/api/${v}/issue/:key/comment/:id`, async ({ request, params }) => {
        await log(request);
        const issue = issueOr404(String(params.key));
        const comment = issue?.comments.find((c) => c.id === params.id);
        if (!issue || !comment) return notFound();
        return HttpResponse.json(this.renderComment(issue, comment));
      }),
      http.put(`${site}/rest/api/${v}/issue/:key/comment/:id`, async ({ request, params }) => {
        const entry = await log(request);
        const issue = issueOr404(String(params.key));
        const comment = issue?.comments.find((c) => c.id === params.id);
        if (!issue || !comment) return notFound();
        comment.body = (entry.body as { body: unknown }).body;
        comment.updated = jiraTime(Date.now());
        return HttpResponse.json(this.renderComment(issue, comment));
      }),
      http.get(`${site}/rest/api/${v}/issue/:key/worklog`, async ({ request, params }) => {
        const entry = await log(request);
        const issue = issueOr404(String(params.key));
        if (!issue) return notFound();
        const startAt = Number(entry.query.startAt ?? 0);
        const maxResults = Number(entry.query.maxResults ?? 5000);
        return HttpResponse.json({
          startAt,
          maxResults,
          total: issue.worklogs.length,
          worklogs: issue.worklogs.slice(startAt, startAt + maxResults).map((w) => this.renderWorklog(issue, w)),
        });
      }),
      http.get(`${site}/rest/api/${v}/issue/:key/worklog/:id`, async ({ request, params }) => {
        await log(request);
        const issue = issueOr404(String(params.key));
        const worklog = issue?.worklogs.find((w) => w.id === params.id);
        if (!issue || !worklog) return notFound();
        return HttpResponse.json(this.renderWorklog(issue, worklog));
      }),
      http.put(`${site}/rest/api/${v}/issue/:key/worklog/:id`, async ({ request, params }) => {
        const entry = await log(request);
        const issue = issueOr404(String(params.key));
        const worklog = issue?.worklogs.find((w) => w.id === params.id);
        if (!issue || !worklog) return notFound();
        worklog.comment = (entry.body as { comment: unknown }).comment;
        return HttpResponse.json(this.renderWorklog(issue, worklog));
      }),
      http.get(`${site}/rest/api/${v}/user`, async ({ request }) => {
        const entry = await log(request);
        const id = entry.query.accountId ?? entry.query.key;
        const users = [...this.issues.values()].flatMap((i) => [i.creator, ...i.comments.map((c) => c.author)]);
        const user = users.find((u) => u.id === id);
        if (!user) return HttpResponse.json({ errorMessages: ['User not found'] }, { status: 404 });
        return HttpResponse.json(this.user(user));
      }),
    ];

    if (this.kind === 'cloud') {
      handlers.push(
        http.post(`${site}/rest/api/3/search/jql`, async ({ request }) => {
          const entry = await log(request);
          const blocked = limited(entry);
          if (blocked) return blocked;
          const body = entry.body as {
            jql: string;
            fields?: string[];
            maxResults?: number;
            nextPageToken?: string;
            expand?: string;
          };
          if (!body.jql || body.jql.trim() === '') {
            return HttpResponse.json({ errorMessages: ['JQL query is unbounded.'] }, { status: 400 });
          }
          const all = this.searchable(this.matches(body.jql));
          const offset = body.nextPageToken ? Number(Buffer.from(body.nextPageToken, 'base64url').toString()) : 0;
          const size = Math.min(body.maxResults ?? 50, 100);
          const page = all.slice(offset, offset + size);
          const isLast = offset + size >= all.length;
          const rendered = page.map((i) =>
            this.renderIssue(i, body.fields ?? [], (body.expand ?? '').includes('changelog')),
          );
          this.searched();
          return HttpResponse.json({
            issues: rendered,
            ...(isLast ? {} : { nextPageToken: Buffer.from(String(offset + size)).toString('base64url') }),
            isLast,
          });
        }),
        // The removed search endpoints: a client that still calls them gets what Jira Cloud answers.
        ...['get', 'post'].flatMap((method) =>
          ['2', '3'].map((version) =>
            http[method as 'get' | 'post'](`${site}/rest/api/${version}/search`, async ({ request }) => {
              await log(request);
              return HttpResponse.json(
                {
                  errorMessages: [
                    'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.',
                  ],
                },
                { status: 410 },
              );
            }),
          ),
        ),
        http.get(`${site}/rest/api/3/issue/:key/changelog`, async ({ request, params }) => {
          const entry = await log(request);
          const issue = issueOr404(String(params.key));
          if (!issue) return notFound();
          const startAt = Number(entry.query.startAt ?? 0);
          const maxResults = Number(entry.query.maxResults ?? 100);
          const values = issue.histories.slice(startAt, startAt + maxResults);
          return HttpResponse.json({
            self: `${site}/rest/api/3/issue/${issue.key}/changelog?startAt=${startAt}`,
            maxResults,
            startAt,
            total: issue.histories.length,
            isLast: startAt + maxResults >= issue.histories.length,
            values: values.map((h) => this.renderHistory(h)),
          });
        }),
        http.get(`${site}/rest/api/3/attachment/content/:id`, async ({ request, params }) => {
          await log(request);
          const attachment = [...this.issues.values()].flatMap((i) => i.attachments).find((a) => a.id === params.id);
          if (!attachment) return notFound();
          const bytes = Buffer.from(attachment.content);
          const range = /bytes=0-(\d+)/.exec(request.headers.get('range') ?? '');
          const end = range ? Math.min(Number(range[1]) + 1, bytes.length) : bytes.length;
          return new HttpResponse(bytes.subarray(0, end), {
            status: range ? 206 : 200,
            headers: { 'content-type': attachment.mimeType },
          });
        }),
        http.get(`${site}/rest/api/3/attachment/:id`, async ({ request, params }) => {
          await log(request);
          const attachment = [...this.issues.values()].flatMap((i) => i.attachments).find((a) => a.id === params.id);
          return attachment ? HttpResponse.json(this.renderAttachment(attachment)) : notFound();
        }),
        http.post(`${site}/rest/api/3/redact`, async ({ request }) => {
          const entry = await log(request);
          if ('status' in this.redactAnswer) {
            return HttpResponse.json(
              { errorMessages: ['You do not have permission to redact issue data.'], errors: {} },
              { status: this.redactAnswer.status },
            );
          }
          const redactions = (entry.body as { redactions: { externalId: string }[] }).redactions;
          this.redactionJobs.set(this.redactAnswer.jobId, {
            status: 'PENDING',
            results: redactions.map((r) => ({ externalId: r.externalId, successful: true })),
          });
          return HttpResponse.json(this.redactAnswer.jobId);
        }),
        http.get(`${site}/rest/api/3/redact/status/:jobId`, async ({ request, params }) => {
          await log(request);
          const job = this.redactionJobs.get(String(params.jobId));
          if (!job) return HttpResponse.json({ errorMessages: ['Job not found'] }, { status: 404 });
          return HttpResponse.json({
            jobStatus: job.status,
            ...(job.status === 'COMPLETED' ? { bulkRedactionResponse: { results: job.results } } : {}),
          });
        }),
        http.get(`${site}/rest/api/3/project/search`, async ({ request }) => {
          const entry = await log(request);
          const keys = [...new Set([...this.issues.values()].map((i) => i.project))].sort();
          const startAt = Number(entry.query.startAt ?? 0);
          const maxResults = Number(entry.query.maxResults ?? 50);
          return HttpResponse.json({
            self: `${site}/rest/api/3/project/search`,
            maxResults,
            startAt,
            total: keys.length,
            isLast: startAt + maxResults >= keys.length,
            values: keys
              .slice(startAt, startAt + maxResults)
              .map((key, i) => ({ id: String(10_000 + i), key, name: key })),
          });
        }),
      );
    } else {
      handlers.push(
        http.post(`${site}/rest/api/2/search`, async ({ request }) => {
          const entry = await log(request);
          const blocked = limited(entry);
          if (blocked) return blocked;
          const body = entry.body as {
            jql: string;
            startAt?: number;
            maxResults?: number;
            fields?: string[];
            expand?: string[];
          };
          const all = this.searchable(this.matches(body.jql));
          const startAt = body.startAt ?? 0;
          const maxResults = Math.min(body.maxResults ?? 50, 100);
          const issues = all
            .slice(startAt, startAt + maxResults)
            .map((i) => this.renderIssue(i, body.fields ?? [], (body.expand ?? []).includes('changelog')));
          this.searched();
          return HttpResponse.json({ expand: 'schema,names', startAt, maxResults, total: all.length, issues });
        }),
        http.get(`${site}/secure/attachment/:id/:filename`, async ({ request, params }) => {
          await log(request);
          const attachment = [...this.issues.values()].flatMap((i) => i.attachments).find((a) => a.id === params.id);
          if (!attachment) return new HttpResponse(null, { status: 404 });
          return new HttpResponse(Buffer.from(attachment.content), {
            headers: { 'content-type': attachment.mimeType },
          });
        }),
        http.get(`${site}/rest/api/2/attachment/:id`, async ({ request, params }) => {
          await log(request);
          const attachment = [...this.issues.values()].flatMap((i) => i.attachments).find((a) => a.id === params.id);
          return attachment ? HttpResponse.json(this.renderAttachment(attachment)) : notFound();
        }),
        http.get(`${site}/rest/api/2/project`, async ({ request }) => {
          await log(request);
          const keys = [...new Set([...this.issues.values()].map((i) => i.project))].sort();
          return HttpResponse.json(keys.map((key, i) => ({ id: String(10_000 + i), key, name: key })));
        }),
      );
    }
    return handlers;
  }
}
