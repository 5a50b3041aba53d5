import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { LocatedSecret } from '../../src/core/integration.ts';
import { writeAudit } from '../../src/db/audit-repository.ts';
import type { Database } from '../../src/db/schema.ts';
import type { Scanner } from '../../src/detection/scanner.ts';
import type { Logger } from '../../src/logger.ts';
import type { JiraClient } from './jira-client.ts';
import { JiraRateLimitError } from './jira-errors.ts';
import { parseJiraItem } from './jira-items.ts';
import type { IssueWritePacer } from './issue-write-pacer.ts';
import {
  editInPlace,
  JIRA_REDACTION_STATUS_QUEUE,
  redactionTarget,
  type Locate,
  type RedactionStatusJob,
} from './redactor.ts';

/** How long an Atlassian redaction job may stay pending before leakwatch edits the value itself. */
export const HISTORY_REDACTION_DEADLINE_MS = 15 * 60_000;
const RECHECK_SECONDS = 30;

export interface HistoryRedactionContext {
  client: JiraClient;
  db: Kysely<Database>;
  boss: PgBoss;
  scanner: Scanner;
  logger: Logger;
  pacer: IssueWritePacer;
  now(): Date;
}

export type HistoryCheckOutcome =
  | { status: 'pending'; jobStatus: string }
  | { status: 'recorded'; redaction: 'redacted' | 'failed'; jobStatus: string }
  | { status: 'ignored'; reason: string };

/**
 * Spans of a finding's credential (and its companion parts) in a text, found
 * by scanning it and comparing fingerprints: the follow-up job carries no
 * secret, only the finding id.
 */
export function locateByFingerprint(scanner: Scanner, fingerprint: string): Locate {
  return (text, format) =>
    scanner
      .scan(text, { format })
      .filter((m) => m.fingerprint === fingerprint)
      .flatMap((m): LocatedSecret[] => [
        { start: m.start, end: m.end, redacted: m.redacted },
        ...m.parts.map((p) => ({ start: p.start, end: p.end, redacted: p.secret.redacted })),
      ]);
}

/**
 * The `jira-redaction-status` job: polls Atlassian's redaction job
 * (`GET /rest/api/3/redact/status/{jobId}`) until it completes or its deadline
 * passes, then re-reads the item and, if the secret is still there (the job
 * failed or missed it), edits the value directly. The final status and a
 * secret-free detail are written to the occurrence's `redactions` row with an
 * audit entry in the same transaction.
 */
export async function checkHistoryRedaction(
  ctx: HistoryRedactionContext,
  job: RedactionStatusJob,
): Promise<HistoryCheckOutcome> {
  const reschedule = async (seconds: number) => {
    await ctx.boss.send(JIRA_REDACTION_STATUS_QUEUE, job, { startAfter: seconds });
  };
  let jobStatus: string;
  let successful = false;
  try {
    const status = await ctx.client.historyRedactionStatus(job.jobId);
    jobStatus = status.jobStatus;
    const ours = status.results.filter((r) => job.externalIds.includes(r.externalId));
    successful = jobStatus === 'COMPLETED' && ours.length === job.externalIds.length && ours.every((r) => r.successful);
  } catch (error) {
    if (error instanceof JiraRateLimitError) {
      await reschedule(Math.ceil(error.retryAfterMs / 1000));
      return { status: 'pending', jobStatus: 'RATE_LIMITED' };
    }
    jobStatus = 'UNREADABLE';
  }
  const overdue = ctx.now().getTime() - Date.parse(job.submittedAt) > HISTORY_REDACTION_DEADLINE_MS;
  if ((jobStatus === 'PENDING' || jobStatus === 'IN_PROGRESS' || jobStatus === 'UNREADABLE') && !overdue) {
    await reschedule(RECHECK_SECONDS);
    return { status: 'pending', jobStatus };
  }

  const occurrence = await ctx.db
    .selectFrom('occurrences')
    .selectAll()
    .where('id', '=', job.occurrenceId)
    .executeTakeFirst();
  const finding = await ctx.db.selectFrom('findings').selectAll().where('id', '=', job.findingId).executeTakeFirst();
  if (!occurrence || !finding) return { status: 'ignored', reason: 'the finding or occurrence is gone' };
  const item = parseJiraItem(occurrence.item);
  const target = item ? redactionTarget(ctx.client, item) : undefined;
  if (!item || !target) return { status: 'ignored', reason: 'not an editable Jira item' };

  let edit;
  try {
    edit = await ctx.pacer.exclusive(item.key, () =>
      editInPlace(target, locateByFingerprint(ctx.scanner, finding.fingerprint)),
    );
  } catch (error) {
    if (error instanceof JiraRateLimitError) {
      await reschedule(Math.ceil(error.retryAfterMs / 1000));
      return { status: 'pending', jobStatus };
    }
    throw error;
  }

  let redaction: 'redacted' | 'failed';
  let detail: string;
  if (edit.status === 'not_found') {
    redaction = 'redacted';
    detail = successful
      ? `Atlassian redaction job ${job.jobId} removed the secret from ${target.describe} and from the issue history`
      : `Atlassian redaction job ${job.jobId} ended ${jobStatus}; the secret is no longer in ${target.describe}`;
  } else if (edit.status === 'redacted') {
    redaction = 'redacted';
    detail =
      `Atlassian redaction job ${job.jobId} ended ${jobStatus} without removing the secret; ${target.describe} was edited ` +
      `instead and the issue history still holds the previous value`;
  } else {
    redaction = 'failed';
    detail = `Atlassian redaction job ${job.jobId} ended ${jobStatus}; ${edit.detail}`;
  }

  const updated = await ctx.db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('redactions')
      .set({ status: redaction, detail, updated_at: ctx.now() })
      .where('occurrence_id', '=', occurrence.id)
      .returning('id')
      .execute();
    if (rows.length === 0) return false;
    await writeAudit(trx, {
      actor: 'system',
      action: 'redaction.history_checked',
      targetType: 'finding',
      targetId: finding.id,
      details: { platform: 'jira', item: occurrence.item, jobStatus, status: redaction },
    });
    return true;
  });
  if (!updated) {
    // The redaction worker has not recorded its row yet: look again shortly (the edit above is idempotent).
    if (ctx.now().getTime() - Date.parse(job.submittedAt) < 2 * HISTORY_REDACTION_DEADLINE_MS) {
      await reschedule(RECHECK_SECONDS);
      return { status: 'pending', jobStatus };
    }
    ctx.logger.warn({ findingId: finding.id, occurrenceId: occurrence.id }, 'jira: no redactions row to record into');
  }
  return { status: 'recorded', redaction, jobStatus };
}
