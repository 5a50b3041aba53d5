import fc from 'fast-check';

/**
 * Shared fast-check arbitraries for the hostile-input tests (test/fuzz-*.test.ts).
 * Every property runs with a fixed seed and a bounded number of runs, so a
 * failure reproduces and each file stays well under a minute.
 */

/** Seed for every property: a failure prints its counterexample and reproduces with the same seed. */
export const FUZZ_SEED = 20_261_126;

/** `fc.assert` options with the fixed seed. */
export function fuzzRuns(numRuns: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true };
}

/** Strings attackers and broken clients send: control characters, markup, injections, huge and odd encodings. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\r\n\r\nX-Injected: 1',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE findings; --",
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  '..\\..\\windows\\system32',
  '%00%2e%2e%2f',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '\u202eexe.txt',
  '🔑'.repeat(50),
  '9'.repeat(400),
  '-1',
  'NaN',
  'null',
  'true',
  'a'.repeat(70_000),
];

/** Numbers at the edges of what JSON and PostgreSQL integers hold. */
export const HOSTILE_NUMBERS: readonly number[] = [
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e308,
  Number.MIN_VALUE,
];

/** Any string, including NUL, unpaired surrogates and astral characters. */
export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
);

/** JSON values with hostile leaves and prototype-pollution keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'type', 'text'), anyString),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** An object in which some of `shape`'s fields are replaced by hostile values, removed, or joined by extra fields. */
export function mutatedObject(shape: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const keys = Object.keys(shape);
  return fc
    .record({
      replace: fc.dictionary(fc.constantFrom(...(keys.length > 0 ? keys : ['x'])), hostileJson, { maxKeys: 3 }),
      drop: fc.subarray(keys),
      extra: fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor'), anyString), hostileJson, {
        maxKeys: 2,
      }),
    })
    .map(({ replace, drop, extra }) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(shape)) if (!drop.includes(k)) out[k] = v;
      for (const [k, v] of Object.entries(replace)) out[k] = v;
      for (const [k, v] of Object.entries(extra)) Object.defineProperty(out, k, { value: v, enumerable: true });
      return out;
    });
}

/** JSON text nested `depth` levels deep (`[[[…]]]` or `{"a":{"a":…}}`). */
export function deeplyNestedJson(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Raw bodies that are not JSON at all, or barely; bytes are sent as they are (often not UTF-8). */
export const garbageBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    'null',
    '[]',
    '"x"',
    '1e999999',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    'payload=%7B',
    'payload=%7B%22__proto__%22%3A%7B%22polluted%22%3A1%7D%7D',
    deeplyNestedJson(20_000),
    deeplyNestedJson(20_000, 'object'),
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
  fc.constant(Uint8Array.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x80, 0x22, 0x7d])),
  hostileJson.map((v) => JSON.stringify(v) ?? 'undefined'),
);
