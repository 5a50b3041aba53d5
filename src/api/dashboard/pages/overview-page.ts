import { html } from 'hono/html';
import type { ConnectorHealth } from '../../connectors-routes.ts';
import type { Stats } from '../../stats-routes.ts';
import { barChart, openLiveChart } from '../dashboard-charts.ts';
import { formatDuration, type Html } from '../dashboard-layout.ts';

const LAG_WARNING_SECONDS = 15 * 60;

/** The overview: how many leaks need action, how many are live, how fast they are closed, and where they come from. */
export function overviewPage(data: { stats: Stats; connectors: ConnectorHealth | undefined }): Html {
  // Counts need-action findings, except `byStatus` and time to resolve, which cover all findings.
  const active = data.stats;
  const cards = [
    { label: 'Need action', value: String(active.total), href: '/findings' },
    { label: 'Live credentials', value: String(active.byLiveness.live ?? 0), href: '/findings?liveness=live' },
    { label: 'Critical', value: String(active.bySeverity.critical ?? 0), href: '/findings?severity=critical' },
    { label: 'Mean time to resolve (30 d)', value: formatDuration(active.timeToResolve.meanSecondsToResolve) },
    { label: 'Resolved (30 d)', value: String(active.timeToResolve.resolvedCount) },
  ];
  const lagging = data.connectors?.connectors.filter(
    (c) => c.lastError !== null || (c.lagSeconds !== null && c.lagSeconds > LAG_WARNING_SECONDS),
  );
  return html`<section class="cards" aria-label="Summary">
      ${cards.map(
        (card) =>
          html`<div class="card">
            <div class="value">${card.href ? html`<a href="${card.href}">${card.value}</a>` : card.value}</div>
            <div class="label">${card.label}</div>
          </div>`,
      )}
    </section>
    <div class="grid">
      <section class="panel">
        <h2>Open and live findings, last ${active.timeline.length} days</h2>
        ${openLiveChart(active.timeline)}
      </section>
      <section class="panel">
        <h2>Findings needing action, by platform</h2>
        ${barChart(
          'Findings needing action by platform',
          Object.entries(active.byPlatform).map(([label, value]) => ({ label, value })),
        )}
      </section>
      <section class="panel">
        <h2>Findings needing action, by detector</h2>
        ${barChart(
          'Findings needing action by detector',
          Object.entries(active.byDetector).map(([label, value]) => ({ label, value })),
        )}
      </section>
      <section class="panel">
        <h2>All findings by status</h2>
        ${barChart(
          'All findings by status',
          Object.entries(active.byStatus).map(([label, value]) => ({ label: label.replaceAll('_', ' '), value })),
        )}
      </section>
    </div>
    ${
      lagging === undefined
        ? ''
        : html`<section class="panel">
            <h2>Connectors</h2>
            ${
              lagging.length === 0
                ? html`<p class="muted">
                    All ${data.connectors!.connectors.length} connectors are polling without errors.
                  </p>`
                : html`<p class="lag-bad">
                    ${lagging.length} connector(s) lagging or failing: ${lagging.map((c) => c.connector).join(', ')} —
                    <a href="/connectors">details</a>
                  </p>`
            }
          </section>`
    }`;
}
