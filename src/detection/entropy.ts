/**
 * Character counts of the value being measured, by UTF-16 code unit. One
 * table reused by every call (scans are synchronous): counting into it is
 * several times cheaper than a `Map`, and it is zeroed again on the way out,
 * touching only the entries the value used.
 */
const counts = new Int32Array(65536);
/** The distinct characters of the value being measured, in order of first appearance. */
let distinct = new Int32Array(256);

/** `c·log2(c)` for the counts short values have, precomputed (`Math.log2` is most of the cost otherwise). */
const X_LOG2_X = Float64Array.from({ length: 257 }, (_, c) => (c > 1 ? c * Math.log2(c) : 0));

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const n = value.length;
  if (n === 0) return 0;
  if (distinct.length < n) distinct = new Int32Array(Math.max(n, 2 * distinct.length));
  let kinds = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (counts[c]!++ === 0) distinct[kinds++] = c;
  }
  // H = log2(n) - (1/n) Σ c·log2(c) over the distinct characters' counts.
  let sum = 0;
  for (let k = 0; k < kinds; k++) {
    const c = distinct[k]!;
    const count = counts[c]!;
    counts[c] = 0;
    sum += count <= 256 ? X_LOG2_X[count]! : count * Math.log2(count);
  }
  return (n <= 256 ? X_LOG2_X[n]! / n : Math.log2(n)) - sum / n;
}

/** Counts of character classes, for "mixed classes" heuristics on prefix-less secrets. */
export function charClasses(value: string): { lower: number; upper: number; digit: number; other: number } {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower++;
    else if (c >= 65 && c <= 90) upper++;
    else if (c >= 48 && c <= 57) digit++;
    else other++;
  }
  return { lower, upper, digit, other };
}
