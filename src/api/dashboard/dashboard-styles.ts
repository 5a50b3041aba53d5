/**
 * The dashboard's only stylesheet, served from `/assets/dashboard.css` so the
 * Content-Security-Policy can forbid inline styles and every external origin.
 */
export const DASHBOARD_CSS = `
:root {
  --bg: #f6f7f9; --panel: #fff; --ink: #1d2330; --muted: #5f6b7a; --line: #dfe3e8;
  --brand: #2f5bd3; --brand-ink: #fff; --danger: #c4302b; --warn: #b86e00; --ok: #1e7a46; --live: #d3362f;
  --open: #2f5bd3; --radius: 6px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 14px; color: var(--ink);
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); }
a { color: var(--brand); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 52px; background: #141a26; color: #fff; }
header.top .brand { font-weight: 700; letter-spacing: .3px; color: #fff; }
header.top nav { display: flex; gap: 4px; flex: 1; }
header.top nav a { color: #c9d1de; padding: 6px 10px; border-radius: var(--radius); }
header.top nav a.current, header.top nav a:hover { background: #26304a; color: #fff; text-decoration: none; }
header.top .who { color: #9aa6b8; font-size: 12px; display: flex; gap: 10px; align-items: center; }
header.top .who button { background: transparent; color: #c9d1de; border: 1px solid #3a4660; }
main { padding: 24px; max-width: 1320px; margin: 0 auto; }
h1 { font-size: 20px; margin: 0 0 16px; }
h2 { font-size: 15px; margin: 24px 0 10px; }
.panel > h2:first-child, section.panel > h2:first-of-type { margin-top: 0; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 16px; margin-bottom: 16px; }
.grid { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
.cards { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); margin-bottom: 16px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: var(--radius); padding: 14px 16px; }
.card .value { font-size: 26px; font-weight: 700; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .4px; }
table { width: 100%; border-collapse: collapse; background: var(--panel); }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .3px; }
tr:last-child td { border-bottom: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #eef1f5; color: var(--ink); white-space: nowrap; }
.sev-critical { background: #fde3e1; color: #9b1c17; }
.sev-high { background: #fff0dc; color: #8a4d00; }
.sev-medium { background: #fff8d6; color: #6b5800; }
.sev-low, .sev-info { background: #e8f1fd; color: #1f4fa3; }
.live-live { background: #fde3e1; color: #9b1c17; }
.live-dead { background: #e2f5ea; color: #145c33; }
.live-unknown, .live-not_attempted { background: #eef1f5; color: var(--muted); }
.st-open, .st-reopened, .st-notified { background: #e8f1fd; color: #1f4fa3; }
.st-acknowledged { background: #f1e8fd; color: #5b2aa3; }
.st-remediated { background: #fff0dc; color: #8a4d00; }
.st-resolved { background: #e2f5ea; color: #145c33; }
.st-false_positive, .st-allowlisted { background: #eef1f5; color: var(--muted); }
form.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; }
form.filters label, form.stack label { display: flex; flex-direction: column; gap: 4px; font-size: 12px; color: var(--muted); }
form.stack { display: grid; gap: 10px; max-width: 560px; }
form.inline { display: inline; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-start; }
.actions form { display: flex; gap: 6px; align-items: center; }
input, select, textarea { font: inherit; padding: 6px 8px; border: 1px solid #c5ccd6; border-radius: var(--radius); background: #fff; color: var(--ink); min-width: 0; }
textarea { min-height: 60px; }
button, .button { font: inherit; font-weight: 600; padding: 6px 12px; border-radius: var(--radius); border: 1px solid var(--brand); background: var(--brand); color: var(--brand-ink); cursor: pointer; }
button.secondary { background: #fff; color: var(--brand); }
button.danger { background: var(--danger); border-color: var(--danger); }
button.small { padding: 3px 8px; font-size: 12px; }
.flash { padding: 10px 14px; border-radius: var(--radius); margin-bottom: 16px; border: 1px solid; }
.flash.notice { background: #e2f5ea; border-color: #a6d9b9; color: #145c33; }
.flash.error { background: #fde3e1; border-color: #f0aaa5; color: #9b1c17; }
dl.facts { display: grid; grid-template-columns: 160px 1fr; gap: 6px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.pager { display: flex; justify-content: flex-end; margin-top: 10px; }
.signin { max-width: 420px; margin: 12vh auto; }
.signin h1 { margin-bottom: 4px; }
figure { margin: 0; }
svg.chart { width: 100%; height: auto; display: block; }
svg.chart .axis { stroke: var(--line); stroke-width: 1; }
svg.chart .grid-line { stroke: #eef1f5; stroke-width: 1; }
svg.chart text { fill: var(--muted); font-size: 12px; }
svg.chart .series-open { stroke: var(--open); fill: none; stroke-width: 2.5; }
svg.chart .series-live { stroke: var(--live); fill: none; stroke-width: 2.5; }
svg.chart .bar { fill: var(--brand); }
svg.chart .bar-label { fill: var(--ink); }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); margin-bottom: 6px; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.legend .swatch.open { background: var(--open); }
.legend .swatch.live { background: var(--live); }
.lag-bad { color: var(--danger); font-weight: 600; }
.empty { color: var(--muted); padding: 16px; text-align: center; }
`;
