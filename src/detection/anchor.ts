/**
 * Finds the literal texts a pattern's match must start with, when the pattern
 * begins (after zero-width lookbehinds and `\b`) with a literal or an
 * alternation of literals, inside or outside the `secret` group:
 *
 *   /(?<![A-Za-z0-9_])(?<secret>xoxb-[0-9]{10,13}…)/  → ['xoxb-']
 *   /(?<secret>(?:AKIA|ASIA)[A-Z2-7]{16})/            → ['AKIA', 'ASIA']
 *   /\bbearer\s{1,3}(?<secret>…)/i                     → ['bearer']
 *
 * Returns undefined when the start is not such a literal. The scanner uses it
 * to try the pattern only at keyword hits (sticky), instead of searching regions.
 */
export function leadingLiterals(source: string): string[] | undefined {
  let i = 0;
  // Zero-width prefixes: lookbehinds and word boundaries.
  for (;;) {
    if (source.startsWith('\\b', i)) {
      i += 2;
    } else if (source.startsWith('(?<!', i) || source.startsWith('(?<=', i)) {
      const end = closingParen(source, i);
      if (end === undefined) return undefined;
      i = end + 1;
    } else {
      break;
    }
  }
  if (source.startsWith('(?<secret>', i)) i += '(?<secret>'.length;
  if (source.startsWith('(?:', i)) {
    const end = closingParen(source, i);
    if (end === undefined) return undefined;
    // A quantified group may be skipped entirely.
    if (/^[?*{]/.test(source.slice(end + 1, end + 2))) return undefined;
    const alternatives = splitTopLevel(source.slice(i + 3, end));
    const literals = alternatives.map((alt) => {
      const parsed = literalRun(alt, 0);
      return parsed.end === alt.length ? parsed.text : undefined;
    });
    if (literals.some((l) => l === undefined || l.length === 0)) return undefined;
    return literals as string[];
  }
  const run = literalRun(source, i);
  return run.text.length > 0 ? [run.text] : undefined;
}

const SPECIAL = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);
const QUANTIFIER = /^[?*+{]/;

/** The literal text at `start` (escaped punctuation allowed); a quantified last character is not included. */
function literalRun(source: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start;
  while (i < source.length) {
    let char: string;
    let width: number;
    if (source[i] === '\\') {
      const next = source[i + 1];
      // Only escaped punctuation is a literal; \d, \w, \s, \b… are classes or assertions.
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      char = next;
      width = 2;
    } else if (SPECIAL.has(source[i]!)) {
      break;
    } else {
      char = source[i]!;
      width = 1;
    }
    if (QUANTIFIER.test(source.slice(i + width, i + width + 1))) break;
    text += char;
    i += width;
  }
  return { text, end: i };
}

/**
 * Visits each character of `source` from `start` that is neither escaped nor
 * inside a character class, with the group depth after it; stops when `visit`
 * returns true.
 */
function walkStructure(source: string, start: number, visit: (index: number, depth: number) => boolean | void): void {
  let depth = 0;
  let inClass = false;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (visit(i, depth) === true) return;
  }
}

function closingParen(source: string, open: number): number | undefined {
  let found: number | undefined;
  walkStructure(source, open, (i, depth) => {
    if (source[i] !== ')' || depth !== 0) return false;
    found = i;
    return true;
  });
  return found;
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let last = 0;
  walkStructure(body, 0, (i, depth) => {
    if (body[i] === '|' && depth === 0) {
      parts.push(body.slice(last, i));
      last = i + 1;
    }
  });
  parts.push(body.slice(last));
  return parts;
}
