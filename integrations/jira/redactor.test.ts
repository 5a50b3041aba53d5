import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RedactionRequest } from '../../src/core/integration.ts';
import type { Finding, Occurrence } from '../../src/db/schema.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createCloudClient } from './cloud-client.ts';
import { createDataCenterClient } from './datacenter-client.ts';
import { checkHistoryRedaction } from './history-redaction.ts';
import type { JiraClient } from './jira-client.ts';
import { adf, FakeJira, jiraTime } from './jira-fake-server.ts';
import { JIRA_REDACTION_STATUS_QUEUE } from './jira-queues.ts';
import { GITHUB_TOKEN, jiraTestConfig, SLACK_TOKEN, startPipelineKit, type PipelineKit } from './jira-test-kit.ts';
import { jiraPlainText } from './issue-documents.ts';
import { IssueWritePacer } from './issue-write-pacer.ts';
import { expectedTextOf, redactJiraOccurrence, type RedactionStatusJob, type RedactorContext } from './redactor.ts';

const server = useMswServer();
const dana = { id: '5b10ac8d82e05b22cc7d4ef5', name: 'Dana Ops', email: 'dana@acme.example' };
const AT = new Date(Date.UTC(2026, 0, 5, 10));

let kit: PipelineKit;
beforeAll(async () => {
  kit = await startPipelineKit();
}, 120_000);
afterAll(async () => {
  await kit?.stop();
});
beforeEach(async () => {
  await kit.boss.fetch(JIRA_REDACTION_STATUS_QUEUE, { batchSize: 100 });
});

function redactor(client: JiraClient, historyRedaction = true, pacer = new IssueWritePacer(0)): RedactorContext {
  return { client, boss: kit.boss, logger: kit.logger, pacer, historyRedaction };
}

function request(
  item: string,
  secret: string,
  finding: Partial<Finding> = {},
  occurrence: Partial<Occurrence> = {},
): RedactionRequest {
  return {
    finding: { id: '00000000-0000-4000-8000-000000000001', ...finding } as Finding,
    occurrence: { id: '00000000-0000-4000-8000-000000000002', platform: 'jira', item, ...occurrence } as Occurrence,
    locate: kit.locateFor(secret),
    requestedBy: 'system',
  };
}

/** No fragment of the secret longer than its kept tail survives in what was sent to Jira. */
function expectNoSecret(sent: unknown, secret: string) {
  const text = JSON.stringify(sent);
  expect(text).not.toContain(secret);
  for (let i = 0; i + 8 <= secret.length - 4; i++) expect(text).not.toContain(secret.slice(i, i + 8));
}

describe('redactJiraOccurrence', () => {
  it('edits a Cloud comment whose token is split over marked ADF nodes, when history redaction is unavailable', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    const body = adf(
      [['keep this paragraph']],
      [
        ['token: '],
        [GITHUB_TOKEN.slice(0, 12), ['strong']],
        [GITHUB_TOKEN.slice(12, 30), ['em']],
        [`${GITHUB_TOKEN.slice(30)} rest`],
      ],
    );
    const issue = jira.addIssue({ key: 'OPS-1', updated: AT, creator: dana });
    const comment = { ...jira.comment(dana, body, AT), visibility: { type: 'role', value: 'Administrators' } };
    issue.comments.push(comment);
    const client = await createCloudClient(jiraTestConfig('cloud'));

    const outcome = await redactJiraOccurrence(redactor(client), request(`OPS-1#comment-${comment.id}`, GITHUB_TOKEN));
    expect(outcome.status).toBe('redacted');
    expect(outcome.detail).toContain(`comment ${comment.id} on OPS-1 edited`);
    expect(outcome.detail).toContain('403');

    // Atlassian's redaction API was asked first, with ADF pointers and hashed expected text.
    const [redact] = jira.called('POST', /^\/rest\/api\/3\/redact$/);
    const positions = (
      redact!.body as { redactions: { contentItem: unknown; redactionPosition: Record<string, unknown> }[] }
    ).redactions;
    expect(positions.map((p) => p.redactionPosition)).toEqual([
      {
        adfPointer: '/content/1/content/1/text',
        expectedText: expectedTextOf(GITHUB_TOKEN.slice(0, 12)),
        from: 0,
        to: 12,
      },
      {
        adfPointer: '/content/1/content/2/text',
        expectedText: expectedTextOf(GITHUB_TOKEN.slice(12, 30)),
        from: 0,
        to: 18,
      },
      {
        adfPointer: '/content/1/content/3/text',
        expectedText: expectedTextOf(GITHUB_TOKEN.slice(30)),
        from: 0,
        to: 10,
      },
    ]);
    expect(positions[0]!.contentItem).toEqual({ id: issue.id, entityType: 'issue-comment', entityId: comment.id });
    expectNoSecret(redact!.body, GITHUB_TOKEN);

    const [put] = jira.called('PUT', new RegExp(`/comment/${comment.id}$`));
    expect(put!.query.notifyUsers).toBe('false');
    expectNoSecret(put!.body, GITHUB_TOKEN);
    const sent = put!.body as { body: Record<string, unknown>; visibility: unknown };
    expect(sent.visibility).toEqual({ type: 'role', value: 'Administrators' });
    const redactedForm = kit.scanner.scan(GITHUB_TOKEN)[0]!.redacted;
    expect(jiraPlainText(sent.body)).toContain(`token: ${redactedForm} rest`);
    // The first piece keeps its mark and carries the redacted form; emptied text nodes are gone; other text is intact.
    expect((sent.body.content as { content: unknown[] }[])[1]!.content).toEqual([
      { type: 'text', text: 'token: ' },
      { type: 'text', text: redactedForm, marks: [{ type: 'strong' }] },
      { type: 'text', text: ' rest' },
    ]);
    expect(jiraPlainText(sent.body)).toContain('keep this paragraph');
  });

  it('stops asking the redaction API for an hour once it answered 403', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    jira.addIssue({ key: 'OPS-5', updated: AT, creator: dana, fields: { summary: `one ${GITHUB_TOKEN}` } });
    jira.addIssue({ key: 'OPS-6', updated: AT, creator: dana, fields: { summary: `two ${SLACK_TOKEN}` } });
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const ctx = { ...redactor(client), historyApi: { unavailableUntil: 0, why: '' } };
    expect((await redactJiraOccurrence(ctx, request('OPS-5', GITHUB_TOKEN))).status).toBe('redacted');
    const second = await redactJiraOccurrence(ctx, request('OPS-6', SLACK_TOKEN));
    expect(second).toMatchObject({ status: 'redacted' });
    expect(second.detail).toContain('403');
    expect(jira.called('POST', /\/redact$/)).toHaveLength(1);
    expect(jira.called('PUT', /\/issue\/OPS-[56]$/)).toHaveLength(2);
  });

  it('leaves a Cloud description to Atlassian redaction when it is accepted, and a follow-up records the result', async () => {
    const jira = new FakeJira('cloud');
    jira.redactAnswer = { jobId: 'a5d2e8c1-7f3b-4b1e-9c60-3d7e2f1a0b9c' };
    server.use(...jira.handlers());
    const issue = jira.addIssue({
      key: 'OPS-2',
      updated: AT,
      creator: dana,
      fields: { description: adf([['export TOKEN='], [GITHUB_TOKEN, ['code']]]) },
    });
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const { finding, occurrence } = await recordedOccurrence(
      'acme.atlassian.net',
      'OPS',
      'OPS-2#field-description',
      GITHUB_TOKEN,
    );

    const outcome = await redactJiraOccurrence(
      redactor(client),
      request('OPS-2#field-description', GITHUB_TOKEN, finding, occurrence),
    );
    expect(outcome).toMatchObject({ status: 'redacted' });
    expect(outcome.detail).toContain('a5d2e8c1-7f3b-4b1e-9c60-3d7e2f1a0b9c');
    expect(jira.called('PUT', /\/issue\/OPS-2$/)).toEqual([]);
    const [redact] = jira.called('POST', /\/redact$/);
    expect((redact!.body as { redactions: { contentItem: unknown }[] }).redactions[0]!.contentItem).toEqual({
      id: issue.id,
      entityType: 'issuefieldvalue',
      entityId: 'description',
    });
    const [followUp] = await kit.boss.fetch<RedactionStatusJob>(JIRA_REDACTION_STATUS_QUEUE);
    expect(followUp).toBeUndefined(); // scheduled 30 s ahead, not runnable yet
    const job: RedactionStatusJob = {
      jobId: 'a5d2e8c1-7f3b-4b1e-9c60-3d7e2f1a0b9c',
      findingId: finding.id!,
      occurrenceId: occurrence.id!,
      externalIds: (redact!.body as { redactions: { externalId: string }[] }).redactions.map((r) => r.externalId),
      submittedAt: AT.toISOString(),
    };
    await kit.handle.db
      .insertInto('redactions')
      .values({
        finding_id: finding.id!,
        occurrence_id: occurrence.id!,
        platform: 'jira',
        status: 'redacted',
        detail: outcome.detail!,
        requested_by: 'system',
      })
      .execute();
    const history = {
      client,
      db: kit.handle.db,
      boss: kit.boss,
      scanner: kit.scanner,
      logger: kit.logger,
      pacer: new IssueWritePacer(0),
    };

    // Still running at Atlassian: check again later.
    expect(await checkHistoryRedaction({ ...history, now: () => new Date(AT.getTime() + 60_000) }, job)).toEqual({
      status: 'pending',
      jobStatus: 'PENDING',
    });

    // Atlassian completed it and replaced the value with its redaction marker.
    jira.redactionJobs.get(job.jobId)!.status = 'COMPLETED';
    issue.fields.description = adf([['export TOKEN='], ['██████', ['code']]]);
    expect(await checkHistoryRedaction({ ...history, now: () => new Date(AT.getTime() + 120_000) }, job)).toEqual({
      status: 'recorded',
      redaction: 'redacted',
      jobStatus: 'COMPLETED',
    });
    const row = await kit.handle.db
      .selectFrom('redactions')
      .selectAll()
      .where('occurrence_id', '=', occurrence.id!)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'redacted' });
    expect(row.detail).toContain('removed the secret from field description of OPS-2 and from the issue history');
    const audit = await kit.handle.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'redaction.history_checked')
      .execute();
    expect(audit).toHaveLength(1);
    expect(jira.called('PUT', /\/issue\/OPS-2$/)).toEqual([]);
  });

  it('edits the value itself when the Atlassian job completes without removing the secret', async () => {
    const jira = new FakeJira('cloud');
    jira.redactAnswer = { jobId: 'job-2' };
    server.use(...jira.handlers());
    jira.addIssue({ key: 'OPS-3', updated: AT, creator: dana, fields: { summary: `deploy key ${GITHUB_TOKEN}` } });
    const client = await createCloudClient(jiraTestConfig('cloud'));
    const { finding, occurrence } = await recordedOccurrence('acme.atlassian.net', 'OPS', 'OPS-3', GITHUB_TOKEN);
    await redactJiraOccurrence(redactor(client), request('OPS-3', GITHUB_TOKEN, finding, occurrence));
    const [redact] = jira.called('POST', /\/redact$/);
    expect((redact!.body as { redactions: { redactionPosition: unknown }[] }).redactions[0]!.redactionPosition).toEqual(
      {
        expectedText: expectedTextOf(GITHUB_TOKEN),
        from: 11,
        to: 11 + GITHUB_TOKEN.length,
      },
    );
    await kit.handle.db
      .insertInto('redactions')
      .values({
        finding_id: finding.id!,
        occurrence_id: occurrence.id!,
        platform: 'jira',
        status: 'redacted',
        requested_by: 'system',
      })
      .execute();
    const state = jira.redactionJobs.get('job-2')!;
    state.status = 'COMPLETED';
    state.results = state.results.map((r) => ({ ...r, successful: false }));
    const outcome = await checkHistoryRedaction(
      {
        client,
        db: kit.handle.db,
        boss: kit.boss,
        scanner: kit.scanner,
        logger: kit.logger,
        pacer: new IssueWritePacer(0),
        now: () => new Date(AT.getTime() + 60_000),
      },
      {
        jobId: 'job-2',
        findingId: finding.id!,
        occurrenceId: occurrence.id!,
        externalIds: state.results.map((r) => r.externalId),
        submittedAt: AT.toISOString(),
      },
    );
    expect(outcome).toEqual({ status: 'recorded', redaction: 'redacted', jobStatus: 'COMPLETED' });
    const [put] = jira.called('PUT', /\/issue\/OPS-3$/);
    expect(put!.query.notifyUsers).toBe('false');
    expectNoSecret(put!.body, GITHUB_TOKEN);
    expect((put!.body as { fields: { summary: string } }).fields.summary).toBe(
      `deploy key ${kit.scanner.scan(GITHUB_TOKEN)[0]!.redacted}`,
    );
    const row = await kit.handle.db
      .selectFrom('redactions')
      .selectAll()
      .where('occurrence_id', '=', occurrence.id!)
      .executeTakeFirstOrThrow();
    expect(row.detail).toContain('was edited instead');
  });

  it('edits Data Center wiki markup directly and says the history keeps the old value', async () => {
    const jira = new FakeJira('datacenter');
    server.use(...jira.handlers());
    jira.addIssue({
      key: 'ENG-1',
      updated: AT,
      creator: dana,
      fields: { description: `h2. Deploy\n{code:bash}\nexport SLACK=${SLACK_TOKEN}\n{code}` },
    });
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const outcome = await redactJiraOccurrence(redactor(client), request('ENG-1#field-description', SLACK_TOKEN));
    expect(outcome.status).toBe('redacted');
    expect(outcome.detail).toContain('Data Center keeps the previous value in the issue history');
    expect(jira.called('POST', /redact/)).toEqual([]);
    const [put] = jira.called('PUT', /^\/rest\/api\/2\/issue\/ENG-1$/);
    expect(put!.query.notifyUsers).toBe('false');
    expectNoSecret(put!.body, SLACK_TOKEN);
    expect((put!.body as { fields: { description: string } }).fields.description).toBe(
      `h2. Deploy\n{code:bash}\nexport SLACK=${kit.scanner.scan(SLACK_TOKEN)[0]!.redacted}\n{code}`,
    );
  });

  it('reports a secret that is already gone, a deleted item, and attachments as such', async () => {
    const jira = new FakeJira('cloud');
    server.use(...jira.handlers());
    const issue = jira.addIssue({ key: 'OPS-4', updated: AT, creator: dana, fields: { summary: 'nothing to see' } });
    issue.worklogs.push({
      id: '30100',
      comment: adf([['fixed']]),
      author: dana,
      created: jiraTime(AT),
      updated: jiraTime(AT),
    });
    const client = await createCloudClient(jiraTestConfig('cloud'));
    expect(await redactJiraOccurrence(redactor(client, false), request('OPS-4', GITHUB_TOKEN))).toEqual({
      status: 'not_found',
      detail: 'the secret is no longer in the summary of OPS-4',
    });
    expect(await redactJiraOccurrence(redactor(client, false), request('OPS-4#comment-99999', GITHUB_TOKEN))).toEqual({
      status: 'not_found',
      detail: 'comment 99999 on OPS-4 no longer exists',
    });
    expect(
      await redactJiraOccurrence(redactor(client, false), request('OPS-4#worklog-30100', GITHUB_TOKEN)),
    ).toMatchObject({ status: 'not_found' });
    expect(
      (await redactJiraOccurrence(redactor(client, false), request('OPS-4#attachment-30200', GITHUB_TOKEN))).status,
    ).toBe('unsupported');
    expect(jira.called('PUT', /./)).toEqual([]);
  });

  it('serialises and spaces writes to one issue, so two redactions of one field both stick', async () => {
    const jira = new FakeJira('datacenter');
    server.use(...jira.handlers());
    jira.addIssue({
      key: 'ENG-2',
      updated: AT,
      creator: dana,
      fields: { description: `a ${GITHUB_TOKEN} b ${SLACK_TOKEN} c` },
    });
    const client = createDataCenterClient(jiraTestConfig('datacenter', { JIRA_DEPLOYMENT: 'datacenter' }));
    const pacer = new IssueWritePacer(300);
    const times: number[] = [];
    const original = client.updateIssueField.bind(client);
    client.updateIssueField = async (...args) => {
      times.push(Date.now());
      await original(...args);
    };
    const [a, b] = await Promise.all([
      redactJiraOccurrence(redactor(client, true, pacer), request('ENG-2#field-description', GITHUB_TOKEN)),
      redactJiraOccurrence(redactor(client, true, pacer), request('ENG-2#field-description', SLACK_TOKEN)),
    ]);
    expect([a.status, b.status]).toEqual(['redacted', 'redacted']);
    const description = jira.issues.get('ENG-2')!.fields.description as string;
    expect(description).not.toContain(GITHUB_TOKEN);
    expect(description).not.toContain(SLACK_TOKEN);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(290);
  });
});

/** A finding and its occurrence as the pipeline records them (fingerprint from the real scanner). */
async function recordedOccurrence(workspace: string, container: string, item: string, secret: string) {
  const match = kit.scanner.scan(secret)[0]!;
  const finding = await kit.handle.db
    .insertInto('findings')
    .values({
      detector_id: match.detectorId,
      issuer: match.issuer,
      fingerprint: match.fingerprint,
      redacted: match.redacted,
      severity: match.severity,
      first_seen_at: AT,
      last_seen_at: AT,
    })
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
  const row =
    finding ??
    (await kit.handle.db
      .selectFrom('findings')
      .selectAll()
      .where('fingerprint', '=', match.fingerprint)
      .executeTakeFirstOrThrow());
  const occurrence = await kit.handle.db
    .insertInto('occurrences')
    .values({
      finding_id: row.id,
      platform: 'jira',
      workspace,
      container,
      item,
      span_start: 0,
      span_end: secret.length,
      first_seen_at: AT,
      last_seen_at: AT,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { finding: row as Partial<Finding>, occurrence: occurrence as Partial<Occurrence> };
}
