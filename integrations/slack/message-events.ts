import type { WebClient } from '@slack/web-api';
import type { PgBoss } from 'pg-boss';
import type { DocumentRef } from '../../src/core/document.ts';
import type { DocumentSink, InboundDocument } from '../../src/core/integration.ts';
import type { Logger } from '../../src/logger.ts';
import { describeSlackError, retryAfterSeconds, slackErrorCode } from './slack-client.ts';
import type { SlackConfig } from './slack-config.ts';

/** The fields of a Slack message leakwatch reads (Events API, conversations.history and exports share them). */
export interface SlackMessage {
  type?: string;
  subtype?: string;
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  edited?: { user?: string; ts: string };
  attachments?: unknown[];
  blocks?: unknown[];
  reply_count?: number;
}

/** An Events API envelope (`type: event_callback`). */
export interface SlackEventEnvelope {
  type: 'event_callback';
  event_id: string;
  team_id?: string;
  event_time?: number;
  event: Record<string, unknown> & { type?: string };
}

/** Where a message lives, as far as its document reference needs it. */
export interface MessagePlace {
  teamId: string;
  channelId: string;
  /** `https://acme.slack.com/` (from auth.test), for permalinks; none when unknown. */
  workspaceUrl?: string;
}

/** Fetching and scanning a shared file is a job of its own, so the event is acknowledged at once. */
export const SLACK_FILE_QUEUE = 'slack-file';

export interface SlackFileJob {
  teamId: string;
  fileId: string;
  channelId?: string;
  userId?: string;
}

/** What one event becomes: documents to scan now, files to fetch in the background. */
export interface EventPlan {
  documents: InboundDocument[];
  files: SlackFileJob[];
}

/** Membership and housekeeping notices carry no user-written text worth a scan job. */
const IGNORED_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'group_join',
  'group_leave',
  'message_replied',
  'ekm_access_denied',
]);

const TS = /^\d{1,12}\.\d{1,9}$/;

/** Slack `ts` (`1700000000.123456`) as ISO-8601, or undefined when it is not one. */
export function tsToIso(ts: string | undefined): string | undefined {
  if (!ts || !TS.test(ts)) return undefined;
  return new Date(Math.round(Number(ts) * 1000)).toISOString();
}

/** `https://acme.slack.com/archives/C123/p1700000000123456`, with `?thread_ts=` for thread replies. */
export function permalink(workspaceUrl: string, channelId: string, ts: string, threadTs?: string): string {
  const base = `${workspaceUrl.endsWith('/') ? workspaceUrl : `${workspaceUrl}/`}archives/${channelId}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${channelId}` : base;
}

const MAX_DEPTH = 24;

/**
 * Block Kit text: rich-text sections are joined without separators (a token
 * can span neighbouring elements with different styles), other text objects
 * and link targets become their own lines.
 */
function collectBlockText(node: unknown, out: string[], depth = 0): void {
  if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectBlockText(item, out, depth + 1);
    return;
  }
  const n = node as Record<string, unknown>;
  if (
    (n.type === 'rich_text_section' || n.type === 'rich_text_preformatted' || n.type === 'rich_text_quote') &&
    Array.isArray(n.elements)
  ) {
    out.push(
      n.elements
        .map((e) => {
          const el = e as Record<string, unknown>;
          if (el.type === 'link') return `${typeof el.text === 'string' ? `${el.text} ` : ''}${String(el.url ?? '')}`;
          return typeof el.text === 'string' ? el.text : '';
        })
        .join(''),
    );
    return;
  }
  if (typeof n.text === 'string') out.push(n.text);
  if (typeof n.url === 'string') out.push(n.url);
  for (const value of Object.values(n)) if (value && typeof value === 'object') collectBlockText(value, out, depth + 1);
}

const ATTACHMENT_FIELDS = ['pretext', 'author_name', 'title', 'title_link', 'text', 'footer', 'fallback'] as const;

function collectAttachmentText(attachments: unknown[], out: string[]): void {
  for (const a of attachments) {
    if (!a || typeof a !== 'object') continue;
    const att = a as Record<string, unknown>;
    for (const field of ATTACHMENT_FIELDS) if (typeof att[field] === 'string') out.push(att[field]);
    if (Array.isArray(att.fields)) {
      for (const f of att.fields as Array<Record<string, unknown>>) {
        if (typeof f?.title === 'string') out.push(f.title);
        if (typeof f?.value === 'string') out.push(f.value);
      }
    }
    if (Array.isArray(att.blocks)) collectBlockText(att.blocks, out);
  }
}

/**
 * Everything a person can read in a message: its `text`, then attachment and
 * block text that the `text` does not already contain (clients send rich
 * text both ways), one part per line.
 */
export function messageText(message: SlackMessage): string {
  const main = message.text ?? '';
  const extra: string[] = [];
  if (Array.isArray(message.attachments)) collectAttachmentText(message.attachments, extra);
  if (Array.isArray(message.blocks)) collectBlockText(message.blocks, extra);
  const seen = new Set<string>();
  const parts = [main];
  for (const raw of extra) {
    const part = raw.trim();
    if (part === '' || seen.has(part) || main.includes(part)) continue;
    seen.add(part);
    parts.push(part);
  }
  return parts.join('\n').replace(/^\n+/, '');
}

/**
 * The document for one message: item = its ts (a thread reply keeps its own
 * ts, its permalink carries the thread), version = the edit's ts if edited.
 */
export function messageDocument(message: SlackMessage, place: MessagePlace): InboundDocument | undefined {
  const ts = message.ts;
  if (!ts || !TS.test(ts)) return undefined;
  const ref: DocumentRef = {
    platform: 'slack',
    workspace: place.teamId,
    container: place.channelId,
    item: ts,
    version: message.edited?.ts ?? ts,
    occurredAt: tsToIso(message.edited?.ts ?? ts),
  };
  if (place.workspaceUrl) ref.url = permalink(place.workspaceUrl, place.channelId, ts, message.thread_ts);
  if (message.user) ref.author = { id: message.user };
  return { ref, text: messageText(message), format: 'slack' };
}

/** True for messages that carry text people wrote (not joins, leaves, thread bookkeeping). */
export function isScannableMessage(message: SlackMessage): boolean {
  return !message.subtype || !IGNORED_SUBTYPES.has(message.subtype);
}

/**
 * Turns one Events API envelope into documents and file jobs:
 * - a new message or thread reply → its document (when it has any text);
 * - `message_changed` → the edited text under the same reference (an edit
 *   that removed the secret closes its occurrence);
 * - `message_deleted` → the same reference with empty text;
 * - `file_shared` (and `file_change`, an edited snippet) → a `slack-file` job
 *   that fetches the file if it is text.
 */
export function planSlackEvent(envelope: SlackEventEnvelope, workspaceUrl: string | undefined): EventPlan {
  const event = envelope.event;
  const teamId = envelope.team_id ?? (typeof event.team === 'string' ? event.team : undefined);
  const plan: EventPlan = { documents: [], files: [] };
  if (!teamId) return plan;

  if (event.type === 'file_shared' || event.type === 'file_change') {
    const fileId = typeof event.file_id === 'string' ? event.file_id : undefined;
    if (fileId) {
      const job: SlackFileJob = { teamId, fileId };
      if (typeof event.channel_id === 'string') job.channelId = event.channel_id;
      if (typeof event.user_id === 'string') job.userId = event.user_id;
      plan.files.push(job);
    }
    return plan;
  }
  if (event.type !== 'message' || typeof event.channel !== 'string') return plan;
  const place: MessagePlace = { teamId, channelId: event.channel, workspaceUrl };
  const message = event as SlackMessage;

  if (message.subtype === 'message_changed') {
    const edited = event.message as SlackMessage | undefined;
    const previous = event.previous_message as SlackMessage | undefined;
    // Slack also reports link unfurls and new thread replies as changes; unchanged text needs no new scan.
    if (edited && previous && messageText(edited) === messageText(previous)) return plan;
    const doc = edited ? messageDocument(edited, place) : undefined;
    if (doc) plan.documents.push(doc);
    return plan;
  }
  if (message.subtype === 'message_deleted') {
    const previous = (event.previous_message ?? {}) as SlackMessage;
    const deletedTs = typeof event.deleted_ts === 'string' ? event.deleted_ts : previous.ts;
    const doc = messageDocument({ ...previous, ts: deletedTs, edited: undefined }, place);
    if (doc) {
      doc.text = '';
      doc.ref.version = `deleted:${message.ts ?? deletedTs}`;
      doc.ref.occurredAt = tsToIso(message.ts) ?? doc.ref.occurredAt;
      plan.documents.push(doc);
    }
    return plan;
  }
  if (!isScannableMessage(message)) return plan;
  const doc = messageDocument(message, place);
  if (doc && doc.text.trim() !== '') {
    // A new message or reply (edits arrive as message_changed): nothing of it was recorded before.
    if (!message.edited) doc.firstVersion = true;
    plan.documents.push(doc);
  }
  return plan;
}

// ---------------------------------------------------------------------------
// Shared files

const TEXT_FILETYPES = new Set([
  'text',
  'txt',
  'env',
  'dotenv',
  'json',
  'yaml',
  'yml',
  'xml',
  'csv',
  'tsv',
  'ini',
  'toml',
  'properties',
  'log',
  'markdown',
  'md',
  'shell',
  'bash',
  'sh',
  'powershell',
  'javascript',
  'typescript',
  'python',
  'ruby',
  'go',
  'java',
  'kotlin',
  'php',
  'sql',
  'diff',
  'dockerfile',
  'terraform',
  'hcl',
  'groovy',
  'c',
  'cpp',
  'csharp',
  'rust',
  'swift',
  'perl',
  'lua',
  'html',
]);
const TEXT_NAME =
  /(^|[/.])env(\.[\w-]+)?$|\.(txt|env|json|ya?ml|log|xml|csv|tsv|ini|cfg|conf|toml|properties|md|sh|bash|ps1|tf|tfvars|hcl|pem|key|sql|js|ts|py|rb|go|java|kt|php|gradle|npmrc|netrc|pypirc|htpasswd)$/i;
const TEXT_MIME =
  /^(text\/|application\/(json|xml|x-yaml|yaml|toml|javascript|x-sh|x-shellscript|x-sql|x-pem-file|x-ndjson|ld\+json))/i;

export interface SlackFileInfo {
  id: string;
  name?: string;
  mimetype?: string;
  filetype?: string;
  mode?: string;
  size?: number;
  user?: string;
  created?: number;
  timestamp?: number;
  updated?: number;
  is_external?: boolean;
  url_private?: string;
  url_private_download?: string;
  permalink?: string;
  channels?: string[];
  groups?: string[];
  ims?: string[];
}

/** Snippets, .env, .txt, .json, .yaml, logs, source files: text a person may have pasted a token into. */
export function isTextLikeFile(file: SlackFileInfo): boolean {
  if (file.is_external) return false;
  if (file.mode === 'snippet') return true;
  if (file.filetype && TEXT_FILETYPES.has(file.filetype.toLowerCase())) return true;
  if (file.mimetype && TEXT_MIME.test(file.mimetype)) return true;
  return file.name !== undefined && TEXT_NAME.test(file.name);
}

/**
 * The bot token is only ever sent to Slack's own file hosts (or the host of the
 * configured API URL, for a proxy or a local fake), whatever a response says.
 */
export function isSlackFileHost(url: string, apiUrl: string): boolean {
  if (!URL.canParse(url)) return false;
  const target = new URL(url);
  const api = new URL(apiUrl);
  if (target.host === api.host && target.protocol === api.protocol) return true;
  if (target.protocol !== 'https:') return false;
  const host = target.hostname.toLowerCase();
  return host === 'slack.com' || host.endsWith('.slack.com') || host.endsWith('.slack-gov.com');
}

export interface SlackFileDeps {
  config: SlackConfig;
  bot: WebClient;
  boss: PgBoss;
  sink: DocumentSink;
  logger: Logger;
  /** Defaults to the global fetch (tests intercept it with msw). */
  fetch?: typeof fetch;
}

export type FileJobOutcome =
  | { status: 'scanned'; bytes: number; truncated: boolean }
  | { status: 'skipped'; reason: string }
  | { status: 'rescheduled'; retryAfterSeconds: number };

const DOWNLOAD_TIMEOUT_MS = 30_000;
const BINARY_SNIFF_BYTES = 8000;

function parseFileJob(data: unknown): SlackFileJob {
  const d = data as Partial<SlackFileJob> | null;
  if (!d || typeof d.fileId !== 'string' || typeof d.teamId !== 'string') {
    throw new Error('slack-file job needs { teamId, fileId }');
  }
  return d as SlackFileJob;
}

function retryAfterHeader(response: Response): number {
  const seconds = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 60;
}

/** Reads at most `maxBytes` of the body, then stops the download. */
async function readCapped(response: Response, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let truncated = false;
  const reader = response.body?.getReader();
  if (!reader) return { bytes: new Uint8Array(0), truncated: false };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - total;
    if (value.byteLength >= room) {
      chunks.push(value.subarray(0, room));
      total += room;
      truncated = value.byteLength > room;
      if (!truncated) {
        const next = await reader.read();
        truncated = !next.done;
      }
      if (truncated) await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    total += value.byteLength;
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { bytes, truncated };
}

/**
 * `slack-file` job: asks `files.info`, and for a text-like file downloads at
 * most `maxFileBytes` of `url_private` with the bot token (`files:read`) and
 * submits it for scanning as `file:<id>` in the channel it was shared to.
 * Over-size files are scanned up to the cap (the rest is not fetched). A 429
 * reschedules the job after Retry-After instead of waiting.
 */
export async function handleSlackFileJob(deps: SlackFileDeps, data: unknown): Promise<FileJobOutcome> {
  const job = parseFileJob(data);
  const reschedule = async (seconds: number): Promise<FileJobOutcome> => {
    await deps.boss.send(SLACK_FILE_QUEUE, job, { startAfter: seconds });
    deps.logger.info({ fileId: job.fileId, retryAfterSeconds: seconds }, 'Slack rate limit: file fetch rescheduled');
    return { status: 'rescheduled', retryAfterSeconds: seconds };
  };

  let file: SlackFileInfo;
  try {
    const info = await deps.bot.files.info({ file: job.fileId, limit: 1 });
    file = info.file as SlackFileInfo;
  } catch (error) {
    const wait = retryAfterSeconds(error);
    if (wait !== undefined) return reschedule(wait);
    const code = slackErrorCode(error);
    if (code === 'file_not_found' || code === 'file_deleted' || code === 'access_denied') {
      return { status: 'skipped', reason: `files.info: ${code}` };
    }
    throw new Error(`files.info failed: ${describeSlackError(error)}`, { cause: error });
  }
  if (!isTextLikeFile(file)) return { status: 'skipped', reason: 'not a text file' };
  const url = file.url_private_download ?? file.url_private;
  if (!url || !isSlackFileHost(url, deps.config.apiUrl)) {
    deps.logger.warn({ fileId: file.id }, 'Slack file URL is not on a Slack host; not sending the bot token there');
    return { status: 'skipped', reason: 'file URL not on a Slack host' };
  }

  const response = await (deps.fetch ?? fetch)(url, {
    headers: { authorization: `Bearer ${deps.config.botToken}` },
    signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
  });
  if (response.status === 429) {
    await response.body?.cancel().catch(() => {});
    return reschedule(retryAfterHeader(response));
  }
  if (response.status === 404 || response.status === 410) {
    await response.body?.cancel().catch(() => {});
    return { status: 'skipped', reason: `file download answered HTTP ${response.status}` };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new Error(`file download answered HTTP ${response.status}`);
  }
  // Without files:read Slack answers a file URL with its sign-in page, not an error.
  const contentType = response.headers.get('content-type') ?? '';
  if (/text\/html/i.test(contentType) && file.filetype !== 'html') {
    await response.body?.cancel().catch(() => {});
    deps.logger.warn(
      { fileId: file.id },
      'Slack returned a web page instead of the file: is the files:read scope granted?',
    );
    return { status: 'skipped', reason: 'Slack returned a web page instead of the file' };
  }
  const { bytes, truncated } = await readCapped(response, deps.config.maxFileBytes);
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { status: 'skipped', reason: 'binary content' };

  const channelId = job.channelId ?? file.channels?.[0] ?? file.groups?.[0] ?? file.ims?.[0];
  if (!channelId) return { status: 'skipped', reason: 'file is not shared in any conversation' };
  const created = file.updated ?? file.timestamp ?? file.created;
  const ref: DocumentRef = {
    platform: 'slack',
    workspace: job.teamId,
    container: channelId,
    item: `file:${file.id}`,
    version: created !== undefined ? String(created) : undefined,
    occurredAt: created !== undefined ? new Date(created * 1000).toISOString() : undefined,
  };
  if (file.permalink) ref.url = file.permalink;
  const author = file.user ?? job.userId;
  if (author) ref.author = { id: author };
  await deps.sink.submit([{ ref, text: new TextDecoder('utf-8').decode(bytes), format: 'plain' }]);
  if (truncated) {
    deps.logger.info(
      { fileId: file.id, scannedBytes: bytes.byteLength },
      'Slack file larger than SLACK_MAX_FILE_BYTES: only its beginning was scanned',
    );
  }
  return { status: 'scanned', bytes: bytes.byteLength, truncated };
}
