import { createCloudClient as createJiraJsCloudClient } from 'jira.js';
import type { Client, SendRequestOptions } from 'jira.js/core';
import type { HistoryRedactionItem, JiraClient, JiraComment, JiraText } from './jira-client.ts';
import {
  parseAttachment,
  parseChange,
  parseComment,
  parseField,
  parseIssue,
  parsePaged,
  parseRedactionStatus,
  parseUser,
  parseWorklog,
} from './jira-client.ts';
import type { JiraConfig } from './jira-config.ts';
import { JiraApiError } from './jira-errors.ts';
import { createJiraHttp, orNull, type JiraHttp } from './jira-http.ts';

const SEARCH_PAGE_SIZE = 100;
const COMMENT_PAGE_SIZE = 100;
const WORKLOG_PAGE_SIZE = 1000;
const CHANGELOG_PAGE_SIZE = 100;
const GATEWAY = 'https://api.atlassian.com/ex/jira';

/**
 * jira.js's request seam, driven by our transport. jira.js 6 sends with a bare
 * `fetch` (no timeout, no abort), so its typed Cloud surface runs over
 * `JiraHttp` instead, which adds the timeout, pacing, `Retry-After` and
 * body-free errors. Responses are handed back as parsed JSON without jira.js's
 * schemas: they strip keys they do not list (`isLast`, custom fields), and
 * every response is read by our own lenient parsers anyway.
 */
function jiraJsTransport(http: JiraHttp): Client {
  return {
    async sendRequest<T>(options: SendRequestOptions<T>): Promise<T> {
      const method = (options.method ?? 'GET') as 'GET' | 'POST' | 'PUT' | 'DELETE';
      return (await http.json(options.url, {
        method,
        ...(options.searchParams ? { query: options.searchParams } : {}),
        ...(options.body === undefined ? {} : { body: options.body }),
      })) as T;
    },
  };
}

/** ADF for a plain string, so a write never falls back to jira.js's v2 path (which drops `notifyUsers=false`). */
function asDocument(value: JiraText): Record<string, unknown> {
  if (value !== null && typeof value === 'object') return value;
  const text = value ?? '';
  return {
    type: 'doc',
    version: 1,
    content: text === '' ? [] : [{ type: 'paragraph', content: [{ type: 'text', text }] }],
  };
}

/**
 * Jira Cloud through jira.js's typed Cloud API (REST v3, ADF bodies). Search
 * is `POST /rest/api/3/search/jql` paged by `nextPageToken`; the removed
 * `/rest/api/{2,3}/search` is never called. API tokens use basic auth against
 * the site; OAuth 2.0 access tokens go through Atlassian's API gateway.
 */
export async function createCloudClient(
  config: JiraConfig,
  options: { fetch?: typeof fetch; now?: () => number } = {},
): Promise<JiraClient> {
  let baseUrl: string;
  let authorization: string;
  if (config.auth.kind === 'basic') {
    baseUrl = config.url;
    authorization = `Basic ${Buffer.from(`${config.auth.email}:${config.auth.apiToken.reveal()}`).toString('base64')}`;
  } else if (config.auth.kind === 'oauth') {
    const token = config.auth.accessToken.reveal();
    const cloudId = config.auth.cloudId ?? (await resolveCloudId(config, options.fetch ?? fetch, token));
    baseUrl = `${GATEWAY}/${cloudId}`;
    authorization = `Bearer ${token}`;
  } else {
    throw new Error('Jira Cloud does not accept personal access tokens (JIRA_PAT); use JIRA_EMAIL + JIRA_API_TOKEN');
  }
  const http = createJiraHttp({ baseUrl, authorization, config, ...options });
  const api = createJiraJsCloudClient(jiraJsTransport(http));

  return {
    deployment: 'cloud',
    siteUrl: config.url,

    async search(jql, fields, pageToken, pageSize = SEARCH_PAGE_SIZE) {
      const body = (await api.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql,
        fields: [...fields],
        maxResults: pageSize,
        expand: 'changelog',
        ...(pageToken === undefined ? {} : { nextPageToken: pageToken }),
      })) as { issues?: unknown[]; nextPageToken?: unknown; isLast?: unknown } | undefined;
      const issues = (Array.isArray(body?.issues) ? body.issues : []).map(parseIssue).filter((i) => i !== undefined);
      const next = typeof body?.nextPageToken === 'string' && body.isLast !== true ? body.nextPageToken : undefined;
      return next === undefined ? { issues } : { issues, nextPageToken: next };
    },

    async getIssue(key, fields) {
      const body = await orNull(
        api.issues.getIssue({ issueIdOrKey: key, fields: [fields.join(',')], expand: 'changelog' }),
      );
      return body === null ? null : (parseIssue(body) ?? null);
    },

    async listComments(key, startAt) {
      const body = await api.issueComments.getComments({
        issueIdOrKey: key,
        startAt,
        maxResults: COMMENT_PAGE_SIZE,
        orderBy: 'created',
      });
      return parsePaged(body, 'comments', parseComment);
    },

    async getComment(key, id) {
      const body = await orNull(api.issueComments.getComment({ issueIdOrKey: key, id }));
      return body === null ? null : (parseComment(body) ?? null);
    },

    async listWorklogs(key, startAt) {
      const body = await api.issueWorklogs.getIssueWorklog({
        issueIdOrKey: key,
        startAt,
        maxResults: WORKLOG_PAGE_SIZE,
      });
      return parsePaged(body, 'worklogs', parseWorklog);
    },

    async getWorklog(key, id) {
      const body = await orNull(api.issueWorklogs.getWorklog({ issueIdOrKey: key, id }));
      return body === null ? null : (parseWorklog(body) ?? null);
    },

    async listChanges(key, startAt) {
      const body = await api.issues.getChangeLogs({ issueIdOrKey: key, startAt, maxResults: CHANGELOG_PAGE_SIZE });
      return parsePaged(body, 'values', parseChange);
    },

    async getAttachment(id) {
      const body = await orNull(api.issueAttachments.getAttachment({ id }));
      return body === null ? null : (parseAttachment(body) ?? null);
    },

    async readAttachment(attachment, maxBytes) {
      // Read here rather than through jira.js, which buffers the whole file: a `Range` request, cut at the cap,
      // served by Jira itself (`redirect=false`) so the credentials never follow a redirect to the media store.
      return http.bytes(`/rest/api/3/attachment/content/${encodeURIComponent(attachment.id)}?redirect=false`, maxBytes);
    },

    async listFields() {
      const body = (await api.issueFields.getFields()) as unknown;
      return (Array.isArray(body) ? body : []).map(parseField).filter((f) => f !== undefined);
    },

    async listProjectKeys() {
      const keys: string[] = [];
      for (let startAt = 0; ;) {
        const body = (await api.projects.searchProjects({ startAt, maxResults: 50 })) as {
          values?: { key?: unknown }[];
          isLast?: unknown;
          total?: unknown;
        };
        const values = Array.isArray(body?.values) ? body.values : [];
        for (const p of values) if (typeof p?.key === 'string') keys.push(p.key);
        startAt += values.length;
        if (values.length === 0 || body.isLast === true || (typeof body.total === 'number' && startAt >= body.total)) {
          return keys;
        }
      }
    },

    async myTimeZone() {
      const body = (await api.myself.getCurrentUser()) as { timeZone?: unknown } | undefined;
      return typeof body?.timeZone === 'string' ? body.timeZone : undefined;
    },

    async getUser(id) {
      const body = await orNull(api.users.getUser({ accountId: id }));
      return body === null ? null : (parseUser(body) ?? null);
    },

    async updateIssueField(key, fieldId, value: JiraText) {
      await api.issues.editIssue({ issueIdOrKey: key, notifyUsers: false, fields: { [fieldId]: value } });
    },

    async updateComment(key, comment: JiraComment, body: JiraText) {
      await api.issueComments.updateComment({
        issueIdOrKey: key,
        id: comment.id,
        notifyUsers: false,
        body: {
          body: asDocument(body),
          ...(comment.visibility === undefined ? {} : { visibility: comment.visibility }),
        } as never,
      });
    },

    async updateWorklog(key, id, comment) {
      await api.issueWorklogs.updateWorklog({
        issueIdOrKey: key,
        id,
        notifyUsers: false,
        body: { comment: asDocument(comment) } as never,
      });
    },

    async requestHistoryRedaction(items: readonly HistoryRedactionItem[]) {
      const body = (await api.issueRedaction.redact({
        redactions: items.map((item) => ({
          externalId: item.externalId,
          reason: item.reason,
          contentItem: { id: item.issueId, entityType: item.entityType, entityId: item.entityId },
          redactionPosition: {
            ...(item.adfPointer === undefined ? {} : { adfPointer: item.adfPointer }),
            expectedText: item.expectedText,
            from: item.from,
            to: item.to,
          },
        })),
      })) as unknown;
      // Documented as a bare JSON string (the job id); tolerate `{ jobId }` too.
      const jobId = typeof body === 'string' ? body : (body as { jobId?: unknown } | null)?.jobId;
      if (typeof jobId !== 'string' || jobId === '') {
        throw new JiraApiError('POST /rest/api/3/redact', 200, 'no job id in the answer');
      }
      return jobId;
    },

    async historyRedactionStatus(jobId) {
      return parseRedactionStatus(await api.issueRedaction.getRedactionStatus({ jobId }));
    },
  };
}

/** The cloud id of the configured site among those the OAuth token may reach (`/oauth/token/accessible-resources`). */
async function resolveCloudId(config: JiraConfig, fetchImpl: typeof fetch, token: string): Promise<string> {
  const label = 'GET https://api.atlassian.com/oauth/token/accessible-resources';
  let response: Response;
  try {
    response = await fetchImpl('https://api.atlassian.com/oauth/token/accessible-resources', {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(config.requestTimeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new JiraApiError(label, 0, (error as Error).name);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new JiraApiError(label, response.status);
  }
  const resources = (await response.json().catch(() => [])) as { id?: unknown; url?: unknown }[];
  const site = config.url.toLowerCase();
  const match = (Array.isArray(resources) ? resources : []).find(
    (r) => typeof r.url === 'string' && r.url.replace(/\/+$/, '').toLowerCase() === site,
  );
  if (typeof match?.id !== 'string') {
    throw new JiraApiError(label, response.status, `the token has no access to ${config.url}; set JIRA_CLOUD_ID`);
  }
  return match.id;
}
