import { html } from 'hono/html';
import { canTransition } from '../../../findings/lifecycle.ts';
import type { RevocationMode } from '../../../revocation/revocation-policy.ts';
import type { FindingDetailView } from '../../finding-views.ts';
import { badge, can, csrfField, formatTime, safeHref, type Html, type Viewer } from '../dashboard-layout.ts';

export interface AuditLine {
  at: string;
  actor: string;
  action: string;
  details: Record<string, unknown> | null;
}

function describeFacts(facts: Record<string, unknown> | null): string {
  if (!facts) return '';
  const parts: string[] = [];
  if (typeof facts.account === 'string') parts.push(`account ${facts.account}`);
  if (Array.isArray(facts.scopes) && facts.scopes.length > 0) parts.push(`scopes ${facts.scopes.join(', ')}`);
  if (typeof facts.expiresAt === 'string') parts.push(`expires ${facts.expiresAt}`);
  if (facts.privileged === true) parts.push('privileged');
  return parts.join(' · ');
}

function actionForm(
  viewer: Viewer,
  findingId: string,
  action: string,
  label: string,
  extra: Html | string = '',
  style = '',
): Html {
  return html`<form method="post" action="/findings/${findingId}/${action}">
    ${csrfField(viewer)} ${extra}
    <button type="submit" class="${style}">${label}</button>
  </form>`;
}

/** One finding: what, where, whether it works, what was done — and the actions that fit its state. */
export function findingPage(options: {
  viewer: Viewer;
  finding: FindingDetailView;
  revocationMode: RevocationMode | undefined;
  identities: Array<{ id: string; label: string }>;
  audit: AuditLine[] | undefined;
}): Html {
  const { viewer, finding: f } = options;
  const openPlaces = f.occurrences.filter((o) => o.closedAt === null).length;
  const closed = ['resolved', 'false_positive', 'allowlisted'].includes(f.status);
  const writer = can(viewer, 'findings:write');
  return html`<div class="grid">
      <section class="panel">
        <dl class="facts">
          <dt>Credential</dt>
          <dd><code>${f.redacted}</code></dd>
          <dt>Detector</dt>
          <dd>${f.detector} <span class="muted">(${f.issuer})</span></dd>
          <dt>Severity</dt>
          <dd>${badge('sev', f.severity)}</dd>
          <dt>Status</dt>
          <dd>${badge('st', f.status)}${f.remediation ? html` <span class="muted">(${f.remediation})</span>` : ''}</dd>
          <dt>Liveness</dt>
          <dd>
            ${badge('live', f.liveness)} ${f.livenessReason ? html`<span class="muted">${f.livenessReason}</span>` : ''}
            ${f.verifiedAt ? html`<div class="small muted">checked ${formatTime(f.verifiedAt)}</div>` : ''}
          </dd>
          <dt>Issuer says</dt>
          <dd>${describeFacts(f.verification) || '—'}</dd>
          <dt>Owner</dt>
          <dd>
            ${
              f.owner
                ? html`<a href="/identities/${f.owner.id}"
                      >${f.owner.displayName ?? f.owner.email ?? f.owner.platformUserId}</a
                    >
                    <span class="muted">${f.owner.email ?? ''}</span>`
                : html`<span class="muted">unknown</span>`
            }
          </dd>
          <dt>First / last seen</dt>
          <dd>${formatTime(f.firstSeenAt)} / ${formatTime(f.lastSeenAt)}</dd>
          <dt>Fingerprint</dt>
          <dd><code class="small">${f.fingerprint}</code></dd>
          <dt>Vault</dt>
          <dd>
            ${f.vaulted ? 'secret kept (encrypted) for re-verification' : html`<span class="muted">not kept</span>`}
          </dd>
        </dl>
      </section>
      ${
        writer
          ? html`<section class="panel" aria-label="Actions">
              <h2>Actions</h2>
              <div class="actions">
                ${
                  canTransition(f.status, 'acknowledged')
                    ? actionForm(
                        viewer,
                        f.id,
                        'acknowledge',
                        'Acknowledge',
                        html`<input name="note" placeholder="note (optional)" maxlength="1000" />`,
                      )
                    : ''
                }
                ${canTransition(f.status, 'remediated') ? actionForm(viewer, f.id, 'rotated', 'Mark rotated', '', 'secondary') : ''}
                ${
                  canTransition(f.status, 'false_positive')
                    ? actionForm(
                        viewer,
                        f.id,
                        'false-positive',
                        'False positive',
                        html`<input name="note" placeholder="why (optional)" maxlength="1000" />`,
                        'secondary',
                      )
                    : ''
                }
              </div>
              <div class="actions">
                ${
                  f.vaulted
                    ? actionForm(viewer, f.id, 'reverify', 'Re-verify now', '', 'secondary')
                    : html`<span class="small muted">Re-verify needs the vault (LEAKWATCH_ENCRYPTION_KEY).</span>`
                }
                ${
                  closed
                    ? ''
                    : options.revocationMode === 'off'
                      ? html`<span class="small muted">Revocation is off for this detector by policy.</span>`
                      : actionForm(
                          viewer,
                          f.id,
                          'revoke',
                          `Revoke${options.revocationMode ? ` (policy: ${options.revocationMode})` : ''}`,
                          html`<label class="small"
                            ><input type="checkbox" name="confirm" value="yes" required /> at the issuer, for
                            good</label
                          >`,
                          'danger',
                        )
                }
                ${openPlaces > 0 ? actionForm(viewer, f.id, 'redact', `Redact ${openPlaces} place(s)`, '', 'secondary') : ''}
              </div>
              <form method="post" action="/findings/${f.id}/owner" class="actions">
                ${csrfField(viewer)}
                <label class="small"
                  >Owner
                  <select name="identityId">
                    <option value="">— none —</option>
                    ${options.identities.map(
                      (i) =>
                        html`<option value="${i.id}" ${i.id === f.ownerIdentityId ? 'selected' : ''}>
                          ${i.label}
                        </option>`,
                    )}
                  </select></label
                >
                <button type="submit" class="secondary small">Reassign</button>
              </form>
            </section>`
          : ''
      }
    </div>
    ${
      can(viewer, 'allowlist:write') && !closed
        ? html`<section class="panel">
            <h2>Allowlist this credential</h2>
            <form method="post" action="/allowlist" class="filters">
              ${csrfField(viewer)}
              <input type="hidden" name="kind" value="fingerprint" />
              <input type="hidden" name="fingerprint" value="${f.fingerprint}" />
              <input type="hidden" name="detector" value="${f.detector}" />
              <input type="hidden" name="intent" value="create" />
              <label>Reason <input name="reason" required minlength="3" maxlength="1000" size="40" /></label>
              <label>Expires <input type="date" name="expiresAt" /></label>
              <button type="submit" class="secondary">Allowlist</button>
            </form>
          </section>`
        : ''
    }
    <h2>Where it was seen</h2>
    <table aria-label="Occurrences">
      <thead>
        <tr>
          <th>Platform</th>
          <th>Workspace</th>
          <th>Container</th>
          <th>Item</th>
          <th>Seen</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        ${f.occurrences.map((o) => {
          const href = safeHref(o.url);
          return html`<tr>
            <td>${o.platform}</td>
            <td class="small">${o.workspace}</td>
            <td>${o.container}</td>
            <td class="small">
              ${href ? html`<a href="${href}" rel="noopener noreferrer" target="_blank">${o.item}</a>` : o.item}
            </td>
            <td class="small">${formatTime(o.firstSeenAt)} – ${formatTime(o.lastSeenAt)}</td>
            <td class="small">${o.closedAt ? `closed: ${o.closedReason ?? ''}` : 'open'}</td>
          </tr>`;
        })}
      </tbody>
    </table>
    <div class="grid">
      <section>
        <h2>Verification history</h2>
        <table aria-label="Verification history">
          <thead>
            <tr>
              <th>When</th>
              <th>Result</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            ${
              f.verifications.length === 0
                ? html`<tr>
                    <td colspan="3" class="empty">Not checked yet.</td>
                  </tr>`
                : f.verifications.map(
                    (v) =>
                      html`<tr>
                        <td class="small">${formatTime(v.checkedAt)}</td>
                        <td>${badge('live', v.liveness)}</td>
                        <td class="small">${v.reason ?? describeFacts(v.facts)}</td>
                      </tr>`,
                  )
            }
          </tbody>
        </table>
      </section>
      <section>
        <h2>Notices, revocation, redaction</h2>
        <table aria-label="Remediation">
          <tbody>
            ${f.notifications.map(
              (n) =>
                html`<tr>
                  <td>notice (${n.kind})</td>
                  <td>${n.recipient}</td>
                  <td>${n.status}${n.error ? `: ${n.error}` : ''}</td>
                </tr>`,
            )}
            ${
              f.revocation
                ? html`<tr>
                    <td>revocation</td>
                    <td>${f.revocation.requestedBy}</td>
                    <td>
                      ${f.revocation.status}${f.revocation.outcome ? `: ${f.revocation.outcome}` : ''}
                      ${f.revocation.reason ?? ''}
                    </td>
                  </tr>`
                : ''
            }
            ${f.redactions.map(
              (r) =>
                html`<tr>
                  <td>redaction (${r.platform})</td>
                  <td>${r.requestedBy}</td>
                  <td>${r.status}${r.detail ? `: ${r.detail}` : ''}</td>
                </tr>`,
            )}
            ${
              f.notifications.length + f.redactions.length === 0 && !f.revocation
                ? html`<tr>
                    <td class="empty">Nothing yet.</td>
                  </tr>`
                : ''
            }
          </tbody>
        </table>
      </section>
    </div>
    ${
      options.audit
        ? html`<h2>Audit trail</h2>
            <table aria-label="Audit trail">
              <thead>
                <tr>
                  <th>When</th>
                  <th>Who</th>
                  <th>What</th>
                  <th>Details</th>
                </tr>
              </thead>
              <tbody>
                ${
                  options.audit.length === 0
                    ? html`<tr>
                        <td colspan="4" class="empty">Nothing recorded yet.</td>
                      </tr>`
                    : ''
                }
                ${options.audit.map(
                  (a) =>
                    html`<tr>
                      <td class="small">${formatTime(a.at)}</td>
                      <td class="small">${a.actor}</td>
                      <td>${a.action}</td>
                      <td class="small mono">${a.details ? JSON.stringify(a.details) : ''}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
        : ''
    }`;
}
