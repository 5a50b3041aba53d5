/** Text for HTML: the stand-ins' read-only pages show what people wrote, never as markup. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A minimal page for a stand-in's "open in …" links (permalinks in owner DMs
 * and in the dashboard), so a newcomer can see what leakwatch changed.
 * `body` must already be escaped.
 */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:52rem;padding:0 1rem}li{margin:.4rem 0}
.focus{background:#fff3bf}.note{color:#666}</style></head>
<body><p class="note">leakwatch demo · stand-in service · nothing here is real</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
