import type { Span } from '../core/match.ts';

/** A piece of ADF text: the string at JSON pointer `pointer` occupies [start, end) of the joined text. */
export interface AdfPiece extends Span {
  pointer: string;
}

/** Where a span of the joined text lives in the ADF tree: a range inside one string field. */
export interface AdfLocation extends Span {
  pointer: string;
}

export interface AdfText {
  text: string;
  pieces: readonly AdfPiece[];
  /** The string fields (and ranges within them) a span of `text` covers; several when text is split across nodes. */
  locate(span: Span): AdfLocation[];
}

interface AdfNode {
  type?: unknown;
  text?: unknown;
  attrs?: Record<string, unknown>;
  marks?: unknown;
  content?: unknown;
}

const INLINE_TYPES = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'status', 'date', 'placeholder']);
/** Attributes that carry user text or link targets. */
const TEXT_ATTRIBUTES = ['text', 'url', 'href', 'title', 'shortName'];
const MAX_DEPTH = 64;

/**
 * Atlassian Document Format (Jira Cloud descriptions and comments) to text.
 * Inline nodes are joined without separators, so a token split across nodes
 * by formatting marks (`ghp_abc` + bold `def…`) is found whole; block nodes are
 * separated by line breaks; link targets and card URLs are scanned too.
 */
export function normalizeAdf(doc: unknown): AdfText {
  const parts: string[] = [];
  const pieces: AdfPiece[] = [];
  let length = 0;

  const emit = (value: string, pointer: string | undefined): void => {
    if (value.length === 0) return;
    if (pointer !== undefined) pieces.push({ pointer, start: length, end: length + value.length });
    parts.push(value);
    length += value.length;
  };

  const visit = (node: unknown, pointer: string, depth: number): void => {
    if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
    const n = node as AdfNode;
    const inline = typeof n.type === 'string' && INLINE_TYPES.has(n.type);
    if (!inline) emit('\n', undefined);
    if (n.type === 'hardBreak') emit('\n', undefined);
    if (typeof n.text === 'string') emit(n.text, `${pointer}/text`);
    if (n.attrs !== null && typeof n.attrs === 'object') {
      for (const key of TEXT_ATTRIBUTES) {
        const value = n.attrs[key];
        if (typeof value === 'string') {
          emit(' ', undefined);
          emit(value, `${pointer}/attrs/${key}`);
          emit(' ', undefined);
        }
      }
    }
    if (Array.isArray(n.marks)) {
      n.marks.forEach((mark: unknown, i) => {
        const href = (mark as AdfNode | null)?.attrs?.href;
        if (typeof href === 'string') {
          emit(' ', undefined);
          emit(href, `${pointer}/marks/${i}/attrs/href`);
          emit(' ', undefined);
        }
      });
    }
    if (Array.isArray(n.content)) {
      n.content.forEach((child: unknown, i) => visit(child, `${pointer}/content/${i}`, depth + 1));
    }
    if (!inline) emit('\n', undefined);
  };

  visit(doc, '', 0);
  const text = parts.join('');

  return {
    text,
    pieces,
    locate(span) {
      const out: AdfLocation[] = [];
      for (const piece of pieces) {
        if (piece.end <= span.start) continue;
        if (piece.start >= span.end) break;
        out.push({
          pointer: piece.pointer,
          start: Math.max(span.start, piece.start) - piece.start,
          end: Math.min(span.end, piece.end) - piece.start,
        });
      }
      return out;
    },
  };
}
