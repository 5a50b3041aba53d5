import type { JiraDeployment } from './jira-config.ts';

/** A Jira user as an item names them: `id` is the Cloud accountId or the Data Center user key. */
export interface JiraUserRef {
  id: string;
  email?: string;
  name?: string;
}

/**
 * Rich text as Jira stores it: an ADF document (Cloud REST v3: description,
 * comments, multi-line custom fields) or a string (summary, single-line fields,
 * everything on Data Center, where it is wiki markup).
 */
export type JiraText = string | Record<string, unknown> | null;

export interface JiraComment {
  id: string;
  body: JiraText;
  author?: JiraUserRef;
  /** Who last edited it: the author of the current text. */
  updateAuthor?: JiraUserRef;
  created?: string;
  updated?: string;
  /** Kept as read, so an edit does not widen a restricted comment. */
  visibility?: unknown;
}

export interface JiraWorklog {
  id: string;
  comment: JiraText;
  author?: JiraUserRef;
  updateAuthor?: JiraUserRef;
  created?: string;
  updated?: string;
}

export interface JiraAttachment {
  id: string;
  filename: string;
  mimeType?: string;
  size?: number;
  created?: string;
  author?: JiraUserRef;
  /** Download URL as Jira gives it (Data Center downloads from it; Cloud by attachment id). */
  contentUrl?: string;
}

/** One changelog entry: who changed which fields (ids, or names for fields without one) and when. */
export interface JiraChange {
  created: string;
  author?: JiraUserRef;
  fields: string[];
}

/** An offset-paged list as Jira returns it (`startAt`, `maxResults`, `total`). */
export interface Paged<T> {
  values: T[];
  startAt: number;
  total: number;
}

export interface JiraIssue {
  id: string;
  key: string;
  projectKey: string;
  /** Last change to the issue, as Jira formats it (`2026-01-05T10:00:00.000+0000`). */
  updated: string;
  created?: string;
  reporter?: JiraUserRef;
  creator?: JiraUserRef;
  /** Raw field values by field id (summary, description, environment, customfield_…). */
  fields: Record<string, unknown>;
  /** The comments that came inline with the issue (at most 20 on Cloud search) and the total. */
  comments: Paged<JiraComment> | undefined;
  worklogs: Paged<JiraWorklog> | undefined;
  attachments: JiraAttachment[];
  changes: Paged<JiraChange> | undefined;
}

export interface SearchPage {
  issues: JiraIssue[];
  /** Opaque: Cloud's `nextPageToken`, or the next `startAt` on Data Center. Absent on the last page. */
  nextPageToken?: string;
}

export interface JiraField {
  id: string;
  name: string;
  custom: boolean;
  /** `schema.type` (`string`, `option`, `array`, …). */
  schemaType?: string;
  /** `schema.custom`, e.g. `com.atlassian.jira.plugin.system.customfieldtypes:textarea`. */
  customType?: string;
}

export interface JiraUser {
  id: string;
  email?: string;
  displayName?: string;
  active: boolean;
}

/** One position Atlassian's redaction API should remove (Cloud, `POST /rest/api/3/redact`). */
export interface HistoryRedactionItem {
  externalId: string;
  issueId: string;
  entityType: 'issuefieldvalue' | 'issue-comment' | 'issue-worklog';
  /** Field id (`description`, `customfield_10010`), comment id or worklog id. */
  entityId: string;
  /** JSON pointer of the ADF text node; absent for plain-text fields. */
  adfPointer?: string;
  from: number;
  to: number;
  /** Base64 of the hex SHA-256 of the text being removed (Atlassian's check that the content did not move). */
  expectedText: string;
  reason: string;
}

export interface HistoryRedactionStatus {
  /** `PENDING`, `IN_PROGRESS` or `COMPLETED`. */
  jobStatus: string;
  results: { externalId: string; successful: boolean }[];
}

/**
 * The one seam between the Jira connector and the two products: the Cloud
 * client (jira.js, REST v3, ADF) and the Data Center client (fetch, REST v2,
 * wiki markup) both implement it. Every call has a timeout, is paced per
 * site, and throws `JiraRateLimitError` on 429/503 + Retry-After instead of
 * waiting, so background jobs can reschedule. Getters return `null` on 404.
 */
export interface JiraClient {
  readonly deployment: JiraDeployment;
  /** Site base URL for browse links (`https://acme.atlassian.net`). */
  readonly siteUrl: string;
  /** One page of issues with the given fields (Cloud: `/rest/api/3/search/jql`; DC: `/rest/api/2/search`). */
  search(jql: string, fields: readonly string[], pageToken?: string, pageSize?: number): Promise<SearchPage>;
  getIssue(key: string, fields: readonly string[]): Promise<JiraIssue | null>;
  listComments(key: string, startAt: number): Promise<Paged<JiraComment>>;
  getComment(key: string, id: string): Promise<JiraComment | null>;
  listWorklogs(key: string, startAt: number): Promise<Paged<JiraWorklog>>;
  getWorklog(key: string, id: string): Promise<JiraWorklog | null>;
  listChanges(key: string, startAt: number): Promise<Paged<JiraChange>>;
  getAttachment(id: string): Promise<JiraAttachment | null>;
  /** The first `maxBytes` bytes of an attachment (a `Range` request; longer answers are cut). */
  readAttachment(attachment: JiraAttachment, maxBytes: number): Promise<Uint8Array>;
  listFields(): Promise<JiraField[]>;
  /** Keys of every project the account can browse. */
  listProjectKeys(): Promise<string[]>;
  /** The signed-in account's time zone (JQL dates are read in it). */
  myTimeZone(): Promise<string | undefined>;
  getUser(id: string): Promise<JiraUser | null>;
  /** Sets one field, without notifying watchers where the account may suppress notifications. */
  updateIssueField(key: string, fieldId: string, value: JiraText): Promise<void>;
  updateComment(key: string, comment: JiraComment, body: JiraText): Promise<void>;
  updateWorklog(key: string, id: string, comment: JiraText): Promise<void>;
  /** Cloud only: submits a history redaction job and returns its id. */
  requestHistoryRedaction(items: readonly HistoryRedactionItem[]): Promise<string>;
  historyRedactionStatus(jobId: string): Promise<HistoryRedactionStatus>;
}

// ---- parsing the JSON both products return (lenient: unknown shapes become absent values) ----

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Cloud users carry `accountId`; Data Center users `key` (stable across renames) and `name`. */
export function parseUserRef(value: unknown): JiraUserRef | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.accountId) ?? str(value.key) ?? str(value.name);
  if (id === undefined) return undefined;
  const ref: JiraUserRef = { id };
  const email = str(value.emailAddress);
  if (email) ref.email = email;
  const name = str(value.displayName);
  if (name) ref.name = name;
  return ref;
}

export function parseText(value: unknown): JiraText {
  if (typeof value === 'string') return value;
  if (isObject(value)) return value;
  return null;
}

export function parseComment(value: unknown): JiraComment | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  if (id === undefined) return undefined;
  const comment: JiraComment = { id, body: parseText(value.body) };
  const author = parseUserRef(value.author);
  if (author) comment.author = author;
  const updateAuthor = parseUserRef(value.updateAuthor);
  if (updateAuthor) comment.updateAuthor = updateAuthor;
  if (str(value.created)) comment.created = str(value.created);
  if (str(value.updated)) comment.updated = str(value.updated);
  if (value.visibility !== undefined && value.visibility !== null) comment.visibility = value.visibility;
  return comment;
}

export function parseWorklog(value: unknown): JiraWorklog | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  if (id === undefined) return undefined;
  const worklog: JiraWorklog = { id, comment: parseText(value.comment) };
  const author = parseUserRef(value.author);
  if (author) worklog.author = author;
  const updateAuthor = parseUserRef(value.updateAuthor);
  if (updateAuthor) worklog.updateAuthor = updateAuthor;
  if (str(value.created)) worklog.created = str(value.created);
  if (str(value.updated)) worklog.updated = str(value.updated);
  return worklog;
}

export function parseAttachment(value: unknown): JiraAttachment | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  if (id === undefined) return undefined;
  const attachment: JiraAttachment = { id, filename: str(value.filename) ?? `attachment-${id}` };
  if (str(value.mimeType)) attachment.mimeType = str(value.mimeType);
  if (num(value.size) !== undefined) attachment.size = num(value.size);
  if (str(value.created)) attachment.created = str(value.created);
  const author = parseUserRef(value.author);
  if (author) attachment.author = author;
  if (str(value.content)) attachment.contentUrl = str(value.content);
  return attachment;
}

export function parseChange(value: unknown): JiraChange | undefined {
  if (!isObject(value)) return undefined;
  const created = str(value.created);
  if (created === undefined) return undefined;
  const items = Array.isArray(value.items) ? value.items : [];
  const fields = items
    .filter(isObject)
    .map((item) => str(item.fieldId) ?? str(item.field))
    .filter((f): f is string => f !== undefined);
  const change: JiraChange = { created, fields };
  const author = parseUserRef(value.author);
  if (author) change.author = author;
  return change;
}

/** An offset page: `{startAt, total, <listKey>: [...]}` (`comments`, `worklogs`, `histories`, `values`). */
export function parsePaged<T>(value: unknown, listKey: string, parse: (v: unknown) => T | undefined): Paged<T> {
  if (!isObject(value)) return { values: [], startAt: 0, total: 0 };
  const raw = Array.isArray(value[listKey]) ? (value[listKey] as unknown[]) : [];
  const values = raw.map(parse).filter((v): v is T => v !== undefined);
  const startAt = num(value.startAt) ?? 0;
  return { values, startAt, total: Math.max(num(value.total) ?? startAt + values.length, startAt + values.length) };
}

export function parseIssue(value: unknown): JiraIssue | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  const key = str(value.key);
  if (id === undefined || key === undefined) return undefined;
  const fields = isObject(value.fields) ? value.fields : {};
  const project = isObject(fields.project) ? str(fields.project.key) : undefined;
  const issue: JiraIssue = {
    id,
    key,
    projectKey: project ?? key.slice(0, key.lastIndexOf('-')),
    updated: str(fields.updated) ?? '',
    fields,
    comments: fields.comment === undefined ? undefined : parsePaged(fields.comment, 'comments', parseComment),
    worklogs: fields.worklog === undefined ? undefined : parsePaged(fields.worklog, 'worklogs', parseWorklog),
    attachments: Array.isArray(fields.attachment)
      ? fields.attachment.map(parseAttachment).filter((a): a is JiraAttachment => a !== undefined)
      : [],
    changes: value.changelog === undefined ? undefined : parsePaged(value.changelog, 'histories', parseChange),
  };
  if (str(fields.created)) issue.created = str(fields.created);
  const reporter = parseUserRef(fields.reporter);
  if (reporter) issue.reporter = reporter;
  const creator = parseUserRef(fields.creator);
  if (creator) issue.creator = creator;
  return issue;
}

export function parseField(value: unknown): JiraField | undefined {
  if (!isObject(value)) return undefined;
  const id = str(value.id);
  if (id === undefined) return undefined;
  const schema = isObject(value.schema) ? value.schema : {};
  const field: JiraField = { id, name: str(value.name) ?? id, custom: value.custom === true };
  if (str(schema.type)) field.schemaType = str(schema.type);
  if (str(schema.custom)) field.customType = str(schema.custom);
  return field;
}

export function parseUser(value: unknown): JiraUser | undefined {
  const ref = parseUserRef(value);
  if (!ref || !isObject(value)) return undefined;
  const user: JiraUser = { id: ref.id, active: value.active !== false };
  if (ref.email) user.email = ref.email;
  if (ref.name) user.displayName = ref.name;
  return user;
}

export function parseRedactionStatus(value: unknown): HistoryRedactionStatus {
  const body = isObject(value) ? value : {};
  const bulk = isObject(body.bulkRedactionResponse) ? body.bulkRedactionResponse : {};
  const results = (Array.isArray(bulk.results) ? bulk.results : []).filter(isObject).map((r) => ({
    externalId: str(r.externalId) ?? '',
    successful: r.successful === true,
  }));
  return { jobStatus: str(body.jobStatus) ?? 'UNKNOWN', results };
}
