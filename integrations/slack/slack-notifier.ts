import type { Identity } from '../../src/db/schema.ts';
import type { NoticeDelivery, Notifier, OwnerNotice } from '../../src/notify/notifier.ts';
import { escapeText } from './block-kit.ts';
import { revokeOffered } from './owner-actions.ts';
import {
  renderOwnerMessage,
  renderResolvedMessage,
  type OwnerMessageAudience,
  type SlackMessage,
} from './owner-message.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import { describeSlackError, slackErrorCode } from './slack-client.ts';

/** Recipient key of notices that go to the security channel for want of a reachable owner. */
export const SECURITY_RECIPIENT = 'slack:security';
/** `notifications.kind` of the security channel alert for a live critical finding. */
export const LIVE_CRITICAL_ALERT = 'live_critical_alert';

/** Where a sent message is, as stored in `notifications.external_id`: `<channel>/<ts>`. */
export function messageRef(channel: string, ts: string): string {
  return `${channel}/${ts}`;
}

/** The channel and ts of a `messageRef`, or undefined for anything else. */
export function parseMessageRef(ref: string): { channel: string; ts: string } | undefined {
  const match = /^([A-Z0-9]+)\/(\d+\.\d+)$/.exec(ref);
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}

/**
 * The recipient key of a notice, decided before anything is sent. It depends
 * only on the owner identity's platform and user id, which never change, so a
 * retry computes the same key even after leakwatch filled in the owner's Slack
 * user id or learnt they were deactivated (one notice per finding and owner).
 * Slack authors give `slack:U123`; others `slack:<platform>:<user id>`; no owner `slack:security`.
 */
export function recipientKey(owner: Identity | null): string {
  if (!owner) return SECURITY_RECIPIENT;
  if (owner.platform === 'slack') return `slack:${owner.platform_user_id}`;
  return `slack:${owner.platform}:${owner.platform_user_id}`;
}

/** The Slack user an identity is known to be, without asking Slack. */
export function knownSlackUser(owner: Identity): string | null {
  return owner.slack_user_id ?? (owner.platform === 'slack' ? owner.platform_user_id : null);
}

interface SlackUser {
  id: string;
  deleted?: boolean;
  is_bot?: boolean;
}

type Target = { kind: 'dm'; user: string } | { kind: 'security'; why: string; ownerLabel?: string };

function ownerLabel(owner: Identity, slackUser: string | null): string {
  if (slackUser) return `<@${slackUser}>`;
  return escapeText(owner.display_name ?? owner.email ?? `${owner.platform} user ${owner.platform_user_id}`);
}

/**
 * Delivers owner notices as Slack DMs. The owner identity is mapped to a Slack
 * user (its stored `slack_user_id`; else `users.lookupByEmail`, storing the
 * result; Slack authors are checked with `users.info`). An owner who cannot be
 * found, is deactivated or is a bot gets nobody's DM: the notice goes to the
 * security channel, saying why. A live critical finding also raises an
 * immediate alert in the security channel.
 *
 * Slack errors that a retry can cure (rate limits, timeouts, 5xx) are thrown,
 * so the notify job is retried with backoff; answers that will not change
 * (`users_not_found`, `cannot_dm_bot`…) pick another route instead.
 */
export function createSlackNotifier(deps: SlackOutboundDeps): Notifier {
  /** A Slack user, or Slack's reason for not returning one (`users_not_found`, `user_not_found`…). */
  async function slackUser(call: () => Promise<{ user?: unknown }>): Promise<{ user?: SlackUser; error?: string }> {
    try {
      return { user: (await call()).user as SlackUser | undefined };
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === undefined) throw error;
      return { error: code };
    }
  }

  async function resolveTarget(owner: Identity | null): Promise<Target> {
    if (!owner) return { kind: 'security', why: 'Nobody could be identified as the author.' };
    let user = knownSlackUser(owner);
    const security = (why: string): Target => ({ kind: 'security', why, ownerLabel: ownerLabel(owner, user) });
    if (!owner.active) return security('The author is deactivated.');

    let found: { user?: SlackUser; error?: string };
    if (user) {
      const id = user;
      found = await slackUser(() => deps.bot.users.info({ user: id }));
      if (!found.user) return security(`The author's Slack account was not found (${found.error}).`);
    } else {
      const email = owner.email;
      if (!email) return security('The author has no email address to find them in Slack.');
      found = await slackUser(() => deps.bot.users.lookupByEmail({ email }));
      if (!found.user) {
        if (found.error === 'users_not_found') return security('The author has no Slack account with their email.');
        deps.logger.warn({ error: found.error, identity: owner.id }, 'Slack users.lookupByEmail failed');
        return security(`The author could not be looked up in Slack (${found.error}).`);
      }
      user = found.user.id;
      // Remember the mapping: later notices for this person skip the lookup.
      await deps.db
        .updateTable('identities')
        .set({ slack_user_id: user, updated_at: deps.now() })
        .where('id', '=', owner.id)
        .where('slack_user_id', 'is', null)
        .execute();
    }
    if (found.user.deleted)
      return security("The author's Slack account is deactivated: nobody will rotate it unless you do.");
    if (found.user.is_bot || user === 'USLACKBOT')
      return security('It was posted by a bot or app, which cannot be told.');
    return { kind: 'dm', user };
  }

  function detectorName(notice: OwnerNotice): string {
    return deps.detectors.get(notice.finding.detector_id)?.name ?? notice.finding.detector_id;
  }

  function render(notice: OwnerNotice, audience: OwnerMessageAudience): SlackMessage {
    // Revoked (and proven dead) before the notice went out: say so, with nothing left to press.
    if (notice.finding.status === 'resolved') return resolvedMessage(notice);
    return renderOwnerMessage({
      finding: notice.finding,
      occurrences: notice.occurrences,
      detectorName: detectorName(notice),
      canRevoke: revokeOffered(deps, notice.finding),
      audience,
    });
  }

  function resolvedMessage(notice: OwnerNotice): SlackMessage {
    return renderResolvedMessage({
      finding: notice.finding,
      occurrences: notice.occurrences,
      detectorName: detectorName(notice),
    });
  }

  async function post(channel: string, message: SlackMessage): Promise<string> {
    const response = await (deps.botPosting ?? deps.bot).chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    return messageRef(response.channel ?? channel, response.ts!);
  }

  async function toSecurityChannel(
    recipient: string,
    notice: OwnerNotice,
    target: Extract<Target, { kind: 'security' }>,
  ): Promise<NoticeDelivery> {
    const channel = deps.config.securityChannel;
    if (!channel) {
      return {
        delivered: false,
        recipient,
        reason: `${target.why} SLACK_SECURITY_CHANNEL is not set, so nobody was told.`,
      };
    }
    const audience: OwnerMessageAudience = {
      kind: 'security',
      headline: ':rotating_light: A leaked credential has no one to rotate it',
      why: target.why,
      ...(target.ownerLabel ? { ownerLabel: target.ownerLabel } : {}),
    };
    try {
      const externalId = await post(channel, render(notice, audience));
      return { delivered: true, recipient, externalId, reason: `sent to the security channel: ${target.why}` };
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === undefined) throw error;
      return { delivered: false, recipient, reason: `the security channel refused the message (${code})` };
    }
  }

  /** Posts the live critical alert once per finding (claimed in `notifications` before it is sent). */
  async function alertLiveCritical(notice: OwnerNotice, owner: string): Promise<void> {
    const { finding } = notice;
    const channel = deps.config.securityChannel;
    if (!channel || finding.liveness !== 'live' || finding.severity !== 'critical') return;
    const claimed = await deps.db
      .insertInto('notifications')
      .values({ finding_id: finding.id, recipient: SECURITY_RECIPIENT, kind: LIVE_CRITICAL_ALERT, status: 'sending' })
      .onConflict((oc) => oc.columns(['finding_id', 'recipient', 'kind']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) return;
    const audience: OwnerMessageAudience = {
      kind: 'security',
      headline: ':rotating_light: Live critical credential leaked',
      why: 'It works right now and grants critical access. The author was sent a DM.',
      ownerLabel: owner,
    };
    try {
      const externalId = await post(channel, render(notice, audience));
      await deps.db
        .updateTable('notifications')
        .set({ status: 'sent', external_id: externalId, sent_at: deps.now() })
        .where('id', '=', claimed.id)
        .execute();
    } catch (error) {
      // The owner's DM went out; a failed alert is recorded for the dashboard rather than retried into a second DM.
      await deps.db
        .updateTable('notifications')
        .set({ status: 'failed', error: describeSlackError(error).slice(0, 500) })
        .where('id', '=', claimed.id)
        .execute();
      deps.logger.warn({ err: error, findingId: finding.id }, 'could not alert the security channel');
    }
  }

  /** A message the bot posted in `channel` since `since` whose buttons carry `findingId`, if any (a few pages at most). */
  async function findBotMessage(channel: string, since: Date, findingId: string): Promise<string | undefined> {
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const history = await deps.bot.conversations.history({
        channel,
        // A minute of slack for clock skew between us and Slack.
        oldest: String(Math.floor(since.getTime() / 1000) - 60),
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      const found = history.messages?.find((m) => m.bot_id && JSON.stringify(m.blocks ?? []).includes(findingId));
      if (found?.ts) return found.ts;
      cursor = history.response_metadata?.next_cursor || undefined;
      if (!history.has_more || !cursor) return undefined;
    }
    throw new Error('too many messages to tell whether the notice was delivered');
  }

  return {
    name: 'slack',
    recipientFor: (notice) => recipientKey(notice.owner),
    async refreshNotice(notice, externalId) {
      const where = parseMessageRef(externalId);
      if (!where) {
        deps.logger.warn({ findingId: notice.finding.id }, 'a sent notice has no Slack message reference to update');
        return;
      }
      const message = resolvedMessage(notice);
      try {
        // No automatic retries (each would count against Slack's limits while it struggles): the job is
        // retried with backoff instead.
        await (deps.botPosting ?? deps.bot).chat.update({
          channel: where.channel,
          ts: where.ts,
          text: message.text,
          blocks: message.blocks,
        });
      } catch (error) {
        // Rate limits, timeouts and 5xx are retried by the job; an answer that will not change (the message
        // or channel is gone, archived) is the end of it.
        const code = slackErrorCode(error);
        if (code === undefined) throw error;
        deps.logger.warn({ error: code, findingId: notice.finding.id }, 'could not update a sent notice');
      }
    },
    async findDelivered(notice, since) {
      const recipient = recipientKey(notice.owner);
      const target = await resolveTarget(notice.owner);
      let channel: string | undefined;
      if (target.kind === 'security') channel = deps.config.securityChannel;
      else channel = (await deps.bot.conversations.open({ users: target.user })).channel?.id;
      if (!channel) return null;
      const ts = await findBotMessage(channel, since, notice.finding.id);
      return ts ? { delivered: true, recipient, externalId: messageRef(channel, ts) } : null;
    },
    async notifyOwner(notice) {
      const recipient = recipientKey(notice.owner);
      const target = await resolveTarget(notice.owner);
      if (target.kind === 'security') return toSecurityChannel(recipient, notice, target);
      let externalId: string;
      try {
        const opened = await deps.bot.conversations.open({ users: target.user });
        externalId = await post(opened.channel!.id!, render(notice, { kind: 'owner' }));
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === undefined) throw error;
        const why = `The DM to the author failed (${code}).`;
        return toSecurityChannel(recipient, notice, { kind: 'security', why, ownerLabel: `<@${target.user}>` });
      }
      await alertLiveCritical(notice, `<@${target.user}>`);
      return { delivered: true, recipient, externalId };
    },
  };
}
