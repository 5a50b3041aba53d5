/**
 * Translates a Go RE2 pattern (gitleaks rule files) into a JavaScript RegExp.
 * RE2 and JavaScript agree on most syntax; the differences that appear in
 * real rule files are handled here, and the rest is refused with a clear error
 * rather than silently matching something else.
 */
const POSIX_CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  xdigit: '0-9A-Fa-f',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
};

export function translateGoRegex(source: string): RegExp {
  let pattern = source;
  const flags = new Set<string>();
  // Leading flag group: (?i), (?is), (?m)…
  const leading = /^\(\?([imsU]+)\)/.exec(pattern);
  if (leading) {
    for (const f of leading[1]!) {
      if (f === 'U') throw new Error('the (?U) ungreedy flag has no JavaScript equivalent');
      flags.add(f);
    }
    pattern = pattern.slice(leading[0].length);
  }
  if (/\(\?[imsU]+\)/.test(pattern)) throw new Error('inline flags are only supported at the start of the pattern');
  if (/\\Q/.test(pattern)) throw new Error('\\Q…\\E literal sections are not supported');
  pattern = pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negated: string, name: string) => {
      const cls = POSIX_CLASSES[name];
      if (cls === undefined) throw new Error(`unknown POSIX class ${whole}`);
      if (negated) throw new Error(`negated POSIX class ${whole} is not supported`);
      return cls;
    });
  try {
    return new RegExp(pattern, [...flags].join(''));
  } catch (error) {
    throw new Error(`not a valid pattern: ${(error as Error).message}`, { cause: error });
  }
}
