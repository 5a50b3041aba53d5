import { sql } from 'kysely';
import { ACTIVE_STATUSES } from '../../src/findings/lifecycle.ts';
import { code, escapeText, link, section, slackDate, type KnownBlock } from './block-kit.ts';
import type { SlackOutboundDeps } from './outbound-deps.ts';
import type { SlackMessage } from './owner-message.ts';

const SHOWN = 10;

const LIVENESS_LABEL: Record<string, string> = {
  live: ':red_circle: live',
  dead: ':white_circle: dead',
  unknown: ':grey_question: unknown',
  not_attempted: ':grey_question: not checked',
};

/**
 * `/leakwatch status`: the caller's findings that still need action (their
 * own leaks: findings whose owner identity is this Slack user), most recent
 * first, redacted previews only.
 */
export async function renderStatusMessage(deps: SlackOutboundDeps, slackUserId: string): Promise<SlackMessage> {
  const mine = deps.db
    .selectFrom('findings')
    .innerJoin('identities', 'identities.id', 'findings.owner_identity_id')
    .where((eb) =>
      eb.or([
        eb('identities.slack_user_id', '=', slackUserId),
        eb.and([eb('identities.platform', '=', 'slack'), eb('identities.platform_user_id', '=', slackUserId)]),
      ]),
    )
    .where('findings.status', 'in', [...ACTIVE_STATUSES]);
  const [rows, total] = await Promise.all([
    mine
      .select([
        'findings.id',
        'findings.detector_id',
        'findings.redacted',
        'findings.status',
        'findings.liveness',
        'findings.first_seen_at',
        (eb) =>
          eb
            .selectFrom('occurrences')
            .select('occurrences.url')
            .whereRef('occurrences.finding_id', '=', 'findings.id')
            .orderBy(sql`occurrences.closed_at is null`, 'desc')
            .orderBy('occurrences.last_seen_at', 'desc')
            .limit(1)
            .as('url'),
      ])
      .orderBy('findings.first_seen_at', 'desc')
      .limit(SHOWN)
      .execute(),
    mine.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const count = Number(total.n);
  if (count === 0) {
    const text = ':white_check_mark: You have no open leakwatch findings.';
    return { text, blocks: [section(text)] };
  }
  const lines = rows.map((r) => {
    const name = deps.detectors.get(r.detector_id)?.name ?? r.detector_id;
    const where = r.url ? ` · ${link(r.url, 'where')}` : '';
    return (
      `• *${escapeText(name)}* ${code(r.redacted)} — ${LIVENESS_LABEL[r.liveness] ?? escapeText(r.liveness)}` +
      ` · ${escapeText(r.status.replace('_', ' '))} · first seen ${slackDate(r.first_seen_at)}${where}`
    );
  });
  const more = count > rows.length ? `\n…and ${count - rows.length} more (see the leakwatch dashboard).` : '';
  const blocks: KnownBlock[] = [
    section(`*Your open leakwatch findings (${count})*`),
    section(`${lines.join('\n')}${more}`),
    section(
      'Use the buttons in each leakwatch DM to say you rotated a credential, revoke it, or mark it as not a secret.',
    ),
  ];
  return { text: `You have ${count} open leakwatch finding(s).`, blocks };
}

export const HELP_TEXT = [
  '*leakwatch* finds credentials posted in chat, tickets and wikis, tells the author and helps them rotate it.',
  '• `/leakwatch status` — your open findings (redacted)',
  '• `/leakwatch help` — this help',
  'When leakwatch DMs you about a leaked credential: rotate it at the issuer, then press *I rotated it*; leakwatch re-checks that the old one is dead.',
].join('\n');
