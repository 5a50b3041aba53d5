/**
 * `npm run bench`: leakwatch's scanner against secretlint's recommended preset
 * on the same reproducible corpus, in the same process and run.
 *
 * Shapes: one large text (default 20 MB) and many small messages (default
 * 100,000). Reported per tool and shape: throughput, recall on the planted
 * credentials, false positives on everything else, and leakwatch's speed-up.
 * Results also go to bench/out/results.json. Exits 0 whether or not the
 * targets are met: this is a measurement, not a test.
 *
 * Flags: --seed <n>  --bytes <n>  --messages <n>  --runs <n>  --budget <seconds>
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { lintSource } from '@secretlint/core';
// A dependency of @secretlint/core (same hoisted copy), imported only to switch its profiler off.
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { detectors } from '../detectors/index.ts';
import { createScanner, type ScanStats } from '../src/detection/scanner.ts';
import { redactSecret } from '../src/detection/redact.ts';
import {
  buildLargeText,
  buildMessages,
  DEFAULT_SEED,
  PLANTED_FAMILIES,
  type LargeCorpus,
  type MessageCorpus,
} from './corpus.ts';

type Tool = 'leakwatch' | 'secretlint';
type Shape = 'large-text' | 'messages';

interface Span {
  start: number;
  end: number;
}

/** One reported credential, normalised across tools. Never holds a raw value. */
interface Finding {
  doc: number;
  rule: string;
  /** Every span the finding covers (leakwatch: the match and its companion parts). */
  spans: Span[];
  /** Redacted value, safe to print. */
  redacted: string;
}

interface Planted extends Span {
  doc: number;
  family: string;
}

interface Corpus {
  shape: Shape;
  docs: readonly string[];
  bytes: number;
  planted: readonly Planted[];
}

interface FalsePositive {
  rule: string;
  redacted: string;
  /** A little surrounding text with the match itself replaced by its redacted form. */
  context: string;
}

interface Measurement {
  tool: Tool;
  shape: Shape;
  /** Part of the corpus the tool was run on (secretlint may get a prefix when slow). */
  docs: number;
  bytes: number;
  prefix: boolean;
  /** Median wall time of a run. */
  seconds: number;
  /** Median CPU time (user + system) of a run: less disturbed than wall time when the machine is shared. */
  cpuSeconds: number;
  runSeconds: number[];
  mbPerSecond: number;
  docsPerSecond: number;
  mbPerCpuSecond: number;
  docsPerCpuSecond: number;
  planted: number;
  found: number;
  recall: number;
  missed: { family: string; doc: number; start: number; value: string }[];
  falsePositives: number;
  falsePositivesByRule: Record<string, number>;
  falsePositiveSamples: FalsePositive[];
  foundByFamily: Record<string, { planted: number; found: number }>;
}

const MB = 1_000_000;
const FINGERPRINT_KEY = 'leakwatch-bench-fingerprint-key-not-a-secret';
// The secretlint CLI disables its profiler unless `--profile`; left on, it records performance marks per rule and
// per source without bound, which slows secretlint down and would make the comparison unfair to it.
secretLintProfiler.setEnabled(false);

const SECRETLINT_CONFIG = {
  rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }],
};

const { values: flags } = parseArgs({
  options: {
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    bytes: { type: 'string', default: String(20 * MB) },
    messages: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    budget: { type: 'string', default: '180' },
  },
});
const seed = Number(flags.seed);
const targetBytes = Number(flags.bytes);
const messageCount = Number(flags.messages);
const runs = Math.max(1, Number(flags.runs));
/** Wall time secretlint may spend per shape before it is measured on a prefix instead. */
const budgetSeconds = Number(flags.budget);

// ---------------------------------------------------------------- tools

function leakwatchScanner(): (text: string, doc: number) => Finding[] {
  const scanner = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY });
  return (text, doc) =>
    scanner.scan(text).map((m) => ({
      doc,
      rule: m.detectorId,
      spans: [{ start: m.start, end: m.end }, ...m.parts.map((p) => ({ start: p.start, end: p.end }))],
      redacted: m.redacted,
    }));
}

async function secretlintScan(text: string, doc: number): Promise<Finding[]> {
  const result = await lintSource({
    source: { content: text, filePath: '/bench/corpus.txt', contentType: 'text' },
    options: { config: SECRETLINT_CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((m) => ({
    doc,
    rule: m.ruleId.replace('@secretlint/secretlint-rule-', ''),
    spans: [{ start: m.range[0], end: m.range[1] }],
    redacted: redactSecret(text.slice(m.range[0], m.range[1])),
  }));
}

// ---------------------------------------------------------------- measuring

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Timing {
  seconds: number;
  cpuSeconds: number;
  /** Wall time of every timed run (the spread shows how steady the machine was). */
  runSeconds?: number[];
}

/** Wall and CPU time of one call. */
async function timed<T>(run: () => T | Promise<T>): Promise<Timing & { result: T }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { result, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function medianTiming(timings: Timing[]): Timing {
  return {
    seconds: median(timings.map((t) => t.seconds)),
    cpuSeconds: median(timings.map((t) => t.cpuSeconds)),
    runSeconds: timings.map((t) => Math.round(t.seconds * 1000) / 1000),
  };
}

async function leakwatchRun(corpus: Corpus): Promise<Timing & { findings: Finding[] }> {
  const scan = leakwatchScanner();
  const once = (): Finding[] => corpus.docs.flatMap((text, doc) => scan(text, doc));
  once(); // warm-up: JIT, regex compilation, prefilter tables
  const timings: Timing[] = [];
  let findings: Finding[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await timed(once);
    findings = run.result;
    timings.push(run);
  }
  return { ...medianTiming(timings), findings };
}

interface WorkProfile {
  shape: Shape;
  keywordHits: number;
  /** Times each detector's pattern was tried at a keyword hit; top 10. */
  attempts: { detector: string; attempts: number }[];
  totalAttempts: number;
  /** Characters of regions each detector's pattern searched, as a share of the corpus length; top 10. */
  searched: { detector: string; chars: number; ofText: number }[];
}

/**
 * Where leakwatch's time goes, from the scanner's own counters (a separate,
 * untimed pass): keywords that are common words mean many pattern tries, and
 * a pattern that cannot be anchored at its keyword searches regions around it.
 */
function leakwatchWork(corpus: Corpus): WorkProfile {
  const scanner = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY });
  const stats: ScanStats = { keywordHits: 0, regionChars: new Map(), attempts: new Map(), searchedChars: new Map() };
  let length = 0;
  for (const text of corpus.docs) {
    scanner.scan(text, { stats });
    length += text.length;
  }
  const attempts = [...stats.attempts!.entries()]
    .map(([detector, n]) => ({ detector, attempts: n }))
    .sort((a, b) => b.attempts - a.attempts);
  const searched = [...stats.searchedChars!.entries()]
    .map(([detector, chars]) => ({ detector, chars, ofText: chars / length }))
    .sort((a, b) => b.chars - a.chars)
    .slice(0, 10);
  return {
    shape: corpus.shape,
    keywordHits: stats.keywordHits,
    attempts: attempts.slice(0, 10),
    totalAttempts: attempts.reduce((n, a) => n + a.attempts, 0),
    searched,
  };
}

async function secretlintOnce(docs: readonly string[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (let doc = 0; doc < docs.length; doc++) findings.push(...(await secretlintScan(docs[doc]!, doc)));
  return findings;
}

/** Where secretlint is measured when the whole shape would exceed the time budget. */
const SECRETLINT_PREFIX = { bytes: 2 * MB, messages: 10_000 };

/**
 * secretlint on the whole corpus when that fits the budget, else on a fixed
 * prefix (rates are size-normalised, so they still compare). The warm-up
 * doubles as the probe that decides. Repeated like leakwatch while runs stay cheap.
 */
async function secretlintRun(corpus: Corpus): Promise<Timing & { findings: Finding[]; corpus: Corpus }> {
  const probe = prefixOf(corpus, 0.05);
  const warmUp = await timed(() => secretlintOnce(probe.docs));
  const projected = warmUp.seconds * (corpus.bytes / Math.max(1, probe.bytes));
  const prefixFraction =
    corpus.docs.length === 1 ? SECRETLINT_PREFIX.bytes / corpus.bytes : SECRETLINT_PREFIX.messages / corpus.docs.length;
  const measured = projected <= budgetSeconds ? corpus : prefixOf(corpus, prefixFraction);
  const timings: Timing[] = [];
  for (;;) {
    const run = await timed(() => secretlintOnce(measured.docs));
    timings.push(run);
    const spent = timings.reduce((a, t) => a + t.seconds, 0);
    if (timings.length >= runs || spent * 2 >= budgetSeconds)
      return { ...medianTiming(timings), findings: run.result, corpus: measured };
  }
}

/** The first `fraction` of a corpus (by characters for one text, by count for messages). */
function prefixOf(corpus: Corpus, fraction: number): Corpus {
  if (fraction >= 1) return corpus;
  if (corpus.docs.length === 1) {
    const text = corpus.docs[0]!;
    let end = Math.floor(text.length * fraction);
    // Cut between paragraphs, never through a planted credential.
    end = Math.max(text.lastIndexOf('\n\n', end), 0) + 2;
    return {
      ...corpus,
      docs: [text.slice(0, end)],
      bytes: Buffer.byteLength(text.slice(0, end)),
      planted: corpus.planted.filter((p) => p.end <= end),
    };
  }
  const count = Math.max(1, Math.floor(corpus.docs.length * fraction));
  const docs = corpus.docs.slice(0, count);
  return {
    ...corpus,
    docs,
    bytes: docs.reduce((n, d) => n + Buffer.byteLength(d), 0),
    planted: corpus.planted.filter((p) => p.doc < count),
  };
}

// ---------------------------------------------------------------- scoring

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function contextOf(text: string, span: Span, redacted: string): string {
  const before = text.slice(Math.max(0, span.start - 32), span.start);
  const after = text.slice(span.end, span.end + 32);
  return `…${before}[${redacted}]${after}…`.replace(/\s+/g, ' ');
}

function score(tool: Tool, corpus: Corpus, findings: readonly Finding[], timing: Timing, prefix: boolean): Measurement {
  const plantedByDoc = new Map<number, Planted[]>();
  for (const p of corpus.planted) plantedByDoc.set(p.doc, [...(plantedByDoc.get(p.doc) ?? []), p]);

  const found = new Set<Planted>();
  const falsePositives: Finding[] = [];
  for (const f of findings) {
    // Planted spans per document are few (≤ ~100 in the large text): a linear pass is fine.
    const hits = (plantedByDoc.get(f.doc) ?? []).filter((p) => f.spans.some((s) => overlaps(s, p)));
    for (const p of hits) found.add(p);
    if (hits.length === 0) falsePositives.push(f);
  }

  const byRule: Record<string, number> = {};
  for (const f of falsePositives) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  // First 20, at most 5 per rule, so one noisy rule does not hide the others.
  const samples: FalsePositive[] = [];
  const perRule = new Map<string, number>();
  for (const f of falsePositives) {
    if (samples.length >= 20) break;
    const n = perRule.get(f.rule) ?? 0;
    if (n >= 5) continue;
    perRule.set(f.rule, n + 1);
    samples.push({
      rule: f.rule,
      redacted: f.redacted,
      context: contextOf(corpus.docs[f.doc]!, f.spans[0]!, f.redacted),
    });
  }

  const foundByFamily: Record<string, { planted: number; found: number }> = {};
  for (const p of corpus.planted) {
    const entry = (foundByFamily[p.family] ??= { planted: 0, found: 0 });
    entry.planted++;
    if (found.has(p)) entry.found++;
  }

  return {
    tool,
    shape: corpus.shape,
    docs: corpus.docs.length,
    bytes: corpus.bytes,
    prefix,
    seconds: timing.seconds,
    cpuSeconds: timing.cpuSeconds,
    runSeconds: timing.runSeconds ?? [timing.seconds],
    mbPerSecond: corpus.bytes / MB / timing.seconds,
    docsPerSecond: corpus.docs.length / timing.seconds,
    mbPerCpuSecond: corpus.bytes / MB / timing.cpuSeconds,
    docsPerCpuSecond: corpus.docs.length / timing.cpuSeconds,
    planted: corpus.planted.length,
    found: found.size,
    recall: corpus.planted.length === 0 ? 1 : found.size / corpus.planted.length,
    // Planted values are synthetic (generated for this run), so printing misses in full is safe and helps debugging.
    missed: corpus.planted
      .filter((p) => !found.has(p))
      .map((p) => ({ family: p.family, doc: p.doc, start: p.start, value: corpus.docs[p.doc]!.slice(p.start, p.end) })),
    falsePositives: falsePositives.length,
    falsePositivesByRule: byRule,
    falsePositiveSamples: samples,
    foundByFamily,
  };
}

// ---------------------------------------------------------------- report

function fromLarge(large: LargeCorpus): Corpus {
  return {
    shape: 'large-text',
    docs: [large.text],
    bytes: large.bytes,
    planted: large.planted.map((p) => ({ ...p, doc: 0 })),
  };
}

function fromMessages(corpus: MessageCorpus): Corpus {
  return {
    shape: 'messages',
    docs: corpus.messages,
    bytes: corpus.bytes,
    planted: corpus.planted.map((p) => ({ doc: p.message, family: p.family, start: p.start, end: p.end })),
  };
}

function rate(m: Measurement, clock: 'wall' | 'cpu' = 'wall'): string {
  return m.shape === 'large-text'
    ? `${(clock === 'wall' ? m.mbPerSecond : m.mbPerCpuSecond).toFixed(1)} MB/s`
    : `${Math.round(clock === 'wall' ? m.docsPerSecond : m.docsPerCpuSecond).toLocaleString('en-US')} docs/s`;
}

/** Load averages and CPU, so a result says what state the machine was in. */
function machineState(): { loadAverage: number[]; cpus: number; cpuModel: string } {
  return {
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  };
}

function size(m: Measurement): string {
  const mb = `${(m.bytes / MB).toFixed(1)} MB`;
  return m.shape === 'large-text' ? mb : `${m.docs.toLocaleString('en-US')} msgs (${mb})`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

async function main(): Promise<void> {
  const before = machineState();
  console.log(
    `leakwatch scan benchmark — node ${process.version}, seed ${seed}, ${detectors.length} detectors registered\n` +
      `machine: ${before.cpus} × ${before.cpuModel}, load average ${before.loadAverage.join(' ')} (1, 5, 15 min)`,
  );

  let started = performance.now();
  const large = fromLarge(buildLargeText(targetBytes, seed));
  const messages = fromMessages(buildMessages(messageCount, seed));
  console.log(
    `corpus built in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
      `large text ${(large.bytes / MB).toFixed(1)} MB with ${large.planted.length} planted; ` +
      `${messages.docs.length.toLocaleString('en-US')} messages (${(messages.bytes / MB).toFixed(1)} MB) with ${messages.planted.length} planted\n`,
  );

  const results: Measurement[] = [];
  const work: WorkProfile[] = [];
  for (const corpus of [large, messages]) {
    started = performance.now();
    const lw = await leakwatchRun(corpus);
    results.push(score('leakwatch', corpus, lw.findings, lw, false));
    work.push(leakwatchWork(corpus));
    const sl = await secretlintRun(corpus);
    results.push(score('secretlint', sl.corpus, sl.findings, sl, sl.corpus !== corpus));
    console.log(`measured ${corpus.shape} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  const get = (tool: Tool, shape: Shape): Measurement => results.find((r) => r.tool === tool && r.shape === shape)!;
  /** leakwatch's rate over secretlint's, by wall time (the target) or by CPU time. */
  const speedUp = (shape: Shape, clock: 'wall' | 'cpu' = 'wall'): number => {
    const lw = get('leakwatch', shape);
    const sl = get('secretlint', shape);
    const perSecond = (m: Measurement) =>
      shape === 'large-text'
        ? clock === 'wall'
          ? m.mbPerSecond
          : m.mbPerCpuSecond
        : clock === 'wall'
          ? m.docsPerSecond
          : m.docsPerCpuSecond;
    return perSecond(lw) / perSecond(sl);
  };

  const rows = [
    [
      'tool',
      'shape',
      'measured on',
      'time',
      'throughput',
      'speed-up',
      'cpu time',
      'per cpu-second',
      'cpu speed-up',
      'recall',
      'false pos.',
    ],
  ];
  for (const m of results) {
    const lw = m.tool === 'leakwatch';
    rows.push([
      m.tool,
      m.shape,
      `${size(m)}${m.prefix ? ' (prefix)' : ''}`,
      `${m.seconds.toFixed(3)} s`,
      rate(m),
      lw ? `${speedUp(m.shape).toFixed(1)}×` : '',
      `${m.cpuSeconds.toFixed(3)} s`,
      rate(m, 'cpu'),
      lw ? `${speedUp(m.shape, 'cpu').toFixed(1)}×` : '',
      `${m.found}/${m.planted} (${(m.recall * 100).toFixed(1)}%)`,
      String(m.falsePositives),
    ]);
  }
  console.log(`\n${table(rows)}`);
  if (results.some((m) => m.prefix)) {
    console.log(
      '(prefix: secretlint would exceed the time budget on the whole shape; its rates come from the first part of the same corpus.)',
    );
  }

  for (const w of work) {
    const tried = w.attempts
      .slice(0, 5)
      .map((a) => `${a.detector} ${a.attempts.toLocaleString('en-US')}`)
      .join(', ');
    const searched = w.searched
      .slice(0, 5)
      .map((p) => `${p.detector} ${(p.ofText * 100).toFixed(1)}%`)
      .join(', ');
    console.log(
      `leakwatch work on ${w.shape}: ${w.keywordHits.toLocaleString('en-US')} keyword hits; ` +
        `${w.totalAttempts.toLocaleString('en-US')} pattern tries at hits (${tried}); ` +
        `regions searched (share of text): ${searched || 'none'}`,
    );
  }

  const familyRows = [['planted family', 'planted', 'leakwatch', 'secretlint']];
  for (const family of PLANTED_FAMILIES) {
    const count = (tool: Tool, key: 'planted' | 'found'): number =>
      (['large-text', 'messages'] as const).reduce((n, s) => n + (get(tool, s).foundByFamily[family]?.[key] ?? 0), 0);
    familyRows.push([
      family,
      String(count('leakwatch', 'planted')),
      String(count('leakwatch', 'found')),
      `${count('secretlint', 'found')}/${count('secretlint', 'planted')}`,
    ]);
  }
  console.log(`\nrecall by family (both shapes):\n${table(familyRows)}`);

  for (const m of results) {
    if (m.missed.length > 0) {
      console.log(`\n${m.tool} missed on ${m.shape} (synthetic values):`);
      for (const miss of m.missed.slice(0, 40)) {
        const shown = miss.value.length > 90 ? `${miss.value.slice(0, 90)}… (${miss.value.length} chars)` : miss.value;
        console.log(`  ${miss.family} doc ${miss.doc} @${miss.start}: ${JSON.stringify(shown)}`);
      }
      if (m.missed.length > 40) console.log(`  … ${m.missed.length - 40} more`);
    }
    if (m.falsePositives > 0) {
      const rules = Object.entries(m.falsePositivesByRule)
        .sort((a, b) => b[1] - a[1])
        .map(([rule, n]) => `${rule} ${n}`)
        .join(', ');
      console.log(`\n${m.tool} false positives on ${m.shape}: ${m.falsePositives} (${rules})`);
      for (const fp of m.falsePositiveSamples) console.log(`  ${fp.rule}: ${fp.context}`);
    }
  }

  const targets = {
    zeroFalsePositives: results.filter((m) => m.tool === 'leakwatch').every((m) => m.falsePositives === 0),
    allPlantedFound: results.filter((m) => m.tool === 'leakwatch').every((m) => m.found === m.planted),
    tenTimesSecretlintLargeText: speedUp('large-text') >= 10,
    tenTimesSecretlintMessages: speedUp('messages') >= 10,
  };
  console.log('\ntargets:');
  console.log(`  zero false positives          ${targets.zeroFalsePositives ? 'MET' : 'NOT MET'}`);
  console.log(`  every planted token found     ${targets.allPlantedFound ? 'MET' : 'NOT MET'}`);
  console.log(
    `  ≥ 10× secretlint, large text  ${targets.tenTimesSecretlintLargeText ? 'MET' : 'NOT MET'} (${speedUp('large-text').toFixed(1)}×)`,
  );
  console.log(
    `  ≥ 10× secretlint, messages    ${targets.tenTimesSecretlintMessages ? 'MET' : 'NOT MET'} (${speedUp('messages').toFixed(1)}×)`,
  );
  const after = machineState();
  console.log(`\nload average at the end: ${after.loadAverage.join(' ')} (1, 5, 15 min)`);

  const out = join(dirname(fileURLToPath(import.meta.url)), 'out', 'results.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        seed,
        runs,
        machine: { ...before, loadAverageAtEnd: after.loadAverage },
        detectors: detectors.map((d) => d.id),
        corpus: {
          largeText: { bytes: large.bytes, planted: large.planted.length },
          messages: { count: messages.docs.length, bytes: messages.bytes, planted: messages.planted.length },
        },
        results,
        leakwatchWork: work,
        speedUp: { largeText: speedUp('large-text'), messages: speedUp('messages') },
        cpuSpeedUp: { largeText: speedUp('large-text', 'cpu'), messages: speedUp('messages', 'cpu') },
        targets,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nresults written to ${out}`);
}

await main();
