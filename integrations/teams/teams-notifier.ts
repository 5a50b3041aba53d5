import type { Secret } from '../../src/core/secret.ts';
import type { NoticeDelivery, Notifier, OwnerNotice } from '../../src/notify/notifier.ts';
import { rotationGuideFor } from '../../src/notify/rotation-steps.ts';
import { GraphThrottledError, retryAfterSeconds } from './graph-errors.ts';

/** Recipient key for notices that go to the security team instead of a person. */
export const SECURITY_RECIPIENT = 'security-channel';
const MAX_PLACES = 5;

type CardElement = Record<string, unknown>;

/** Adaptive Card text is Markdown-ish: keep user-controlled names from turning into links or formatting. */
const plain = (text: string): string => text.replace(/[\\*_`[\]<>#]/g, (c) => `\\${c}`);

function escalated(notice: OwnerNotice): boolean {
  return !notice.owner || notice.owner.active === false;
}

/**
 * The card for one notice: what leaked (the redacted form only), where, how
 * live it is and what to do. A notice for an owner whose account is disabled
 * (or unknown) is addressed to the security team, since nobody else will
 * rotate the credential.
 */
export function ownerNoticeCard(notice: OwnerNotice): CardElement {
  const { finding, owner } = notice;
  const guide = rotationGuideFor({ issuer: finding.issuer, detectorId: finding.detector_id });
  const toSecurity = escalated(notice);
  // Teams mentions take the Entra object id (or a UPN); a Teams author's identity has the id itself.
  const mentionId = owner?.platform === 'teams' ? owner.platform_user_id : (owner?.email ?? undefined);
  const mention = !toSecurity && owner?.display_name && mentionId ? owner : undefined;
  const who = mention
    ? `<at>${plain(mention.display_name!)}</at>`
    : owner?.display_name
      ? plain(owner.display_name)
      : 'Someone';
  const places = notice.occurrences.slice(0, MAX_PLACES).map((o) => ({
    type: 'TextBlock',
    wrap: true,
    spacing: 'None',
    text: o.url ? `- [${plain(o.container)}](${o.url})` : `- ${plain(`${o.platform} ${o.container} ${o.item}`)}`,
  }));
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      size: 'Medium',
      weight: 'Bolder',
      wrap: true,
      color: toSecurity ? 'Attention' : 'Warning',
      text: toSecurity
        ? `Leaked ${guide.issuerName} credential — ${owner ? "the owner's account is disabled" : 'no known owner'}: security team, please rotate it`
        : `${who}, a ${guide.issuerName} credential you posted has leaked`,
    },
    {
      type: 'FactSet',
      facts: [
        { title: 'Credential', value: finding.redacted },
        { title: 'Kind', value: finding.detector_id },
        { title: 'Still works', value: finding.liveness },
        { title: 'Severity', value: finding.severity },
        ...(toSecurity && owner?.display_name ? [{ title: 'Posted by', value: plain(owner.display_name) }] : []),
      ],
    },
    { type: 'TextBlock', wrap: true, weight: 'Bolder', text: 'Seen in' },
    ...places,
    { type: 'TextBlock', wrap: true, weight: 'Bolder', text: 'What to do now' },
    ...guide.steps.map((step, i) => ({ type: 'TextBlock', wrap: true, spacing: 'None', text: `${i + 1}. ${step}` })),
  ];
  const link = guide.settingsUrl ?? guide.docsUrl;
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    ...(link ? { actions: [{ type: 'Action.OpenUrl', title: `Open ${guide.issuerName}`, url: link }] } : {}),
    msteams: {
      width: 'Full',
      ...(mention
        ? {
            entities: [
              {
                type: 'mention',
                text: `<at>${plain(mention.display_name!)}</at>`,
                mentioned: { id: mentionId, name: mention.display_name },
              },
            ],
          }
        : {}),
    },
  };
}

/**
 * Owner notices for organisations that use Teams but not Slack: an Adaptive
 * Card posted to a channel through an incoming webhook or a Workflows
 * "post to a channel when a webhook request is received" URL, mentioning the
 * owner. (Graph cannot post chat messages with application permissions.)
 * Disabled or unknown owners are marked for the security team in the same
 * channel. The card holds the redacted form of the secret only.
 */
export class TeamsWebhookNotifier implements Notifier {
  readonly name = 'teams';
  readonly #url: Secret;
  readonly #timeoutMs: number;
  readonly #now: () => Date;

  constructor(url: Secret, options: { timeoutMs?: number; now?: () => Date } = {}) {
    this.#url = url;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#now = options.now ?? (() => new Date());
  }

  recipientFor(notice: OwnerNotice): string {
    return escalated(notice) ? SECURITY_RECIPIENT : `teams:${notice.owner!.platform}:${notice.owner!.platform_user_id}`;
  }

  async notifyOwner(notice: OwnerNotice): Promise<NoticeDelivery> {
    const recipient = this.recipientFor(notice);
    const payload = {
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: ownerNoticeCard(notice) },
      ],
    };
    let response: Response;
    try {
      response = await fetch(this.#url.reveal(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      // The URL is a credential: name the host only.
      // The cause is fetch's own error (connection refused, timeout), which names no path or token.
      throw new Error(`Teams webhook ${this.#url.redacted} unreachable: ${(error as Error).name}`, { cause: error });
    }
    const text = (await response.text().catch(() => '')).slice(0, 300);
    if (response.status === 429 || response.status >= 500) {
      // Thrown so the notify job is retried with backoff; the notifications row shows the reason.
      throw new GraphThrottledError(
        response.status,
        retryAfterSeconds(response.headers.get('retry-after'), this.#now()),
        'Teams webhook',
      );
    }
    // Legacy incoming webhooks answer 200 with an error text instead of a status code.
    if (!response.ok || /delivery failed|error/i.test(text)) {
      return { delivered: false, recipient, reason: `Teams webhook answered ${response.status}: ${text || 'no body'}` };
    }
    return { delivered: true, recipient };
  }
}
