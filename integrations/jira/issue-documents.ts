import type { DocumentAuthor, DocumentRef } from '../../src/core/document.ts';
import type { InboundDocument } from '../../src/core/integration.ts';
import { normalizeAdf } from '../../src/detection/normalize-adf.ts';
import type {
  JiraAttachment,
  JiraChange,
  JiraComment,
  JiraIssue,
  JiraText,
  JiraUserRef,
  JiraWorklog,
} from './jira-client.ts';
import { formatJiraItem, type JiraItem } from './jira-items.ts';

/** Fields every issue is scanned in, besides the site's text custom fields. */
export const STANDARD_TEXT_FIELDS = ['summary', 'description', 'environment'] as const;

/** Everything read for one issue: the complete comment and worklog lists and the attachments' text. */
export interface IssueContent {
  issue: JiraIssue;
  comments: JiraComment[];
  worklogs: JiraWorklog[];
  /** `text` is absent when the attachment was not read (binary, attachments off, or the download failed). */
  attachments: { attachment: JiraAttachment; text?: string }[];
  /** Changelog entries known for the issue, used to credit each field to whoever last changed it. */
  changes: JiraChange[];
}

export interface DocumentContext {
  /** Site host: the documents' `workspace`. */
  site: string;
  /** Site base URL for browse links. */
  siteUrl: string;
  /** Text custom fields (id → name) to scan besides the standard ones. */
  customTextFields: ReadonlyMap<string, string>;
}

/**
 * The plain text leakwatch scans for a Jira value: ADF (Cloud) joined by
 * `normalizeAdf`, so a token split across differently formatted text nodes is
 * whole again; wiki markup (Data Center) and plain strings as they are. The
 * redactor derives exactly the same text to map a finding back.
 */
export function jiraPlainText(value: JiraText | undefined): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return normalizeAdf(value).text;
}

/** Text of a custom field value: a string, an ADF document, or a URL object; other types are not text. */
export function customFieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'doc') {
    return normalizeAdf(value).text;
  }
  return undefined;
}

/** ISO-8601 for Jira's `2026-01-05T10:00:00.000+0000`, or undefined when unreadable. */
export function isoTime(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function author(user: JiraUserRef | undefined): DocumentAuthor | undefined {
  if (!user) return undefined;
  const out: DocumentAuthor = { id: user.id };
  if (user.email) out.email = user.email;
  if (user.name) out.name = user.name;
  return out;
}

/** Who last changed each field according to the changelog (by field id, or by name for fields without one). */
function lastChangers(changes: readonly JiraChange[]): Map<string, { at: number; user: JiraUserRef }> {
  const out = new Map<string, { at: number; user: JiraUserRef }>();
  for (const change of changes) {
    if (!change.author) continue;
    const at = Date.parse(change.created);
    if (!Number.isFinite(at)) continue;
    for (const field of change.fields) {
      const key = field.toLowerCase();
      const known = out.get(key);
      if (!known || known.at < at) out.set(key, { at, user: change.author });
    }
  }
  return out;
}

/**
 * One document per text-bearing part of an issue: summary, description,
 * environment and each text custom field (credited to whoever last changed
 * it, else the issue's creator), every comment and worklog (credited to the
 * last editor), every text attachment (its uploader). All are submitted as
 * format `plain`. Standard fields are emitted even when empty, so an edit that
 * removes a secret closes its occurrence.
 */
export function issueDocuments(content: IssueContent, ctx: DocumentContext): InboundDocument[] {
  const { issue } = content;
  const browse = `${ctx.siteUrl}/browse/${issue.key}`;
  const changers = lastChangers(content.changes);
  const fallbackAuthor = issue.creator ?? issue.reporter;
  const docs: InboundDocument[] = [];

  const ref = (item: JiraItem, fields: Partial<DocumentRef>): DocumentRef => {
    const out: DocumentRef = {
      platform: 'jira',
      workspace: ctx.site,
      container: issue.projectKey,
      item: formatJiraItem(item),
      url: browse,
      ...fields,
    };
    for (const k of Object.keys(out) as (keyof DocumentRef)[]) if (out[k] === undefined) delete out[k];
    return out;
  };

  const fieldDoc = (fieldId: string, fieldName: string | undefined, text: string) => {
    const changer =
      changers.get(fieldId.toLowerCase()) ?? (fieldName ? changers.get(fieldName.toLowerCase()) : undefined);
    docs.push({
      ref: ref(
        { key: issue.key, kind: 'field', fieldId },
        {
          version: issue.updated || undefined,
          author: author(changer?.user ?? fallbackAuthor),
          occurredAt: changer ? new Date(changer.at).toISOString() : isoTime(issue.updated),
        },
      ),
      text,
      format: 'plain',
    });
  };

  for (const fieldId of STANDARD_TEXT_FIELDS)
    fieldDoc(fieldId, fieldId, jiraPlainText(parseFieldValue(issue.fields[fieldId])));
  for (const [fieldId, name] of ctx.customTextFields) {
    const text = customFieldText(issue.fields[fieldId]);
    if (text !== undefined) fieldDoc(fieldId, name, text);
  }

  for (const comment of content.comments) {
    docs.push({
      ref: ref(
        { key: issue.key, kind: 'comment', id: comment.id },
        {
          url: `${browse}?focusedCommentId=${encodeURIComponent(comment.id)}`,
          version: comment.updated ?? comment.created,
          author: author(comment.updateAuthor ?? comment.author),
          occurredAt: isoTime(comment.updated ?? comment.created),
        },
      ),
      text: jiraPlainText(comment.body),
      format: 'plain',
    });
  }

  for (const worklog of content.worklogs) {
    docs.push({
      ref: ref(
        { key: issue.key, kind: 'worklog', id: worklog.id },
        {
          url: `${browse}?focusedWorklogId=${encodeURIComponent(worklog.id)}`,
          version: worklog.updated ?? worklog.created,
          author: author(worklog.updateAuthor ?? worklog.author),
          occurredAt: isoTime(worklog.updated ?? worklog.created),
        },
      ),
      text: jiraPlainText(worklog.comment),
      format: 'plain',
    });
  }

  for (const { attachment, text } of content.attachments) {
    if (text === undefined) continue;
    docs.push({
      ref: ref(
        { key: issue.key, kind: 'attachment', id: attachment.id },
        {
          version: attachment.created,
          author: author(attachment.author),
          occurredAt: isoTime(attachment.created),
        },
      ),
      text,
      format: 'plain',
    });
  }
  return docs;
}

/** Every item the issue holds right now (read or not): anything else with an open occurrence is gone. */
export function presentItems(content: IssueContent, ctx: DocumentContext): Set<string> {
  const key = content.issue.key;
  const items = new Set<string>();
  for (const fieldId of STANDARD_TEXT_FIELDS) items.add(formatJiraItem({ key, kind: 'field', fieldId }));
  for (const fieldId of ctx.customTextFields.keys()) {
    if (customFieldText(content.issue.fields[fieldId]) !== undefined) {
      items.add(formatJiraItem({ key, kind: 'field', fieldId }));
    }
  }
  for (const c of content.comments) items.add(formatJiraItem({ key, kind: 'comment', id: c.id }));
  for (const w of content.worklogs) items.add(formatJiraItem({ key, kind: 'worklog', id: w.id }));
  for (const { attachment } of content.attachments)
    items.add(formatJiraItem({ key, kind: 'attachment', id: attachment.id }));
  return items;
}

function parseFieldValue(value: unknown): JiraText {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  return null;
}
