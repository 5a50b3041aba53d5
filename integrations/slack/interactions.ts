import type { App, BlockAction, ButtonAction, SlashCommand } from '@slack/bolt';
import type { Finding, Identity } from '../../src/db/schema.ts';
import type { KnownBlock } from './block-kit.ts';
import { ownerMarkedNotASecret, ownerRequestedRevoke, ownerRotated, type ActionResult } from './owner-actions.ts';
import { ACTIONS_BLOCK_ID, OUTCOME_BLOCK_ID, OWNER_ACTIONS, outcomeBlock } from './owner-message.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import { describeSlackError } from './slack-client.ts';
import { knownSlackUser } from './slack-notifier.ts';
import { HELP_TEXT, renderStatusMessage } from './status-message.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type OwnerAction = (deps: SlackOutboundDeps, findingId: string, actor: string) => Promise<ActionResult>;

const HANDLERS: Record<string, OwnerAction> = {
  [OWNER_ACTIONS.rotated]: ownerRotated,
  [OWNER_ACTIONS.revoke]: ownerRequestedRevoke,
  [OWNER_ACTIONS.notSecret]: ownerMarkedNotASecret,
};

/** Where the clicked button is: the channel and ts of the leakwatch message. */
function clickedMessage(body: BlockAction): { channel: string; ts: string; blocks: KnownBlock[] } | undefined {
  const channel = body.channel?.id ?? (body.container?.channel_id as string | undefined);
  const ts = body.message?.ts ?? (body.container?.message_ts as string | undefined);
  if (!channel || !ts) return undefined;
  const blocks = Array.isArray(body.message?.blocks) ? (body.message.blocks as KnownBlock[]) : [];
  return { channel, ts, blocks };
}

/**
 * Only the person the notice was about (in their DM) or a member of the
 * security channel (where unowned findings and alerts are posted) may act.
 * Slack signs the payload, so the user, channel and message are genuine; a DM
 * between the bot and the owner can only be seen, and clicked, by the owner.
 */
async function mayAct(deps: SlackOutboundDeps, finding: Finding, user: string, channel: string): Promise<boolean> {
  if (deps.config.securityChannel && channel === deps.config.securityChannel) return true;
  if (!finding.owner_identity_id || !channel.startsWith('D')) return false;
  const owner: Identity | undefined = await deps.db
    .selectFrom('identities')
    .selectAll()
    .where('id', '=', finding.owner_identity_id)
    .executeTakeFirst();
  return owner !== undefined && knownSlackUser(owner) === user;
}

/**
 * Registers the owner message's buttons and the `/leakwatch` command on the
 * Bolt app. Buttons are acknowledged at once (Slack wants an answer within
 * 3 s), then the action runs and the message is updated to show the outcome;
 * refusals and errors go back to the clicker only (ephemeral).
 */
export function registerSlackInteractions(app: App, deps: SlackOutboundDeps): void {
  const ephemeral = async (channel: string, user: string, text: string) => {
    try {
      await deps.bot.chat.postEphemeral({ channel, user, text });
    } catch (error) {
      deps.logger.warn({ err: describeSlackError(error), channel }, 'could not answer a leakwatch button click');
    }
  };

  for (const [actionId, act] of Object.entries(HANDLERS)) {
    app.action<BlockAction<ButtonAction>>(actionId, async ({ ack, body, action }) => {
      await ack();
      const user = body.user.id;
      const where = clickedMessage(body);
      const findingId = action.value ?? '';
      if (!where || !UUID.test(findingId)) {
        deps.logger.warn({ actionId, user }, 'leakwatch button click without a message or finding id');
        return;
      }
      try {
        const finding = await deps.db.selectFrom('findings').selectAll().where('id', '=', findingId).executeTakeFirst();
        if (!finding) return await ephemeral(where.channel, user, 'This finding no longer exists.');
        if (!(await mayAct(deps, finding, user, where.channel))) {
          deps.logger.warn({ actionId, user, findingId, channel: where.channel }, 'refused a leakwatch button click');
          return await ephemeral(
            where.channel,
            user,
            'Only the author of the leaked credential or the security team can act on this notice.',
          );
        }
        const result = await act(deps, findingId, `slack:${user}`);
        if (!result.done) return await ephemeral(where.channel, user, result.message);
        // The outcome replaces the buttons: the same notice cannot be acted on twice.
        const blocks = where.blocks.filter((b) => b.block_id !== ACTIONS_BLOCK_ID && b.block_id !== OUTCOME_BLOCK_ID);
        blocks.push(outcomeBlock(`${result.message} _(<@${user}>)_`));
        await deps.bot.chat.update({ channel: where.channel, ts: where.ts, text: result.message, blocks });
      } catch (error) {
        deps.logger.error({ err: describeSlackError(error), actionId, findingId }, 'leakwatch button action failed');
        await ephemeral(where.channel, user, 'leakwatch could not do that right now. Please try again in a minute.');
      }
    });
  }

  app.command('/leakwatch', async ({ command, ack }) => {
    const sub = (command as SlashCommand).text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (sub !== 'status') {
      await ack({ response_type: 'ephemeral', text: HELP_TEXT });
      return;
    }
    try {
      const message = await renderStatusMessage(deps, command.user_id);
      await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
    } catch (error) {
      deps.logger.error({ err: error }, '/leakwatch status failed');
      await ack({
        response_type: 'ephemeral',
        text: 'leakwatch could not read your findings right now. Please try again.',
      });
    }
  });
}
