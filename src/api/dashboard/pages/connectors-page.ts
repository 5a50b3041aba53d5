import { html } from 'hono/html';
import type { ConnectorHealth } from '../../connectors-routes.ts';
import type { DeadJob } from '../../jobs-routes.ts';
import { csrfField, formatDuration, formatTime, type Html, type Viewer } from '../dashboard-layout.ts';

const LAG_WARNING_SECONDS = 15 * 60;

export interface DeliveryLine {
  hook: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
}

/** Connector health (poll lag, errors, backfills), failed jobs to retry, and hook deliveries that did not get through. */
export function connectorsPage(options: {
  viewer: Viewer;
  health: ConnectorHealth;
  deadJobs: DeadJob[];
  deliveries: DeliveryLine[];
}): Html {
  const { viewer, health } = options;
  return html`<h2>Pollers</h2>
    <table aria-label="Connectors">
      <thead>
        <tr>
          <th>Connector</th>
          <th>Last poll</th>
          <th>Lag</th>
          <th>Cursor</th>
          <th>Last error</th>
        </tr>
      </thead>
      <tbody>
        ${
          health.connectors.length === 0
            ? html`<tr>
                <td colspan="5" class="empty">No connector has polled yet.</td>
              </tr>`
            : health.connectors.map(
                (c) =>
                  html`<tr>
                    <td>${c.connector}</td>
                    <td class="small">${formatTime(c.lastPolledAt)}</td>
                    <td class="${c.lagSeconds !== null && c.lagSeconds > LAG_WARNING_SECONDS ? 'lag-bad' : ''}">
                      ${formatDuration(c.lagSeconds)}
                    </td>
                    <td class="mono small">
                      ${c.cursor ? (c.cursor.length > 40 ? `${c.cursor.slice(0, 40)}…` : c.cursor) : '—'}
                    </td>
                    <td class="small">${c.lastError ?? ''}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
    <h2>Backfills</h2>
    <table aria-label="Backfills">
      <thead>
        <tr>
          <th>Platform</th>
          <th>Scope</th>
          <th>Status</th>
          <th class="num">Items</th>
          <th class="num">Documents</th>
          <th>Updated</th>
          <th>Error</th>
        </tr>
      </thead>
      <tbody>
        ${
          health.backfills.length === 0
            ? html`<tr>
                <td colspan="7" class="empty">No backfills.</td>
              </tr>`
            : health.backfills.map(
                (b) =>
                  html`<tr>
                    <td>${b.platform}</td>
                    <td class="mono small">${JSON.stringify(b.scope)}</td>
                    <td>${b.status}</td>
                    <td class="num">${b.itemsDone}</td>
                    <td class="num">${b.documents}</td>
                    <td class="small">${formatTime(b.updatedAt)}</td>
                    <td class="small">${b.error ?? ''}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
    <h2>Dead-lettered jobs</h2>
    <table aria-label="Dead-lettered jobs">
      <thead>
        <tr>
          <th>Queue</th>
          <th>Failed</th>
          <th>Retries</th>
          <th>Error</th>
          <th>About</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${
          options.deadJobs.length === 0
            ? html`<tr>
                <td colspan="6" class="empty">No failed jobs.</td>
              </tr>`
            : options.deadJobs.map(
                (j) =>
                  html`<tr>
                    <td>${j.queue ?? '?'}</td>
                    <td class="small">${formatTime(j.createdOn)}</td>
                    <td class="num">${j.retries ?? ''}</td>
                    <td class="small">${j.error ?? ''}</td>
                    <td class="mono small">${JSON.stringify(j.payload)}</td>
                    <td>
                      ${
                        j.queue
                          ? html`<form method="post" action="/jobs/${j.id}/retry" class="inline">
                              ${csrfField(viewer)}<button type="submit" class="small secondary">Retry</button>
                            </form>`
                          : ''
                      }
                    </td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
    <h2>Hook deliveries not delivered</h2>
    <table aria-label="Hook deliveries">
      <thead>
        <tr>
          <th>Hook</th>
          <th>Event</th>
          <th>Status</th>
          <th class="num">Attempts</th>
          <th>Last answer</th>
          <th>Created</th>
        </tr>
      </thead>
      <tbody>
        ${
          options.deliveries.length === 0
            ? html`<tr>
                <td colspan="6" class="empty">Every hook delivery went through.</td>
              </tr>`
            : options.deliveries.map(
                (d) =>
                  html`<tr>
                    <td>${d.hook}</td>
                    <td>${d.event}</td>
                    <td>${d.status}</td>
                    <td class="num">${d.attempts}</td>
                    <td class="small">${d.lastStatusCode ?? ''} ${d.lastError ?? ''}</td>
                    <td class="small">${formatTime(d.createdAt)}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>`;
}
