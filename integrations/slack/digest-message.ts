import type { Detector } from '../../src/core/detector.ts';
import { formatDuration, type Digest, type DigestPlace } from '../../src/notify/digest.ts';
import { code, context, escapeText, header, link, section, slackDate, type KnownBlock } from './block-kit.ts';
import type { SlackMessage } from './owner-message.ts';

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

function placeName(place: DigestPlace): string {
  if (place.platform === 'slack') {
    return place.container.startsWith('D') ? 'direct messages' : `<#${place.container.replace(/[^A-Z0-9]/gi, '')}>`;
  }
  return escapeText(`${place.platform}: ${place.container}`);
}

function severityBreakdown(bySeverity: Record<string, number>): string {
  const parts = Object.entries(bySeverity)
    .sort(([a], [b]) => SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b))
    .map(([severity, n]) => `${n} ${escapeText(severity)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/**
 * The security channel digest in Block Kit. Built only from the digest's
 * counts, redacted previews and places: there is no secret to leak.
 *
 * @example renderDigestMessage(await computeDigest(db, { period: 'daily', now }), detectors)
 */
export function renderDigestMessage(digest: Digest, detectors: ReadonlyMap<string, Detector>): SlackMessage {
  const title = digest.period === 'weekly' ? 'leakwatch weekly digest' : 'leakwatch daily digest';
  const mttr = digest.meanTimeToRemediateSeconds === null ? '—' : formatDuration(digest.meanTimeToRemediateSeconds);
  const blocks: KnownBlock[] = [
    header(`:bar_chart: ${title}`),
    context(`${slackDate(digest.from)} – ${slackDate(digest.to)}`),
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*New findings*\n${digest.newFindings}${severityBreakdown(digest.newBySeverity)}` },
        { type: 'mrkdwn', text: `*New and live*\n${digest.newLive}` },
        { type: 'mrkdwn', text: `*Open now*\n${digest.open} (${digest.openLive} live)` },
        { type: 'mrkdwn', text: `*Escalated (still live after rotation)*\n${digest.escalated}` },
        {
          type: 'mrkdwn',
          text: `*Revoked / rotated / resolved*\n${digest.revoked} / ${digest.rotated} / ${digest.resolved}`,
        },
        { type: 'mrkdwn', text: `*Mean time to remediate*\n${mttr}` },
        { type: 'mrkdwn', text: `*Marked not a secret*\n${digest.falsePositives}` },
      ],
    },
  ];
  if (digest.oldestOpenLive.length > 0) {
    const lines = digest.oldestOpenLive.map((f) => {
      const name = detectors.get(f.detectorId)?.name ?? f.detectorId;
      const owner = f.ownerSlackUserId ? `<@${f.ownerSlackUserId}>` : escapeText(f.ownerName ?? 'no owner');
      const where = f.url ? ` · ${link(f.url, 'where')}` : '';
      const escalated = f.escalated ? ' · :warning: escalated' : '';
      return `• *${escapeText(name)}* ${code(f.redacted)} · ${escapeText(f.severity)} · since ${slackDate(f.firstSeenAt)} · ${owner}${where}${escalated}`;
    });
    blocks.push(section(`*Oldest open live findings*\n${lines.join('\n')}`));
  } else {
    blocks.push(section('*Oldest open live findings*\n:white_check_mark: No open finding is live.'));
  }
  if (digest.topPlaces.length > 0) {
    const lines = digest.topPlaces.map((p) => `• ${placeName(p)} — ${p.findings}`);
    blocks.push(section(`*Where new leaks happened*\n${lines.join('\n')}`));
  }
  return {
    text:
      `${title}: ${digest.newFindings} new findings (${digest.newLive} live), ${digest.openLive} open live, ` +
      `${digest.revoked} revoked, ${digest.rotated} rotated, ${digest.resolved} resolved.`,
    blocks,
  };
}
