import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { LeakwatchError } from '../../src/core/errors.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import { isSlackExport, readSlackExport, scanSlackExport, type SlackExportDocument } from './export-zip.ts';
import { writeZip, type ZipEntryInput } from './test-zip.ts';

const GITHUB_TOKEN = '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';
const dir = mkdtempSync(join(tmpdir(), 'lw-slack-export-'));
let counter = 0;
const zipOf = (entries: ZipEntryInput[]) => writeZip(join(dir, `export-${++counter}.zip`), entries);

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** The layout of a real Slack workspace export (Settings → Import/Export data). */
function exportEntries(): ZipEntryInput[] {
  return [
    {
      name: 'channels.json',
      data: json([
        {
          id: 'C0GENERAL1',
          name: 'general',
          created: 1700000000,
          creator: 'U0ALICE001',
          is_archived: false,
          is_general: true,
          members: ['U0ALICE001', 'U0BOB00001'],
          topic: { value: '', creator: '', last_set: 0 },
          purpose: { value: 'Company-wide', creator: 'U0ALICE001', last_set: 1700000000 },
        },
      ]),
    },
    {
      name: 'groups.json',
      data: json([{ id: 'G0OPS00001', name: 'ops-private', created: 1700000000, members: ['U0BOB00001'] }]),
    },
    {
      name: 'dms.json',
      data: json([{ id: 'D0DM000001', created: 1700000000, members: ['U0ALICE001', 'U0BOB00001'] }]),
    },
    {
      name: 'users.json',
      data: json([
        { id: 'U0ALICE001', team_id: 'T0ACME0001', name: 'alice', real_name: 'Alice Doe', deleted: false },
        { id: 'U0BOB00001', team_id: 'T0ACME0001', name: 'bob', deleted: false },
      ]),
    },
    { name: 'general/', data: '' },
    {
      name: 'general/2026-01-15.json',
      method: 'deflate',
      data: json([
        {
          type: 'message',
          subtype: 'channel_join',
          user: 'U0BOB00001',
          text: '<@U0BOB00001> has joined the channel',
          ts: '1768471100.000050',
        },
        {
          type: 'message',
          user: 'U0ALICE001',
          text: `deploy token is ${GITHUB_TOKEN} for now`,
          ts: '1768471200.000100',
          thread_ts: '1768471200.000100',
          reply_count: 1,
          user_profile: { real_name: 'Alice Doe' },
        },
        {
          type: 'message',
          user: 'U0BOB00001',
          text: 'please rotate it &amp; never paste tokens',
          ts: '1768471300.000200',
          thread_ts: '1768471200.000100',
          parent_user_id: 'U0ALICE001',
        },
      ]),
    },
    {
      name: 'ops-private/2026-01-16.json',
      data: json([
        {
          type: 'message',
          user: 'U0BOB00001',
          text: '',
          ts: '1768557600.000300',
          attachments: [{ fallback: 'CI log', text: 'GITHUB_TOKEN=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' }],
        },
      ]),
    },
    {
      name: 'D0DM000001/2026-01-17.json',
      data: json([{ type: 'message', user: 'U0ALICE001', text: 'lunch?', ts: '1768644000.000400' }]),
    },
  ];
}

async function collect(path: string, options = {}): Promise<SlackExportDocument[]> {
  const out: SlackExportDocument[] = [];
  for await (const doc of readSlackExport(path, options)) out.push(doc);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<LeakwatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LeakwatchError);
  return error as LeakwatchError;
}

describe('readSlackExport', () => {
  it('yields one document per message with channel, ts, author and permalink', async () => {
    const docs = await collect(zipOf(exportEntries()), { workspaceUrl: 'https://acme.slack.com/' });
    expect(docs.map((d) => [d.channelName, d.ts])).toEqual([
      ['D0DM000001', '1768644000.000400'],
      ['general', '1768471200.000100'],
      ['general', '1768471300.000200'],
      ['ops-private', '1768557600.000300'],
    ]);
    const [, parent, reply, privateMessage] = docs;
    expect(parent).toMatchObject({
      format: 'slack',
      text: `deploy token is ${GITHUB_TOKEN} for now`,
      permalink: 'https://acme.slack.com/archives/C0GENERAL1/p1768471200000100',
      ref: {
        platform: 'slack',
        workspace: 'T0ACME0001',
        container: 'C0GENERAL1',
        item: '1768471200.000100',
        author: { id: 'U0ALICE001', name: 'Alice Doe' },
        occurredAt: '2026-01-15T10:00:00.000Z',
      },
    });
    expect(reply!.permalink).toBe(
      'https://acme.slack.com/archives/C0GENERAL1/p1768471300000200?thread_ts=1768471200.000100&cid=C0GENERAL1',
    );
    expect(reply!.ref.author).toEqual({ id: 'U0BOB00001', name: 'bob' });
    // Attachment text is scanned although the message text is empty; private channels map to their id.
    expect(privateMessage!.ref.container).toBe('G0OPS00001');
    expect(privateMessage!.text).toContain('GITHUB_TOKEN=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');
  });

  it('has no permalink without the workspace URL, and honours an explicit workspace id', async () => {
    const docs = await collect(zipOf(exportEntries()), { workspace: 'T0OTHER001' });
    expect(docs.every((d) => d.permalink === undefined && d.ref.url === undefined)).toBe(true);
    expect(new Set(docs.map((d) => d.ref.workspace))).toEqual(new Set(['T0OTHER001']));
  });

  it('reads an export wrapped in one top-level folder', async () => {
    const wrapped = exportEntries().map((e) => ({ ...e, name: `Acme Slack export/${e.name}` }));
    const docs = await collect(zipOf(wrapped));
    expect(docs.find((d) => d.channelName === 'general')?.ref.container).toBe('C0GENERAL1');
    expect(docs).toHaveLength(4);
  });

  it('rejects entry paths that leave the archive', async () => {
    for (const name of [
      '../evil/2026-01-01.json',
      'general/../../etc/passwd',
      '/etc/cron.d/x',
      'C:/x.json',
      'a\\b.json',
    ]) {
      const error = await failure(collect(zipOf([...exportEntries(), { name, data: '[]' }])));
      expect(error.message).toContain('unsafe entry path');
      expect(error.message).toContain(JSON.stringify(name));
    }
  });

  it('caps the number of entries', async () => {
    const error = await failure(collect(zipOf(exportEntries()), { maxEntries: 5 }));
    expect(error.message).toMatch(/lists 8 entries, more than the limit of 5/);
  });

  it('refuses an entry whose header declares more than the per-entry limit', async () => {
    const big = json([{ type: 'message', user: 'U1', text: 'x'.repeat(5000), ts: '1768471200.000100' }]);
    const error = await failure(
      collect(zipOf([{ name: 'general/2026-01-15.json', data: big, method: 'deflate' }]), { maxEntryBytes: 4096 }),
    );
    expect(error.message).toMatch(/general\/2026-01-15\.json" unpacks to \d+ bytes, over the 4096-byte limit/);
  });

  it('stops a zip bomb that lies about its size in the headers', async () => {
    // 8 MiB of spaces deflate to a few KiB; the headers claim 100 bytes.
    const bomb = `[${' '.repeat(8 * 1024 * 1024)}]`;
    const error = await failure(
      collect(zipOf([{ name: 'general/2026-01-15.json', data: bomb, method: 'deflate', declaredSize: 100 }]), {
        maxEntryBytes: 1024 * 1024,
      }),
    );
    expect(error.message).toContain('general/2026-01-15.json');
    expect(error.message).toMatch(/unpacks to more than the 100 bytes its header declares/);
  });

  it('caps the total bytes inflated from the archive', async () => {
    const day = (n: number) => ({
      name: `general/2026-01-${String(n).padStart(2, '0')}.json`,
      data: json([{ type: 'message', user: 'U1', text: 'y'.repeat(3000), ts: `17684712${n}.000100` }]),
      method: 'deflate' as const,
    });
    const error = await failure(
      collect(zipOf([day(10), day(11), day(12), day(13)]), { maxEntryBytes: 4096, maxTotalBytes: 10_000 }),
    );
    expect(error.message).toMatch(/unpacks to more than 10000 bytes \(the limit for a whole export\)/);
  });

  it('names the entry that is not JSON', async () => {
    const error = await failure(collect(zipOf([{ name: 'general/2026-01-15.json', data: '{ nope' }])));
    expect(error.message).toContain('"general/2026-01-15.json" is not valid JSON');
  });

  it('reports a file that is not a zip archive as unreadable', async () => {
    const path = join(dir, 'not-a-zip.zip');
    writeFileSync(path, 'hello');
    const error = await failure(collect(path));
    expect(error.code).toBe('input_unreadable');
    expect((await failure(collect(join(dir, 'missing.zip')))).message).toContain('no such file');
  });
});

describe('scanSlackExport', () => {
  it('reports each secret with channel, timestamp and permalink, never the raw secret in its location', async () => {
    const scanner = createScanner({ detectors, fingerprintKey: 'export-test-fingerprint-key-0123456789abcdef' });
    const findings = [];
    for await (const f of scanSlackExport(zipOf(exportEntries()), scanner, {
      workspaceUrl: 'https://acme.slack.com',
    })) {
      findings.push(f);
    }
    expect(findings.map((f) => [f.channelName, f.ts, f.match.detectorId])).toEqual([
      ['general', '1768471200.000100', 'github-classic-pat'],
      ['ops-private', '1768557600.000300', 'github-classic-pat'],
    ]);
    expect(findings[0]).toMatchObject({
      channelId: 'C0GENERAL1',
      time: '2026-01-15T10:00:00.000Z',
      permalink: 'https://acme.slack.com/archives/C0GENERAL1/p1768471200000100',
      author: 'U0ALICE001',
      authorName: 'Alice Doe',
    });
    expect(findings[0]!.match.secret.reveal()).toBe(GITHUB_TOKEN);
    expect(JSON.stringify(findings)).not.toContain(GITHUB_TOKEN);
  });
});

describe('isSlackExport', () => {
  it('tells a Slack export from another zip', async () => {
    expect(await isSlackExport(zipOf(exportEntries()))).toBe(true);
    expect(await isSlackExport(zipOf([{ name: 'src/index.ts', data: 'export {}' }]))).toBe(false);
    const notZip = join(dir, 'plain.txt');
    writeFileSync(notZip, 'text');
    expect(await isSlackExport(notZip)).toBe(false);
  });
});
