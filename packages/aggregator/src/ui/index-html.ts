/**
 * The HTML shell of the drift report page. It holds no data: the page script fills it from the JSON API, so nothing
 * user-supplied is ever part of this markup (names reach the page only as DOM text).
 */
export const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>driftwatch · drift report</title>
<link rel="icon" href="/ui/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/ui/report.css">
<script src="/ui/vendor/chart.umd.min.js" defer></script>
<script type="module" src="/ui/app.js"></script>
</head>
<body>
<header>
  <a class="brand" href="/">driftwatch</a>
  <span class="subtitle">drift report</span>
  <span class="spacer"></span>
  <span id="status" class="status">loading…</span>
  <label class="toggle"><input id="auto-refresh" type="checkbox" checked> auto-refresh</label>
  <a class="link" href="/metrics">/metrics</a>
</header>
<main>
  <section>
    <h2>Models</h2>
    <div id="models"><p class="empty">loading…</p></div>
  </section>
  <div id="report"></div>
</main>
<noscript><p class="error">The drift report needs JavaScript; the same numbers are at /api/v1/models and /metrics.</p></noscript>
</body>
</html>
`;

/** Favicon: a small line chart. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f2a44"/><polyline points="2,11 6,7 9,9 14,3" fill="none" stroke="#f58518" stroke-width="2"/></svg>`;
