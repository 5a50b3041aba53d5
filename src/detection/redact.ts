import type { Span } from '../core/match.ts';

const MASK = '********';

/**
 * Redacted form of a secret: keeps `prefix` (the token's public, non-secret
 * type marker such as `ghp_` or `xoxb-`), a fixed-width mask (so the length is
 * not revealed) and at most 4 trailing characters, never more than a quarter
 * of the secret part.
 *
 * @example redactSecret('ghp_16C7e42F292c69C2E7C10c838347Ae178B4a', 'ghp_') // 'ghp_********8B4a'
 */
export function redactSecret(value: string, prefix = ''): string {
  const kept = prefix.length > 0 && value.startsWith(prefix) ? prefix : '';
  const rest = value.length - kept.length;
  const tail = Math.min(4, Math.floor(rest / 4));
  return `${kept}${MASK}${tail > 0 ? value.slice(value.length - tail) : ''}`;
}

/**
 * Replaces each span of `text` with its redacted form (`replacement(span)`).
 * Spans may overlap or come in any order; overlapping spans are merged first.
 */
export function redactSpans(text: string, spans: readonly Span[], replacement: (original: string) => string): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  let out = '';
  let cursor = 0;
  for (const span of merged) {
    out += text.slice(cursor, span.start) + replacement(text.slice(span.start, span.end));
    cursor = span.end;
  }
  return out + text.slice(cursor);
}
