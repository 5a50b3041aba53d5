import type { LocatedSecret } from '../../src/core/integration.ts';

const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Whether `offset` of the storage XHTML lies inside a CDATA section (a code macro's `ac:plain-text-body`). */
function insideCdata(markup: string, offset: number): boolean {
  const open = markup.lastIndexOf(CDATA_OPEN, offset);
  if (open === -1) return false;
  const close = markup.indexOf(CDATA_CLOSE, open + CDATA_OPEN.length);
  return close === -1 || close >= offset;
}

/**
 * Markup inside a span, to be kept: a secret split by formatting
 * (`<strong>ghp_</strong>abc…`) spans tags, and removing them would leave the
 * page malformed. Tags and CDATA delimiters stay; only text is replaced.
 */
function markupRuns(segment: string, startsInCdata: boolean): Array<{ start: number; end: number }> {
  const runs: Array<{ start: number; end: number }> = [];
  let i = 0;
  let inCdata = startsInCdata;
  while (i < segment.length) {
    if (inCdata) {
      const close = segment.indexOf(CDATA_CLOSE, i);
      if (close === -1) break;
      runs.push({ start: close, end: close + CDATA_CLOSE.length });
      i = close + CDATA_CLOSE.length;
      inCdata = false;
      continue;
    }
    const lt = segment.indexOf('<', i);
    if (lt === -1) break;
    if (segment.startsWith(CDATA_OPEN, lt)) {
      runs.push({ start: lt, end: lt + CDATA_OPEN.length });
      i = lt + CDATA_OPEN.length;
      inCdata = true;
      continue;
    }
    const gt = segment.indexOf('>', lt);
    const end = gt === -1 ? segment.length : gt + 1;
    runs.push({ start: lt, end });
    i = end;
  }
  return runs;
}

/**
 * Replaces each located secret in Confluence storage XHTML with its redacted
 * form, keeping the document well-formed: the replacement is XML-escaped
 * outside CDATA (and cannot close a CDATA section inside one), and markup a
 * span crosses is kept while its text is dropped.
 */
export function redactStorage(markup: string, located: readonly LocatedSecret[]): string {
  const spans = [...located].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: LocatedSecret[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  let out = '';
  let cursor = 0;
  for (const span of merged) {
    out += markup.slice(cursor, span.start);
    const cdata = insideCdata(markup, span.start);
    const replacement = cdata ? span.redacted.replaceAll(CDATA_CLOSE, ']]]]><![CDATA[>') : escapeXml(span.redacted);
    const segment = markup.slice(span.start, span.end);
    const runs = markupRuns(segment, cdata);
    if (runs.length === 0) out += replacement;
    else {
      // Redacted form goes where the secret began; markup in between stays, its text goes.
      let inner = 0;
      let placed = false;
      for (const run of runs) {
        if (!placed && run.start > inner) {
          out += replacement;
          placed = true;
        }
        out += segment.slice(run.start, run.end);
        inner = run.end;
      }
      if (!placed) out += replacement;
    }
    cursor = span.end;
  }
  return out + markup.slice(cursor);
}
