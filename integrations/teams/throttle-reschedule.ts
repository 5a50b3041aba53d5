import type { SendOptions } from 'pg-boss';
import { GraphThrottledError } from './graph-errors.ts';
import type { TeamsContext } from './teams-context.ts';

export interface Rescheduled {
  rescheduledInSeconds: number;
}

/**
 * Runs a job's work; when Graph throttles, queues the same job again after
 * Graph's Retry-After and completes this one, so no worker sleeps and the
 * retry budget is kept for real failures. Work is idempotent and resumes from
 * what it saved, so running it again later is safe.
 */
export async function runOrReschedule<T>(
  ctx: TeamsContext,
  queue: string,
  data: object,
  options: SendOptions,
  work: () => Promise<T>,
): Promise<T | Rescheduled> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof GraphThrottledError)) throw error;
    const seconds = Math.max(1, error.retryAfterSeconds);
    await ctx.boss.send(queue, data, { ...options, startAfter: seconds });
    ctx.logger.info({ queue, retryAfterSeconds: seconds }, 'Microsoft Graph throttled a Teams job; rescheduled');
    return { rescheduledInSeconds: seconds };
  }
}
