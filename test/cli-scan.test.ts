import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import type { CommandIo } from '../src/cli/command-io.ts';
import { writeZip } from '../integrations/slack/test-zip.ts';

const TOKEN = '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';

async function run(argv: string[], stdin = ''): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    readStdin: () => new TextEncoder().encode(stdin),
    env: { LEAKWATCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'lw-data-')) },
    version: '0.0.0-test',
  };
  const code = await main(argv, io);
  return { code, out, err };
}

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'lw-scan-'));
  mkdirSync(join(root, 'nested', '.git'), { recursive: true });
  writeFileSync(join(root, 'clean.txt'), 'nothing to see here\n');
  writeFileSync(join(root, 'nested', 'leak.env'), `# deploy\nA=1\n  NPM_TOKEN=${TOKEN}\n`);
  writeFileSync(join(root, 'nested', '.git', 'config'), `token ${TOKEN}\n`);
  writeFileSync(join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0, 1, 2, 3]));
  return root;
}

describe('leakwatch scan', () => {
  it('scans directories recursively and prints JSON Lines with 1-based line/column and 0-based offsets', async () => {
    const root = tree();
    const { code, out, err } = await run(['scan', root, '--format', 'json']);
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    const finding = JSON.parse(out[0]!);
    expect(finding).toMatchObject({
      detector: 'npm-access-token',
      file: join(root, 'nested', 'leak.env'),
      line: 3,
      column: 13,
      start: 25,
      end: 25 + TOKEN.length,
      redacted: 'npm_********Sowm',
      severity: 'critical',
    });
    expect(finding.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(out.join('\n')).not.toContain(TOKEN);
    expect(err.join('\n')).toContain('binary file, skipped');
  });

  it('reads stdin for `-` or no path, and prints the raw secret only with --show-secrets', async () => {
    const hidden = await run(['scan'], `x ${TOKEN}`);
    expect(hidden.code).toBe(1);
    expect(hidden.out.join('\n')).not.toContain(TOKEN);
    const shown = await run(['scan', '-', '--show-secrets', '--format', 'json'], `x ${TOKEN}`);
    expect(JSON.parse(shown.out[0]!).secret).toBe(TOKEN);
  });

  it('exits 0 when nothing is found', async () => {
    expect((await run(['scan', '-'], 'hello world')).code).toBe(0);
  });

  it('keeps scanning past unreadable paths and exits 2 only when nothing could be scanned', async () => {
    const root = tree();
    const partial = await run(['scan', join(root, 'missing.txt'), join(root, 'nested')]);
    expect(partial.code).toBe(1);
    expect(partial.err.join('\n')).toContain('missing.txt: no such file or directory');
    const none = await run(['scan', join(root, 'missing.txt'), join(root, 'image.bin')]);
    expect(none.code).toBe(2);
    expect(none.err.join('\n')).toContain('nothing could be scanned');
  });

  it('rejects bad flags with a clear message and exit 2', async () => {
    for (const argv of [
      ['scan', '--format', 'xml', '-'],
      ['scan', '--detectors', 'no-such-detector', '-'],
      ['scan', '--exclude-detectors', 'npm-access-token,nope', '-'],
      ['scan', '--frobnicate'],
    ]) {
      const { code, err, out } = await run(argv, TOKEN);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.join('\n')).toMatch(/format must be|unknown detector id|Unknown option/);
      expect(out).toEqual([]);
    }
  });

  it('filters detectors with --detectors and --exclude-detectors', async () => {
    expect((await run(['scan', '--exclude-detectors', 'npm-access-token', '-'], TOKEN)).code).toBe(0);
    expect((await run(['scan', '--detectors', 'npm-access-token', '-'], TOKEN)).code).toBe(1);
  });

  it('writes SARIF 2.1.0 with rules, regions and fingerprints but no secret', async () => {
    const root = tree();
    const { code, out } = await run(['scan', root, '--format', 'sarif']);
    expect(code).toBe(1);
    const sarif = JSON.parse(out.join('\n'));
    expect(sarif.version).toBe('2.1.0');
    const [result] = sarif.runs[0].results;
    expect(result.ruleId).toBe('npm-access-token');
    expect(result.locations[0].physicalLocation.region).toMatchObject({ startLine: 3, startColumn: 13 });
    expect(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(['npm-access-token']);
    expect(result.partialFingerprints['leakwatch/v1']).toMatch(/^[0-9a-f]{64}$/);
    expect(out.join('\n')).not.toContain(TOKEN);
  });
});

describe('leakwatch scan --rules', () => {
  it('adds custom rules, and rejects an invalid rule file with exit 2 naming the rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lw-rules-'));
    const good = join(dir, 'good.toml');
    writeFileSync(good, '[[rules]]\nid = "acme"\nregex = "acme_([a-z0-9]{24})"\nkeywords = ["acme_"]\n');
    const found = await run(['scan', '--rules', good, '--format', 'json', '-'], 'x acme_q2w3e4r5t6y7u8i9o0p1a2s3 y');
    expect(found.code).toBe(1);
    expect(JSON.parse(found.out[0]!)).toMatchObject({ detector: 'acme', issuer: 'custom' });

    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[[rules]]\nid = "slow"\nregex = "(a|aa)+$"\n');
    const rejected = await run(['scan', '--rules', bad, '-'], 'x');
    expect(rejected.code).toBe(2);
    expect(rejected.err.join('\n')).toMatch(/rules file .*bad\.toml: rule "slow": regex: pattern can backtrack/);
  });
});

describe('leakwatch detectors', () => {
  it('lists detectors as JSON with capabilities', async () => {
    const { code, out } = await run(['detectors', '--format', 'json']);
    expect(code).toBe(0);
    const npm = out.map((l) => JSON.parse(l)).find((d) => d.id === 'npm-access-token');
    expect(npm).toMatchObject({ issuer: 'npm', keywords: ['npm_'], verify: true, revoke: true });
  });

  it('rejects unknown commands', async () => {
    const { code, err } = await run(['frobnicate']);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('unknown command');
  });
  it('reads a Slack export zip message by message and names channel, timestamp and permalink', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lw-export-'));
    const zip = writeZip(join(root, 'acme-export.zip'), [
      { name: 'channels.json', data: JSON.stringify([{ id: 'C0DEPLOY01', name: 'deploys' }]) },
      { name: 'users.json', data: JSON.stringify([{ id: 'U0ALICE001', name: 'alice', team_id: 'T0ACME0001' }]) },
      {
        name: 'deploys/2026-11-20.json',
        data: JSON.stringify([
          { type: 'message', user: 'U0ALICE001', ts: '1763640000.000200', text: 'all green' },
          { type: 'message', user: 'U0ALICE001', ts: '1763640060.000300', text: `publish with\nNPM_TOKEN=${TOKEN}` },
        ]),
        method: 'deflate',
      },
    ]);
    const { code, out } = await run([
      'scan',
      zip,
      '--format',
      'json',
      '--slack-workspace-url',
      'https://acme.slack.com/',
    ]);
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    const finding = JSON.parse(out[0]!);
    expect(finding).toMatchObject({
      detector: 'npm-access-token',
      file: `${zip}#deploys/1763640060.000300`,
      line: 2,
      column: 11,
      slack: {
        channel: 'deploys',
        channelId: 'C0DEPLOY01',
        ts: '1763640060.000300',
        time: '2025-11-20T12:01:00.000Z',
        permalink: 'https://acme.slack.com/archives/C0DEPLOY01/p1763640060000300',
        author: 'U0ALICE001',
      },
    });
    expect(out[0]).not.toContain(TOKEN);
  });

  it('reports a zip that is not a Slack export as unreadable and exits 2 when nothing else was scanned', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lw-export-'));
    const zip = writeZip(join(root, 'other.zip'), [{ name: 'notes/readme.md', data: 'hello' }]);
    const { code, err } = await run(['scan', zip]);
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(/other\.zip/);
  });

  it('loads no platform client, database or web framework to scan plain files', () => {
    const root = tree();
    const loaded = join(root, 'modules.txt');
    // Records every module the process loads, through Node's synchronous module hooks.
    const hook = join(root, 'record-modules.mjs');
    writeFileSync(
      hook,
      `import { registerHooks } from 'node:module';
import { appendFileSync } from 'node:fs';
registerHooks({ load(url, context, next) { appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); } });`,
    );
    const bin = join(import.meta.dirname, '..', 'bin', 'leakwatch.ts');
    const run = spawnSync(process.execPath, ['--import', hook, bin, 'scan', '--format', 'json', join(root, 'nested')], {
      encoding: 'utf8',
      env: { ...process.env, LEAKWATCH_DATA_DIR: join(root, 'data'), NODE_DISABLE_COMPILE_CACHE: '1' },
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout).detector).toBe('npm-access-token');
    const modules = readFileSync(loaded, 'utf8').split('\n');
    expect(modules.some((m) => m.includes('/detectors/npm.ts'))).toBe(true);
    for (const heavy of [
      'jira.js',
      'confluence.js',
      '@slack/web-api',
      '@slack/bolt',
      '@azure/msal-node',
      'kysely',
      'pg-boss',
      'hono',
      'undici',
    ]) {
      expect(
        modules.filter((m) => m.includes(`/node_modules/${heavy}/`)),
        heavy,
      ).toEqual([]);
    }
  });
});
