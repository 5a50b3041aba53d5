import type { WebClient } from '@slack/web-api';
import type { LocatedSecret, RedactionOutcome, RedactionRequest } from '../../src/core/integration.ts';
import { writeAudit } from '../../src/db/audit-repository.ts';
import { messageText, type SlackMessage } from './message-events.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import { slackErrorCode } from './slack-client.ts';

const TS = /^\d{1,12}\.\d{1,9}$/;

/** Attachment fields people can read; a secret in one of them is redacted in place. */
const ATTACHMENT_TEXT_FIELDS = ['pretext', 'author_name', 'title', 'title_link', 'text', 'footer', 'fallback'] as const;

/** The thread a reply belongs to, from its permalink (`?thread_ts=`); undefined for a top-level message. */
export function threadOf(url: string | null): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const threadTs = new URL(url).searchParams.get('thread_ts');
  return threadTs && TS.test(threadTs) ? threadTs : undefined;
}

/** Replaces each located span by its redacted form; overlapping spans are merged (the first one's form wins). */
export function applyRedaction(text: string, spans: readonly LocatedSecret[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (const span of sorted) {
    if (span.end <= cursor) continue;
    out += text.slice(cursor, Math.max(cursor, span.start)) + (span.start >= cursor ? span.redacted : '');
    cursor = span.end;
  }
  return out + text.slice(cursor);
}

type ReadResult = { kind: 'found'; message: SlackMessage } | { kind: 'gone' } | { kind: 'unreadable'; why: string };

/**
 * The message as it is now. Top-level messages come from
 * `conversations.history` bounded to its ts; thread replies from
 * `conversations.replies` (which also returns the parent, hence the ts match).
 */
async function readMessage(
  client: WebClient,
  channel: string,
  ts: string,
  threadTs: string | undefined,
): Promise<ReadResult> {
  try {
    const response = threadTs
      ? await client.conversations.replies({ channel, ts: threadTs, oldest: ts, latest: ts, inclusive: true, limit: 2 })
      : await client.conversations.history({ channel, oldest: ts, latest: ts, inclusive: true, limit: 1 });
    const message = (response.messages as SlackMessage[] | undefined)?.find((m) => m.ts === ts);
    return message ? { kind: 'found', message } : { kind: 'gone' };
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === undefined) throw error;
    if (code === 'message_not_found' || code === 'thread_not_found') return { kind: 'gone' };
    return { kind: 'unreadable', why: code };
  }
}

interface RedactedMessage {
  text: string;
  attachments: unknown[] | undefined;
  found: number;
}

/** The message with every occurrence of the finding's secret replaced, field by field. */
function redactMessage(message: SlackMessage, request: RedactionRequest): RedactedMessage {
  const text = message.text ?? '';
  const inText = request.locate(text, 'slack');
  let found = inText.length;
  let attachments: unknown[] | undefined;
  if (Array.isArray(message.attachments)) {
    let changed = false;
    const redactField = (value: unknown) => {
      if (typeof value !== 'string') return value;
      const spans = request.locate(value, 'slack');
      if (spans.length === 0) return value;
      found += spans.length;
      changed = true;
      return applyRedaction(value, spans);
    };
    const next = message.attachments.map((a) => {
      if (!a || typeof a !== 'object') return a;
      const copy: Record<string, unknown> = { ...(a as Record<string, unknown>) };
      for (const field of ATTACHMENT_TEXT_FIELDS) if (field in copy) copy[field] = redactField(copy[field]);
      if (Array.isArray(copy.fields)) {
        copy.fields = (copy.fields as Array<Record<string, unknown>>).map((f) => ({
          ...f,
          value: redactField(f?.value),
        }));
      }
      return copy;
    });
    if (changed) attachments = next;
  }
  // Rich-text blocks repeat the text; when only they hold the secret, dropping them (below) removes it.
  if (found === 0 && request.locate(messageText(message), 'slack').length > 0) found = 1;
  return { text: applyRedaction(text, inText), attachments, found };
}

const EDIT_NOTE =
  ':lock: leakwatch replaced a credential in this message with a redacted form. The author has been asked to rotate it.';
const DELETE_NOTE =
  ':lock: leakwatch removed a message here because it contained a credential. The author has been asked to rotate it.';

function warningText(detectorName: string): string {
  return (
    `:warning: *This message contains a credential* (${detectorName.replace(/[&<>]/g, '')}). ` +
    'Please delete it or edit the credential out. The author has been asked to rotate it. ' +
    '_No part of the secret is shown here._'
  );
}

/**
 * Redacts one Slack occurrence according to SLACK_REDACTION:
 * - `edit` (admin user token): re-reads the message, replaces each span
 *   `locate` finds with its redacted form (`chat.update`, rich-text blocks
 *   dropped so they cannot keep the secret), then a thread note;
 * - `delete` (admin user token): `chat.delete` (`files.delete` for a file), then a note;
 * - `warn`, no admin token, or Slack refusing the edit (`cant_update_message`):
 *   a threaded warning without any part of the secret → `warned`.
 * A message that no longer holds the secret → `not_found`. Every outcome is
 * audited. Rate limits and network errors are thrown so the job is retried
 * later (the error carries Slack's Retry-After).
 */
export function createSlackRedactor(deps: SlackOutboundDeps): (request: RedactionRequest) => Promise<RedactionOutcome> {
  const { config } = deps;

  async function audit(request: RedactionRequest, outcome: RedactionOutcome): Promise<RedactionOutcome> {
    const { occurrence } = request;
    await writeAudit(deps.db, {
      actor: request.requestedBy,
      action: `occurrence.redaction_${outcome.status}`,
      targetType: 'occurrence',
      targetId: occurrence.id,
      details: {
        platform: 'slack',
        channel: occurrence.container,
        item: occurrence.item,
        finding: request.finding.id,
        mode: config.redaction,
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      },
    });
    return outcome;
  }

  /** Posts a note, reporting (not throwing) a refusal: the redaction itself already happened or did not. */
  async function note(channel: string, text: string, threadTs?: string): Promise<string | undefined> {
    try {
      await deps.bot.chat.postMessage({
        channel,
        text,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        unfurl_links: false,
      });
      return undefined;
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === undefined) throw error;
      return code;
    }
  }

  async function warn(request: RedactionRequest, threadTs: string | undefined, why: string): Promise<RedactionOutcome> {
    const { occurrence } = request;
    // At-least-once jobs: a warning already posted for this place is not posted twice.
    const earlier = await deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'occurrence.redaction_warned')
      .where('target_type', '=', 'occurrence')
      .where('target_id', '=', occurrence.id)
      .executeTakeFirst();
    if (earlier) return { status: 'warned', detail: `already warned (${why})` };
    const detector = deps.detectors.get(request.finding.detector_id)?.name ?? request.finding.detector_id;
    const refused = await note(occurrence.container, warningText(detector), threadTs);
    if (refused)
      return audit(request, { status: 'failed', detail: `${why}; the warning was refused too (${refused})` });
    return audit(request, { status: 'warned', detail: why });
  }

  async function redactFile(request: RedactionRequest): Promise<RedactionOutcome> {
    const file = request.occurrence.item.slice('file:'.length);
    const channel = request.occurrence.container;
    if (config.redaction !== 'delete' || !deps.admin) {
      const why =
        config.redaction === 'delete'
          ? 'a shared file cannot be removed without SLACK_ADMIN_USER_TOKEN'
          : 'a shared file cannot be edited (SLACK_REDACTION=delete removes it)';
      return channel ? warn(request, undefined, why) : audit(request, { status: 'unsupported', detail: why });
    }
    try {
      await deps.admin.files.delete({ file });
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === undefined) throw error;
      if (code === 'file_not_found' || code === 'file_deleted') {
        return audit(request, { status: 'not_found', detail: 'the file no longer exists' });
      }
      return warn(request, undefined, `Slack refused to delete the file (${code})`);
    }
    if (channel) await note(channel, DELETE_NOTE.replace('a message', 'a file'));
    return audit(request, { status: 'deleted', detail: 'file deleted' });
  }

  return async function redact(request: RedactionRequest): Promise<RedactionOutcome> {
    const { occurrence } = request;
    if (occurrence.platform !== 'slack') {
      return { status: 'unsupported', detail: `not a Slack occurrence (${occurrence.platform})` };
    }
    if (config.redaction === 'off') return audit(request, { status: 'unsupported', detail: 'SLACK_REDACTION is off' });
    if (occurrence.item.startsWith('file:')) return redactFile(request);

    const channel = occurrence.container;
    const ts = occurrence.item;
    const threadTs = threadOf(occurrence.url);
    const read = await readMessage(deps.admin ?? deps.bot, channel, ts, threadTs);
    if (read.kind === 'gone') return audit(request, { status: 'not_found', detail: 'the message no longer exists' });

    if (read.kind === 'found') {
      const redacted = redactMessage(read.message, request);
      if (redacted.found === 0) {
        return audit(request, { status: 'not_found', detail: 'the secret is no longer in the message' });
      }
      if (config.redaction === 'warn') return warn(request, threadTs ?? ts, 'SLACK_REDACTION is warn');
      if (!deps.admin)
        return warn(request, threadTs ?? ts, 'no SLACK_ADMIN_USER_TOKEN to edit other people\u2019s messages');
      try {
        if (config.redaction === 'delete') {
          await deps.admin.chat.delete({ channel, ts });
        } else {
          await deps.admin.chat.update({
            channel,
            ts,
            text: redacted.text,
            // chat.update keeps the previous blocks/attachments unless given: the secret must not survive there.
            ...(Array.isArray(read.message.blocks) && read.message.blocks.length > 0 ? { blocks: [] } : {}),
            ...(redacted.attachments ? { attachments: redacted.attachments as never } : {}),
          });
        }
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === undefined) throw error;
        if (code === 'message_not_found')
          return audit(request, { status: 'not_found', detail: 'the message no longer exists' });
        const verb = config.redaction === 'delete' ? 'delete' : 'edit';
        return warn(request, threadTs ?? ts, `Slack refused to ${verb} the message (${code})`);
      }
      if (config.redaction === 'delete') {
        // A deleted top-level message has no thread left to reply in: the note goes to the channel.
        const refused = await note(channel, DELETE_NOTE, threadTs);
        if (refused) deps.logger.warn({ occurrence: occurrence.id, error: refused }, 'Slack refused the deletion note');
        return audit(request, { status: 'deleted', detail: 'message deleted' });
      }
      const refused = await note(channel, EDIT_NOTE, threadTs ?? ts);
      if (refused) deps.logger.warn({ occurrence: occurrence.id, error: refused }, 'Slack refused the redaction note');
      return audit(request, { status: 'redacted', detail: `${redacted.found} place(s) in the message replaced` });
    }

    // Could not read the message (bot not in the channel, no history scope): warn rather than guess.
    const why = `could not read the message (${read.why})`;
    return warn(request, threadTs ?? ts, config.redaction === 'warn' ? why : `${why}, so it was not edited`);
  };
}
