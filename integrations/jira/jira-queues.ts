import type { Queue } from 'pg-boss';
import { JIRA_BACKFILL_QUEUE } from './backfill.ts';
import { JIRA_REDACTION_STATUS_QUEUE } from './redactor.ts';

export const JIRA_POLL_QUEUE = 'jira-poll';
export { JIRA_BACKFILL_QUEUE, JIRA_REDACTION_STATUS_QUEUE };

/**
 * Options for the Jira queues, for whoever creates them (the service, or the
 * backfill command when it runs first):
 * - `jira-poll` is `stately` (one queued, one running) so minute ticks never
 *   pile up behind a long poll, and is not retried: the next tick is the retry
 *   and the cursor makes it resume where the last submit left off.
 * - backfill steps and redaction checks reschedule themselves on rate limits;
 *   pg-boss retries cover crashes.
 */
export const JIRA_QUEUE_OPTIONS: Record<string, Omit<Queue, 'name'>> = {
  [JIRA_POLL_QUEUE]: { policy: 'stately', retryLimit: 0, expireInSeconds: 900, deleteAfterSeconds: 3600 },
  [JIRA_BACKFILL_QUEUE]: {
    retryLimit: 3,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 900,
    deleteAfterSeconds: 7 * 86_400,
  },
  [JIRA_REDACTION_STATUS_QUEUE]: {
    retryLimit: 5,
    retryDelay: 30,
    retryBackoff: true,
    expireInSeconds: 900,
    deleteAfterSeconds: 86_400,
  },
};
