import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { createCloudClient } from './cloud-client.ts';
import { createDataCenterClient } from './datacenter-client.ts';
import { parseIssue } from './jira-client.ts';
import { adf, FakeJira, jiraTime } from './jira-fake-server.ts';
import { GITHUB_TOKEN, jiraTestConfig, SLACK_TOKEN, startPipelineKit, type PipelineKit } from './jira-test-kit.ts';
import { issueDocuments, type DocumentContext } from './issue-documents.ts';
import { createIssueReader } from './issue-reader.ts';

const server = useMswServer();
const dana = { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Dana Ops', email: 'dana@acme.example' };
const sam = { id: '712020:0e9d2a4c-1f0e-4c69-9f55-a2d8c3e7b6aa', name: 'Sam Dev' };
const AT = new Date(Date.UTC(2026, 0, 5, 10, 0));

let kit: PipelineKit;
beforeAll(async () => {
  kit = await startPipelineKit();
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});

/** A description whose token is split over three text nodes with different marks, as the Jira editor stores it. */
const splitDescription = adf(
  [['Deploy with ']],
  [
    ['export GITHUB_TOKEN=' + GITHUB_TOKEN.slice(0, 10)],
    [GITHUB_TOKEN.slice(10, 25), ['strong']],
    [GITHUB_TOKEN.slice(25), ['code']],
    [' and rotate later'],
  ],
);

describe('issueDocuments', () => {
  it('turns a Cloud issue into plain documents: ADF joined so a token split across marked nodes is whole', () => {
    const jira = new FakeJira('cloud');
    const comment = { ...jira.comment(dana, adf([['slack bot: '], [SLACK_TOKEN, ['em']]]), AT), updateAuthor: sam };
    const fake = jira.addIssue({
      key: 'OPS-7',
      updated: AT,
      creator: dana,
      fields: { summary: 'Pipeline broken', description: splitDescription, customfield_10050: adf([['none']]) },
      comments: [comment],
      histories: [{ id: '1', author: sam, created: jiraTime(AT.getTime() - 60_000), fields: ['description'] }],
    });
    const issue = parseIssue(jira.renderIssue(fake, [], true))!;
    const ctx: DocumentContext = {
      site: 'acme.atlassian.net',
      siteUrl: jira.site,
      customTextFields: new Map([['customfield_10050', 'Deploy notes']]),
    };
    const docs = issueDocuments(
      { issue, comments: issue.comments!.values, worklogs: [], attachments: [], changes: issue.changes!.values },
      ctx,
    );
    expect(docs.map((d) => d.ref.item)).toEqual([
      'OPS-7',
      'OPS-7#field-description',
      'OPS-7#field-environment',
      'OPS-7#field-customfield_10050',
      `OPS-7#comment-${comment.id}`,
    ]);
    for (const doc of docs) {
      expect(doc.format).toBe('plain');
      expect(doc.ref).toMatchObject({ platform: 'jira', workspace: 'acme.atlassian.net', container: 'OPS' });
    }
    const description = docs[1]!;
    expect(description.text).toContain(`GITHUB_TOKEN=${GITHUB_TOKEN} and rotate`);
    expect(kit.scanner.scan(description.text).map((m) => m.secret.reveal())).toEqual([GITHUB_TOKEN]);
    // Credited to whoever last changed the description, not to the creator.
    expect(description.ref).toMatchObject({
      version: fake.updated,
      url: `${jira.site}/browse/OPS-7`,
      author: { id: sam.id, name: 'Sam Dev' },
    });
    expect(docs[0]!.ref.author).toEqual({ id: dana.id, email: dana.email, name: dana.name });
    expect(docs[2]!.text).toBe('');
    const commentDoc = docs[4]!;
    expect(commentDoc.text).toContain(`slack bot: ${SLACK_TOKEN}`);
    expect(commentDoc.ref).toMatchObject({
      url: `${jira.site}/browse/OPS-7?focusedCommentId=${comment.id}`,
      version: comment.updated,
      author: { id: sam.id },
      occurredAt: AT.toISOString(),
    });
  });
});

describe('createIssueReader', () => {
  it('reads every comment past the inline 20, worklogs and text attachments, and skips binaries', async () => {
    const jira = new FakeJira('cloud');
    const comments = Array.from({ length: 45 }, (_, i) => jira.comment(dana, adf([[`note ${i}`]]), AT));
    comments[44]!.body = adf([['late leak '], [GITHUB_TOKEN, ['strong']]]);
    const worklogs = Array.from({ length: 25 }, (_, i) => ({
      id: String(20_000 + i),
      comment: adf([[`worked ${i}`]]),
      author: sam,
      created: jiraTime(AT),
      updated: jiraTime(AT),
    }));
    jira.addIssue({
      key: 'OPS-8',
      updated: AT,
      creator: dana,
      comments,
      worklogs,
      attachments: [
        {
          id: '30001',
          filename: '.env',
          mimeType: 'application/octet-stream',
          content: `SLACK=${SLACK_TOKEN}\n`,
          author: sam,
          created: jiraTime(AT),
        },
        {
          id: '30002',
          filename: 'screenshot.png',
          mimeType: 'image/png',
          content: '\x89PNG',
          author: sam,
          created: jiraTime(AT),
        },
        {
          id: '30003',
          filename: 'big.log',
          mimeType: 'text/plain',
          content: 'y'.repeat(3000),
          author: sam,
          created: jiraTime(AT),
        },
      ],
    });
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const reader = createIssueReader({
      client,
      db: kit.handle.db,
      logger: kit.logger,
      site: 'acme.atlassian.net',
      maxAttachmentBytes: 2048,
    });
    const issue = (await client.getIssue('OPS-8', await reader.searchFields()))!;
    const docs = await reader.documentsFor(issue);
    const items = docs.map((d) => d.ref.item);
    expect(items.filter((i) => i.includes('#comment-'))).toHaveLength(45);
    expect(items.filter((i) => i.includes('#worklog-'))).toHaveLength(25);
    expect(docs.find((d) => d.ref.item === `OPS-8#comment-${comments[44]!.id}`)!.text).toContain(GITHUB_TOKEN);
    expect(docs.find((d) => d.ref.item === 'OPS-8#attachment-30001')).toMatchObject({
      text: `SLACK=${SLACK_TOKEN}\n`,
      ref: { author: { id: sam.id } },
    });
    expect(items).not.toContain('OPS-8#attachment-30002');
    expect(docs.find((d) => d.ref.item === 'OPS-8#attachment-30003')!.text).toHaveLength(2048);
    expect(jira.called('GET', /attachment\/content\/30002/)).toEqual([]);
    expect(jira.called('GET', /\/issue\/OPS-8\/comment$/).length).toBeGreaterThanOrEqual(1);
  });

  it('credits a field to whoever last changed it even when that change is older than the inline 20', async () => {
    const jira = new FakeJira('cloud');
    const histories = [
      { id: '1', author: sam, created: jiraTime(AT.getTime() - 3_600_000), fields: ['description'] },
      ...Array.from({ length: 29 }, (_, i) => ({
        id: String(i + 2),
        author: dana,
        created: jiraTime(AT.getTime() - 3_000_000 + i * 60_000),
        fields: ['labels'],
      })),
    ];
    jira.addIssue({ key: 'OPS-9', updated: AT, creator: dana, fields: { description: splitDescription }, histories });
    server.use(...jira.handlers());
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const reader = createIssueReader({
      client,
      db: kit.handle.db,
      logger: kit.logger,
      site: 'acme.atlassian.net',
      maxAttachmentBytes: 0,
    });
    const [issue] = (await client.search('project = "OPS" ORDER BY key ASC', await reader.searchFields())).issues;
    expect(issue!.changes).toMatchObject({ total: 30 });
    expect(issue!.changes!.values).toHaveLength(20);
    const docs = await reader.documentsFor(issue!);
    expect(docs.find((d) => d.ref.item === 'OPS-9#field-description')!.ref.author).toEqual({
      id: sam.id,
      name: sam.name,
    });
    expect(docs.find((d) => d.ref.item === 'OPS-9')!.ref.author).toMatchObject({ id: dana.id });
    expect(jira.called('GET', /\/issue\/OPS-9\/changelog$/)).toHaveLength(1);
  });

  it('emits an empty document for an item that still has an open occurrence but is gone (a deleted comment)', async () => {
    const jira = new FakeJira('datacenter');
    jira.addIssue({
      key: 'ENG-3',
      updated: AT,
      creator: dana,
      fields: { description: `h2. Setup\n{code}${GITHUB_TOKEN}{code}` },
    });
    server.use(...jira.handlers());
    const db = kit.handle.db;
    const finding = await db
      .insertInto('findings')
      .values({
        detector_id: 'github-pat',
        issuer: 'github',
        fingerprint: 'f'.repeat(64),
        redacted: 'ghp_********RifbC',
        severity: 'high',
        first_seen_at: AT,
        last_seen_at: AT,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const item of ['ENG-3#comment-555', 'ENG-3#field-description', 'ENG-30#comment-1']) {
      await db
        .insertInto('occurrences')
        .values({
          finding_id: finding.id,
          platform: 'jira',
          workspace: 'jira.corp.example',
          container: 'ENG',
          item,
          span_start: 0,
          span_end: 10,
          first_seen_at: AT,
          last_seen_at: AT,
        })
        .execute();
    }
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const reader = createIssueReader({
      client,
      db,
      logger: kit.logger,
      site: 'jira.corp.example',
      maxAttachmentBytes: 1024,
    });
    const issue = (await client.getIssue('ENG-3', await reader.searchFields()))!;
    const docs = await reader.documentsFor(issue);
    expect(docs.find((d) => d.ref.item === 'ENG-3#field-description')!.text).toBe(
      `h2. Setup\n{code}${GITHUB_TOKEN}{code}`,
    );
    const vanished = docs.filter((d) => d.text === '' && d.ref.item.includes('#comment-'));
    expect(vanished.map((d) => d.ref.item)).toEqual(['ENG-3#comment-555']);
  });
});
