import type { InboundDocument } from '../../src/core/integration.ts';
import { attachmentTexts } from './attachment-text.ts';
import {
  containerOf,
  isUserContent,
  itemOf,
  messageDocument,
  versionOf,
  type ChatMessage,
  type MessageLocation,
} from './message-documents.ts';
import type { TeamsContext } from './teams-context.ts';
import { addCursor, channelKey, chatKey, type ChannelCursor, type ChatCursor } from './teams-cursors.ts';

export interface LocatedMessage {
  location: MessageLocation;
  message: ChatMessage;
}

export interface IntakeOptions {
  /**
   * Skip message versions already submitted (notifications, catch-up). A
   * backfill rescans on purpose (new rules may find more), so it passes false.
   */
  skipSeen: boolean;
  /** Note chats and channels seen for the first time, so catch-up covers them from now on. */
  registerContainers?: boolean;
}

/** The `inbound_events` key of one version of one message: edits and deletions get new keys. */
export function messageEventId(location: MessageLocation, message: ChatMessage): string | undefined {
  const version = versionOf(message);
  return version ? `message:${containerOf(location)}/${itemOf(location)}@${version}` : undefined;
}

/** How far back catch-up reads a chat or channel it has just learnt about. */
const FIRST_SIGHT_LOOKBACK_MS = 5 * 60_000;

/**
 * Turns messages into documents and submits them durably. Versions already
 * submitted are skipped when asked (Graph notifies several times per change,
 * and catch-up overlaps notifications); a version is marked seen only after
 * `submit` resolved, so a crash in between repeats the submit, never loses it.
 */
export async function submitMessages(
  ctx: TeamsContext,
  messages: readonly LocatedMessage[],
  options: IntakeOptions,
): Promise<{ submitted: number; skipped: number }> {
  const candidates = messages
    .filter((m) => isUserContent(m.message))
    .map((m) => ({ ...m, eventId: messageEventId(m.location, m.message) }));
  let seen = new Set<string>();
  const ids = candidates.flatMap((c) => (c.eventId ? [c.eventId] : []));
  if (options.skipSeen && ids.length > 0) {
    const rows = await ctx.db
      .selectFrom('inbound_events')
      .select('event_id')
      .where('platform', '=', 'teams')
      .where('event_id', 'in', ids)
      .execute();
    seen = new Set(rows.map((r) => r.event_id));
  }
  const fresh = candidates.filter((c) => !c.eventId || !seen.has(c.eventId));
  const documents: InboundDocument[] = [];
  for (const { location, message } of fresh) {
    const extra = await attachmentTexts(ctx.graph, message);
    const document = messageDocument(ctx.config.tenantId, location, message, extra);
    const author = document.ref.author;
    if (author?.id && ctx.authors) {
      const user = await ctx.authors.lookup(author.id);
      if (user?.email) author.email = user.email;
    }
    documents.push(document);
  }
  await ctx.sink.submit(documents);

  const now = ctx.now();
  const freshIds = fresh.flatMap((c) => (c.eventId ? [{ platform: 'teams', event_id: c.eventId }] : []));
  if (freshIds.length > 0) {
    await ctx.db
      .insertInto('inbound_events')
      .values(freshIds)
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .execute();
  }
  if (options.registerContainers) {
    for (const { location, message } of fresh) {
      const firstSeen = Date.parse(message.createdDateTime ?? '') || now.getTime();
      const since = new Date(Math.min(firstSeen, now.getTime()) - FIRST_SIGHT_LOOKBACK_MS).toISOString();
      if (location.kind === 'chat') {
        await addCursor(ctx.db, chatKey(location.chatId), { chatId: location.chatId, since } satisfies ChatCursor, now);
      } else {
        const cursor: ChannelCursor = { teamId: location.teamId, channelId: location.channelId, since };
        await addCursor(ctx.db, channelKey(location.teamId, location.channelId), cursor, now);
      }
    }
  }
  return { submitted: documents.length, skipped: candidates.length - fresh.length };
}
