import type { Kysely } from 'kysely';
import type { InboundDocument } from '../../src/core/integration.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Logger } from '../../src/logger.ts';
import type {
  JiraAttachment,
  JiraChange,
  JiraClient,
  JiraComment,
  JiraIssue,
  JiraWorklog,
  Paged,
} from './jira-client.ts';
import { JiraRateLimitError } from './jira-errors.ts';
import {
  customFieldText,
  issueDocuments,
  presentItems,
  STANDARD_TEXT_FIELDS,
  type DocumentContext,
  type IssueContent,
} from './issue-documents.ts';

const FIELD_CATALOG_TTL_MS = 3_600_000;
/** Enough changelog pages to credit fields on busy issues without reading years of history. */
const MAX_CHANGELOG_PAGES = 5;
const BINARY_SNIFF_BYTES = 8192;

const TEXT_MIME =
  /^(text\/|application\/(json|xml|javascript|x-yaml|yaml|toml|x-sh|x-shellscript|x-httpd-php|sql|x-ndjson|x-pem-file|x-properties|x-python|x-ruby|graphql|ld\+json)\b)|[+/](json|xml|yaml)$/i;
const TEXT_EXTENSIONS = new Set(
  (
    'txt log md csv tsv json jsonl ndjson yaml yml xml toml ini cfg conf config env properties sh bash zsh ps1 bat cmd ' +
    'py rb js mjs cjs ts go java kt cs php pl sql tf tfvars hcl gradle npmrc pypirc netrc pem key crt cer pub har http ' +
    'dockerfile gitconfig htaccess'
  ).split(' '),
);

export interface IssueReader {
  /** Fields to ask search/getIssue for: the standard ones, comments, worklogs, attachments and text custom fields. */
  searchFields(): Promise<string[]>;
  /**
   * Reads what search did not return (comments past the inline 20, worklogs,
   * text attachments, older changelog pages) and turns the issue into
   * documents, plus an empty document for each item that still has an open
   * occurrence but no longer exists (a deleted comment), so it is closed.
   * Rate limits propagate; other per-attachment failures are logged and skipped.
   */
  documentsFor(issue: JiraIssue): Promise<InboundDocument[]>;
  /** An empty document for every item of a deleted issue that still has an open occurrence. */
  documentsForDeletedIssue(key: string, projectKey: string): Promise<InboundDocument[]>;
  context(): Promise<DocumentContext>;
}

export interface IssueReaderOptions {
  client: JiraClient;
  db: Kysely<Database>;
  logger: Logger;
  site: string;
  maxAttachmentBytes: number;
  now?: () => number;
}

export function createIssueReader(options: IssueReaderOptions): IssueReader {
  const { client, db, logger, site } = options;
  const now = options.now ?? Date.now;
  let catalog: { at: number; fields: Map<string, string> } | undefined;

  async function customTextFields(): Promise<Map<string, string>> {
    if (catalog && now() - catalog.at < FIELD_CATALOG_TTL_MS) return catalog.fields;
    const fields = await client.listFields();
    const text = new Map<string, string>();
    for (const f of fields) if (f.custom && f.schemaType === 'string') text.set(f.id, f.name);
    catalog = { at: now(), fields: text };
    return text;
  }

  async function context(): Promise<DocumentContext> {
    return { site, siteUrl: client.siteUrl, customTextFields: await customTextFields() };
  }

  async function allComments(issue: JiraIssue): Promise<JiraComment[]> {
    const inline = issue.comments;
    if (inline && inline.startAt === 0 && inline.values.length >= inline.total) return inline.values;
    return pageAll((startAt) => client.listComments(issue.key, startAt));
  }

  async function allWorklogs(issue: JiraIssue): Promise<JiraWorklog[]> {
    const inline = issue.worklogs;
    if (inline && inline.startAt === 0 && inline.values.length >= inline.total) return inline.values;
    return pageAll((startAt) => client.listWorklogs(issue.key, startAt));
  }

  /**
   * The changelog entries needed to credit each non-empty field to whoever last changed it: the inline ones
   * (Cloud search returns the newest 20), then older pages, newest first, until every such field is credited
   * or the page budget is spent (a field never changed since creation is credited to the issue's creator).
   */
  async function changes(issue: JiraIssue, needed: readonly string[]): Promise<JiraChange[]> {
    const inline = issue.changes;
    if (inline && inline.values.length >= inline.total) return inline.values;
    const known = [...(inline?.values ?? [])];
    const credited = () => {
      const touched = new Set(known.flatMap((c) => c.fields.map((f) => f.toLowerCase())));
      return needed.every((f) => touched.has(f.toLowerCase()));
    };
    if (inline && credited()) return known;
    let page = await client.listChanges(issue.key, Math.max((inline?.total ?? 0) - 100, 0));
    if (inline === undefined && page.total > page.startAt + page.values.length) {
      // The total was unknown: the page just read was the oldest; start again from the newest.
      page = await client.listChanges(issue.key, Math.max(page.total - 100, 0));
    }
    known.push(...page.values);
    let startAt = page.startAt;
    for (let pages = 1; pages < MAX_CHANGELOG_PAGES && startAt > 0 && !credited(); pages++) {
      startAt = Math.max(startAt - 100, 0);
      known.push(...(await client.listChanges(issue.key, startAt)).values);
    }
    return known;
  }

  async function attachmentText(attachment: JiraAttachment, issueKey: string): Promise<string | undefined> {
    if (options.maxAttachmentBytes === 0 || !looksLikeText(attachment)) return undefined;
    try {
      const bytes = await client.readAttachment(attachment, options.maxAttachmentBytes);
      if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return undefined;
      return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    } catch (error) {
      if (error instanceof JiraRateLimitError) throw error;
      logger.warn({ issue: issueKey, attachment: attachment.id, err: error }, 'jira: could not read an attachment');
      return undefined;
    }
  }

  async function openItems(issue: Pick<JiraIssue, 'key' | 'projectKey'>): Promise<string[]> {
    const escaped = issue.key.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = await db
      .selectFrom('occurrences')
      .select('item')
      .distinct()
      .where('platform', '=', 'jira')
      .where('workspace', '=', site)
      .where('container', '=', issue.projectKey)
      .where('closed_at', 'is', null)
      .where((eb) => eb.or([eb('item', '=', issue.key), eb('item', 'like', `${escaped}#%`)]))
      .execute();
    return rows.map((r) => r.item);
  }

  return {
    async searchFields() {
      const custom = await customTextFields();
      return [
        ...STANDARD_TEXT_FIELDS,
        'comment',
        'worklog',
        'attachment',
        'updated',
        'created',
        'project',
        'reporter',
        'creator',
        ...custom.keys(),
      ];
    },

    context,

    async documentsFor(issue) {
      const ctx = await context();
      // Only fields with text need an author: that is where a secret can be.
      const scanned = [...STANDARD_TEXT_FIELDS, ...ctx.customTextFields.keys()].filter(
        (id) => (customFieldText(issue.fields[id]) ?? '') !== '',
      );
      const content: IssueContent = {
        issue,
        comments: await allComments(issue),
        worklogs: await allWorklogs(issue),
        attachments: [],
        changes: await changes(issue, scanned),
      };
      for (const attachment of issue.attachments) {
        const text = await attachmentText(attachment, issue.key);
        content.attachments.push(text === undefined ? { attachment } : { attachment, text });
      }
      const docs = issueDocuments(content, ctx);
      const present = presentItems(content, ctx);
      for (const item of await openItems(issue)) {
        if (!present.has(item)) docs.push(emptyDocument(issue.key, issue.projectKey, item));
      }
      return docs;
    },

    async documentsForDeletedIssue(key, projectKey) {
      return (await openItems({ key, projectKey })).map((item) => emptyDocument(key, projectKey, item));
    },
  };

  function emptyDocument(key: string, projectKey: string, item: string): InboundDocument {
    return {
      ref: { platform: 'jira', workspace: site, container: projectKey, item, url: `${client.siteUrl}/browse/${key}` },
      text: '',
      format: 'plain',
    };
  }
}

async function pageAll<T>(fetchPage: (startAt: number) => Promise<Paged<T>>): Promise<T[]> {
  const out: T[] = [];
  let startAt = 0;
  for (;;) {
    const page = await fetchPage(startAt);
    out.push(...page.values);
    startAt = page.startAt + page.values.length;
    // An empty page ends the walk even if `total` claims more (never loop forever on a miscounting server).
    if (page.values.length === 0 || startAt >= page.total) return out;
  }
}

function looksLikeText(attachment: JiraAttachment): boolean {
  if (attachment.mimeType && TEXT_MIME.test(attachment.mimeType)) return true;
  const name = attachment.filename.toLowerCase();
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1) : name;
  return TEXT_EXTENSIONS.has(ext) || name.startsWith('.env');
}
