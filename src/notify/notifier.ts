import type { Finding, Identity, Occurrence } from '../db/schema.ts';

/** What the owner of a leaked credential is told. Platform-neutral; each notifier renders it. */
export interface OwnerNotice {
  finding: Finding;
  occurrences: readonly Occurrence[];
  /** The person who posted it, as far as identities know them. */
  owner: Identity | null;
}

export interface NoticeDelivery {
  delivered: boolean;
  /** Stable recipient key (e.g. `slack:U123`, `security-channel`) for the one-message-per-owner rule. */
  recipient: string;
  /** Platform message id, to update or find the message later. */
  externalId?: string;
  reason?: string;
}

/**
 * Delivers owner notices and security alerts. One implementation per
 * platform (Slack DM, Teams), plus `LogNotifier` when none is configured.
 */
export interface Notifier {
  readonly name: string;
  /** The recipient key a notice would go to, decided before sending (for idempotency). */
  recipientFor(notice: OwnerNotice): string;
  notifyOwner(notice: OwnerNotice): Promise<NoticeDelivery>;
  /**
   * Optional: whether a notice whose send was interrupted (the process died
   * mid-send) reached its recipient after all, looked up on the platform
   * among messages since `since`. Returns the delivery if found, null if it
   * was surely not delivered, and throws when it cannot tell (try later).
   * Without it, an interrupted notice is marked `uncertain` and not resent.
   */
  findDelivered?(notice: OwnerNotice, since: Date): Promise<NoticeDelivery | null>;
  /**
   * Optional: rewrites a notice sent earlier (`externalId` from its delivery)
   * to show the finding as it is now — resolved, with why it is safe — and
   * without the buttons. Idempotent: refreshing twice shows the same message.
   * Throws when a retry may help; a message that is gone is not an error.
   */
  refreshNotice?(notice: OwnerNotice, externalId: string): Promise<void>;
}
