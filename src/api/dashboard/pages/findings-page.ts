import { html } from 'hono/html';
import { LIVENESS } from '../../../core/verification.ts';
import { SEVERITIES } from '../../../core/severity.ts';
import { FINDING_STATUSES, canTransition } from '../../../findings/lifecycle.ts';
import type { FindingView } from '../../finding-views.ts';
import { badge, can, csrfField, formatTime, type Html, type Viewer } from '../dashboard-layout.ts';

/** Filter values as the form shows them (dates as YYYY-MM-DD). */
export interface FindingsFilterForm {
  status?: string;
  liveness?: string;
  severity?: string;
  detector?: string;
  platform?: string;
  container?: string;
  owner?: string;
  from?: string;
  to?: string;
}

function select(name: string, label: string, options: readonly string[], current: string | undefined): Html {
  return html`<label
    >${label}
    <select name="${name}">
      <option value="">any</option>
      ${options.map(
        (o) => html`<option value="${o}" ${o === current ? 'selected' : ''}>${o.replaceAll('_', ' ')}</option>`,
      )}
    </select></label
  >`;
}

function places(finding: FindingView): string {
  const open = finding.occurrences.filter((o) => o.closedAt === null);
  const shown = (open.length > 0 ? open : finding.occurrences).slice(0, 2).map((o) => `${o.platform} · ${o.container}`);
  const more = finding.occurrences.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` +${more}` : '');
}

/** The findings table with its filters and the one-click actions a triager uses most. */
export function findingsPage(options: {
  viewer: Viewer;
  filters: FindingsFilterForm;
  facets: { detectors: string[]; platforms: string[] };
  findings: FindingView[];
  nextPage: string | undefined;
  here: string;
}): Html {
  const { viewer, filters } = options;
  const writer = can(viewer, 'findings:write');
  return html`<section class="panel">
      <form class="filters" method="get" action="/findings" aria-label="Filters">
        ${select('status', 'Status', FINDING_STATUSES, filters.status)}
        ${select('liveness', 'Liveness', LIVENESS, filters.liveness)}
        ${select('severity', 'Severity', SEVERITIES, filters.severity)}
        ${select('detector', 'Detector', options.facets.detectors, filters.detector)}
        ${select('platform', 'Platform', options.facets.platforms, filters.platform)}
        <label>Container <input name="container" value="${filters.container ?? ''}" size="12" /></label>
        <label
          >Owner <input name="owner" value="${filters.owner ?? ''}" placeholder="email or user id" size="16"
        /></label>
        <label>First seen from <input type="date" name="from" value="${filters.from ?? ''}" /></label>
        <label>to <input type="date" name="to" value="${filters.to ?? ''}" /></label>
        <button type="submit">Filter</button>
        <a href="/findings">Clear</a>
      </form>
    </section>
    <table aria-label="Findings">
      <thead>
        <tr>
          <th>Severity</th>
          <th>Credential</th>
          <th>Detector</th>
          <th>Status</th>
          <th>Liveness</th>
          <th>Where</th>
          <th>First seen</th>
          ${writer ? html`<th>Action</th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${
          options.findings.length === 0
            ? html`<tr>
                <td colspan="8" class="empty">No findings match.</td>
              </tr>`
            : options.findings.map(
                (f) =>
                  html`<tr>
                    <td>${badge('sev', f.severity)}</td>
                    <td><a href="/findings/${f.id}" class="mono">${f.redacted}</a></td>
                    <td class="small">${f.detector}</td>
                    <td>${badge('st', f.status)}</td>
                    <td>${badge('live', f.liveness)}</td>
                    <td class="small">${places(f)}</td>
                    <td class="small">${formatTime(f.firstSeenAt)}</td>
                    ${
                      writer
                        ? html`<td>
                            ${
                              canTransition(f.status, 'acknowledged')
                                ? html`<form method="post" action="/findings/${f.id}/acknowledge" class="inline">
                                    ${csrfField(viewer)}<input type="hidden" name="back" value="${options.here}" />
                                    <button
                                      type="submit"
                                      class="small secondary"
                                      aria-label="Acknowledge ${f.redacted}"
                                    >
                                      Acknowledge
                                    </button>
                                  </form>`
                                : ''
                            }
                          </td>`
                        : ''
                    }
                  </tr>`,
              )
        }
      </tbody>
    </table>
    ${options.nextPage ? html`<div class="pager"><a href="${options.nextPage}" rel="next">Next page →</a></div>` : ''}`;
}
