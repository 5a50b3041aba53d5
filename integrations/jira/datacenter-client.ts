import type { HistoryRedactionItem, HistoryRedactionStatus, JiraClient, JiraComment, JiraText } from './jira-client.ts';
import {
  parseAttachment,
  parseChange,
  parseComment,
  parseField,
  parseIssue,
  parsePaged,
  parseUser,
  parseWorklog,
} from './jira-client.ts';
import type { JiraConfig } from './jira-config.ts';
import { JiraApiError } from './jira-errors.ts';
import { createJiraHttp, orNull } from './jira-http.ts';

const PAGE_SIZE = 100;

/**
 * Jira Data Center over REST v2 with plain `fetch`: bearer personal access
 * token (or basic auth), `startAt` paging, wiki-markup text. jira.js targets
 * Cloud only, and Data Center has neither `/search/jql` nor REST v3.
 */
export function createDataCenterClient(
  config: JiraConfig,
  options: { fetch?: typeof fetch; now?: () => number } = {},
): JiraClient {
  let authorization: string;
  if (config.auth.kind === 'pat') authorization = `Bearer ${config.auth.token.reveal()}`;
  else if (config.auth.kind === 'basic')
    authorization = `Basic ${Buffer.from(`${config.auth.email}:${config.auth.apiToken.reveal()}`).toString('base64')}`;
  else throw new Error('Jira Data Center needs JIRA_PAT (or JIRA_EMAIL + JIRA_API_TOKEN)');
  const http = createJiraHttp({ baseUrl: config.url, authorization, config, ...options });
  const issuePath = (key: string) => `/rest/api/2/issue/${encodeURIComponent(key)}`;

  return {
    deployment: 'datacenter',
    siteUrl: config.url,

    async search(jql, fields, pageToken, pageSize = PAGE_SIZE) {
      const startAt = pageToken === undefined ? 0 : Number(pageToken);
      const body = (await http.json('/rest/api/2/search', {
        method: 'POST',
        body: { jql, startAt, maxResults: pageSize, fields, expand: ['changelog'] },
      })) as { issues?: unknown[]; total?: number } | undefined;
      const raw = Array.isArray(body?.issues) ? body.issues : [];
      const issues = raw.map(parseIssue).filter((i) => i !== undefined);
      const next = startAt + raw.length;
      const total = typeof body?.total === 'number' ? body.total : next;
      return raw.length > 0 && next < total ? { issues, nextPageToken: String(next) } : { issues };
    },

    async getIssue(key, fields) {
      const body = await orNull(
        http.json(issuePath(key), { query: { fields: fields.join(','), expand: 'changelog' } }),
      );
      return body === null ? null : (parseIssue(body) ?? null);
    },

    async listComments(key, startAt) {
      const body = await http.json(`${issuePath(key)}/comment`, {
        query: { startAt, maxResults: PAGE_SIZE, orderBy: 'created' },
      });
      return parsePaged(body, 'comments', parseComment);
    },

    async getComment(key, id) {
      const body = await orNull(http.json(`${issuePath(key)}/comment/${encodeURIComponent(id)}`));
      return body === null ? null : (parseComment(body) ?? null);
    },

    async listWorklogs(key, startAt) {
      const body = await http.json(`${issuePath(key)}/worklog`, { query: { startAt, maxResults: PAGE_SIZE } });
      return parsePaged(body, 'worklogs', parseWorklog);
    },

    async getWorklog(key, id) {
      const body = await orNull(http.json(`${issuePath(key)}/worklog/${encodeURIComponent(id)}`));
      return body === null ? null : (parseWorklog(body) ?? null);
    },

    async listChanges(key) {
      // Data Center returns the whole changelog with the issue; there is no paged changelog resource.
      const body = (await http.json(issuePath(key), { query: { fields: 'updated', expand: 'changelog' } })) as
        { changelog?: unknown } | undefined;
      return parsePaged(body?.changelog, 'histories', parseChange);
    },

    async getAttachment(id) {
      const body = await orNull(http.json(`/rest/api/2/attachment/${encodeURIComponent(id)}`));
      return body === null ? null : (parseAttachment(body) ?? null);
    },

    async readAttachment(attachment, maxBytes) {
      if (attachment.contentUrl === undefined) {
        throw new JiraApiError(`GET attachment ${attachment.id}`, 0, 'no content URL');
      }
      return http.bytes(attachment.contentUrl, maxBytes);
    },

    async listFields() {
      const body = await http.json('/rest/api/2/field');
      return (Array.isArray(body) ? body : []).map(parseField).filter((f) => f !== undefined);
    },

    async listProjectKeys() {
      const body = await http.json('/rest/api/2/project');
      return (Array.isArray(body) ? (body as { key?: unknown }[]) : [])
        .map((p) => p?.key)
        .filter((k): k is string => typeof k === 'string');
    },

    async myTimeZone() {
      const body = (await http.json('/rest/api/2/myself')) as { timeZone?: unknown } | undefined;
      return typeof body?.timeZone === 'string' ? body.timeZone : undefined;
    },

    async getUser(id) {
      const body = await orNull(http.json('/rest/api/2/user', { query: { key: id } }));
      return body === null ? null : (parseUser(body) ?? null);
    },

    async updateIssueField(key, fieldId, value: JiraText) {
      await http.json(issuePath(key), {
        method: 'PUT',
        query: { notifyUsers: false },
        body: { fields: { [fieldId]: value } },
      });
    },

    async updateComment(key, comment: JiraComment, body: JiraText) {
      await http.json(`${issuePath(key)}/comment/${encodeURIComponent(comment.id)}`, {
        method: 'PUT',
        query: { notifyUsers: false },
        body: comment.visibility === undefined ? { body } : { body, visibility: comment.visibility },
      });
    },

    async updateWorklog(key, id, comment) {
      await http.json(`${issuePath(key)}/worklog/${encodeURIComponent(id)}`, {
        method: 'PUT',
        query: { notifyUsers: false },
        body: { comment },
      });
    },

    async requestHistoryRedaction(_items: readonly HistoryRedactionItem[]): Promise<string> {
      throw new JiraApiError('POST /rest/api/3/redact', 0, 'history redaction is a Jira Cloud feature');
    },

    async historyRedactionStatus(_jobId: string): Promise<HistoryRedactionStatus> {
      throw new JiraApiError('GET /rest/api/3/redact/status', 0, 'history redaction is a Jira Cloud feature');
    },
  };
}
