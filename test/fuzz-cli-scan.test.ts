import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import type { CommandIo } from '../src/cli/command-io.ts';
import { deeplyNestedJson, fuzzRuns, hostileJson } from './fuzz-arbitraries.ts';

// `leakwatch scan` on hostile files: random bytes, invalid UTF-8, NUL bytes,
// empty files, one huge line, deep trees with symlink loops, unreadable
// paths, hostile JSON (Jira export detection) and hostile flags. Exit codes
// follow the README (0 nothing found, 1 findings, 2 nothing scanned or bad
// flags), problems are one clear line on stderr, and there is never a stack trace.

const TOKEN = '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';
const root = mkdtempSync(join(tmpdir(), 'lw-fuzz-scan-'));
let files = 0;
const file = (bytes: Uint8Array | string, ext = '.txt') => {
  const path = join(root, `input-${++files}${ext}`);
  writeFileSync(path, bytes);
  return path;
};

async function scan(argv: string[], stdin: Uint8Array = new Uint8Array()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    readStdin: () => stdin,
    env: { LEAKWATCH_DATA_DIR: join(root, 'data') },
    version: '0.0.0-test',
  };
  const code = await main(['scan', ...argv], io);
  return { code, out, err: err.join('\n') };
}

const STACK_LINE = /\n\s+at \S/;

describe('leakwatch scan on hostile files', () => {
  it('random bytes, invalid UTF-8 and NUL-containing files: exit 0/1/2 per README, one clear line per problem', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 4096 }),
          // Invalid UTF-8 without NUL: decoded with replacement characters, then scanned.
          fc.uint8Array({ minLength: 1, maxLength: 2048 }).map((b) => b.map((x) => (x === 0 ? 0xff : x | 0x80))),
          fc.string({ unit: 'binary', maxLength: 1024 }).map((s) => `${s} ${TOKEN} ${s}`),
        ),
        fc.constantFrom('.txt', '.json', '.zip', ''),
        async (bytes, ext) => {
          const path = file(bytes, ext);
          const { code, err, out } = await scan([path, '--format', 'json']);
          expect(err).not.toMatch(STACK_LINE);
          const encoded = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
          const binary = encoded.subarray(0, 8000).includes(0);
          if (binary) {
            expect(code).toBe(2);
            expect(err).toContain(`${path}: binary file, skipped`);
          } else {
            expect(code).toBe(out.length > 0 ? 1 : 0);
            for (const line of out) expect(JSON.parse(line)).toMatchObject({ file: expect.stringContaining(path) });
          }
          if (typeof bytes === 'string' && !binary) expect(code).toBe(1);
        },
      ),
      fuzzRuns(80),
    );
  });

  it('an empty file is scanned (exit 0); an empty directory leaves nothing to scan (exit 2)', async () => {
    expect((await scan([file(new Uint8Array())])).code).toBe(0);
    const empty = join(root, 'empty-dir');
    mkdirSync(empty);
    const none = await scan([empty]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('nothing could be scanned');
  });

  it('finds a token at the end of one 10 MB line in bounded time', async () => {
    const path = file(`${'a'.repeat(10 * 1024 * 1024)} ${TOKEN}`);
    const started = performance.now();
    const { code, out } = await scan([path, '--format', 'json']);
    const ms = performance.now() - started;
    expect(code).toBe(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ detector: 'npm-access-token', line: 1 });
    expect(ms).toBeLessThan(20_000);
    console.info(`10 MB single line scanned in ${ms.toFixed(0)} ms`);
  });

  it('walks a 300-level tree with symlink loops and a dangling link without following them', async () => {
    const tree = join(root, 'deep');
    let dir = tree;
    for (let i = 0; i < 300; i++) dir = join(dir, 'd');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'leak.env'), `NPM_TOKEN=${TOKEN}\n`);
    symlinkSync(tree, join(dir, 'loop'));
    symlinkSync('..', join(tree, 'd', 'up'));
    symlinkSync(join(root, 'missing'), join(tree, 'dangling'));
    const started = performance.now();
    const { code, out } = await scan([tree, '--format', 'json']);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
  });

  it('reports unreadable, missing and special paths on stderr and keeps scanning the rest', async () => {
    // Tests may run as root (permissions are no obstacle then): /proc/self/mem is unreadable for everyone at offset 0.
    const good = file(`x ${TOKEN}`);
    const { code, err } = await scan([
      '/proc/self/mem',
      join(root, 'no-such-file'),
      '/dev/null',
      join(root, 'dangling-top'),
      good,
    ]);
    expect(code).toBe(1);
    expect(err).toMatch(/\/proc\/self\/mem: \S/);
    expect(err).toContain('no-such-file: no such file or directory');
    expect(err).toContain('/dev/null: not a regular file, skipped');
    expect(err).not.toMatch(STACK_LINE);
    const none = await scan(['/proc/self/mem']);
    expect(none.code).toBe(2);
  });

  it('hostile JSON files (Jira export detection) are read as exports or as text, never crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileJson,
          fc.record({ issues: fc.array(hostileJson, { maxLength: 4 }) }),
          fc.array(fc.record({ key: hostileJson, fields: hostileJson }), { maxLength: 3 }),
        ),
        async (value) => {
          const { code, err } = await scan([file(JSON.stringify(value) ?? 'null', '.json')]);
          expect([0, 1]).toContain(code);
          expect(err).not.toMatch(STACK_LINE);
        },
      ),
      fuzzRuns(100),
    );
    for (const text of [
      deeplyNestedJson(200_000),
      deeplyNestedJson(200_000, 'object'),
      `{"issues":${deeplyNestedJson(100_000)}}`,
    ]) {
      const { code } = await scan([file(text, '.json')]);
      expect([0, 1]).toContain(code);
    }
  });

  it('hostile flags and stdin: exit 2 with one message, or a normal scan', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constantFrom(
              '--format',
              '--detectors',
              '--exclude-detectors',
              '--rules',
              '--slack-workspace-url',
              '--bogus',
              '-x',
              '--',
            ),
            fc.string({ maxLength: 20 }),
          ),
          { maxLength: 5 },
        ),
        fc.uint8Array({ maxLength: 256 }),
        async (argv, stdin) => {
          const { code, err } = await scan(
            argv.map((a) => (a.startsWith('-') || a === '' ? a : join(root, `flag-${a}`))),
            stdin,
          );
          expect([0, 1, 2]).toContain(code);
          expect(err).not.toMatch(STACK_LINE);
          if (code === 2) expect(err).toMatch(/^leakwatch/m);
        },
      ),
      fuzzRuns(100),
    );
  });

  it('the real binary prints no stack trace for hostile input', () => {
    const bin = join(import.meta.dirname, '..', 'bin', 'leakwatch.ts');
    const cases = [
      ['scan', '--rules', file('[[rules]\nid = ', '.toml')],
      ['scan', file(buildCorrupt(), '.zip')],
    ];
    for (const args of cases) {
      const run = spawnSync(process.execPath, [bin, ...args], {
        encoding: 'utf8',
        env: { ...process.env, LEAKWATCH_DATA_DIR: join(root, 'data') },
        timeout: 60_000,
      });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/^leakwatch/);
      expect(run.stderr).not.toMatch(STACK_LINE);
    }
  });
});

/** A file that starts (and ends) like a zip and is garbage in between: not an export, so a binary file. */
function buildCorrupt(): Uint8Array {
  const bytes = new Uint8Array(200);
  bytes.set([0x50, 0x4b, 0x03, 0x04], 0);
  bytes.set([0x50, 0x4b, 0x05, 0x06], 150);
  return bytes;
}
