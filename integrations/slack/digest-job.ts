import { writeAudit } from '../../src/db/audit-repository.ts';
import { computeDigest, DIGEST_PERIODS, type DigestPeriod } from '../../src/notify/digest.ts';
import { renderDigestMessage } from './digest-message.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import type { SlackConfig } from './slack-config.ts';

/** pg-boss queue of the security channel digest (cron schedule and `leakwatch digest`). */
export const SLACK_DIGEST_QUEUE = 'slack-digest';

export interface SlackDigestOptions {
  period: DigestPeriod;
  /**
   * Set by the cron schedule: at most one digest per period and UTC day, so a
   * retried job does not post twice. On-demand digests always post.
   */
  scheduled?: boolean;
  /** Who asked (`system`, `cli`, `slack:U123`), for the audit row. */
  requestedBy?: string;
}

export interface SlackDigestResult {
  posted: boolean;
  /** Why nothing was posted. */
  reason?: string;
  /** `<channel>/<ts>` of the posted digest. */
  externalId?: string;
}

/**
 * Computes the digest for the period ending now and posts it to the security
 * channel (SLACK_SECURITY_CHANNEL), with an audit row. Slack errors are thrown:
 * a rate limit retries the job later; a channel the bot is not in is reported.
 *
 * @example await sendSlackDigest(deps, { period: 'weekly', requestedBy: 'cli' })
 */
export async function sendSlackDigest(
  deps: SlackOutboundDeps,
  options: SlackDigestOptions,
): Promise<SlackDigestResult> {
  const channel = deps.config.securityChannel;
  if (!channel) return { posted: false, reason: 'SLACK_SECURITY_CHANNEL is not set' };
  const now = deps.now();
  const key = `${options.period}:${now.toISOString().slice(0, 10)}`;
  if (options.scheduled) {
    const already = await deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'digest.posted')
      .where('target_type', '=', 'slack_digest')
      .where('target_id', '=', key)
      .executeTakeFirst();
    if (already)
      return { posted: false, reason: `the ${options.period} digest for ${key.slice(-10)} was already posted` };
  }
  const digest = await computeDigest(deps.db, { period: options.period, now });
  const message = renderDigestMessage(digest, deps.detectors);
  const response = await deps.bot.chat.postMessage({
    channel,
    text: message.text,
    blocks: message.blocks,
    unfurl_links: false,
    unfurl_media: false,
  });
  const externalId = `${response.channel ?? channel}/${response.ts}`;
  await writeAudit(deps.db, {
    actor: options.requestedBy ?? 'system',
    action: 'digest.posted',
    targetType: 'slack_digest',
    targetId: key,
    details: {
      channel,
      externalId,
      period: options.period,
      newFindings: digest.newFindings,
      openLive: digest.openLive,
    },
  });
  return { posted: true, externalId };
}

/** The job handler for SLACK_DIGEST_QUEUE: `{ period?, scheduled? }`, the period defaulting to SLACK_DIGEST_PERIOD. */
export function slackDigestJobHandler(deps: SlackOutboundDeps): (data: unknown) => Promise<SlackDigestResult> {
  return (data) => {
    const input = (data ?? {}) as { period?: unknown; scheduled?: unknown };
    const period = DIGEST_PERIODS.includes(input.period as DigestPeriod)
      ? (input.period as DigestPeriod)
      : deps.config.digestPeriod;
    return sendSlackDigest(deps, { period, scheduled: input.scheduled === true });
  };
}

/** The cron schedule for the digest (SLACK_DIGEST_CRON), or none when it is off or there is no security channel. */
export function slackDigestSchedule(
  config: SlackConfig,
): { queue: string; cron: string; data: { period: DigestPeriod; scheduled: true } } | undefined {
  if (!config.digestCron || !config.securityChannel) return undefined;
  return { queue: SLACK_DIGEST_QUEUE, cron: config.digestCron, data: { period: config.digestPeriod, scheduled: true } };
}
