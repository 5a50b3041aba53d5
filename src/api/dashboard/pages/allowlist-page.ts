import { html } from 'hono/html';
import { ALLOWLIST_KINDS } from '../../../findings/allowlist.ts';
import type { AllowlistEntrySchema, impactView } from '../../allowlist-routes.ts';
import { can, csrfField, formatTime, type Html, type Viewer } from '../dashboard-layout.ts';
import type { z } from 'zod';

type Entry = z.infer<typeof AllowlistEntrySchema>;
type Impact = ReturnType<typeof impactView>;

/** What the create form was filled with (kept when previewing or when it was refused). */
export type AllowlistDraft = Partial<
  Record<
    'kind' | 'fingerprint' | 'detector' | 'pattern' | 'platform' | 'container' | 'item' | 'reason' | 'expiresAt',
    string
  >
>;

function criteria(e: Entry): string {
  const parts = [
    e.fingerprint && `fingerprint ${e.fingerprint.slice(0, 16)}…`,
    e.pattern && `/${e.pattern}/`,
    e.platform && `platform ${e.platform}`,
    e.container && `container ${e.container}`,
    e.item && `item ${e.item}`,
    e.detector && `detector ${e.detector}`,
  ].filter(Boolean);
  return parts.join(' · ');
}

/** Allowlist entries, and (for `allowlist:write`) a form that previews what a new entry would close before creating it. */
export function allowlistPage(options: {
  viewer: Viewer;
  entries: Entry[];
  detectors: string[];
  draft: AllowlistDraft;
  preview: Impact | undefined;
}): Html {
  const { viewer, draft } = options;
  const writer = can(viewer, 'allowlist:write');
  const field = (name: keyof AllowlistDraft, label: string, attrs: Html | string = '') =>
    html`<label>${label} <input name="${name}" value="${draft[name] ?? ''}" ${attrs} /></label>`;
  return html`${
      writer
        ? html`<section class="panel">
            <h2>New entry</h2>
            <form method="post" action="/allowlist" class="filters" aria-label="New allowlist entry">
              ${csrfField(viewer)}
              <label
                >Kind
                <select name="kind">
                  ${ALLOWLIST_KINDS.map((k) => html`<option value="${k}" ${k === (draft.kind ?? 'place') ? 'selected' : ''}>${k}</option>`)}
                </select></label
              >
              ${field('fingerprint', 'Fingerprint', html`size="20"`)}
              <label
                >Detector
                <select name="detector">
                  <option value="">any</option>
                  ${options.detectors.map((d) => html`<option value="${d}" ${d === draft.detector ? 'selected' : ''}>${d}</option>`)}
                </select></label
              >
              ${field('pattern', 'Regex (over the secret)', html`size="16"`)}
              ${field('platform', 'Platform', html`size="10"`)} ${field('container', 'Container', html`size="12"`)}
              ${field('item', 'Item', html`size="12"`)} ${field('reason', 'Reason', html`size="30" required`)}
              <label>Expires <input type="date" name="expiresAt" value="${draft.expiresAt ?? ''}" /></label>
              <button type="submit" name="intent" value="preview" class="secondary">Preview</button>
              <button type="submit" name="intent" value="create">Create entry</button>
            </form>
            <p class="small muted">
              Fields that do not apply to the chosen kind are ignored; the detector restricts any kind. A place entry
              closes a finding only when every place it is still open in matches.
            </p>
            ${
              options.preview
                ? html`<div class="panel" aria-label="Preview">
                    <strong>This entry would close ${options.preview.count} open finding(s)</strong>
                    ${options.preview.truncated ? ' (at least; only the first ones were examined)' : ''}
                    ${
                      options.preview.unevaluated > 0
                        ? html`<div class="small muted">
                            ${options.preview.unevaluated} more could not be tested: their secret is not in the vault.
                          </div>`
                        : ''
                    }
                    <ul>
                      ${options.preview.wouldClose.slice(0, 50).map(
                        (f) =>
                          html`<li>
                            <a href="/findings/${f.id}"><code>${f.redacted}</code></a> ${f.detector} · ${f.status}
                          </li>`,
                      )}
                    </ul>
                  </div>`
                : ''
            }
          </section>`
        : ''
    }
    <table aria-label="Allowlist entries">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Matches</th>
          <th>Reason</th>
          <th>By</th>
          <th>Expires</th>
          <th class="num">Hits</th>
          ${writer ? html`<th></th>` : ''}
        </tr>
      </thead>
      <tbody>
        ${
          options.entries.length === 0
            ? html`<tr>
                <td colspan="7" class="empty">No allowlist entries.</td>
              </tr>`
            : options.entries.map(
                (e) =>
                  html`<tr>
                    <td>${e.kind}</td>
                    <td class="small mono">${criteria(e)}</td>
                    <td>${e.reason}</td>
                    <td class="small">${e.createdBy}</td>
                    <td class="small">
                      ${e.expiresAt ? html`${formatTime(e.expiresAt)}${e.expired ? ' (expired)' : ''}` : 'never'}
                    </td>
                    <td class="num">${e.hits}</td>
                    ${
                      writer
                        ? html`<td>
                            <form method="post" action="/allowlist/${e.id}/delete" class="inline">
                              ${csrfField(viewer)}<button type="submit" class="small secondary">Delete</button>
                            </form>
                          </td>`
                        : ''
                    }
                  </tr>`,
              )
        }
      </tbody>
    </table>`;
}
