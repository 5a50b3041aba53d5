import type { GraphClient } from './graph-client.ts';
import { GraphRequestError } from './graph-errors.ts';
import type { ChatMessage, ChatMessageAttachment } from './message-documents.ts';

/** Code snippets are small; a cap keeps a pathological one from filling a scan job. */
export const MAX_SNIPPET_BYTES = 256 * 1024;
const CODE_SNIPPET = 'application/vnd.microsoft.card.codesnippet';

/**
 * `codeSnippetUrl` of a code-snippet card: the snippet's hosted content in the
 * same chat or channel message. Only this exact Graph shape is fetched (with
 * the app token), never an arbitrary URL from message content.
 */
const HOSTED_CONTENT_PATH =
  /^\/(?:v1\.0|beta)\/(?:chats\/[^/]+\/messages\/[^/]+|teams\/[^/]+\/channels\/[^/]+\/messages\/[^/]+(?:\/replies\/[^/]+)?)\/hostedContents\/[^/]+\/\$value$/;

/** Every string value in a card's JSON (TextBlock text, fact values, action URLs…), in document order. */
function jsonStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    if (value.trim()) out.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) jsonStrings(item, out);
  } else if (value && typeof value === 'object') {
    for (const item of Object.values(value)) jsonStrings(item, out);
  }
}

function parseJson(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    return undefined;
  }
}

async function codeSnippetText(graph: GraphClient, attachment: ChatMessageAttachment): Promise<string | undefined> {
  const card = parseJson(attachment.content ?? '') as { codeSnippetUrl?: unknown } | undefined;
  if (typeof card?.codeSnippetUrl !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(card.codeSnippetUrl);
  } catch {
    return undefined;
  }
  if (!HOSTED_CONTENT_PATH.test(url.pathname)) return undefined;
  try {
    return await graph.text(url.toString(), MAX_SNIPPET_BYTES);
  } catch (error) {
    // Hosted contents expire or may be unreachable for the app, and a URL off Graph's host is refused by
    // the client before any token is sent: either way the rest of the message is still scanned.
    if (
      error instanceof GraphRequestError &&
      (error.code === 'UntrustedLink' || (error.status >= 400 && error.status < 500))
    ) {
      return undefined;
    }
    throw error;
  }
}

/**
 * The text of a message's attachments as far as Graph lets the app reach it:
 * card contents (adaptive, hero, thumbnail cards, quoted and forwarded
 * message previews) as their string values, the code of code-snippet cards
 * (fetched from hosted contents), and names and links of file references.
 * File contents behind SharePoint links are not downloaded. Throttling
 * propagates so the job is rescheduled rather than scanning half a message.
 */
export async function attachmentTexts(graph: GraphClient, message: ChatMessage): Promise<string[]> {
  if (message.deletedDateTime) return [];
  const texts: string[] = [];
  for (const attachment of message.attachments ?? []) {
    if (attachment.name?.trim()) texts.push(attachment.name);
    // A reference's URL can carry a sharing token; any other URL may too.
    if (attachment.contentUrl?.trim()) texts.push(attachment.contentUrl);
    if (attachment.contentType === CODE_SNIPPET) {
      const code = await codeSnippetText(graph, attachment);
      if (code) texts.push(code);
      continue;
    }
    const content = attachment.content;
    if (!content?.trim()) continue;
    const parsed = parseJson(content);
    if (parsed === undefined) texts.push(content);
    else jsonStrings(parsed, texts);
  }
  return texts;
}
