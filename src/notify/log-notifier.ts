import type { Logger } from '../logger.ts';
import type { NoticeDelivery, Notifier, OwnerNotice } from './notifier.ts';

/**
 * The notifier when no chat platform is configured: the notice goes to the
 * log (redacted preview only), so the pipeline and its idempotency work the
 * same way and operators still see who should be told.
 */
export class LogNotifier implements Notifier {
  readonly name = 'log';
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  recipientFor(notice: OwnerNotice): string {
    return notice.owner ? `log:${notice.owner.platform}:${notice.owner.platform_user_id}` : 'log:security';
  }

  async notifyOwner(notice: OwnerNotice): Promise<NoticeDelivery> {
    const recipient = this.recipientFor(notice);
    this.#logger.info(
      {
        event: 'owner_notice',
        recipient,
        findingId: notice.finding.id,
        detector: notice.finding.detector_id,
        redacted: notice.finding.redacted,
        liveness: notice.finding.liveness,
        places: notice.occurrences.map((o) => o.url ?? `${o.platform}:${o.container}/${o.item}`),
      },
      'owner should rotate a leaked credential',
    );
    return { delivered: true, recipient };
  }
}
