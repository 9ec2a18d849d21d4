/** The stylesheet of the drift report page (served at /ui/report.css). */
export const REPORT_CSS = `
:root { --fg: #1d2433; --muted: #5d6678; --line: #dfe3ea; --bg: #f6f7f9; --card: #fff; --bad: #c62828; --bad-bg: #fdecea; --warn: #a15c00; --warn-bg: #fff4e0; --good: #2e7d32; --good-bg: #e8f5e9; --idle: #5d6678; --idle-bg: #eef0f3; --accent: #1f2a44; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { display: flex; align-items: center; gap: 12px; padding: 10px 24px; background: var(--accent); color: #fff; }
header .brand { color: #fff; font-weight: 700; font-size: 17px; text-decoration: none; }
header .subtitle { color: #c5cbe0; }
header .spacer { flex: 1; }
header .status { color: #c5cbe0; font-size: 12px; }
header .toggle { font-size: 12px; color: #c5cbe0; }
header .link { color: #c5cbe0; font-size: 12px; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 13px; margin: 18px 0 6px; color: var(--muted); font-weight: 600; }
table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
th { background: #fafbfc; font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name { font-weight: 600; overflow-wrap: anywhere; max-width: 320px; }
td .detail { font-weight: 400; font-size: 12px; color: var(--muted); }
td.flag { color: var(--bad); font-weight: 600; background: var(--bad-bg); }
tr.drifted td { background: #fff8f7; }
table.models tbody tr { cursor: pointer; }
table.models tbody tr:hover td { background: #f3f6fb; }
table.models tr.selected td { background: #eaf1fb; }
table.models a { color: inherit; text-decoration: none; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge-bad { color: var(--bad); background: var(--bad-bg); }
.badge-warn { color: var(--warn); background: var(--warn-bg); }
.badge-good { color: var(--good); background: var(--good-bg); }
.badge-idle { color: var(--idle); background: var(--idle-bg); }
.tag { margin-left: 6px; font-size: 11px; color: var(--warn); border: 1px solid var(--warn); border-radius: 8px; padding: 0 5px; font-weight: 400; }
.report-head { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; margin-top: 28px; }
.report-head h2 { margin: 0; font-size: 20px; }
.report-head .model-name, .report-head .version-name { overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin-top: 12px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card h3 { margin: 0; }
.card .big { font-size: 22px; font-weight: 700; margin: 2px 0; }
.card p { margin: 0; color: var(--muted); font-size: 12px; }
.card.bad { border-left: 4px solid var(--bad); }
.card.bad .big { color: var(--bad); }
.card.good { border-left: 4px solid var(--good); }
.card.good .big { color: var(--good); }
.big.idle { color: var(--idle); }
.chart { position: relative; }
.chart.mini { width: 260px; height: 78px; }
.chart.wide { width: 100%; height: 240px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.chart.wide.short { height: 170px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 8px; border-radius: 2px; vertical-align: -1px; }
.swatch.ref { background: rgba(76, 120, 168, 0.7); }
.swatch.cur { background: rgba(245, 133, 24, 0.7); }
.hint { color: var(--muted); margin: 0 0 8px; font-size: 12px; }
.empty { color: var(--muted); }
.error { color: var(--bad); background: var(--bad-bg); padding: 8px 12px; border-radius: 6px; }
select { font: inherit; }
`;
