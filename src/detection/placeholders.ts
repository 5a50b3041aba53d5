/**
 * Shared filter for values that look like credentials but are documentation
 * samples, placeholders, templates or already-redacted text. Applied by the
 * engine to every detector's secret (and companion) value, so detectors do not
 * each re-implement it.
 */

/** Public documentation samples that would otherwise pass format checks. */
const KNOWN_SAMPLES = new Set<string>([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'ghs_16C7e42F292c69C2E7C10c838347Ae178B4a',
  // Slack's oauth.v2.access documentation example
  'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy',
  // jwt.io default token signature
  'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
]);

/** Words that only appear in placeholders; matched case-insensitively anywhere in the value. */
const PLACEHOLDER_WORDS =
  /example|changeme|change_me|placeholder|redacted|your[-_]?(?:api|token|key|secret|password)|insert[-_]?(?:your|here)|replace[-_]?me|dummy|notreal|not[-_]a[-_]real/i;

/** Templating syntaxes: `${X}`, `${{ secrets.X }}`, `{{ x }}`, `<your-token>`, `%VAR%`, `$(cmd)`. */
const TEMPLATE = /\$\{|\{\{|\}\}|^<.*>$|^%[\w.-]+%$|\$\(|^\$[A-Z_][A-Z0-9_]*$/;

/** Masking characters people type when they redact by hand. */
const MASKED = /[*•…]{2,}|x{5,}|X{5,}|\.\.\./;

/**
 * The three patterns above in one case-insensitive pass, a superset of them: most values contain none, and
 * one regular expression call is cheaper than three (this runs on every candidate of every detector).
 */
const ANY_PATTERN = new RegExp(`${PLACEHOLDER_WORDS.source}|${TEMPLATE.source}|${MASKED.source}`, 'i');

const SEQUENCES = ['0123456789', 'abcdefghij', 'ABCDEFGHIJ', 'qwertyuiop'];

function longestRun(value: string): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < value.length; i++) {
    run = value.charCodeAt(i) === value.charCodeAt(i - 1) ? run + 1 : 1;
    if (run > best) best = run;
  }
  return value.length === 0 ? 0 : best;
}

/**
 * A run of one character that a person typed, not one chance put there: six or more in a row that make up a
 * quarter of the value (`tok-aaaaaaQ9`, `hunter222222`), or ten or more anywhere. Six alone is not enough:
 * the numeric ids inside real tokens repeat a digit six times now and then (`xoxb-…-4444449808382-…`, about
 * one Slack token in 7,000), while ten equal digits happen by chance about once in a billion.
 */
function isMostlyOneRun(value: string): boolean {
  const run = longestRun(value);
  return run >= 10 || (run >= 6 && run * 4 >= value.length);
}

/**
 * Why a value is a placeholder, or `undefined` when it may be a real secret.
 *
 * @example placeholderReason('xoxb-xxxxxxxxxxxx') // 'masked'
 */
export function placeholderReason(value: string): string | undefined {
  if (KNOWN_SAMPLES.has(value)) return 'known documentation sample';
  if (ANY_PATTERN.test(value)) {
    if (PLACEHOLDER_WORDS.test(value)) return 'placeholder word';
    if (TEMPLATE.test(value)) return 'template expression';
    if (MASKED.test(value)) return 'masked';
  }
  if (isMostlyOneRun(value)) return 'repeated character';
  for (const seq of SEQUENCES) if (value.includes(seq)) return 'sequential characters';
  return undefined;
}
