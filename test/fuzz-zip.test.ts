import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readConfluenceSpaceExport } from '../integrations/confluence/space-export.ts';
import { readSlackExport } from '../integrations/slack/export-zip.ts';
import { buildZip, type ZipEntryInput } from '../integrations/slack/test-zip.ts';
import { main } from '../src/cli.ts';
import type { CommandIo } from '../src/cli/command-io.ts';
import { LeakwatchError } from '../src/core/errors.ts';
import { fuzzRuns, hostileJson } from './fuzz-arbitraries.ts';

// Hostile export archives (Slack exports, Confluence space exports) through
// the readers and through `leakwatch scan`: zip bombs stop at the byte cap
// quickly and in bounded memory; nested zips are not expanded; path
// traversal, NUL names, lying headers, truncated and corrupted archives end in
// a clear error naming the archive — never another exception, never a hang.
// Archives are built here, in memory; nothing large is committed.

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'lw-fuzz-zip-'));
let files = 0;
const write = (bytes: Buffer) => {
  const path = join(dir, `archive-${++files}.zip`);
  writeFileSync(path, bytes);
  return path;
};

const TOKEN = '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';
const SLACK_EXPORT: ZipEntryInput[] = [
  { name: 'channels.json', data: JSON.stringify([{ id: 'C0GENERAL1', name: 'general' }]) },
  { name: 'users.json', data: JSON.stringify([{ id: 'U1', name: 'dana', team_id: 'T1' }]) },
  {
    name: 'general/2026-01-15.json',
    data: JSON.stringify([{ type: 'message', user: 'U1', text: `deploy with ${TOKEN}`, ts: '1768471200.000100' }]),
    method: 'deflate',
  },
];
const CONFLUENCE_EXPORT: ZipEntryInput[] = [
  { name: 'index.html', data: '<html><title>Space : Home</title><body>home</body></html>' },
  {
    name: 'Ops_3001.html',
    data: `<html><title>Space : Ops</title><body><p>${TOKEN}</p></body></html>`,
    method: 'deflate',
  },
];

/**
 * A deflate stream of `mebibytes` MiB of zeros built without holding them:
 * one sync-flushed compressed MiB (about 1 KiB, never referring outside
 * itself) repeated, then an empty final block.
 */
function zeroBomb(mebibytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MiB), { finishFlush: constants.Z_SYNC_FLUSH, level: 9 });
  return Buffer.concat([...Array<Buffer>(mebibytes).fill(block), deflateRawSync(Buffer.alloc(0))]);
}

/** A zip of already-compressed entries, with whatever sizes the headers should claim. */
function rawZip(entries: Array<{ name: string; compressed: Buffer; declaredSize: number }>): Buffer {
  const parts: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(entry.compressed.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, entry.compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(entry.compressed.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + entry.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

type Outcome = { documents: number; error?: undefined } | { documents: number; error: LeakwatchError };

/** Reads an archive to the end; any error other than a LeakwatchError fails the test. */
async function readAll(reader: AsyncGenerator<unknown>): Promise<Outcome> {
  let documents = 0;
  try {
    for await (const _doc of reader) documents++;
    return { documents };
  } catch (error) {
    if (!(error instanceof LeakwatchError)) throw error;
    return { documents, error };
  }
}

/** Peak growth of the resident set while `work` runs (sampled every 5 ms), and its duration. */
async function measured<T>(work: () => Promise<T>): Promise<{ result: T; ms: number; peakMiB: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const started = performance.now();
  try {
    const result = await work();
    return {
      result,
      ms: performance.now() - started,
      peakMiB: (Math.max(peak, process.memoryUsage().rss) - base) / MiB,
    };
  } finally {
    clearInterval(timer);
  }
}

async function scan(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    readStdin: () => new Uint8Array(),
    env: { LEAKWATCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'lw-data-')) },
    version: '0.0.0-test',
  };
  const code = await main(['scan', ...argv], io);
  return { code, out, err };
}

describe('zip bombs', () => {
  it('a header that lies (1 KiB declared, 2 GiB inflated) stops just past the declared size, at once', async () => {
    const bomb = zeroBomb(2048);
    expect(bomb.length).toBeLessThan(3 * MiB);
    const path = write(
      rawZip([
        { name: 'channels.json', compressed: deflateRawSync('[]'), declaredSize: 2 },
        { name: 'general/2026-01-15.json', compressed: bomb, declaredSize: 1024 },
      ]),
    );
    const { result, ms, peakMiB } = await measured(() => readAll(readSlackExport(path)));
    expect(result.error?.message).toMatch(/unpacks to more than the 1024 bytes its header declares/);
    expect(ms).toBeLessThan(2_000);
    expect(peakMiB).toBeLessThan(256);

    const cli = await scan([path]);
    expect(cli.code).toBe(2);
    expect(cli.err.join('\n')).toContain(`${path}: `);
    expect(cli.err.join('\n')).toMatch(/its header declares \(a zip bomb\?\)/);
  });

  it('an honest header over the per-entry cap is refused before inflating anything', async () => {
    const path = write(
      rawZip([
        { name: 'channels.json', compressed: deflateRawSync('[]'), declaredSize: 2 },
        { name: 'general/2026-01-15.json', compressed: zeroBomb(128), declaredSize: 128 * MiB },
      ]),
    );
    const { result, ms } = await measured(() => readAll(readSlackExport(path)));
    expect(result.error?.message).toMatch(/unpacks to 134217728 bytes, over the 67108864-byte limit per entry/);
    expect(ms).toBeLessThan(500);
  });

  it('many entries each under the per-entry cap stop at the total cap, in bounded time and memory', async () => {
    // Whitespace inside a JSON list is valid, so every entry is read in full: only the total cap stops it.
    const inner = deflateRawSync(Buffer.concat([Buffer.from('['), Buffer.alloc(16 * MiB - 2, 0x20), Buffer.from(']')]));
    const days = Array.from({ length: 12 }, (_, i) => ({
      name: `general/${new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10)}.json`,
      compressed: inner,
      declaredSize: 16 * MiB,
    }));
    const path = write(rawZip([{ name: 'channels.json', compressed: deflateRawSync('[]'), declaredSize: 2 }, ...days]));
    const { result, ms, peakMiB } = await measured(() => readAll(readSlackExport(path, { maxTotalBytes: 128 * MiB })));
    expect(result.error?.message).toMatch(/the archive unpacks to more than 134217728 bytes/);
    expect(ms).toBeLessThan(15_000);
    expect(peakMiB).toBeLessThan(512);
    console.info(
      `zip bomb (12 × 16 MiB, cap 128 MiB): stopped after ${ms.toFixed(0)} ms, peak RSS +${peakMiB.toFixed(0)} MiB`,
    );
  });

  it('Confluence exports stop at the same caps', async () => {
    const lying = write(
      rawZip([
        { name: 'index.html', compressed: deflateRawSync('<html></html>'), declaredSize: 13 },
        { name: 'Ops_1.html', compressed: zeroBomb(1024), declaredSize: 100 },
      ]),
    );
    const { result, ms } = await measured(() => readAll(readConfluenceSpaceExport(lying)));
    expect(result.error?.message).toMatch(/its header declares/);
    expect(ms).toBeLessThan(2_000);
    const cli = await scan([lying]);
    expect(cli.code).toBe(2);
    expect(cli.err.join('\n')).toMatch(/its header declares/);
  });

  it('42.zip-style nested archives are not expanded', async () => {
    let nested = buildZip([{ name: 'a.txt', data: zeroBomb(1), method: 'store' }]);
    for (let level = 0; level < 5; level++) {
      nested = buildZip(
        Array.from({ length: 4 }, (_, i) => ({
          name: `level${level}-${i}.zip`,
          data: nested,
          method: 'deflate' as const,
        })),
      );
    }
    const path = write(buildZip([...SLACK_EXPORT, { name: 'general/nested.zip', data: nested }]));
    const { result, ms } = await measured(() => readAll(readSlackExport(path)));
    expect(result).toEqual({ documents: 1 });
    expect(ms).toBeLessThan(2_000);
  });
});

describe('archive structure', () => {
  it('refuses entry names that leave the extraction directory or hold NUL, naming the entry', async () => {
    for (const name of [
      '../evil.json',
      'general/../../evil.json',
      '/etc/passwd',
      '..\\..\\evil.json',
      'general\\2026-01-15.json',
      'C:/Windows/evil.json',
      'c:evil.json',
      'general/2026-01-15.json\u0000.txt',
    ]) {
      for (const [read, base] of [
        [readSlackExport, SLACK_EXPORT],
        [readConfluenceSpaceExport, CONFLUENCE_EXPORT],
      ] as const) {
        const path = write(buildZip([...base, { name, data: '[]' }]));
        const { error } = await readAll(read(path));
        expect(error?.message, name).toMatch(/unsafe entry path/);
        expect(error?.message).toContain(path);
      }
    }
  });

  it('reads 60,000 entries in time linear in their number and refuses more than the entry limit up front', async () => {
    const archive = (entries: number) =>
      write(
        buildZip([
          ...SLACK_EXPORT,
          ...Array.from({ length: entries }, (_, i) => ({ name: `general/x${i}.txt`, data: '' })),
        ]),
      );
    const small = archive(6_000);
    const path = archive(60_000);
    // Ten times the entries may take about ten times as long (per-entry reads), never a hundred (a loop over
    // the entries per entry). Compared on the same machine a moment apart, so how fast it is does not matter.
    const tenth = await measured(() => readAll(readSlackExport(small)));
    const { result, ms } = await measured(() => readAll(readSlackExport(path)));
    expect(tenth.result).toEqual({ documents: 1 });
    expect(result).toEqual({ documents: 1 });
    expect(ms).toBeLessThan(25 * tenth.ms + 1_000);
    const limited = await readAll(readSlackExport(path, { maxEntries: 1000 }));
    expect(limited.error?.message).toMatch(/lists 60003 entries, more than the limit of 1000/);
    console.info(`60,003-entry archive listed in ${ms.toFixed(0)} ms (6,003 entries: ${tenth.ms.toFixed(0)} ms)`);
  });

  it('truncated or corrupted archives end in a LeakwatchError naming the archive (or still read), never another error', async () => {
    const exports = [buildZip(SLACK_EXPORT), buildZip(CONFLUENCE_EXPORT)];
    let errors = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 1),
        fc.oneof(
          fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
          fc.record({
            kind: fc.constant('flip' as const),
            edits: fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), {
              minLength: 1,
              maxLength: 8,
            }),
          }),
        ),
        async (which, damage) => {
          const original = exports[which]!;
          let bytes: Buffer;
          if (damage.kind === 'truncate') bytes = original.subarray(0, damage.at % original.length);
          else {
            bytes = Buffer.from(original);
            for (const edit of damage.edits) bytes[edit.at % bytes.length] = edit.value;
          }
          const path = write(bytes);
          const reader = which === 0 ? readSlackExport(path) : readConfluenceSpaceExport(path);
          const { result, ms } = await measured(() => readAll(reader));
          expect(ms).toBeLessThan(5_000);
          if (result.error) {
            errors++;
            expect(result.error.message).toContain(path);
          }
          const cli = await scan([path]);
          expect([0, 1, 2]).toContain(cli.code);
          expect(cli.err.join('\n')).not.toMatch(/\n\s+at /);
        },
      ),
      fuzzRuns(150),
    );
    expect(errors).toBeGreaterThan(0);
  });

  it('hostile JSON inside a Slack export (any message shape) is skipped or refused with a clear error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.array(hostileJson, { maxLength: 6 }), hostileJson),
        fc.oneof(fc.array(hostileJson, { maxLength: 3 }), hostileJson),
        async (messages, channels) => {
          const path = write(
            buildZip([
              { name: 'channels.json', data: JSON.stringify(channels) ?? 'null' },
              { name: 'users.json', data: JSON.stringify(messages) ?? 'null' },
              { name: 'general/2026-01-15.json', data: JSON.stringify(messages) ?? 'null' },
            ]),
          );
          await readAll(readSlackExport(path, { workspaceUrl: 'https://acme.slack.com/' }));
          const cli = await scan([path, '--format', 'json']);
          expect([0, 1, 2]).toContain(cli.code);
        },
      ),
      fuzzRuns(200),
    );
  });
});
