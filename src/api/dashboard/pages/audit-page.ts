import { html } from 'hono/html';
import { formatTime, type Html } from '../dashboard-layout.ts';

export interface AuditFilterForm {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
}

/** The audit log with its filters. */
export function auditPage(options: {
  filters: AuditFilterForm;
  entries: Array<{
    at: string;
    actor: string;
    action: string;
    targetType: string;
    targetId: string | null;
    details: Record<string, unknown> | null;
  }>;
  nextPage: string | undefined;
}): Html {
  const f = options.filters;
  const link = (type: string, id: string | null) =>
    id && type === 'finding'
      ? html`<a href="/findings/${id}" class="mono small">${id}</a>`
      : html`<span class="mono small">${id ?? ''}</span>`;
  return html`<section class="panel">
      <form class="filters" method="get" action="/audit" aria-label="Filters">
        <label>Actor <input name="actor" value="${f.actor ?? ''}" placeholder="api-key:name" /></label>
        <label
          >Action <input name="action" value="${f.action ?? ''}" placeholder="finding. or finding.acknowledged"
        /></label>
        <label
          >Target type <input name="targetType" value="${f.targetType ?? ''}" placeholder="finding" size="10"
        /></label>
        <label>Target id <input name="targetId" value="${f.targetId ?? ''}" size="36" /></label>
        <button type="submit">Filter</button>
        <a href="/audit">Clear</a>
      </form>
    </section>
    <table aria-label="Audit log">
      <thead>
        <tr>
          <th>When</th>
          <th>Who</th>
          <th>What</th>
          <th>Target</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        ${
          options.entries.length === 0
            ? html`<tr>
                <td colspan="5" class="empty">Nothing recorded matches.</td>
              </tr>`
            : options.entries.map(
                (e) =>
                  html`<tr>
                    <td class="small">${formatTime(e.at)}</td>
                    <td class="small">${e.actor}</td>
                    <td>${e.action}</td>
                    <td>${e.targetType} ${link(e.targetType, e.targetId)}</td>
                    <td class="small mono">${e.details ? JSON.stringify(e.details) : ''}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
    ${options.nextPage ? html`<div class="pager"><a href="${options.nextPage}" rel="next">Next page →</a></div>` : ''}`;
}
