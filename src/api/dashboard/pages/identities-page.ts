import { html } from 'hono/html';
import type { z } from 'zod';
import type { IdentitySchema } from '../../finding-views.ts';
import { can, csrfField, formatTime, type Html, type Viewer } from '../dashboard-layout.ts';

type Identity = z.infer<typeof IdentitySchema>;

/** Who is who across platforms; admins add people the connectors have not met yet. */
export function identitiesPage(options: {
  viewer: Viewer;
  search: string;
  identities: Identity[];
  nextPage: string | undefined;
}): Html {
  const { viewer } = options;
  return html`<section class="panel">
      <form class="filters" method="get" action="/identities" aria-label="Search identities">
        <label
          >Search <input name="q" value="${options.search}" placeholder="email, name or user id" size="30"
        /></label>
        <button type="submit">Search</button>
      </form>
    </section>
    <table aria-label="Identities">
      <thead>
        <tr>
          <th>Name</th>
          <th>Email</th>
          <th>Platform</th>
          <th>Platform user</th>
          <th>Slack user</th>
          <th>Active</th>
          <th>Since</th>
        </tr>
      </thead>
      <tbody>
        ${
          options.identities.length === 0
            ? html`<tr>
                <td colspan="7" class="empty">No identities.</td>
              </tr>`
            : options.identities.map(
                (i) =>
                  html`<tr>
                    <td><a href="/identities/${i.id}">${i.displayName ?? '(no name)'}</a></td>
                    <td>${i.email ?? ''}</td>
                    <td>${i.platform}</td>
                    <td class="mono small">${i.platformUserId}</td>
                    <td class="mono small">${i.slackUserId ?? ''}</td>
                    <td>${i.active ? 'yes' : 'no'}</td>
                    <td class="small">${formatTime(i.createdAt)}</td>
                  </tr>`,
              )
        }
      </tbody>
    </table>
    ${options.nextPage ? html`<div class="pager"><a href="${options.nextPage}" rel="next">Next page →</a></div>` : ''}
    ${
      can(viewer, 'admin')
        ? html`<section class="panel">
            <h2>Add an identity</h2>
            <form method="post" action="/identities" class="filters">
              ${csrfField(viewer)}
              <label>Platform <input name="platform" required size="10" placeholder="jira" /></label>
              <label>Platform user id <input name="platformUserId" required size="20" /></label>
              <label>Email <input type="email" name="email" size="24" /></label>
              <label>Name <input name="displayName" size="18" /></label>
              <label>Slack user <input name="slackUserId" size="12" placeholder="U0123…" /></label>
              <button type="submit">Add</button>
            </form>
          </section>`
        : ''
    }`;
}

/** One identity, editable by admins. */
export function identityPage(options: { viewer: Viewer; identity: Identity; ownedFindings: number }): Html {
  const { viewer, identity: i } = options;
  const admin = can(viewer, 'admin');
  const input = (name: string, label: string, value: string | null, type = 'text') =>
    html`<label
      >${label} <input type="${type}" name="${name}" value="${value ?? ''}" ${admin ? '' : 'readonly'}
    /></label>`;
  return html`<section class="panel">
    <p>
      ${i.platform} user <code>${i.platformUserId}</code> ·
      <a href="/findings?owner=${i.id}">${options.ownedFindings} finding(s) owned</a>
    </p>
    <form method="post" action="/identities/${i.id}" class="stack">
      ${csrfField(viewer)} ${input('displayName', 'Name', i.displayName)} ${input('email', 'Email', i.email, 'email')}
      ${input('slackUserId', 'Slack user (owner notices go here)', i.slackUserId)}
      <label
        >Active
        <select name="active" ${admin ? '' : 'disabled'}>
          <option value="true" ${i.active ? 'selected' : ''}>yes</option>
          <option value="false" ${i.active ? '' : 'selected'}>no (left the company)</option>
        </select></label
      >
      ${admin ? html`<button type="submit">Save</button>` : ''}
    </form>
    ${
      admin
        ? html`<form method="post" action="/identities/${i.id}/delete" class="actions">
            ${csrfField(viewer)}<button type="submit" class="danger small">Delete identity</button>
          </form>`
        : ''
    }
  </section>`;
}
