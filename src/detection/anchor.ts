/**
 * Finds the literal texts a pattern's match must start with, when every match
 * starts with one of a small set of literals. Zero-width assertions (`\b`,
 * lookarounds, `^`) are stepped over, groups (capturing, named or not) and
 * alternations are followed, and optional parts (`s?`, `(?:ql)?`) fork the set:
 *
 *   /(?<![A-Za-z0-9_])(?<secret>xoxb-[0-9]{10,13}…)/     → ['xoxb-']
 *   /(?<secret>(?:AKIA|ASIA)[A-Z2-7]{16})/               → ['AKIA', 'ASIA']
 *   /\bbearer\s{1,3}(?<secret>…)/i                        → ['bearer']
 *   /(?<name>p(?:ass|w)d?)…/                              → ['passd', 'pass', 'pwd', 'pw']
 *   /\b(?<scheme>postgres(?:ql)?|https?):\/\/…/           → ['postgresql://', 'postgres://', 'https://', 'http://']
 *
 * A literal ends where the pattern stops being literal (a class, `\d`, a
 * repeat, a backreference), so each returned text is a prefix of the matches
 * it stands for. Returns undefined when some match can start otherwise (an
 * empty literal: a class or repeat first, or an optional start), or when the
 * set would exceed `limit`. The scanner uses it to try a pattern only at
 * keyword hits (sticky) instead of searching regions.
 */
export function leadingLiterals(source: string, limit = 256): string[] | undefined {
  const parser = new PrefixParser(source, limit);
  const result = parser.parseAlternation();
  if (result === undefined || parser.position !== source.length) return undefined;
  if (result.some((p) => p.text.length === 0)) return undefined;
  return [...new Set(result.map((p) => p.text))];
}

/** A literal prefix so far; `open` while the pattern is still literal after it (later literals extend it). */
interface Prefix {
  text: string;
  open: boolean;
}

const ESCAPED_LITERAL = /^[^A-Za-z0-9]$/;
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', v: '\v', f: '\f' };

function distinct(prefixes: Prefix[]): Prefix[] {
  const seen = new Map<string, Prefix>();
  for (const p of prefixes) seen.set(`${p.open ? 1 : 0}${p.text}`, p);
  return seen.size === prefixes.length ? prefixes : [...seen.values()];
}

class PrefixParser {
  position = 0;
  readonly #source: string;
  readonly #limit: number;

  constructor(source: string, limit: number) {
    this.#source = source;
    this.#limit = limit;
  }

  /** alternation := sequence ('|' sequence)* — stops before ')' or at the end. */
  parseAlternation(): Prefix[] | undefined {
    const all: Prefix[] = [];
    for (;;) {
      const sequence = this.#parseSequence();
      if (sequence === undefined) return undefined;
      all.push(...sequence);
      if (distinct(all).length > this.#limit) return undefined;
      if (this.#source[this.position] !== '|') return all;
      this.position++;
    }
  }

  #parseSequence(): Prefix[] | undefined {
    let prefixes: Prefix[] = [{ text: '', open: true }];
    const source = this.#source;
    while (this.position < source.length && source[this.position] !== '|' && source[this.position] !== ')') {
      const atom = this.#parseAtom();
      if (atom === undefined) return undefined;
      const quantifier = this.#parseQuantifier();
      if (atom === 'zero-width') continue;
      prefixes = distinct(this.#extend(prefixes, atom, quantifier));
      if (prefixes.length > this.#limit) return undefined;
    }
    return prefixes;
  }

  /**
   * One atom: a literal character, a set of alternative prefixes (a group),
   * 'zero-width' (an assertion) or 'any' (a class: ends every prefix).
   */
  #parseAtom(): string | Prefix[] | 'zero-width' | 'any' | undefined {
    const source = this.#source;
    const c = source[this.position]!;
    if (c === '^' || c === '$') {
      this.position++;
      return 'zero-width';
    }
    if (c === '\\') {
      const next = source[this.position + 1];
      if (next === undefined) return undefined;
      this.position += 2;
      if (next === 'b' || next === 'B') return 'zero-width';
      if (ESCAPED_LITERAL.test(next)) return next;
      if (next === '0' && !/[0-9]/.test(source[this.position] ?? '')) return '\0';
      if (CONTROL_ESCAPES[next] !== undefined) return CONTROL_ESCAPES[next];
      if (next === 'x' || (next === 'u' && source[this.position] !== '{')) {
        const digits = next === 'x' ? 2 : 4;
        const hex = source.slice(this.position, this.position + digits);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== digits) return undefined;
        this.position += digits;
        return String.fromCharCode(parseInt(hex, 16));
      }
      if ('dDwWsS'.includes(next)) return 'any';
      if (next === 'p' || next === 'P' || next === 'u') {
        this.#skipTo('}');
        return 'any';
      }
      if (next === 'k') {
        this.#skipTo('>');
        return 'any';
      }
      if (next === 'c') {
        this.position++;
        return 'any';
      }
      if (/[1-9]/.test(next)) {
        while (/[0-9]/.test(source[this.position] ?? '')) this.position++;
        return 'any'; // backreference
      }
      return undefined;
    }
    if (c === '[') {
      this.#skipClass();
      return 'any';
    }
    if (c === '.') {
      this.position++;
      return 'any';
    }
    if (c === '(') {
      if (source.startsWith('(?=', this.position) || source.startsWith('(?!', this.position)) {
        return this.#skipGroup() ? 'zero-width' : undefined;
      }
      if (source.startsWith('(?<=', this.position) || source.startsWith('(?<!', this.position)) {
        return this.#skipGroup() ? 'zero-width' : undefined;
      }
      if (source.startsWith('(?:', this.position)) this.position += 3;
      else if (source.startsWith('(?<', this.position)) this.position = source.indexOf('>', this.position) + 1;
      else if (source.startsWith('(?', this.position))
        return undefined; // modifiers: not handled
      else this.position++;
      const inner = this.parseAlternation();
      if (inner === undefined || source[this.position] !== ')') return undefined;
      this.position++;
      return inner;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{' || c === ')' || c === '|') return undefined;
    this.position++;
    return c;
  }

  /** Returns the minimum and maximum repeat count (max Infinity), or [1, 1] when there is no quantifier. */
  #parseQuantifier(): [number, number] {
    const source = this.#source;
    const c = source[this.position];
    let range: [number, number] = [1, 1];
    if (c === '?') range = [0, 1];
    else if (c === '*') range = [0, Infinity];
    else if (c === '+') range = [1, Infinity];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(this.position));
      if (m === null) return range;
      this.position += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (source[this.position] === '?') this.position++;
      return [min, max];
    } else return range;
    this.position++;
    if (source[this.position] === '?') this.position++; // lazy: same set of strings
    return range;
  }

  #extend(prefixes: Prefix[], atom: string | Prefix[] | 'any', [min, max]: [number, number]): Prefix[] {
    const alternatives: Prefix[] =
      atom === 'any' ? [{ text: '', open: false }] : typeof atom === 'string' ? [{ text: atom, open: true }] : atom;
    const out: Prefix[] = [];
    for (const p of prefixes) {
      if (!p.open) {
        out.push(p);
        continue;
      }
      // No repeat: the prefix goes on to whatever follows.
      if (min === 0) out.push(p);
      if (max === 0) continue;
      // At least one: the first repeat extends the prefix; a second one may follow, so then the prefix ends.
      for (const a of alternatives) out.push({ text: p.text + a.text, open: a.open && max === 1 });
    }
    return out;
  }

  #skipClass(): void {
    const source = this.#source;
    for (this.position++; this.position < source.length; this.position++) {
      if (source[this.position] === '\\') this.position++;
      else if (source[this.position] === ']') break;
    }
    this.position++;
  }

  /** Steps past the next `end` character (the rest of `\p{…}`, `\u{…}`, `\k<…>`). */
  #skipTo(end: string): void {
    const at = this.#source.indexOf(end, this.position);
    this.position = at === -1 ? this.#source.length : at + 1;
  }

  /** Steps over a group without analysing it; false when it is unbalanced. */
  #skipGroup(): boolean {
    const source = this.#source;
    let depth = 0;
    for (; this.position < source.length; this.position++) {
      const c = source[this.position];
      if (c === '\\') this.position++;
      else if (c === '[') {
        this.#skipClass();
        this.position--;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) {
        this.position++;
        return true;
      }
    }
    return false;
  }
}

/**
 * The zero-width assertions a pattern starts with that depend only on the
 * character before the match (`\b`, `\B`, negative lookbehinds without
 * anchors or nested groups, such as `(?<![A-Za-z0-9_])`), as source text.
 */
const LEADING_BOUNDARY =
  /^(?:\\[bB]|\(\?<!(?:\[(?:\\.|[^\]\\])*\]|\\[dDwWsS]|\\[^bBdDwWsSk1-9]|[^()[\]\\^$|?*+{])*\))+/;

/**
 * Which ASCII characters may stand right before a match of `pattern` that
 * starts with one of `keywords` (index = char code, 1 = allowed), judged by
 * the pattern's leading boundary assertions alone; undefined when it has none.
 * Lets the scanner skip a keyword hit inside a word (`eas` in `please`) with
 * one table read instead of running the pattern. Exact, not a heuristic: the
 * assertions are evaluated by the regex engine itself, on each character
 * followed by each keyword; a negative lookbehind that needs more than one
 * character of context passes on one, so it never rejects a hit wrongly.
 * Non-ASCII characters and the start of the text are always allowed.
 */
export function allowedBefore(pattern: RegExp, keywords: readonly string[]): Uint8Array | undefined {
  const lead = LEADING_BOUNDARY.exec(pattern.source)?.[0];
  if (lead === undefined || keywords.length === 0) return undefined;
  const assertion = new RegExp(lead, pattern.flags.replace(/[gyd]/g, '') + 'y');
  const allowed = new Uint8Array(128);
  let rejects = false;
  for (let c = 0; c < 128; c++) {
    allowed[c] = keywords.some((k) => {
      assertion.lastIndex = 1;
      return assertion.test(String.fromCharCode(c) + k);
    })
      ? 1
      : 0;
    if (allowed[c] === 0) rejects = true;
  }
  return rejects ? allowed : undefined;
}
