import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import type { CommandIo } from '../src/cli/command-io.ts';
import { writeZip } from '../integrations/slack/test-zip.ts';

const TOKEN = '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';

async function run(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIo = {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    readStdin: () => new Uint8Array(),
    env: { LEAKWATCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'lw-data-')) },
    version: '0.0.0-test',
  };
  const code = await main(argv, io);
  return { code, out, err };
}

const scratch = () => mkdtempSync(join(tmpdir(), 'lw-exports-'));
const findings = (out: string[]) => out.map((l) => JSON.parse(l) as Record<string, unknown>);

/** A Jira Cloud REST v3 search result: ADF description and comment, wiki-markup-free string summary. */
function cloudSearch(): unknown {
  return {
    startAt: 0,
    maxResults: 50,
    total: 1,
    names: { customfield_10050: 'Deploy notes' },
    issues: [
      {
        id: '10001',
        key: 'OPS-7',
        self: 'https://acme.atlassian.net/rest/api/3/issue/10001',
        fields: {
          summary: 'Deploy pipeline broken',
          project: { key: 'OPS' },
          updated: '2026-01-05T10:00:00.000+0000',
          description: {
            type: 'doc',
            version: 1,
            content: [
              { type: 'paragraph', content: [{ type: 'text', text: 'no secrets here' }] },
              {
                type: 'paragraph',
                content: [
                  { type: 'text', text: 'token ' },
                  { type: 'text', text: TOKEN.slice(0, 10), marks: [{ type: 'strong' }] },
                  { type: 'text', text: TOKEN.slice(10) },
                ],
              },
            ],
          },
          environment: null,
          customfield_10050: `first line\nsecond ${TOKEN}`,
          customfield_10060: { value: 'option, not text' },
          comment: {
            startAt: 0,
            maxResults: 20,
            total: 1,
            comments: [
              {
                id: '10100',
                author: { accountId: '5b10a2844c20165700ede21g', displayName: 'Ann' },
                body: {
                  type: 'doc',
                  version: 1,
                  content: [{ type: 'paragraph', content: [{ type: 'text', text: TOKEN }] }],
                },
                created: '2026-01-05T10:00:00.000+0000',
              },
            ],
          },
          worklog: { startAt: 0, total: 0, worklogs: [] },
        },
      },
    ],
  };
}

describe('leakwatch scan: Jira JSON exports', () => {
  it('reads a v3 search result field by field, with line/column inside the field and a jira location', async () => {
    const file = join(scratch(), 'ops.json');
    writeFileSync(file, JSON.stringify(cloudSearch(), null, 2));
    const { code, out } = await run(['scan', file, '--format', 'json']);
    expect(code).toBe(1);
    const byField = new Map(findings(out).map((f) => [(f.jira as { field: string }).field, f]));
    expect([...byField.keys()].sort()).toEqual(['comment-10100', 'customfield_10050', 'description']);

    // ADF joined: doc "\n", paragraph "\nno secrets here\n", paragraph "\ntoken …" → line 5, column 7; the bold split is whole again.
    expect(byField.get('description')).toMatchObject({
      detector: 'npm-access-token',
      file: `${file}#OPS-7/description`,
      line: 5,
      column: 7,
      jira: { issue: 'OPS-7', field: 'description', url: 'https://acme.atlassian.net/browse/OPS-7' },
    });
    expect(byField.get('customfield_10050')).toMatchObject({
      file: `${file}#OPS-7/customfield_10050`,
      line: 2,
      column: 8,
    });
    expect(byField.get('comment-10100')).toMatchObject({
      file: `${file}#OPS-7/comment-10100`,
      jira: {
        issue: 'OPS-7',
        field: 'comment-10100',
        url: 'https://acme.atlassian.net/browse/OPS-7?focusedCommentId=10100',
      },
    });
    expect(out.join('\n')).not.toContain(TOKEN);
  });

  it('reads a bare array of v2 issues (wiki markup strings, no self URL) and worklogs', async () => {
    const file = join(scratch(), 'dc.json');
    const issues = [
      {
        key: 'SEC-2',
        fields: {
          summary: 'rotate',
          description: `h2. Steps\n* use {{${TOKEN}}}`,
          worklog: { startAt: 0, total: 1, worklogs: [{ id: '300', comment: `spent time on ${TOKEN}` }] },
        },
      },
    ];
    writeFileSync(file, JSON.stringify(issues));
    const { code, out } = await run(['scan', file, '--format', 'json', '--show-secrets']);
    expect(code).toBe(1);
    const all = findings(out);
    expect(all.map((f) => f.jira)).toEqual([
      { issue: 'SEC-2', field: 'description' },
      { issue: 'SEC-2', field: 'worklog-300' },
    ]);
    expect(all[0]).toMatchObject({ line: 2, column: 9, secret: TOKEN });
  });

  it('scans other JSON as plain text, including lookalikes whose issues lack key or fields', async () => {
    const root = scratch();
    writeFileSync(join(root, 'config.json'), JSON.stringify({ npm: TOKEN }));
    writeFileSync(
      join(root, 'almost.json'),
      JSON.stringify({
        issues: [
          { key: 'X-1', fields: {} },
          { id: 2, note: TOKEN },
        ],
      }),
    );
    const { code, out } = await run(['scan', root, '--format', 'json']);
    expect(code).toBe(1);
    const all = findings(out);
    expect(all).toHaveLength(2);
    for (const f of all) expect(f.jira).toBeUndefined();
    expect(all.map((f) => f.file).sort()).toEqual([join(root, 'almost.json'), join(root, 'config.json')]);
  });
});

const ENTITIES = `<?xml version="1.0" encoding="UTF-8"?>
<hibernate-generic datetime="2026-01-05 10:00:00">
<object class="Page" package="com.atlassian.confluence.pages">
<id name="id">98306</id>
<property name="title"><![CDATA[Runbook & keys]]></property>
<collection name="bodyContents" class="java.util.Collection"><element class="BodyContent" package="com.atlassian.confluence.core"><id name="id">98307</id></element></collection>
</object>
<object class="BodyContent" package="com.atlassian.confluence.core">
<id name="id">98307</id>
<property name="body"><![CDATA[<p>intro</p>
<p>deploy with <code>${TOKEN}</code></p><p>literal </object> in text</p>]]></property>
<property name="content" class="Page" package="com.atlassian.confluence.pages"><id name="id">98306</id></property>
<property name="bodyType">2</property>
</object>
<object class="BodyContent" package="com.atlassian.confluence.core">
<id name="id">98400</id>
<property name="body">&lt;p&gt;old version: ${TOKEN}&lt;/p&gt;</property>
<property name="content" class="Page" package="com.atlassian.confluence.pages"><id name="id">55555</id></property>
</object>
</hibernate-generic>
`;

describe('leakwatch scan: Confluence space exports', () => {
  it('reads entities.xml bodies as storage XHTML, titled after their page', async () => {
    const zip = writeZip(join(scratch(), 'ops-space.zip'), [
      { name: 'exportDescriptor.properties', data: 'spaceKey=OPS\n' },
      { name: 'entities.xml', data: ENTITIES, method: 'deflate' },
    ]);
    const { code, out } = await run(['scan', zip, '--format', 'json']);
    expect(code).toBe(1);
    const all = findings(out);
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({
      detector: 'npm-access-token',
      file: `${zip}#entities.xml`,
      line: 2,
      column: 22,
      confluence: { page: 'Runbook & keys', pageId: '98306', file: 'entities.xml' },
    });
    // Escaped (non-CDATA) bodies are unescaped first; a body whose page is not in the export is named by id.
    expect(all[1]).toMatchObject({ line: 1, column: 17, confluence: { page: '55555', pageId: '55555' } });
    expect(out.join('\n')).not.toContain(TOKEN);
  });

  it('reads HTML export pages as HTML with their title, and text output names the entry', async () => {
    const page = `<html><head><title>OPS : Deploy guide</title></head>\n<body><p>use</p>\n<p>key: <b>${TOKEN}</b></p></body></html>`;
    const zip = writeZip(join(scratch(), 'html-space.zip'), [
      { name: 'OPS/index.html', data: '<html><head><title>OPS : Home</title></head><body>home</body></html>' },
      { name: 'OPS/Deploy-guide_65541.html', data: page, method: 'deflate' },
      { name: 'OPS/styles/site.css', data: 'body{}' },
    ]);
    const json = await run(['scan', zip, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(findings(json.out)).toEqual([
      expect.objectContaining({
        file: `${zip}#OPS/Deploy-guide_65541.html`,
        line: 3,
        column: 12,
        confluence: { page: 'Deploy guide', pageId: '65541', file: 'OPS/Deploy-guide_65541.html' },
      }),
    ]);
    const text = await run(['scan', zip]);
    expect(text.out).toEqual([`${zip}#OPS/Deploy-guide_65541.html:3:12\tcritical\tnpm-access-token\tnpm_********Sowm`]);
    expect(text.err.join('\n')).toContain('1 finding(s) in 2 input(s)');
  });

  it.each([
    [
      'a path that escapes the archive',
      [{ name: '../../etc/evil.html', data: 'x' }],
      /unsafe entry path "\.\.\/\.\.\/etc\/evil\.html"/,
    ],
    ['an absolute path', [{ name: '/tmp/evil.html', data: 'x' }], /unsafe entry path "\/tmp\/evil\.html"/],
    [
      'headers that understate the inflated size (zip bomb)',
      [{ name: 'entities.xml', data: 'A'.repeat(200_000), method: 'deflate' as const, declaredSize: 100 }],
      /entities\.xml" unpacks to more than the 100 bytes its header declares \(a zip bomb\?\)/,
    ],
  ])('refuses %s with a clear message and exit 2 when nothing else was scanned', async (_, hostile, message) => {
    const zip = writeZip(join(scratch(), 'hostile.zip'), [{ name: 'index.html', data: '<p>home</p>' }, ...hostile]);
    const { code, out, err } = await run(['scan', zip]);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toMatch(message);
    expect(err.join('\n')).toContain('hostile.zip');
    expect(err.join('\n')).toContain('nothing could be scanned');
  });

  it('still scans the other paths when one export is refused', async () => {
    const root = scratch();
    const zip = writeZip(join(root, 'bad.zip'), [
      { name: 'entities.xml', data: 'x' },
      { name: 'a/../../b', data: 'x' },
    ]);
    writeFileSync(join(root, 'notes.txt'), `key ${TOKEN}\n`);
    const { code, out, err } = await run(['scan', zip, join(root, 'notes.txt')]);
    expect(code).toBe(1);
    expect(out).toHaveLength(1);
    expect(err.join('\n')).toMatch(/bad\.zip: unsafe entry path/);
  });

  it('documents the export formats in the usage text', async () => {
    const { out } = await run(['scan', '--help']);
    expect(out.join('\n')).toMatch(/Jira JSON export/);
    expect(out.join('\n')).toMatch(/Confluence space export/);
  });
});
