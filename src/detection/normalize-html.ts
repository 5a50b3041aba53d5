import { Tokenizer } from 'htmlparser2';
import { MappedTextBuilder, type MappedText } from './offset-map.ts';

/** Tags that separate text; every other tag (span, strong, code, a, …) joins its neighbours. */
const BLOCK_TAGS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'tr',
  'ul',
  // Confluence storage format
  'ac:structured-macro',
  'ac:parameter',
  'ac:plain-text-body',
  'ac:rich-text-body',
  'ac:task',
  'ac:task-body',
  'ac:layout',
  'ac:layout-section',
  'ac:layout-cell',
  'ac:link',
  'ac:image',
  'ac:emoticon',
  'ri:attachment',
]);

/** Attributes whose values people paste credentials into (link targets, Confluence resource URLs). */
const SCANNED_ATTRIBUTES = new Set(['href', 'src', 'ri:value', 'ri:url']);

export interface HtmlOptions {
  /** Confluence storage format is XHTML with CDATA sections (code macros). */
  xml?: boolean;
}

/**
 * HTML (Teams message bodies) or XHTML (Confluence storage format) to text:
 * entities decoded, tags removed, block tags turned into line breaks, CDATA kept
 * as text, link targets emitted beside the text. Offsets map back into the markup.
 */
export function normalizeHtml(original: string, options: HtmlOptions = {}): MappedText {
  const out = new MappedTextBuilder();
  // End of the last original range consumed, i.e. where an entity that follows starts.
  let cursor = 0;
  let tagName = '';
  let attributeName = '';
  let attributeCursor = 0;
  let pendingAttributeEntity: number | undefined;

  const separate = (start: number, end: number): void => out.replace('\n', start, end);
  const flushAttributeEntity = (end: number): void => {
    if (pendingAttributeEntity === undefined) return;
    out.replace(String.fromCodePoint(pendingAttributeEntity), attributeCursor, end);
    attributeCursor = end;
    pendingAttributeEntity = undefined;
  };
  const scanningAttribute = (): boolean => SCANNED_ATTRIBUTES.has(attributeName);

  const tokenizer = new Tokenizer(
    { xmlMode: options.xml ?? false, decodeEntities: true },
    {
      ontext(start, end) {
        out.copy(original.slice(start, end), start);
        cursor = end;
      },
      ontextentity(codePoint, end) {
        out.replace(String.fromCodePoint(codePoint), cursor, end);
        cursor = end;
      },
      oncdata(start, end, offset) {
        out.copy(original.slice(start, end - offset), start);
        cursor = end + 1;
      },
      onopentagname(start, end) {
        tagName = original.slice(start, end).toLowerCase();
        if (BLOCK_TAGS.has(tagName)) separate(start - 1, end);
      },
      onattribname(start, end) {
        attributeName = original.slice(start, end).toLowerCase();
        attributeCursor = end;
        if (scanningAttribute()) out.replace(' ', start, end);
      },
      onattribdata(start, end) {
        if (!scanningAttribute()) return;
        flushAttributeEntity(start);
        out.copy(original.slice(start, end), start);
        attributeCursor = end;
      },
      onattribentity(codePoint) {
        if (scanningAttribute()) pendingAttributeEntity = codePoint;
      },
      onattribend(_quote, end) {
        if (scanningAttribute()) {
          flushAttributeEntity(end);
          out.replace(' ', end, end + 1);
        }
        attributeName = '';
      },
      onopentagend(end) {
        cursor = end + 1;
      },
      onselfclosingtag(end) {
        cursor = end + 1;
      },
      onclosetag(start, end) {
        const name = original.slice(start, end).toLowerCase();
        if (BLOCK_TAGS.has(name)) separate(start - 2, end + 1);
        cursor = end + 1;
      },
      oncomment(_start, end) {
        cursor = end + 1;
      },
      ondeclaration(_start, end) {
        cursor = end + 1;
      },
      onprocessinginstruction(_start, end) {
        cursor = end + 1;
      },
      onend() {},
    },
  );
  tokenizer.write(original);
  tokenizer.end();
  return out.build();
}
