import { invalidArchive, openArchive, readZipEntry, unsafeEntryName, type ZipBudget } from '../safe-zip.ts';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { DocumentRef } from '../../src/core/document.ts';
import { LeakwatchError } from '../../src/core/errors.ts';
import type { InboundDocument } from '../../src/core/integration.ts';
import type { Match } from '../../src/core/match.ts';
import type { Scanner } from '../../src/detection/scanner.ts';
import { isScannableMessage, messageDocument, tsToIso, type SlackMessage } from './message-events.ts';

export interface SlackExportOptions {
  /** `https://acme.slack.com/`: exports do not name their workspace's address, so permalinks need it. */
  workspaceUrl?: string;
  /** Workspace (team id) for the references; default: the `team_id` in users.json, else `slack-export`. */
  workspace?: string;
  /** Most entries the archive may list (default 200,000). */
  maxEntries?: number;
  /** Largest uncompressed entry read (default 64 MiB). */
  maxEntryBytes?: number;
  /** Most uncompressed bytes read from the whole archive (default 4 GiB). */
  maxTotalBytes?: number;
}

/** One message of an export, ready to scan, with where it was posted. */
export interface SlackExportDocument extends InboundDocument {
  format: 'slack';
  channelName: string;
  ts: string;
  permalink?: string;
}

const DEFAULTS = {
  maxEntries: 200_000,
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
};

/** channels.json (public), groups.json (private), mpims.json and dms.json list the conversations. */
const CONVERSATION_FILES = ['channels.json', 'groups.json', 'mpims.json', 'dms.json'];
const DAY_FILE = /^([^/]+)\/(\d{4}-\d{2}-\d{2})\.json$/;

async function readJson(zip: ZipFile, entry: Entry, name: string, budget: ZipBudget): Promise<unknown> {
  const bytes = await readZipEntry(zip, entry, name, budget);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidArchive(budget.zipPath, `entry ${JSON.stringify(name)} is not valid JSON`);
  }
}

interface Conversation {
  id: string;
  name: string;
}

/**
 * Reads a Slack workspace export (Settings → Import/Export) without
 * unpacking it: the conversation lists, users.json, then every
 * `<channel>/YYYY-MM-DD.json`, yielding one document per message with its
 * channel, ts and (given `workspaceUrl`) permalink. Thread replies are
 * messages of their day file and link to their thread.
 *
 * Refuses archives that could hurt the reader: entry paths that are absolute
 * or contain `..`, more entries than `maxEntries`, an entry or a total that
 * inflates past its byte limit (checked on the inflated bytes, not only the
 * headers). Errors are `LeakwatchError`s that name the archive and the entry.
 *
 * @example
 *   for await (const doc of readSlackExport('export.zip', { workspaceUrl: 'https://acme.slack.com/' })) {
 *     scanner.scan(doc.text, { format: doc.format });
 *   }
 */
export async function* readSlackExport(
  zipPath: string,
  options: SlackExportOptions = {},
): AsyncGenerator<SlackExportDocument> {
  const limits = { ...DEFAULTS, ...options };
  const zip = await openArchive(zipPath);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw invalidArchive(
        zipPath,
        `the archive lists ${zip.entryCount} entries, more than the limit of ${limits.maxEntries}`,
      );
    }
    const budget: ZipBudget = {
      zipPath,
      maxEntryBytes: limits.maxEntryBytes,
      maxTotalBytes: limits.maxTotalBytes,
      read: 0,
    };

    const entries = new Map<string, Entry>();
    try {
      for await (const entry of zip.eachEntry()) {
        const name = Buffer.from(entry.fileName as unknown as Uint8Array).toString('utf8');
        if (unsafeEntryName(name)) {
          throw invalidArchive(zipPath, `unsafe entry path ${JSON.stringify(name)} (absolute, "..", or backslash)`);
        }
        if (!name.endsWith('/')) entries.set(name, entry);
      }
    } catch (error) {
      if (error instanceof LeakwatchError) throw error;
      throw invalidArchive(zipPath, `damaged zip archive (${(error as Error).message})`);
    }

    // Some tools wrap the export in one top-level folder.
    const channelsEntry = [...entries.keys()].find((n) => n === 'channels.json' || /^[^/]+\/channels\.json$/.test(n));
    const prefix = channelsEntry?.includes('/') ? channelsEntry.slice(0, channelsEntry.indexOf('/') + 1) : '';
    const at = (name: string) => entries.get(prefix + name);

    const byFolder = new Map<string, Conversation>();
    for (const file of CONVERSATION_FILES) {
      const entry = at(file);
      if (!entry) continue;
      const list = await readJson(zip, entry, prefix + file, budget);
      if (!Array.isArray(list)) throw invalidArchive(zipPath, `${prefix + file} is not a list of conversations`);
      for (const c of list as Array<{ id?: unknown; name?: unknown }>) {
        if (typeof c?.id !== 'string') continue;
        const name = typeof c.name === 'string' ? c.name : c.id;
        // Channel folders are named after the channel; DM folders after their id.
        byFolder.set(name, { id: c.id, name });
        if (name !== c.id) byFolder.set(c.id, { id: c.id, name });
      }
    }

    let workspace = options.workspace;
    const userNames = new Map<string, string>();
    const usersEntry = at('users.json');
    if (usersEntry) {
      const users = await readJson(zip, usersEntry, `${prefix}users.json`, budget);
      if (Array.isArray(users)) {
        for (const u of users as Array<Record<string, unknown>>) {
          if (typeof u?.id !== 'string') continue;
          const name = (u.real_name ?? u.name) as unknown;
          if (typeof name === 'string') userNames.set(u.id, name);
          if (!workspace && typeof u.team_id === 'string') workspace = u.team_id;
        }
      }
    }
    workspace ??= 'slack-export';

    const days = [...entries.keys()]
      .filter((n) => n.startsWith(prefix))
      .map((n) => ({ name: n, match: DAY_FILE.exec(n.slice(prefix.length)) }))
      .filter((d): d is { name: string; match: RegExpExecArray } => d.match !== null)
      .sort((a, b) => a.name.localeCompare(b.name));

    for (const day of days) {
      const folder = day.match[1]!;
      const conversation = byFolder.get(folder) ?? { id: folder, name: folder };
      const messages = await readJson(zip, entries.get(day.name)!, day.name, budget);
      if (!Array.isArray(messages)) throw invalidArchive(zipPath, `${day.name} is not a list of messages`);
      for (const message of messages as SlackMessage[]) {
        if (!message || typeof message !== 'object' || !isScannableMessage(message)) continue;
        const doc = messageDocument(message, {
          teamId: workspace,
          channelId: conversation.id,
          workspaceUrl: options.workspaceUrl,
        });
        if (!doc || doc.text.trim() === '') continue;
        const ref: DocumentRef = doc.ref;
        const author = message.user ? userNames.get(message.user) : undefined;
        if (ref.author && author) ref.author.name = author;
        yield {
          ref,
          text: doc.text,
          format: 'slack',
          channelName: conversation.name,
          ts: ref.item,
          ...(ref.url ? { permalink: ref.url } : {}),
        };
      }
    }
  } finally {
    zip.close();
  }
}

/** A finding in an export, located by channel, time and permalink. */
export interface SlackExportFinding {
  channelName: string;
  channelId: string;
  ts: string;
  /** ISO-8601 time of the message. */
  time?: string;
  permalink?: string;
  /** Slack user id of the author. */
  author?: string;
  authorName?: string;
  match: Match;
}

/**
 * What `leakwatch scan` runs for a `.zip` that is a Slack export: every
 * message through the scanner, one finding per match, in channel/day order.
 */
export async function* scanSlackExport(
  zipPath: string,
  scanner: Scanner,
  options: SlackExportOptions = {},
): AsyncGenerator<SlackExportFinding> {
  for await (const doc of readSlackExport(zipPath, options)) {
    for (const match of scanner.scan(doc.text, { format: doc.format })) {
      const finding: SlackExportFinding = {
        channelName: doc.channelName,
        channelId: doc.ref.container,
        ts: doc.ts,
        match,
      };
      const time = tsToIso(doc.ts);
      if (time) finding.time = time;
      if (doc.permalink) finding.permalink = doc.permalink;
      if (doc.ref.author?.id) finding.author = doc.ref.author.id;
      if (doc.ref.author?.name) finding.authorName = doc.ref.author.name;
      yield finding;
    }
  }
}

/**
 * True when a zip looks like a Slack export (a conversation list or a
 * `<channel>/YYYY-MM-DD.json`), so `leakwatch scan` can tell it from other
 * archives. Reads only the central directory.
 */
export async function isSlackExport(zipPath: string): Promise<boolean> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { autoClose: false, decodeStrings: false });
  } catch {
    return false;
  }
  try {
    let seen = 0;
    for await (const entry of zip.eachEntry()) {
      const name = Buffer.from(entry.fileName as unknown as Uint8Array).toString('utf8');
      const parts = name.split('/');
      if (parts.length <= 2 && CONVERSATION_FILES.includes(parts[parts.length - 1]!)) return true;
      if (DAY_FILE.test(name)) return true;
      if (++seen > 10_000) return false;
    }
    return false;
  } catch {
    return false;
  } finally {
    zip.close();
  }
}
