import type { DocumentRef } from '../../src/core/document.ts';
import type { InboundDocument } from '../../src/core/integration.ts';
import type { TextFormat } from '../../src/detection/normalize.ts';
import { segment } from './graph-client.ts';

/** The parts of Graph's chatMessage leakwatch reads. */
export interface ChatMessage {
  id: string;
  replyToId?: string | null;
  etag?: string | null;
  messageType?: string | null;
  createdDateTime?: string | null;
  lastModifiedDateTime?: string | null;
  lastEditedDateTime?: string | null;
  deletedDateTime?: string | null;
  subject?: string | null;
  chatId?: string | null;
  webUrl?: string | null;
  from?: {
    user?: { id?: string | null; displayName?: string | null; userIdentityType?: string | null } | null;
    application?: { id?: string | null; displayName?: string | null } | null;
  } | null;
  body?: { contentType?: string | null; content?: string | null } | null;
  channelIdentity?: { teamId?: string | null; channelId?: string | null } | null;
  attachments?: ChatMessageAttachment[] | null;
  policyViolation?: { dlpAction?: string | null } | null;
  replies?: ChatMessage[] | null;
  'replies@odata.nextLink'?: string;
}

export interface ChatMessageAttachment {
  id?: string | null;
  contentType?: string | null;
  contentUrl?: string | null;
  content?: string | null;
  name?: string | null;
}

/** Where a message lives: a channel post or reply, or a chat message. */
export type MessageLocation =
  | { kind: 'channel'; teamId: string; channelId: string; messageId: string; parentId?: string }
  | { kind: 'chat'; chatId: string; messageId: string };

const ID = "'([^']+)'";
const RESOURCE_PATTERNS: Array<[RegExp, (m: RegExpExecArray) => MessageLocation]> = [
  [
    new RegExp(`^/?teams\\(${ID}\\)/channels\\(${ID}\\)/messages\\(${ID}\\)/replies\\(${ID}\\)$`),
    (m) => ({ kind: 'channel', teamId: m[1]!, channelId: m[2]!, parentId: m[3]!, messageId: m[4]! }),
  ],
  [
    new RegExp(`^/?teams\\(${ID}\\)/channels\\(${ID}\\)/messages\\(${ID}\\)$`),
    (m) => ({ kind: 'channel', teamId: m[1]!, channelId: m[2]!, messageId: m[3]! }),
  ],
  [
    new RegExp(`^/?(?:users\\(${ID}\\)/)?chats\\(${ID}\\)/messages\\(${ID}\\)$`),
    (m) => ({ kind: 'chat', chatId: m[2]!, messageId: m[3]! }),
  ],
  [
    /^\/?teams\/([^/]+)\/channels\/([^/]+)\/messages\/([^/]+)\/replies\/([^/]+)$/,
    (m) => ({ kind: 'channel', teamId: m[1]!, channelId: m[2]!, parentId: m[3]!, messageId: m[4]! }),
  ],
  [
    /^\/?teams\/([^/]+)\/channels\/([^/]+)\/messages\/([^/]+)$/,
    (m) => ({ kind: 'channel', teamId: m[1]!, channelId: m[2]!, messageId: m[3]! }),
  ],
  [
    /^\/?(?:users\/[^/]+\/)?chats\/([^/]+)\/messages\/([^/]+)$/,
    (m) => ({ kind: 'chat', chatId: m[1]!, messageId: m[2]! }),
  ],
];

function decoded(location: MessageLocation): MessageLocation {
  const d = (s: string) => decodeURIComponent(s);
  return location.kind === 'chat'
    ? { kind: 'chat', chatId: d(location.chatId), messageId: d(location.messageId) }
    : {
        kind: 'channel',
        teamId: d(location.teamId),
        channelId: d(location.channelId),
        messageId: d(location.messageId),
        ...(location.parentId ? { parentId: d(location.parentId) } : {}),
      };
}

/**
 * The message a change notification's `resource` names, e.g.
 * `teams('…')/channels('19:…')/messages('1612293113399')` or
 * `chats('19:…')/messages('…')`; `undefined` for anything else.
 */
export function parseResource(resource: string): MessageLocation | undefined {
  for (const [pattern, build] of RESOURCE_PATTERNS) {
    const match = pattern.exec(resource);
    if (match) {
      try {
        return decoded(build(match));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The Graph path of a message (relative to /v1.0). */
export function messagePath(location: MessageLocation): string {
  if (location.kind === 'chat') return `/chats/${segment(location.chatId)}/messages/${segment(location.messageId)}`;
  const channel = `/teams/${segment(location.teamId)}/channels/${segment(location.channelId)}/messages`;
  return location.parentId
    ? `${channel}/${segment(location.parentId)}/replies/${segment(location.messageId)}`
    : `${channel}/${segment(location.messageId)}`;
}

/** Where a message returned by a channel or chat listing lives. */
export function locationOf(message: ChatMessage, fallback: MessageLocation): MessageLocation {
  if (fallback.kind === 'chat')
    return { kind: 'chat', chatId: message.chatId ?? fallback.chatId, messageId: message.id };
  const teamId = message.channelIdentity?.teamId ?? fallback.teamId;
  const channelId = message.channelIdentity?.channelId ?? fallback.channelId;
  const parentId = message.replyToId && message.replyToId !== message.id ? message.replyToId : undefined;
  return { kind: 'channel', teamId, channelId, messageId: message.id, ...(parentId ? { parentId } : {}) };
}

/** `team:<teamId>/channel:<channelId>` or `chat:<chatId>`. */
export function containerOf(location: MessageLocation): string {
  return location.kind === 'chat' ? `chat:${location.chatId}` : `team:${location.teamId}/channel:${location.channelId}`;
}

/** The message id, or `<parent>/<reply>` for a channel reply. */
export function itemOf(location: MessageLocation): string {
  return location.kind === 'channel' && location.parentId
    ? `${location.parentId}/${location.messageId}`
    : location.messageId;
}

/** The inverse of `containerOf`/`itemOf`, for an occurrence recorded earlier. */
export function locationFromRef(container: string, item: string): MessageLocation | undefined {
  const chat = /^chat:(.+)$/.exec(container);
  if (chat) return item.includes('/') ? undefined : { kind: 'chat', chatId: chat[1]!, messageId: item };
  const channel = /^team:([^/]+)\/channel:(.+)$/.exec(container);
  if (!channel) return undefined;
  const [parentId, replyId, ...rest] = item.split('/');
  if (rest.length > 0 || !parentId) return undefined;
  return replyId
    ? { kind: 'channel', teamId: channel[1]!, channelId: channel[2]!, parentId, messageId: replyId }
    : { kind: 'channel', teamId: channel[1]!, channelId: channel[2]!, messageId: parentId };
}

/** A version that changes with every edit and deletion. */
export function versionOf(message: ChatMessage): string | undefined {
  return message.deletedDateTime ?? message.lastModifiedDateTime ?? message.etag ?? undefined;
}

export function refOf(tenantId: string, location: MessageLocation, message: ChatMessage): DocumentRef {
  const user = message.from?.user;
  const version = versionOf(message);
  const occurredAt = message.deletedDateTime ?? message.lastEditedDateTime ?? message.createdDateTime ?? undefined;
  return {
    platform: 'teams',
    workspace: tenantId,
    container: containerOf(location),
    item: itemOf(location),
    ...(version ? { version } : {}),
    ...(message.webUrl ? { url: message.webUrl } : {}),
    ...(user?.id ? { author: { id: user.id, ...(user.displayName ? { name: user.displayName } : {}) } } : {}),
    ...(occurredAt ? { occurredAt } : {}),
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The text leakwatch scans for a message: subject, body and the text of its
 * attachments, in the body's own format. HTML bodies stay HTML (format
 * `html`: the scanner maps offsets back into the markup); extra parts are
 * escaped and added as their own blocks so nothing they contain can change
 * how the body parses. The redactor rebuilds exactly this text to check
 * that the secret is still there.
 */
export function messageText(
  message: ChatMessage,
  attachmentTexts: readonly string[],
): { text: string; format: TextFormat } {
  if (message.deletedDateTime) return { text: '', format: 'plain' };
  const content = message.body?.content ?? '';
  const isHtml = (message.body?.contentType ?? 'html').toLowerCase() === 'html';
  const subject = message.subject?.trim() ? message.subject : undefined;
  if (isHtml) {
    const parts = [
      ...(subject ? [`<div>${escapeHtml(subject)}</div>`] : []),
      content,
      ...attachmentTexts.map((t) => `<div>${escapeHtml(t)}</div>`),
    ];
    return { text: parts.join(''), format: 'html' };
  }
  return { text: [...(subject ? [subject] : []), content, ...attachmentTexts].join('\n'), format: 'plain' };
}

/** System events (member added, chat renamed…) carry no user text. */
export function isUserContent(message: ChatMessage): boolean {
  return !message.messageType || message.messageType === 'message' || Boolean(message.deletedDateTime);
}

/**
 * A chatMessage as a document to scan. A deleted message (`deletedDateTime`)
 * becomes an empty text under the same reference, which closes the
 * occurrences it had, exactly like an edit that removed the secret.
 */
export function messageDocument(
  tenantId: string,
  location: MessageLocation,
  message: ChatMessage,
  attachmentTexts: readonly string[],
): InboundDocument {
  const { text, format } = messageText(message, attachmentTexts);
  return { ref: refOf(tenantId, location, message), text, format };
}
