import { html } from 'hono/html';
import type { Html } from './dashboard-layout.ts';

/**
 * Inline SVG charts: no script, no external asset, styled by the dashboard
 * stylesheet through classes (inline styles are forbidden by the CSP).
 */

/** An axis maximum of four round steps (1, 2, 2.5 or 5 × 10ⁿ each), so every gridline is a whole, readable number. */
function niceMax(value: number): number {
  const quarter = Math.max(1, value / 4);
  const magnitude = 10 ** Math.floor(Math.log10(quarter));
  const step =
    [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= quarter && Number.isInteger(s)) ?? 10 * magnitude;
  return step * 4;
}

/** Open and live findings per day, as two lines. */
export function openLiveChart(points: ReadonlyArray<{ date: string; open: number; live: number }>): Html {
  const width = 440;
  const height = 200;
  const pad = { left: 34, right: 8, top: 10, bottom: 26 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const max = niceMax(Math.max(0, ...points.map((p) => Math.max(p.open, p.live))));
  const x = (i: number) => pad.left + (points.length <= 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => pad.top + plotH - (v / max) * plotH;
  const line = (pick: (p: { open: number; live: number }) => number) =>
    points.map((p, i) => `${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ');
  const ticks = [0, 1, 2, 3, 4].map((i) => (max / 4) * i);
  const labelAt = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  const last = points[points.length - 1];
  return html`<figure>
    <div class="legend">
      <span><span class="swatch open"></span>open</span><span><span class="swatch live"></span>live</span>
    </div>
    <svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="openlive-title">
      <title id="openlive-title">
        Open and live findings per day${last ? `: ${last.open} open and ${last.live} live on ${last.date}` : ''}
      </title>
      ${ticks.map(
        (t) =>
          html`<line class="grid-line" x1="${pad.left}" x2="${width - pad.right}" y1="${y(t)}" y2="${y(t)}" />
            <text x="${pad.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
      )}
      <line class="axis" x1="${pad.left}" x2="${width - pad.right}" y1="${y(0)}" y2="${y(0)}" />
      ${points.map((p, i) =>
        labelAt.has(i)
          ? html`<text
              x="${x(i)}"
              y="${height - 8}"
              text-anchor="${i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'}"
              >${p.date.slice(5)}</text
            >`
          : '',
      )}
      <polyline class="series-open" points="${line((p) => p.open)}" />
      <polyline class="series-live" points="${line((p) => p.live)}" />
    </svg>
  </figure>`;
}

/** Horizontal bars, largest first. */
export function barChart(title: string, items: ReadonlyArray<{ label: string; value: number }>): Html {
  const sorted = [...items].sort((a, b) => b.value - a.value).slice(0, 12);
  if (sorted.length === 0) return html`<p class="empty">Nothing yet.</p>`;
  const width = 440;
  const row = 24;
  const labelW = 140;
  const height = sorted.length * row + 8;
  const max = Math.max(1, ...sorted.map((i) => i.value));
  const barW = (v: number) => Math.max(2, ((width - labelW - 40) * v) / max);
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}">
    <title>${title}: ${sorted.map((i) => `${i.label} ${i.value}`).join(', ')}</title>
    ${sorted.map(
      (item, i) =>
        html`<text class="bar-label" x="${labelW - 8}" y="${i * row + 18}" text-anchor="end">${item.label}</text>
          <rect class="bar" x="${labelW}" y="${i * row + 5}" width="${barW(item.value)}" height="${row - 10}" rx="3" />
          <text x="${labelW + barW(item.value) + 6}" y="${i * row + 18}">${item.value}</text>`,
    )}
  </svg>`;
}
