import { createSecretKey } from 'node:crypto';
import type { Detector } from '../core/detector.ts';
import type { Match, MatchPart, Span } from '../core/match.ts';
import { Secret } from '../core/secret.ts';
import { shannonEntropy } from './entropy.ts';
import { fingerprint } from './fingerprint.ts';
import { normalize, type TextFormat } from './normalize.ts';
import { placeholderReason } from './placeholders.ts';
import { allowedBefore, leadingLiterals } from './anchor.ts';
import { KeywordHits, KeywordPrefilter } from './prefilter.ts';
import { redactSecret } from './redact.ts';

export interface ScannerOptions {
  detectors: readonly Detector[];
  /** HMAC key for fingerprints (see `loadFingerprintKey`). */
  fingerprintKey: string | Uint8Array;
  /** Text longer than this is scanned in overlapping windows of this size. Default 1 MiB of characters. */
  windowChars?: number;
  /** Overlap between windows; must exceed the longest credential. Default 32 KiB. */
  windowOverlapChars?: number;
}

export interface ScanOptions {
  /** Markup of `text`; spans in the returned matches always point into `text` as given. */
  format?: TextFormat;
  /** When given, filled with per-detector work counters (used by the linear-time tests). */
  stats?: ScanStats;
}

export interface ScanStats {
  keywordHits: number;
  /**
   * Characters of text each detector's pattern may have run over: regions
   * searched, plus `window.after` for each try at a keyword hit (an upper
   * bound; what the linear-time test checks).
   */
  regionChars: Map<string, number>;
  /** When given: times each detector's pattern was tried at a keyword hit. */
  attempts?: Map<string, number>;
  /** When given: characters of regions each detector's pattern searched. */
  searchedChars?: Map<string, number>;
}

export interface Scanner {
  readonly detectors: readonly Detector[];
  /** Finds credentials in `text`. Matches are ordered by position. */
  scan(text: string, options?: ScanOptions): Match[];
}

const DEFAULT_BEFORE = 64;
const DEFAULT_AFTER = 256;
/** A run of keyword hits extends one region up to this size; then a new region starts. */
const MAX_REGION_CHARS = 64 * 1024;
/** Characters of text prefiltered before its hits are handled: small enough to stay in the CPU's L2 cache. */
const BLOCK_CHARS = 64 * 1024;
/**
 * Trying a pattern at each hit costs up to `after` characters per hit; that
 * is allowed while it stays within the block's length, or this much for a
 * short text (a chat message with one keyword need not be searched whole).
 */
const MIN_STICKY_BUDGET = 4 * 1024;

interface CompiledDetector {
  detector: Detector;
  /** Global copy of the pattern, for searching regions. */
  regex: RegExp;
  /** Sticky copy: tries the pattern at one position. */
  sticky: RegExp;
  /**
   * Sticky copy with match indices (`d`), to find where the secret group is.
   * Indices cost an allocation per match, and most matches fail validation,
   * so they are asked for only once a candidate has passed.
   */
  locate: RegExp;
  /**
   * Set when every match must start at one of the detector's keywords (each
   * literal the pattern can start with, see `leadingLiterals`, starts with a
   * keyword): the pattern is then tried only at keyword hits, not searched for
   * in a window around them.
   */
  anchored: boolean;
  /**
   * For anchored patterns that start with a boundary assertion: which ASCII
   * characters may precede a match (see `allowedBefore`), checked when hits
   * are grouped, before the pattern is run at them.
   */
  boundaryBefore: Uint8Array | undefined;
  /** Named `secret` group, or the numbered group holding the secret. */
  secretGroup: 'secret' | number;
  before: number;
  after: number;
  keywords: readonly string[];
  companions: readonly { name: string; regex: RegExp; window: number; entropy: number }[];
}

function compile(pattern: RegExp, mode: 'g' | 'y', indices = false): RegExp {
  const flags = new Set(pattern.flags.replace(/[gyd]/g, ''));
  flags.add(mode);
  if (indices) flags.add('d');
  return new RegExp(pattern.source, [...flags].join(''));
}

function anchoredAtKeywords(pattern: RegExp, keywords: readonly string[]): boolean {
  const literals = leadingLiterals(pattern.source);
  return (
    literals !== undefined &&
    keywords.length > 0 &&
    literals.every((literal) => keywords.some((k) => literal.toLowerCase().startsWith(k)))
  );
}

function compileDetector(detector: Detector): CompiledDetector {
  const named = /\(\?<secret>/.test(detector.pattern.source);
  if (!named && detector.secretGroup === undefined) {
    throw new Error(`detector ${detector.id}: pattern has no (?<secret>…) group and no secretGroup`);
  }
  const keywords = detector.keywords.map((k) => k.toLowerCase());
  const anchored = anchoredAtKeywords(detector.pattern, keywords);
  return {
    detector,
    regex: compile(detector.pattern, 'g'),
    sticky: compile(detector.pattern, 'y'),
    locate: compile(detector.pattern, 'y', true),
    anchored,
    boundaryBefore: anchored ? allowedBefore(detector.pattern, keywords) : undefined,
    secretGroup: named ? 'secret' : detector.secretGroup!,
    before: detector.window?.before ?? DEFAULT_BEFORE,
    after: detector.window?.after ?? DEFAULT_AFTER,
    keywords,
    companions: (detector.companions ?? []).map((c) => ({
      name: c.name,
      regex: compile(c.pattern, 'g', true),
      window: c.window,
      entropy: c.entropy ?? 0,
    })),
  };
}

/** Longest keyword the secret starts with: the token's public type marker, kept visible when redacting. */
function publicPrefix(secret: string, keywords: readonly string[]): string {
  const lower = secret.toLowerCase();
  let best = '';
  for (const k of keywords) if (k.length > best.length && lower.startsWith(k)) best = secret.slice(0, k.length);
  // Never let a long keyword expose more than half of a short secret.
  return best.length * 2 <= secret.length ? best : '';
}

function isPlausible(value: string, entropyFloor: number, checkPlaceholder: boolean): boolean {
  // Entropy first: it is the cheaper of the two (both must pass).
  if (entropyFloor > 0 && shannonEntropy(value) < entropyFloor) return false;
  return !checkPlaceholder || placeholderReason(value) === undefined;
}

/**
 * Compiles detectors once into a scanner: one keyword prefilter over all of
 * them, then each triggered detector's pattern only at or around its keyword
 * hits, then validation, entropy floors, placeholder filters and companion
 * parts. Work per detector is bounded by (window × keyword hits), capped by the
 * text length, so scanning stays linear.
 *
 * @example
 *   const scanner = createScanner({ detectors, fingerprintKey });
 *   for (const m of scanner.scan(message.text, { format: 'slack' })) console.log(m.detectorId, m.redacted);
 */
export function createScanner(options: ScannerOptions): Scanner {
  const ids = new Set<string>();
  for (const d of options.detectors) {
    if (ids.has(d.id)) throw new Error(`duplicate detector id: ${d.id}`);
    ids.add(d.id);
  }
  const compiled = options.detectors.map(compileDetector);
  // Imported once: an HMAC keyed with a string or bytes imports the key again at every call (~3× slower).
  const key = options.fingerprintKey;
  const fingerprintKey = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key);
  const windowChars = options.windowChars ?? 1024 * 1024;
  const overlap = options.windowOverlapChars ?? 32 * 1024;
  if (overlap >= windowChars) throw new Error('windowOverlapChars must be smaller than windowChars');

  // One automaton over the distinct keywords; each keyword knows the detectors that listed it.
  const keywordIndex = new Map<string, number>();
  const owners: number[][] = [];
  compiled.forEach((c, d) => {
    for (const k of c.keywords) {
      let index = keywordIndex.get(k);
      if (index === undefined) {
        index = owners.length;
        keywordIndex.set(k, index);
        owners.push([]);
      }
      if (!owners[index]!.includes(d)) owners[index]!.push(d);
    }
  });
  const prefilter = new KeywordPrefilter([...keywordIndex.keys()]);
  // Owners flattened: detectors of keyword k are ownerList[ownerStart[k] .. ownerStart[k + 1]).
  const ownerStart = new Int32Array(owners.length + 1);
  owners.forEach((o, k) => (ownerStart[k + 1] = ownerStart[k]! + o.length));
  const ownerList = Int32Array.from(owners.flat());

  const genericIds: ReadonlySet<string> = new Set(compiled.filter((c) => c.detector.generic).map((c) => c.detector.id));
  /** Detectors without keywords (custom rules only): they run on every window. */
  const keywordless = compiled.flatMap((c, d) => (c.keywords.length === 0 ? [d] : []));

  // Per-scan scratch, reused: keyword hits, then the same hits grouped by detector.
  const hits = new KeywordHits();
  const hitCount = new Int32Array(compiled.length);
  const groupStart = new Int32Array(compiled.length);
  const triggered = new Int32Array(compiled.length);
  let grouped = new Int32Array(1024);
  let keptHits = 0;
  /** Per detector, where its last match in the current scan ended: hits inside it are not tried again. */
  const matchedUntil = new Int32Array(compiled.length);
  /** Per detector, the region around its latest hits that is not searched yet (-1: none), and who has one. */
  const pendingStart = new Int32Array(compiled.length).fill(-1);
  const pendingEnd = new Int32Array(compiled.length).fill(-1);
  const pendingDetectors: number[] = [];

  /**
   * Per detector, 128 entries: may the pattern match at a keyword hit preceded
   * by this ASCII character? All 1 except for anchored patterns that start
   * with a boundary assertion (see `allowedBefore`), so a hit inside a word
   * (`eas` in `please`) is dropped here instead of being tried.
   */
  const precededBy = new Uint8Array(compiled.length * 128).fill(1);
  compiled.forEach((c, d) => {
    if (c.boundaryBefore !== undefined) precededBy.set(c.boundaryBefore, d * 128);
  });
  /** The block's (detector, hit start) pairs that survive that check, in hit order. */
  let pairDetector = new Int32Array(1024);
  let pairStart = new Int32Array(1024);

  /**
   * Groups the block's keyword hits (those starting before `startsBefore`) by
   * detector, with a counting sort so there are no per-detector arrays:
   * afterwards detector `d = triggered[t]` has its hit starts in
   * `grouped[groupStart[d] .. groupStart[d] + hitCount[d])`, ascending.
   * Returns how many detectors were triggered; `keptHits` counts the hits.
   */
  function groupHits(startsBefore: number): number {
    const starts = hits.starts;
    const keywords = hits.keywords;
    const count = hits.length;
    let detectorsHit = 0;
    let total = 0;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const start = starts[i]!;
      if (start >= startsBefore) continue;
      kept++;
      const k = keywords[i]!;
      const firstOwner = ownerStart[k]!;
      const lastOwner = ownerStart[k + 1]!;
      if (pairDetector.length < total + lastOwner - firstOwner) {
        pairDetector = grown(pairDetector, total + lastOwner - firstOwner);
        pairStart = grown(pairStart, pairDetector.length);
      }
      // 128 (allowed for everyone) at the start of the text and after a non-ASCII character.
      const preceding = start > 0 ? Math.min(text.charCodeAt(start - 1), 128) : 128;
      for (let o = firstOwner; o < lastOwner; o++) {
        const d = ownerList[o]!;
        if (preceding < 128 && precededBy[d * 128 + preceding] === 0) continue;
        pairDetector[total] = d;
        pairStart[total++] = start;
        if (hitCount[d]!++ === 0) triggered[detectorsHit++] = d;
      }
    }
    keptHits = kept;
    if (grouped.length < total) grouped = new Int32Array(Math.max(total, grouped.length * 2));
    let next = 0;
    for (let t = 0; t < detectorsHit; t++) {
      const d = triggered[t]!;
      groupStart[d] = next;
      next += hitCount[d]!;
      hitCount[d] = 0;
    }
    const into = grouped;
    for (let p = 0; p < total; p++) {
      const d = pairDetector[p]!;
      into[groupStart[d]! + hitCount[d]!++] = pairStart[p]!;
    }
    // Hits arrive in order of their end, so starts are sorted except where a longer keyword ends later.
    for (let t = 0; t < detectorsHit; t++) {
      const d = triggered[t]!;
      sortAscending(into, groupStart[d]!, groupStart[d]! + hitCount[d]!);
    }
    return detectorsHit;
  }

  function findCompanions(c: CompiledDetector, text: string, primary: Span): MatchPart[] | undefined {
    const parts: MatchPart[] = [];
    for (const companion of c.companions) {
      const from = Math.max(0, primary.start - companion.window);
      const to = Math.min(text.length, primary.end + companion.window);
      const slice = text.slice(from, to);
      companion.regex.lastIndex = 0;
      let best: { start: number; end: number; value: string } | undefined;
      for (let m = companion.regex.exec(slice); m !== null; m = companion.regex.exec(slice)) {
        if (m[0].length === 0) companion.regex.lastIndex++;
        const span = m.indices?.groups?.secret;
        const value = m.groups?.secret;
        if (span === undefined || value === undefined) continue;
        const start = from + span[0];
        const end = from + span[1];
        if (start < primary.end && end > primary.start) continue;
        if (!isPlausible(value, companion.entropy, true)) continue;
        const distance = start >= primary.end ? start - primary.end : primary.start - end;
        const bestDistance =
          best === undefined
            ? Infinity
            : best.start >= primary.end
              ? best.start - primary.end
              : primary.start - best.end;
        if (distance < bestDistance) best = { start, end, value };
      }
      if (best === undefined) return undefined;
      parts.push({
        name: companion.name,
        start: best.start,
        end: best.end,
        secret: new Secret(best.value, redactSecret(best.value)),
      });
    }
    return parts;
  }

  // The scan in progress. Scans are synchronous and never nest, so one set of
  // state (and one set of functions over it) serves them all: nothing is
  // allocated per scan unless something is found.
  let text = '';
  let stats: ScanStats | undefined;
  let matches: Map<string, Match> | undefined;

  function count(counter: Map<string, number> | undefined, id: string, n: number): void {
    counter?.set(id, (counter.get(id) ?? 0) + n);
  }

  /**
   * Checks a pattern match found in `subject` (the scanned text, or a slice of
   * it starting at `offset`) and records it when it is a credential.
   */
  function consider(d: number, m: RegExpExecArray, subject: string, offset: number): void {
    const c = compiled[d]!;
    const detector = c.detector;
    const group = c.secretGroup;
    const value = typeof group === 'string' ? m.groups?.[group] : m[group];
    if (value === undefined || value.length === 0) return;
    if (!isPlausible(value, detector.entropy ?? 0, !detector.skipPlaceholderFilter)) return;
    let span: Span | undefined;
    const locate = (): Span => (span ??= secretSpan(c, m, subject, offset));
    const scanned = text;
    const verdict = detector.validate
      ? detector.validate(value, m.groups ?? {}, {
          match: m[0],
          line: () => lineAround(scanned, locate().start, locate().end),
        })
      : true;
    const confidence = verdict === true ? 1 : verdict === false ? 0 : verdict;
    if (!(confidence > 0)) return;
    const { start, end } = locate();
    const key = `${d}:${start}:${end}`;
    if (matches?.has(key)) return;
    const parts = c.companions.length > 0 ? findCompanions(c, text, { start, end }) : [];
    if (parts === undefined) return;
    // A catch-all detector's keyword ("pass", "token") is not a token type marker: never keep it visible.
    const redacted = redactSecret(value, detector.generic ? '' : publicPrefix(value, c.keywords));
    matches ??= new Map();
    matches.set(key, {
      detectorId: detector.id,
      issuer: detector.issuer,
      severity: detector.severity,
      start,
      end,
      secret: new Secret(value, redacted),
      parts,
      confidence: Math.min(1, confidence),
      fingerprint: fingerprint(fingerprintKey, [value, ...parts.map((p) => p.secret.reveal())]),
      redacted: [redacted, ...parts.map((p) => p.secret.redacted)].join(' + '),
    });
  }

  /** Runs detector `d`'s global pattern over `text[start, end)`. */
  function searchRegion(d: number, start: number, end: number): void {
    const c = compiled[d]!;
    if (stats) {
      count(stats.regionChars, c.detector.id, end - start);
      count(stats.searchedChars, c.detector.id, end - start);
    }
    const slice = text.slice(start, end);
    c.regex.lastIndex = 0;
    for (let m = c.regex.exec(slice); m !== null; m = c.regex.exec(slice)) {
      if (m[0].length === 0) c.regex.lastIndex++;
      consider(d, m, slice, start);
    }
  }

  /**
   * Searches windows of `before`/`after` characters around each hit, merged
   * where they touch (up to MAX_REGION_CHARS each), so overlapping windows
   * are searched once. The last region stays pending, to merge with the
   * next block's hits; `flushRegions` searches what is left at the end.
   */
  function searchAroundHits(d: number, first: number, last: number, from: number, to: number): void {
    const c = compiled[d]!;
    let regionStart = pendingStart[d]!;
    let regionEnd = pendingEnd[d]!;
    if (regionStart === -1) pendingDetectors.push(d);
    for (let i = first; i < last; i++) {
      const hit = grouped[i]!;
      const start = Math.max(from, hit - c.before);
      const end = Math.min(to, hit + c.after);
      if (regionStart !== -1 && start <= regionEnd && end - regionStart <= MAX_REGION_CHARS) {
        if (end > regionEnd) regionEnd = end;
        continue;
      }
      if (regionStart !== -1) searchRegion(d, regionStart, regionEnd);
      regionStart = start;
      regionEnd = end;
    }
    pendingStart[d] = regionStart;
    pendingEnd[d] = regionEnd;
  }

  function flushRegions(): void {
    for (const d of pendingDetectors) {
      searchRegion(d, pendingStart[d]!, pendingEnd[d]!);
      pendingStart[d] = pendingEnd[d] = -1;
    }
    pendingDetectors.length = 0;
  }

  /** Tries an anchored pattern at each distinct hit. */
  function tryAtHits(d: number, first: number, last: number): void {
    const c = compiled[d]!;
    const sticky = c.sticky;
    let tried = 0;
    let previous = -1;
    for (let i = first; i < last; i++) {
      const hit = grouped[i]!;
      // Several keywords of one detector can hit the same spot (`xoxe` and `xoxe.xoxb-`), and a
      // hit inside the detector's previous match (`xoxb-` in `xoxe.xoxb-…`) is part of that match.
      if (hit === previous || hit < matchedUntil[d]!) continue;
      previous = hit;
      tried++;
      sticky.lastIndex = hit;
      const m = sticky.exec(text);
      if (m === null) continue;
      matchedUntil[d] = m.index + m[0].length;
      consider(d, m, text, 0);
    }
    if (stats) {
      count(stats.regionChars, c.detector.id, tried * c.after);
      count(stats.attempts, c.detector.id, tried);
    }
  }

  function scanWindow(from: number, to: number): void {
    // Hits are handled a block at a time, right after the prefilter read the block: the
    // patterns then run on text that is still in the CPU cache.
    for (let block = from; block < to; block += BLOCK_CHARS) {
      const blockEnd = Math.min(to, block + BLOCK_CHARS);
      // Read a little past the block so a keyword straddling its end is seen (it belongs to this block).
      prefilter.collect(text, hits, block, Math.min(to, blockEnd + prefilter.longestKeyword - 1));
      const detectorsHit = groupHits(blockEnd);
      if (stats) stats.keywordHits += keptHits;
      const stickyBudget = Math.max(blockEnd - block, MIN_STICKY_BUDGET);
      for (let t = 0; t < detectorsHit; t++) {
        const d = triggered[t]!;
        const c = compiled[d]!;
        const first = groupStart[d]!;
        const count = hitCount[d]!;
        hitCount[d] = 0;
        // Anchored patterns are tried at each hit only, unless hits are so dense
        // that searching merged regions is cheaper (which also bounds the work).
        if (c.anchored && count * c.after <= stickyBudget) tryAtHits(d, first, first + count);
        else searchAroundHits(d, first, first + count, from, to);
      }
    }
    flushRegions();
    for (const d of keywordless) searchRegion(d, from, to);
  }

  function found(): Match[] {
    return matches === undefined ? [] : dropShadowedGenerics([...matches.values()], genericIds);
  }

  function scanNormalized(input: string, scanStats: ScanStats | undefined): Match[] {
    text = input;
    stats = scanStats;
    matches = undefined;
    matchedUntil.fill(-1);
    try {
      for (let from = 0; from < text.length; from += windowChars - overlap) {
        const to = Math.min(text.length, from + windowChars);
        scanWindow(from, to);
        if (to === text.length) break;
      }
      return found();
    } finally {
      // Do not keep the caller's text (or a failed scan's state) alive.
      text = '';
      stats = undefined;
      matches = undefined;
      pendingDetectors.length = 0;
      pendingStart.fill(-1);
      pendingEnd.fill(-1);
    }
  }

  return {
    detectors: options.detectors,
    scan(text, scanOptions = {}) {
      const format = scanOptions.format ?? 'plain';
      if (format === 'plain') return sortByPosition(scanNormalized(text, scanOptions.stats));
      const mapped = normalize(text, format);
      const found = scanNormalized(mapped.text, scanOptions.stats).map((m) => ({
        ...m,
        ...mapped.toOriginal(m),
        parts: m.parts.map((p) => ({ ...p, ...mapped.toOriginal(p) })),
      }));
      return sortByPosition(found);
    },
  };
}

/** A copy of `array` with room for at least `length` entries. */
function grown(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(Math.max(length, array.length * 2));
  bigger.set(array);
  return bigger;
}

/** Insertion sort of `array[from, to)`: the runs it gets are sorted or nearly so. */
function sortAscending(array: Int32Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const value = array[i]!;
    if (value >= array[i - 1]!) continue;
    let j = i - 1;
    while (j >= from && array[j]! > value) {
      array[j + 1] = array[j]!;
      j--;
    }
    array[j + 1] = value;
  }
}

/** Where the secret group of match `m` (found in `subject`, which starts at `offset` of the text) lies in the text. */
function secretSpan(c: CompiledDetector, m: RegExpExecArray, subject: string, offset: number): Span {
  if (c.secretGroup === 0) return { start: offset + m.index, end: offset + m.index + m[0].length };
  // The same pattern at the same position takes the same path, so this is the same match, now with indices.
  c.locate.lastIndex = m.index;
  const located = c.locate.exec(subject);
  const group = c.secretGroup;
  const span = typeof group === 'string' ? located?.indices?.groups?.[group] : located?.indices?.[group];
  if (span === undefined) throw new Error(`detector ${c.detector.id}: secret group not found on re-match`);
  return { start: offset + span[0], end: offset + span[1] };
}

function lineAround(text: string, start: number, end: number): string {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  return text.slice(from, newline === -1 ? text.length : newline);
}

function sortByPosition(matches: Match[]): Match[] {
  return matches.sort((a, b) => a.start - b.start || a.end - b.end || a.detectorId.localeCompare(b.detectorId));
}

/** A catch-all detector's match yields to a specific detector's overlapping match or companion part. */
function dropShadowedGenerics(matches: Match[], generic: ReadonlySet<string>): Match[] {
  if (generic.size === 0) return matches;
  const specific = matches.filter((m) => !generic.has(m.detectorId)).flatMap((m) => [m, ...m.parts]);
  return matches.filter((m) => !generic.has(m.detectorId) || !specific.some((s) => s.start < m.end && m.start < s.end));
}
