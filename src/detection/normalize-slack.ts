import { MappedTextBuilder, type MappedText } from './offset-map.ts';

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
const SPECIAL = /&(?:amp|lt|gt);|[<>|]/g;

/**
 * Slack `text` as delivered by the Events/Web API: `&`, `<`, `>` are escaped
 * and links, mentions and channels are wrapped as `<target|label>`. Entities are
 * decoded and the wrapping `<`, `|`, `>` become spaces, so a token inside a link
 * target (a webhook URL) or its label is matched on its own, and every character
 * keeps its position in the original message for redaction.
 */
export function normalizeSlack(original: string): MappedText {
  const out = new MappedTextBuilder();
  let inLink = false;
  let cursor = 0;
  SPECIAL.lastIndex = 0;
  for (let m = SPECIAL.exec(original); m !== null; m = SPECIAL.exec(original)) {
    const token = m[0];
    // A literal '|' outside a link is ordinary text.
    if (token === '|' && !inLink) continue;
    if (m.index > cursor) out.copy(original.slice(cursor, m.index), cursor);
    const end = m.index + token.length;
    if (token === '<') inLink = true;
    else if (token === '>') inLink = false;
    out.replace(ENTITIES[token] ?? ' ', m.index, end);
    cursor = end;
  }
  if (cursor < original.length) out.copy(original.slice(cursor), cursor);
  return out.build();
}
