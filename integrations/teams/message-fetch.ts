import { isNotFound } from './graph-errors.ts';
import { submitMessages } from './message-intake.ts';
import { containerOf, itemOf, messagePath, parseResource, type ChatMessage } from './message-documents.ts';
import { TEAMS_QUEUES, type TeamsContext } from './teams-context.ts';
import { runOrReschedule } from './throttle-reschedule.ts';

/** A change notification, reduced to what the fetch needs. */
export interface FetchJob {
  /** The notification's `resource`, e.g. `teams('…')/channels('…')/messages('…')`. */
  resource: string;
  changeType?: string;
}

export type FetchResult = { submitted: number; skipped: number } | { gone: true } | { ignored: string };

/**
 * teams-fetch: reads the message a notification named (notifications carry no
 * content without an encryption certificate) and submits it. A message that
 * no longer exists is submitted as an empty text under its reference, which
 * closes whatever was found in it.
 */
export async function fetchNotifiedMessage(ctx: TeamsContext, job: FetchJob): Promise<FetchResult> {
  const location = parseResource(job.resource);
  if (!location) return { ignored: 'not a channel or chat message' };
  let message: ChatMessage;
  try {
    message = await ctx.graph.get<ChatMessage>(messagePath(location));
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await ctx.sink.submit([
      {
        ref: {
          platform: 'teams',
          workspace: ctx.config.tenantId,
          container: containerOf(location),
          item: itemOf(location),
        },
        text: '',
        format: 'plain',
      },
    ]);
    return { gone: true };
  }
  return submitMessages(ctx, [{ location, message }], { skipSeen: true, registerContainers: true });
}

export function handleFetchJob(ctx: TeamsContext, data: unknown) {
  const job = data as FetchJob;
  return runOrReschedule(ctx, TEAMS_QUEUES.fetch, job, { singletonKey: job.resource }, () =>
    fetchNotifiedMessage(ctx, job),
  );
}
