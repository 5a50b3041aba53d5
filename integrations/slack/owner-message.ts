import type { VerificationFacts } from '../../src/core/verification.ts';
import type { Finding, Occurrence } from '../../src/db/schema.ts';
import { rotationGuideFor } from '../../src/notify/rotation-steps.ts';
import { code, context, escapeText, header, link, section, slackDate, truncate, type KnownBlock } from './block-kit.ts';

/** Action ids of the owner message's buttons; each button's value is the finding id and nothing else. */
export const OWNER_ACTIONS = {
  rotated: 'leakwatch_rotated',
  revoke: 'leakwatch_revoke',
  notSecret: 'leakwatch_not_a_secret',
} as const;

/** Block ids the interaction handlers replace when they update a sent message. */
export const ACTIONS_BLOCK_ID = 'leakwatch_actions';
export const OUTCOME_BLOCK_ID = 'leakwatch_outcome';

const MAX_PLACES = 5;
const MAX_SCOPES = 15;

/**
 * Who reads the message: the owner in a DM, or the security channel (no
 * reachable owner, a deactivated one, or a live critical alert) with why.
 */
export type OwnerMessageAudience =
  { kind: 'owner' } | { kind: 'security'; headline: string; why: string; ownerLabel?: string };

export interface OwnerMessageInput {
  finding: Finding;
  occurrences: readonly Occurrence[];
  /** The detector's display name ("GitHub classic personal access token"). */
  detectorName: string;
  /** Offer "Revoke it now": the detector has a revoker and the revocation policy is not `off`. */
  canRevoke: boolean;
  audience: OwnerMessageAudience;
}

export interface SlackMessage {
  /** Notification and screen-reader fallback. */
  text: string;
  blocks: KnownBlock[];
}

/** Verification facts are stored as JSON; drivers hand jsonb back parsed, a text column as a string. */
export function parseFacts(raw: unknown): VerificationFacts {
  if (raw === null || raw === undefined) return {};
  if (typeof raw === 'string') {
    try {
      return JSON.parse(raw) as VerificationFacts;
    } catch {
      return {};
    }
  }
  return raw as VerificationFacts;
}

/** Where a credential was seen, for a reader: the Slack channel mention, or the platform's container and item. */
export function placeLabel(occurrence: Occurrence): string {
  if (occurrence.platform === 'slack') {
    const what = occurrence.item.startsWith('file:') ? 'file' : 'message';
    // A direct message has no channel mention that renders; say what it is instead.
    if (occurrence.container.startsWith('D')) return `${what} in a direct message`;
    return `${what} in <#${occurrence.container.replace(/[^A-Z0-9]/gi, '')}>`;
  }
  return escapeText(`${occurrence.platform}: ${occurrence.container} / ${occurrence.item}`);
}

function placesText(occurrences: readonly Occurrence[]): string {
  if (occurrences.length === 0) return '*Where*\n_No place recorded._';
  // Places where it is still visible come first: those are the ones to clean up.
  const ordered = [...occurrences].sort((a, b) => Number(a.closed_at !== null) - Number(b.closed_at !== null));
  const lines = ordered.slice(0, MAX_PLACES).map((o) => {
    const label = placeLabel(o);
    const view = o.url ? ` — ${link(o.url, 'open')}` : '';
    const gone = o.closed_at ? ' _(no longer there)_' : '';
    return `• ${label}${view}${gone}`;
  });
  if (ordered.length > MAX_PLACES) lines.push(`…and ${ordered.length - MAX_PLACES} more places`);
  return `*Where*\n${lines.join('\n')}`;
}

function livenessText(finding: Finding): string {
  const facts = parseFacts(finding.verification_facts);
  const reason = finding.liveness_reason ? ` (${escapeText(finding.liveness_reason)})` : '';
  const lines: string[] = [];
  switch (finding.liveness) {
    case 'live':
      lines.push(':red_circle: *It works right now.* Anyone who saw it can use it until it is revoked.');
      break;
    case 'dead':
      lines.push(':white_check_mark: It no longer works at the issuer.');
      break;
    case 'unknown':
      lines.push(`:grey_question: leakwatch could not tell whether it still works${reason}. Treat it as live.`);
      break;
    default:
      lines.push(`:grey_question: Not checked${reason}. Treat it as live.`);
  }
  if (facts.account) lines.push(`*Account:* ${code(facts.account)}`);
  if (facts.scopes && facts.scopes.length > 0) {
    const shown = facts.scopes.slice(0, MAX_SCOPES).map(code).join(', ');
    const more = facts.scopes.length > MAX_SCOPES ? ` and ${facts.scopes.length - MAX_SCOPES} more` : '';
    lines.push(`*Can do:* ${shown}${more}`);
  }
  if (facts.privileged) lines.push(':warning: *Privileged:* it grants admin or write-everything access.');
  if (facts.expiresAt) {
    const expiry = new Date(facts.expiresAt);
    if (!Number.isNaN(expiry.getTime())) lines.push(`*Expires:* ${slackDate(expiry)}`);
  }
  for (const [key, value] of Object.entries(facts.details ?? {}).slice(0, 5)) {
    lines.push(`*${escapeText(key)}:* ${escapeText(truncate(String(value), 200))}`);
  }
  return `*Is it live?*\n${lines.join('\n')}`;
}

function stepsText(finding: Finding): string {
  const guide = rotationGuideFor({ issuer: finding.issuer, detectorId: finding.detector_id });
  const steps = guide.steps.map((step, i) => `${i + 1}. ${escapeText(step)}`);
  const where = guide.settingsUrl
    ? `\n${link(guide.settingsUrl, `Open ${guide.issuerName} token settings`)}`
    : guide.docsUrl
      ? `\n${link(guide.docsUrl, `${guide.issuerName} instructions`)}`
      : '';
  return `*What to do now*\n${steps.join('\n')}${where}`;
}

/** Which credential (redacted preview only), how severe, and since when. */
function whatSection(finding: Finding, detectorName: string): KnownBlock {
  return section(
    [
      `*What:* ${escapeText(detectorName)} ${code(finding.redacted)}`,
      `*Severity:* ${escapeText(finding.severity)} · *First seen:* ${slackDate(finding.first_seen_at)}`,
    ].join('\n'),
  );
}

/** The buttons for a finding that still needs action. Values carry only the finding id. */
export function ownerActionsBlock(findingId: string, canRevoke: boolean): KnownBlock {
  return {
    type: 'actions',
    block_id: ACTIONS_BLOCK_ID,
    elements: [
      {
        type: 'button',
        action_id: OWNER_ACTIONS.rotated,
        style: 'primary',
        text: { type: 'plain_text', text: 'I rotated it' },
        value: findingId,
      },
      ...(canRevoke
        ? [
            {
              type: 'button' as const,
              action_id: OWNER_ACTIONS.revoke,
              style: 'danger' as const,
              text: { type: 'plain_text' as const, text: 'Revoke it now' },
              value: findingId,
              confirm: {
                title: { type: 'plain_text' as const, text: 'Revoke this credential?' },
                text: {
                  type: 'mrkdwn' as const,
                  text: 'leakwatch will ask the issuer to revoke it. Anything still using it will stop working.',
                },
                confirm: { type: 'plain_text' as const, text: 'Revoke' },
                deny: { type: 'plain_text' as const, text: 'Cancel' },
              },
            },
          ]
        : []),
      {
        type: 'button',
        action_id: OWNER_ACTIONS.notSecret,
        text: { type: 'plain_text', text: 'Not a secret' },
        value: findingId,
        confirm: {
          title: { type: 'plain_text', text: 'Not a real secret?' },
          text: {
            type: 'mrkdwn',
            text: 'leakwatch will stop reporting this value everywhere. Only do this for test data, examples or placeholders.',
          },
          confirm: { type: 'plain_text', text: 'Not a secret' },
          deny: { type: 'plain_text', text: 'Cancel' },
        },
      },
    ],
  };
}

/** A line saying what happened after a button was pressed (replaces the previous outcome). */
export function outcomeBlock(mrkdwn: string): KnownBlock {
  return section(mrkdwn, OUTCOME_BLOCK_ID);
}

/**
 * The owner notice in Block Kit: which secret (redacted preview only), where
 * (permalinks), whether it is live and what it can do, what to do now, and
 * the buttons. Nothing in it is the secret: only `finding.redacted` and the
 * verification facts (account, scopes, expiry) are shown.
 *
 * @example renderOwnerMessage({ finding, occurrences, detectorName: 'GitHub PAT', canRevoke: true, audience: { kind: 'owner' } })
 */
export function renderOwnerMessage(input: OwnerMessageInput): SlackMessage {
  const { finding, audience } = input;
  const blocks: KnownBlock[] = [];
  if (audience.kind === 'owner') {
    blocks.push(header(':rotating_light: A credential you posted is exposed'));
  } else {
    blocks.push(header(audience.headline));
    const owner = audience.ownerLabel ? ` Posted by ${audience.ownerLabel}.` : '';
    blocks.push(section(`:warning: ${escapeText(audience.why)}${owner}`));
  }
  blocks.push(
    whatSection(finding, input.detectorName),
    section(placesText(input.occurrences)),
    section(livenessText(finding)),
    section(stepsText(finding)),
    ownerActionsBlock(finding.id, input.canRevoke),
    context(
      `leakwatch never shows the full secret. Press *I rotated it* once it is replaced: leakwatch re-checks that the old one is dead. Finding ${code(finding.id)}`,
    ),
  );
  const who = audience.kind === 'owner' ? 'you posted' : 'posted in a shared place';
  const live = finding.liveness === 'live' ? ' and it still works' : '';
  return {
    text: escapeText(
      `leakwatch: a ${input.detectorName} ${who} is exposed (${finding.redacted})${live}. Rotate it now.`,
    ),
    blocks,
  };
}

/** Why a resolved finding is safe, in one line. */
function resolutionText(finding: Finding): string {
  const when = finding.resolved_at ? ` ${slackDate(finding.resolved_at)}` : '';
  // Only a check at the issuer is proof; a finding closed by hand says so instead.
  if (finding.liveness !== 'dead') return `:white_check_mark: *Resolved${when}* by the security team.`;
  switch (finding.remediation) {
    case 'revoked':
      return `:white_check_mark: *Resolved${when}:* leakwatch revoked it, and the issuer confirmed it no longer works. Anything that still used it needs a new one.`;
    case 'rotated':
      return `:white_check_mark: *Resolved${when}:* it was rotated, and the issuer confirmed the old one no longer works.`;
    default:
      return `:white_check_mark: *Resolved${when}:* the issuer confirmed it no longer works.`;
  }
}

/**
 * A sent notice rewritten once its finding is resolved: the same credential
 * (redacted) and places, the proof that it is dead, and no buttons — nothing
 * is left to do. Worded for whoever received the original (owner or security
 * channel).
 */
export function renderResolvedMessage(
  input: Pick<OwnerMessageInput, 'finding' | 'occurrences' | 'detectorName'>,
): SlackMessage {
  const { finding } = input;
  const blocks: KnownBlock[] = [
    header(':white_check_mark: Resolved: the leaked credential no longer works'),
    whatSection(finding, input.detectorName),
    section(placesText(input.occurrences)),
    outcomeBlock(resolutionText(finding)),
    context(`leakwatch never shows the full secret. Nothing more to do here. Finding ${code(finding.id)}`),
  ];
  return {
    text: escapeText(`leakwatch: resolved — the ${input.detectorName} (${finding.redacted}) no longer works.`),
    blocks,
  };
}
