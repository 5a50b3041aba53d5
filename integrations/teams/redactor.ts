import type { RedactionOutcome, RedactionRequest } from '../../src/core/integration.ts';
import { attachmentTexts } from './attachment-text.ts';
import { segment } from './graph-client.ts';
import { GraphRequestError, isNotFound } from './graph-errors.ts';
import {
  locationFromRef,
  messagePath,
  messageText,
  type ChatMessage,
  type MessageLocation,
} from './message-documents.ts';
import type { TeamsContext } from './teams-context.ts';

/** The policy tip Teams shows in place of a hidden message (to the sender; others see it was hidden). */
export const POLICY_TIP =
  'This message was hidden because it contains a credential (detected by leakwatch). Rotate the credential and share secrets through a vault, not chat.';

const UNSUPPORTED_DETAIL =
  'Teams messages can only be hidden with TEAMS_DLP=true (application permission ChannelMessage.UpdatePolicyViolation.All / Chat.UpdatePolicyViolation.All and a DLP licence) or deleted with TEAMS_DELEGATED_TOKEN (softDelete); neither is configured, so the message is unchanged.';

function describeRefusal(error: GraphRequestError, how: string): string {
  if (error.status === 401) return `${how}: the token was rejected (expired or revoked)`;
  if (error.status === 403)
    return `${how}: Graph refused (403 ${error.code ?? 'Forbidden'}) — missing permission, licence, or the sender is outside the tenant`;
  return `${how}: Graph answered ${error.status} ${error.code ?? ''}`.trim();
}

/**
 * Redaction for Teams. Graph cannot edit someone else's message, so the
 * options are: hide it by setting its `policyViolation` (DLP, application
 * permission) — Teams then shows a policy tip instead of the text — or
 * soft-delete it with a delegated token. The message is re-read first and
 * the secret located in its current text; if it is gone, nothing is done.
 */
export function createTeamsRedactor(ctx: Pick<TeamsContext, 'config' | 'graph'>) {
  let delegatedUserId: string | undefined;

  const softDeletePath = async (location: MessageLocation, token: string): Promise<string> => {
    if (location.kind === 'channel') return `${messagePath(location)}/softDelete`;
    // Chat messages are deleted through the signed-in user's view of the chat.
    delegatedUserId ??= (await ctx.graph.get<{ id: string }>('/me?$select=id', { token })).id;
    return `/users/${segment(delegatedUserId)}/chats/${segment(location.chatId)}/messages/${segment(location.messageId)}/softDelete`;
  };

  return async function redact(request: RedactionRequest): Promise<RedactionOutcome> {
    const { occurrence, finding } = request;
    const location = locationFromRef(occurrence.container, occurrence.item);
    if (!location || occurrence.workspace !== ctx.config.tenantId) {
      return {
        status: 'failed',
        detail: `not a message of this Teams tenant: ${occurrence.container}/${occurrence.item}`,
      };
    }
    let message: ChatMessage;
    try {
      message = await ctx.graph.get<ChatMessage>(messagePath(location));
    } catch (error) {
      if (isNotFound(error)) return { status: 'not_found', detail: 'the message no longer exists' };
      throw error;
    }
    if (message.deletedDateTime) return { status: 'not_found', detail: 'the message was deleted' };
    const { text, format } = messageText(message, await attachmentTexts(ctx.graph, message));
    if (request.locate(text, format).length === 0) {
      return { status: 'not_found', detail: 'the credential is no longer in the message (edited away)' };
    }
    if (message.policyViolation?.dlpAction === 'BlockAccess') {
      return { status: 'redacted', detail: 'the message is already hidden by a policy violation' };
    }

    let dlpRefusal: string | undefined;
    if (ctx.config.dlp) {
      try {
        await ctx.graph.send('PATCH', `${messagePath(location)}?model=A`, {
          body: {
            policyViolation: {
              policyTip: { generalText: POLICY_TIP, matchedConditionDescriptions: [finding.detector_id] },
              verdictDetails: 'None',
              dlpAction: 'BlockAccess',
            },
          },
        });
        return {
          status: 'redacted',
          detail:
            'message hidden in Teams (policyViolation BlockAccess, policy tip shown); Microsoft still retains the original',
        };
      } catch (error) {
        if (!(error instanceof GraphRequestError) || error.status === 0 || error.status >= 500) throw error;
        dlpRefusal = describeRefusal(error, 'policyViolation update refused');
        if (!ctx.config.delegatedToken) return { status: 'failed', detail: dlpRefusal };
      }
    }
    const delegated = ctx.config.delegatedToken;
    if (delegated) {
      const token = delegated.reveal();
      try {
        await ctx.graph.send('POST', await softDeletePath(location, token), { token });
        return {
          status: 'deleted',
          detail: `message soft-deleted with the delegated token (the sender or an admin can undo it)${dlpRefusal ? `; ${dlpRefusal}` : ''}`,
        };
      } catch (error) {
        if (!(error instanceof GraphRequestError) || error.status === 0 || error.status >= 500) throw error;
        return {
          status: 'failed',
          detail: [dlpRefusal, describeRefusal(error, 'softDelete refused')].filter(Boolean).join('; '),
        };
      }
    }
    return { status: 'unsupported', detail: UNSUPPORTED_DETAIL };
  };
}
