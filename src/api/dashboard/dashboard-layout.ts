import { html } from 'hono/html';
import type { ApiScope } from '../../db/api-keys-repository.ts';
import type { Flash } from './dashboard-session.ts';

export type Html = ReturnType<typeof html>;

export type Section = 'overview' | 'findings' | 'allowlist' | 'identities' | 'connectors' | 'audit';

/** Who is looking, as every page needs it: the key's name and scopes, and the session's form token. */
export interface Viewer {
  keyName: string;
  scopes: readonly string[];
  csrf: string;
}

export function can(viewer: Viewer, scope: ApiScope): boolean {
  return viewer.scopes.includes(scope) || viewer.scopes.includes('admin');
}

const NAV: Array<{ section: Section; href: string; label: string; scope: ApiScope }> = [
  { section: 'overview', href: '/', label: 'Overview', scope: 'findings:read' },
  { section: 'findings', href: '/findings', label: 'Findings', scope: 'findings:read' },
  { section: 'allowlist', href: '/allowlist', label: 'Allowlist', scope: 'findings:read' },
  { section: 'identities', href: '/identities', label: 'Identities', scope: 'findings:read' },
  { section: 'connectors', href: '/connectors', label: 'Connectors', scope: 'admin' },
  { section: 'audit', href: '/audit', label: 'Audit log', scope: 'admin' },
];

/** The hidden field every form carries. */
export function csrfField(viewer: Pick<Viewer, 'csrf'>): Html {
  return html`<input type="hidden" name="_csrf" value="${viewer.csrf}" />`;
}

function shell(title: string, body: Html): Html {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${title} · leakwatch</title>
        <link rel="stylesheet" href="/assets/dashboard.css" />
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}

/** A signed-in page: navigation for what the key may see, the flash message, then the content. */
export function page(options: {
  title: string;
  section: Section;
  viewer: Viewer;
  flash: Flash | undefined;
  body: Html;
}): Html {
  const { viewer } = options;
  return shell(
    options.title,
    html`<header class="top">
        <a class="brand" href="/">leakwatch</a>
        <nav aria-label="Main">
          ${NAV.filter((n) => can(viewer, n.scope)).map(
            (n) =>
              html`<a
                href="${n.href}"
                class="${n.section === options.section ? 'current' : ''}"
                ${n.section === options.section ? html`aria-current="page"` : ''}
                >${n.label}</a
              >`,
          )}
        </nav>
        <div class="who">
          <span>signed in with key <strong>${viewer.keyName}</strong></span>
          <form method="post" action="/sign-out" class="inline">
            ${csrfField(viewer)}<button type="submit" class="small">Sign out</button>
          </form>
        </div>
      </header>
      <main>
        ${flashBox(options.flash)}
        <h1>${options.title}</h1>
        ${options.body}
      </main>`,
  );
}

export function flashBox(flash: Flash | undefined): Html | string {
  return flash
    ? html`<div class="flash ${flash.kind}" role="${flash.kind === 'error' ? 'alert' : 'status'}">${flash.text}</div>`
    : '';
}

/** The sign-in page (no navigation: nothing is visible before signing in). */
export function signInPage(options: { token: string; error?: string; next?: string }): Html {
  return shell(
    'Sign in',
    html`<main class="signin">
      <div class="panel">
        <h1>leakwatch</h1>
        <p class="muted">Sign in with an API key that has the <code>findings:read</code> scope.</p>
        ${options.error ? html`<div class="flash error" role="alert">${options.error}</div>` : ''}
        <form method="post" action="/sign-in" class="stack">
          <input type="hidden" name="_csrf" value="${options.token}" />
          ${options.next ? html`<input type="hidden" name="next" value="${options.next}" />` : ''}
          <label>API key <input type="password" name="apiKey" autocomplete="off" required autofocus /></label>
          <button type="submit">Sign in</button>
        </form>
      </div>
    </main>`,
  );
}

/** A page for errors that are not a form's (unknown finding, missing scope). */
export function messagePage(options: { title: string; message: string; viewer?: Viewer }): Html {
  const body = html`<div class="panel">
    <p>${options.message}</p>
    <p><a href="/">Back to the overview</a></p>
  </div>`;
  return options.viewer
    ? page({ title: options.title, section: 'overview', viewer: options.viewer, flash: undefined, body })
    : shell(
        options.title,
        html`<main class="signin">
          <h1>${options.title}</h1>
          ${body}
        </main>`,
      );
}

export function badge(kind: 'sev' | 'live' | 'st', value: string, text = value.replaceAll('_', ' ')): Html {
  return html`<span class="badge ${kind}-${value}">${text}</span>`;
}

export function formatTime(value: string | Date | null): string {
  if (value === null) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

/** Only http(s) links are rendered as links: a stored URL is data, and `javascript:` must stay text. */
export function safeHref(url: string | null): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** A path on this site to come back to after a form, or the fallback (never another origin). */
export function localPath(value: unknown, fallback: string): string {
  // Printable ASCII only: it becomes a Location header, which cannot carry NUL, CR/LF or characters above U+00FF.
  return typeof value === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length < 2000 ? value : fallback;
}
