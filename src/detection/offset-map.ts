import type { Span } from '../core/match.ts';

/**
 * Text derived from an original (decoded entities, stripped markup) together
 * with, for every derived character, the original range it came from, so a
 * match in the derived text can be redacted in the original.
 */
export interface MappedText {
  text: string;
  /** Maps a span of `text` to the span of the original it was derived from. */
  toOriginal(span: Span): Span;
}

/** The identity mapping, for text that needs no normalisation (costs no memory). */
export function identityText(text: string): MappedText {
  return { text, toOriginal: (span) => ({ start: span.start, end: span.end }) };
}

/** Accumulates derived text piece by piece with each piece's original range. */
export class MappedTextBuilder {
  #parts: string[] = [];
  #length = 0;
  #starts: number[] = [];
  #ends: number[] = [];

  /** Appends text copied verbatim from `original[origStart, origStart + text.length)`. */
  copy(text: string, origStart: number): void {
    this.#parts.push(text);
    for (let i = 0; i < text.length; i++) {
      this.#starts.push(origStart + i);
      this.#ends.push(origStart + i + 1);
    }
    this.#length += text.length;
  }

  /** Appends text that stands for the whole original range [origStart, origEnd) (an entity, a tag). */
  replace(text: string, origStart: number, origEnd: number): void {
    this.#parts.push(text);
    for (let i = 0; i < text.length; i++) {
      this.#starts.push(origStart);
      this.#ends.push(origEnd);
    }
    this.#length += text.length;
  }

  get length(): number {
    return this.#length;
  }

  build(): MappedText {
    const text = this.#parts.join('');
    const starts = Int32Array.from(this.#starts);
    const ends = Int32Array.from(this.#ends);
    return {
      text,
      toOriginal(span) {
        if (span.end <= span.start) {
          const at = span.start < starts.length ? starts[span.start]! : (ends[ends.length - 1] ?? 0);
          return { start: at, end: at };
        }
        return { start: starts[span.start]!, end: ends[span.end - 1]! };
      },
    };
  }
}
