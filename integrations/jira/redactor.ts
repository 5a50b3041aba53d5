import { createHash, randomUUID } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { LocatedSecret, RedactionOutcome, RedactionRequest } from '../../src/core/integration.ts';
import type { TextFormat } from '../../src/detection/normalize.ts';
import type { Logger } from '../../src/logger.ts';
import type { HistoryRedactionItem, JiraClient, JiraComment, JiraText } from './jira-client.ts';
import { JiraApiError, JiraRateLimitError } from './jira-errors.ts';
import { parseJiraItem, type JiraItem } from './jira-items.ts';
import { jiraPlainText } from './issue-documents.ts';
import type { IssueWritePacer } from './issue-write-pacer.ts';
import { redactJiraText } from './jira-text-edit.ts';

export const JIRA_REDACTION_STATUS_QUEUE = 'jira-redaction-status';

/** Follow-up of an Atlassian redaction job: checked until it completes, then the item is verified (and edited if needed). */
export interface RedactionStatusJob {
  jobId: string;
  findingId: string;
  occurrenceId: string;
  externalIds: string[];
  submittedAt: string;
}

export type Locate = (text: string, format: TextFormat) => LocatedSecret[];

export interface RedactorContext {
  client: JiraClient;
  boss: PgBoss;
  logger: Logger;
  pacer: IssueWritePacer;
  /** Cloud: submit Atlassian's history redaction (`POST /rest/api/3/redact`) before editing. */
  historyRedaction: boolean;
  /**
   * Shared across calls: after the API refuses for lack of a licence or permission (403/404) it is not asked
   * again for an hour, so sites without Atlassian Guard Premium do not pay a failed request per redaction.
   */
  historyApi?: { unavailableUntil: number; why: string };
}

const HISTORY_API_RECHECK_MS = 3_600_000;

/** One editable place in an issue: read its stored value, write a new one. */
export interface RedactionTarget {
  item: JiraItem;
  describe: string;
  entityType: HistoryRedactionItem['entityType'];
  entityId: string;
  read(): Promise<{ value: JiraText; issueId?: string } | null>;
  write(value: JiraText): Promise<void>;
}

/** The place an occurrence's item names, or `undefined` for attachments (Jira cannot edit a file in place). */
export function redactionTarget(client: JiraClient, item: JiraItem): RedactionTarget | undefined {
  const { key } = item;
  if (item.kind === 'field') {
    return {
      item,
      describe: item.fieldId === 'summary' ? `the summary of ${key}` : `field ${item.fieldId} of ${key}`,
      entityType: 'issuefieldvalue',
      entityId: item.fieldId,
      async read() {
        const issue = await client.getIssue(key, [item.fieldId]);
        if (!issue) return null;
        const raw = issue.fields[item.fieldId];
        const value = typeof raw === 'string' || (raw !== null && typeof raw === 'object') ? (raw as JiraText) : null;
        return { value, issueId: issue.id };
      },
      write: (value) => client.updateIssueField(key, item.fieldId, value),
    };
  }
  if (item.kind === 'comment') {
    let lastRead: JiraComment | undefined;
    return {
      item,
      describe: `comment ${item.id} on ${key}`,
      entityType: 'issue-comment',
      entityId: item.id,
      async read() {
        const comment = await client.getComment(key, item.id);
        if (!comment) return null;
        lastRead = comment;
        return { value: comment.body };
      },
      write: (value) => client.updateComment(key, lastRead ?? { id: item.id, body: null }, value),
    };
  }
  if (item.kind === 'worklog') {
    return {
      item,
      describe: `worklog ${item.id} on ${key}`,
      entityType: 'issue-worklog',
      entityId: item.id,
      async read() {
        const worklog = await client.getWorklog(key, item.id);
        return worklog ? { value: worklog.comment } : null;
      },
      write: (value) => client.updateWorklog(key, item.id, value),
    };
  }
  return undefined;
}

export type EditResult = { status: 'redacted' } | { status: 'not_found' | 'failed'; detail: string };

const MAX_EDIT_ATTEMPTS = 3;

/**
 * Re-reads the target, locates the secret in the same plain text leakwatch
 * scanned (ADF joined by `normalizeAdf`, wiki markup as is), writes the value
 * back with each span replaced by its redacted form, and checks the result no
 * longer holds it. The value is read again just before writing and the cycle
 * restarts if someone edited it meanwhile, so a concurrent edit is not undone.
 */
export async function editInPlace(target: RedactionTarget, locate: Locate): Promise<EditResult> {
  for (let attempt = 1; attempt <= MAX_EDIT_ATTEMPTS; attempt++) {
    const current = await target.read();
    if (current === null) return { status: 'not_found', detail: `${target.describe} no longer exists` };
    const spans = locate(jiraPlainText(current.value), 'plain');
    if (spans.length === 0) return { status: 'not_found', detail: `the secret is no longer in ${target.describe}` };
    const edit = redactJiraText(current.value, spans);
    if (locate(jiraPlainText(edit.value), 'plain').length > 0) {
      return { status: 'failed', detail: `could not map the secret back into the stored text of ${target.describe}` };
    }
    const again = await target.read();
    if (again === null) return { status: 'not_found', detail: `${target.describe} no longer exists` };
    if (JSON.stringify(again.value) !== JSON.stringify(current.value)) continue;
    await target.write(edit.value);
    return { status: 'redacted' };
  }
  return { status: 'failed', detail: `${target.describe} kept changing while it was being redacted` };
}

/** Atlassian's `expectedText`: Base64 of the hex SHA-256 of the text to remove (as in the API's documented example). */
export function expectedTextOf(text: string): string {
  return Buffer.from(createHash('sha256').update(text, 'utf8').digest('hex'), 'utf8').toString('base64');
}

function historyNote(client: JiraClient, target: RedactionTarget, why: string): string {
  if (client.deployment === 'datacenter') {
    return target.entityType === 'issuefieldvalue'
      ? `; Jira Data Center keeps the previous value in the issue history, where an administrator must remove it`
      : '';
  }
  return `; the issue history still holds the previous value (${why})`;
}

/**
 * Redacts one occurrence on Jira. On Cloud with history redaction on, it first
 * asks Atlassian's redaction API to remove the secret from the current value
 * and from the issue history (the positions are only valid before any edit)
 * and queues a follow-up that checks the job and edits the value directly if
 * the job did not remove it. Where that API is unavailable (Data Center, or
 * no Atlassian Guard Premium: 403) the value is edited directly with
 * `notifyUsers=false`. Attachments cannot be edited and are reported as such.
 */
export async function redactJiraOccurrence(ctx: RedactorContext, request: RedactionRequest): Promise<RedactionOutcome> {
  const item = parseJiraItem(request.occurrence.item);
  if (!item) return { status: 'unsupported', detail: `not a Jira item: ${request.occurrence.item}` };
  if (item.kind === 'attachment') {
    return {
      status: 'unsupported',
      detail: `attachment ${item.id} on ${item.key} cannot be edited; delete or replace the file in Jira`,
    };
  }
  const target = redactionTarget(ctx.client, item)!;
  return ctx.pacer.exclusive(item.key, async () => {
    let why = 'history redaction is turned off (JIRA_HISTORY_REDACTION=false)';
    if (ctx.historyApi && ctx.historyApi.unavailableUntil > Date.now()) why = ctx.historyApi.why;
    else if (ctx.client.deployment === 'cloud' && ctx.historyRedaction) {
      const submitted = await submitHistoryRedaction(ctx, target, request);
      if (submitted.status === 'submitted') {
        return {
          status: 'redacted',
          detail:
            `Atlassian redaction job ${submitted.jobId} removes the secret from ${target.describe} and from the issue history ` +
            `(history of the last 10 days); leakwatch checks the job and edits the value itself if the job does not remove it`,
        };
      }
      if (submitted.status === 'not_found') return { status: 'not_found', detail: submitted.detail };
      why = submitted.why;
    }
    const result = await editInPlace(target, request.locate);
    if (result.status !== 'redacted') return result;
    return { status: 'redacted', detail: `${target.describe} edited${historyNote(ctx.client, target, why)}` };
  });
}

type Submission =
  | { status: 'submitted'; jobId: string }
  | { status: 'not_found'; detail: string }
  | { status: 'unavailable'; why: string };

async function submitHistoryRedaction(
  ctx: RedactorContext,
  target: RedactionTarget,
  request: RedactionRequest,
): Promise<Submission> {
  const current = await target.read();
  if (current === null) return { status: 'not_found', detail: `${target.describe} no longer exists` };
  const spans = request.locate(jiraPlainText(current.value), 'plain');
  if (spans.length === 0) return { status: 'not_found', detail: `the secret is no longer in ${target.describe}` };
  const { ranges } = redactJiraText(current.value, spans);
  const issueId = current.issueId ?? (await ctx.client.getIssue(target.item.key, ['updated']))?.id;
  if (issueId === undefined) return { status: 'not_found', detail: `${target.item.key} no longer exists` };
  const items: HistoryRedactionItem[] = ranges
    .filter((r) => r.to > r.from)
    .map((r) => ({
      externalId: randomUUID(),
      issueId,
      entityType: target.entityType,
      entityId: target.entityId,
      ...(r.pointer === undefined ? {} : { adfPointer: r.pointer }),
      from: r.from,
      to: r.to,
      expectedText: expectedTextOf(r.removed),
      reason: `leaked credential (leakwatch finding ${request.finding.id})`,
    }));
  if (items.length === 0) return { status: 'unavailable', why: "no text position to hand to Jira's redaction API" };
  let jobId: string;
  try {
    jobId = await ctx.client.requestHistoryRedaction(items);
  } catch (error) {
    if (error instanceof JiraRateLimitError) throw error;
    const status = error instanceof JiraApiError ? error.status : 0;
    ctx.logger.info({ issue: target.item.key, status }, 'jira: redaction API unavailable, editing the value instead');
    const why =
      status === 403
        ? "Jira's redaction API answered 403: it needs Atlassian Guard Premium and permission to redact"
        : `Jira's redaction API answered ${status || 'nothing'}`;
    if (ctx.historyApi && (status === 403 || status === 404)) {
      ctx.historyApi.unavailableUntil = Date.now() + HISTORY_API_RECHECK_MS;
      ctx.historyApi.why = why;
    }
    return { status: 'unavailable', why };
  }
  const job: RedactionStatusJob = {
    jobId,
    findingId: request.finding.id,
    occurrenceId: request.occurrence.id,
    externalIds: items.map((i) => i.externalId),
    submittedAt: new Date().toISOString(),
  };
  await ctx.boss.send(JIRA_REDACTION_STATUS_QUEUE, job, { startAfter: 30 });
  return { status: 'submitted', jobId };
}
