import { parseIssue, type JiraIssue } from './jira-client.ts';
import { customFieldText, issueDocuments } from './issue-documents.ts';
import { parseJiraItem } from './jira-items.ts';

/** One text-bearing part of an exported issue, ready to scan as `plain` text. */
export interface JiraExportDocument {
  /** Issue key, e.g. `OPS-7`. */
  issue: string;
  /** `summary`, `description`, `environment`, `customfield_10010`, `comment-10001`, `worklog-10100`. */
  field: string;
  /** Browse link, when the export names its site (the issues' `self` URLs). */
  url?: string;
  text: string;
}

type RawIssue = { key: string; fields: Record<string, unknown> } & Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isRawIssue(value: unknown): value is RawIssue {
  return isObject(value) && typeof value.key === 'string' && value.key !== '' && isObject(value.fields);
}

/**
 * The issues of a Jira export, when `text` is one: a REST search result
 * (`{ "issues": [...] }`, v2 or v3) or a bare array of issues, every element
 * an object with a `key` and `fields`. Anything else (other JSON, invalid
 * JSON, an empty list) is `undefined`, so the caller scans it as plain text.
 */
function exportedIssues(text: string): { issues: RawIssue[]; names: Record<string, unknown> } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.issues) ? value.issues : undefined;
  if (!list || list.length === 0 || !list.every(isRawIssue)) return undefined;
  const names = isObject(value) && isObject(value.names) ? value.names : {};
  return { issues: list, names };
}

/** `https://acme.atlassian.net` from the issue's `self` (`…/rest/api/2/issue/10001`), if it has one. */
function siteOf(issue: RawIssue): URL | undefined {
  if (typeof issue.self !== 'string') return undefined;
  const at = issue.self.indexOf('/rest/api/');
  if (at < 0) return undefined;
  try {
    const url = new URL(issue.self.slice(0, at));
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a Jira JSON export offline and returns every text `leakwatch scan`
 * should look at: summary, description, environment, text custom fields
 * (string or ADF; names from the search's `names` expansion when present),
 * the comments and worklogs that came inline. ADF is joined exactly as the
 * live integration joins it (`issueDocuments`), so offsets agree with what
 * the redactor would later see. `undefined` when `text` is not such an export.
 */
export function readJiraExport(text: string): JiraExportDocument[] | undefined {
  const exported = exportedIssues(text);
  if (!exported) return undefined;
  const docs: JiraExportDocument[] = [];
  for (const raw of exported.issues) {
    // Exports made with `fields=` lists may lack the numeric id; the key identifies the issue just as well here.
    const issue: JiraIssue | undefined = parseIssue({ id: raw.key, ...raw });
    if (!issue) continue;
    const site = siteOf(raw);
    const customTextFields = new Map<string, string>();
    for (const [fieldId, value] of Object.entries(issue.fields)) {
      if (!fieldId.startsWith('customfield_') || customFieldText(value) === undefined) continue;
      const name = exported.names[fieldId];
      customTextFields.set(fieldId, typeof name === 'string' ? name : fieldId);
    }
    const content = {
      issue,
      comments: issue.comments?.values ?? [],
      worklogs: issue.worklogs?.values ?? [],
      attachments: [],
      changes: issue.changes?.values ?? [],
    };
    const ctx = { site: site?.host ?? 'jira-export', siteUrl: site?.origin ?? '', customTextFields };
    for (const doc of issueDocuments(content, ctx)) {
      if (doc.text.trim() === '') continue;
      const item = parseJiraItem(doc.ref.item);
      const field = !item ? doc.ref.item : item.kind === 'field' ? item.fieldId : `${item.kind}-${item.id}`;
      docs.push({ issue: issue.key, field, ...(site && doc.ref.url ? { url: doc.ref.url } : {}), text: doc.text });
    }
  }
  return docs;
}
