import type { LocatedSecret } from '../../src/core/integration.ts';
import { normalizeAdf } from '../../src/detection/normalize-adf.ts';
import type { JiraText } from './jira-client.ts';

/** A range of one string in the stored value that held the secret: the whole string (plain) or an ADF string field. */
export interface EditedRange {
  /** JSON pointer into the ADF document; absent for a plain string. */
  pointer?: string;
  from: number;
  to: number;
  /** What was there (kept in memory only, to hash it for Atlassian's redaction API). */
  removed: string;
}

export interface TextEdit {
  value: JiraText;
  ranges: EditedRange[];
}

/**
 * Replaces each located span (offsets in `jiraPlainText(value)`) with its
 * redacted form in the value as Jira stores it. For a plain or wiki string
 * that is a direct replacement. For ADF the span is mapped back through
 * `normalizeAdf(...).locate` to the text nodes it covers: the redacted form goes
 * into the first, the rest are emptied, and text nodes left empty are removed
 * (ADF forbids empty text). Marks and structure are otherwise kept.
 */
export function redactJiraText(value: JiraText, spans: readonly LocatedSecret[]): TextEdit {
  const ordered = mergeOverlapping(spans);
  if (typeof value === 'string' || value === null) {
    const text = value ?? '';
    let out = '';
    let cursor = 0;
    const ranges: EditedRange[] = [];
    for (const span of ordered) {
      out += text.slice(cursor, span.start) + span.redacted;
      ranges.push({ from: span.start, to: span.end, removed: text.slice(span.start, span.end) });
      cursor = span.end;
    }
    return { value: out + text.slice(cursor), ranges };
  }

  const adf = normalizeAdf(value);
  const doc = structuredClone(value) as Record<string, unknown>;
  /** Per pointer: replacements within that string, applied right to left. */
  const byPointer = new Map<string, { start: number; end: number; insert: string }[]>();
  const ranges: EditedRange[] = [];
  for (const span of ordered) {
    adf.locate(span).forEach((loc, i) => {
      const list = byPointer.get(loc.pointer) ?? [];
      list.push({ start: loc.start, end: loc.end, insert: i === 0 ? span.redacted : '' });
      byPointer.set(loc.pointer, list);
      const original = readPointer(value, loc.pointer);
      ranges.push({
        pointer: loc.pointer,
        from: loc.start,
        to: loc.end,
        removed: typeof original === 'string' ? original.slice(loc.start, loc.end) : '',
      });
    });
  }
  const emptied: string[] = [];
  for (const [pointer, edits] of byPointer) {
    const current = readPointer(doc, pointer);
    if (typeof current !== 'string') continue;
    let next = current;
    for (const edit of edits.sort((a, b) => b.start - a.start)) {
      next = next.slice(0, edit.start) + edit.insert + next.slice(edit.end);
    }
    writePointer(doc, pointer, next);
    if (next === '' && pointer.endsWith('/text')) emptied.push(pointer.slice(0, -'/text'.length));
  }
  // Remove emptied text nodes deepest/last first so earlier indices stay valid.
  for (const nodePointer of emptied.sort(comparePointersDescending)) removeNode(doc, nodePointer);
  return { value: doc, ranges };
}

/** Sorted, with overlapping spans merged (a credential and a companion part may touch or overlap). */
function mergeOverlapping(spans: readonly LocatedSecret[]): LocatedSecret[] {
  const merged: LocatedSecret[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end, redacted: span.redacted });
  }
  return merged;
}

function tokens(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function readPointer(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const token of tokens(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

function writePointer(root: unknown, pointer: string, value: string): void {
  const path = tokens(pointer);
  const last = path.pop();
  const parent = readPointer(root, path.length === 0 ? '' : `/${path.join('/')}`);
  if (last !== undefined && parent !== null && typeof parent === 'object') {
    (parent as Record<string, unknown>)[last] = value;
  }
}

function removeNode(root: unknown, nodePointer: string): void {
  const path = tokens(nodePointer);
  const index = Number(path.pop());
  const list = readPointer(root, `/${path.join('/')}`);
  if (Array.isArray(list) && Number.isInteger(index)) list.splice(index, 1);
}

/** Orders pointers so that, among siblings, higher indices come first (and deeper paths before their ancestors). */
function comparePointersDescending(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    const na = Number(ta[i]);
    const nb = Number(tb[i]);
    if (Number.isInteger(na) && Number.isInteger(nb)) return nb - na;
    return ta[i]! < tb[i]! ? 1 : -1;
  }
  return tb.length - ta.length;
}
