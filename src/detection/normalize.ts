import { identityText, type MappedText } from './offset-map.ts';
import { normalizeHtml } from './normalize-html.ts';
import { normalizeSlack } from './normalize-slack.ts';

/** Markup a document's text arrives in. ADF is a JSON tree, see `normalizeAdf`. */
export const TEXT_FORMATS = ['plain', 'slack', 'html', 'xhtml'] as const;
export type TextFormat = (typeof TEXT_FORMATS)[number];

/** Markup to plain text with an offset map back to the original. */
export function normalize(original: string, format: TextFormat): MappedText {
  switch (format) {
    case 'plain':
      return identityText(original);
    case 'slack':
      return normalizeSlack(original);
    case 'html':
      return normalizeHtml(original);
    case 'xhtml':
      return normalizeHtml(original, { xml: true });
  }
}
