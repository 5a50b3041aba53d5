import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;

/** Slack treats `&`, `<` and `>` as control characters in mrkdwn and plain text; everything we did not write is escaped. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code; a backtick inside would end the span early, so it becomes a quote. */
export function code(text: string): string {
  return `\`${escapeText(text).replace(/`/g, "'")}\``;
}

/**
 * A mrkdwn link, only for http(s) URLs (anything else is shown as plain
 * text). `|` and `>` would end the link early, so they are percent-encoded.
 */
export function link(url: string | null | undefined, label: string): string {
  if (!url || !/^https?:\/\//i.test(url)) return escapeText(label);
  const safe = url.replace(/[|<> ]/g, (c) => encodeURIComponent(c));
  return `<${safe}|${escapeText(label).replace(/\|/g, '¦')}>`;
}

/** A date every reader sees in their own time zone, with a UTC fallback for clients that can't format it. */
export function slackDate(date: Date): string {
  const epoch = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${epoch}^{date_short_pretty} {time}|${fallback}>`;
}

/** Block Kit text limits (section text 3000, header 150): cut with an ellipsis rather than be rejected. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function section(mrkdwn: string, blockId?: string): KnownBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: truncate(mrkdwn, 3000) },
  };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, 150), emoji: true } };
}

export function context(mrkdwn: string, blockId?: string): KnownBlock {
  return {
    type: 'context',
    ...(blockId ? { block_id: blockId } : {}),
    elements: [{ type: 'mrkdwn', text: truncate(mrkdwn, 3000) }],
  };
}
