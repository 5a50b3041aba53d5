import type { Detector } from '../core/detector.ts';
import type { Match, MatchPart, Span } from '../core/match.ts';
import { Secret } from '../core/secret.ts';
import { shannonEntropy } from './entropy.ts';
import { fingerprint } from './fingerprint.ts';
import { normalize, type TextFormat } from './normalize.ts';
import { placeholderReason } from './placeholders.ts';
import { leadingLiterals } from './anchor.ts';
import { KeywordPrefilter } from './prefilter.ts';
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
  /** Characters of text each detector's pattern was run over. */
  regionChars: Map<string, number>;
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

interface CompiledDetector {
  detector: Detector;
  regex: RegExp;
  /**
   * Set when every match must start at one of the detector's keywords (the
   * pattern begins with a literal that starts with a keyword): the pattern is
   * then tried only at keyword hits, with no region search.
   */
  sticky: RegExp | undefined;
  /** Named `secret` group, or the numbered group holding the secret. */
  secretGroup: 'secret' | number;
  before: number;
  after: number;
  keywords: readonly string[];
  companions: readonly { name: string; regex: RegExp; window: number; entropy: number }[];
}

function compile(pattern: RegExp, mode: 'g' | 'y' = 'g'): RegExp {
  const flags = new Set(pattern.flags.replace(/[gy]/g, ''));
  flags.add(mode);
  flags.add('d');
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
  return {
    detector,
    regex: compile(detector.pattern),
    sticky: anchoredAtKeywords(detector.pattern, keywords) ? compile(detector.pattern, 'y') : undefined,
    secretGroup: named ? 'secret' : detector.secretGroup!,
    before: detector.window?.before ?? DEFAULT_BEFORE,
    after: detector.window?.after ?? DEFAULT_AFTER,
    keywords,
    companions: (detector.companions ?? []).map((c) => ({
      name: c.name,
      regex: compile(c.pattern),
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
  if (checkPlaceholder && placeholderReason(value) !== undefined) return false;
  return entropyFloor <= 0 || shannonEntropy(value) >= entropyFloor;
}

/**
 * Compiles detectors once into a scanner: one keyword prefilter over all of
 * them, then each triggered detector's pattern only in small regions around its
 * keyword hits, then validation, entropy floors, placeholder filters and
 * companion parts. Work per detector is bounded by (window × keyword hits),
 * capped by the text length, so scanning stays linear.
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

  const genericIds: ReadonlySet<string> = new Set(compiled.filter((c) => c.detector.generic).map((c) => c.detector.id));
  /** Detectors without keywords (custom rules only): they run on every window. */
  const keywordless = compiled.flatMap((c, d) => (c.keywords.length === 0 ? [d] : []));

  /**
   * Keyword hit positions per detector in `text[from, to)`, for the detectors
   * that had any: allocation is proportional to hits, not to the number of
   * detectors, which matters for many short messages.
   */
  function hitsFor(text: string, from: number, to: number, stats: ScanStats | undefined): Map<number, number[]> {
    const hits = new Map<number, number[]>();
    for (const d of keywordless) hits.set(d, []);
    prefilter.scan(
      text,
      (k, hit) => {
        if (stats) stats.keywordHits++;
        for (const d of owners[k]!) {
          let list = hits.get(d);
          if (list === undefined) {
            list = [];
            hits.set(d, list);
          }
          // Several keywords of one detector can hit the same spot (`xoxe` and `xoxe.xoxb-`).
          if (list[list.length - 1] !== hit) list.push(hit);
        }
      },
      from,
      to,
    );
    return hits;
  }

  /**
   * Merges windows around hits into regions to search (capped in size, so a
   * run of hits cannot make one region unbounded). Hits come in end order, so
   * starts are nearly sorted: sort once to be safe.
   */
  function regionsOf(c: CompiledDetector, hits: number[], from: number, to: number): Span[] {
    const sorted = [...hits].sort((a, b) => a - b);
    const list: Span[] = [];
    for (const hit of sorted) {
      const start = Math.max(from, hit - c.before);
      const end = Math.min(to, hit + c.after);
      const last = list[list.length - 1];
      if (last !== undefined && start <= last.end && end - last.start <= MAX_REGION_CHARS) {
        if (end > last.end) last.end = end;
      } else {
        list.push({ start, end });
      }
    }
    if (c.keywords.length === 0) list.push({ start: from, end: to });
    return list;
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

  function scanNormalized(text: string, stats: ScanStats | undefined): Match[] {
    const matches = new Map<string, Match>();
    const work = (id: string, chars: number) => {
      if (stats) stats.regionChars.set(id, (stats.regionChars.get(id) ?? 0) + chars);
    };

    const consider = (d: number, m: RegExpExecArray, offset: number): void => {
      const c = compiled[d]!;
      const detector = c.detector;
      const group = c.secretGroup;
      const span = typeof group === 'string' ? m.indices?.groups?.[group] : m.indices?.[group];
      const value = typeof group === 'string' ? m.groups?.[group] : m[group];
      if (span === undefined || value === undefined || value.length === 0) return;
      const start = offset + span[0];
      const end = offset + span[1];
      const key = `${d}:${start}:${end}`;
      if (matches.has(key)) return;
      if (!isPlausible(value, detector.entropy ?? 0, !detector.skipPlaceholderFilter)) return;
      const verdict = detector.validate
        ? detector.validate(value, m.groups ?? {}, { match: m[0], line: () => lineAround(text, start, end) })
        : true;
      const confidence = verdict === true ? 1 : verdict === false ? 0 : verdict;
      if (!(confidence > 0)) return;
      const parts = c.companions.length > 0 ? findCompanions(c, text, { start, end }) : [];
      if (parts === undefined) return;
      // A catch-all detector's keyword ("pass", "token") is not a token type marker: never keep it visible.
      const redacted = redactSecret(value, detector.generic ? '' : publicPrefix(value, c.keywords));
      matches.set(key, {
        detectorId: detector.id,
        issuer: detector.issuer,
        severity: detector.severity,
        start,
        end,
        secret: new Secret(value, redacted),
        parts,
        confidence: Math.min(1, confidence),
        fingerprint: fingerprint(options.fingerprintKey, [value, ...parts.map((p) => p.secret.reveal())]),
        redacted: [redacted, ...parts.map((p) => p.secret.redacted)].join(' + '),
      });
    };

    for (let from = 0; from < text.length; from += windowChars - overlap) {
      const to = Math.min(text.length, from + windowChars);
      for (const [d, list] of hitsFor(text, from, to, stats)) {
        const c = compiled[d]!;
        // Anchored patterns are tried at each hit only, unless hits are so dense
        // that searching merged regions is cheaper (which also bounds the work).
        if (c.sticky && list.length * c.after <= to - from) {
          work(c.detector.id, list.length * c.after);
          let matchedUntil = -1;
          for (const hit of list) {
            if (hit < matchedUntil) continue;
            c.sticky.lastIndex = hit;
            const m = c.sticky.exec(text);
            if (m === null) continue;
            matchedUntil = m.index + m[0].length;
            consider(d, m, 0);
          }
          continue;
        }
        for (const region of regionsOf(c, list, from, to)) {
          work(c.detector.id, region.end - region.start);
          const slice = text.slice(region.start, region.end);
          c.regex.lastIndex = 0;
          for (let m = c.regex.exec(slice); m !== null; m = c.regex.exec(slice)) {
            if (m[0].length === 0) c.regex.lastIndex++;
            consider(d, m, region.start);
          }
        }
      }
    }
    return matches.size === 0 ? [] : dropShadowedGenerics([...matches.values()], genericIds);
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
