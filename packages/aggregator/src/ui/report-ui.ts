import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestUrl } from '../http/request-url.js';
import type { RequestHandler } from '../http/router.js';
import { FAVICON_SVG, INDEX_HTML } from './index-html.js';
import { REPORT_CSS } from './report-css.js';

/**
 * Where the compiled page scripts are: `packages/aggregator/ui/*.ts` (a browser project with the DOM library) builds
 * into `dist/ui/client/`. The same path from `src/ui/` (tests) and `dist/ui/` (the installed package).
 */
export const CLIENT_DIR = fileURLToPath(new URL('../../dist/ui/client/', import.meta.url));

/** The page scripts are flat ES modules with lower-case names; nothing else under /ui/ maps to a file. */
const CLIENT_SCRIPT = /^\/ui\/([a-z][a-z0-9-]*\.js)$/;
const CHART_JS_PATH = '/ui/vendor/chart.umd.min.js';

/**
 * Scripts only from this origin, no inline script or style, no framing: even a name that slipped through as
 * markup could not run. Chart.js draws on canvases and sets styles through the CSSOM only, which this allows.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** The chart.js UMD bundle of the installed `chart.js` package (its `dist/`, next to the CommonJS entry). */
function chartJsFile(): string {
  return join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
}

function send(req: IncomingMessage, res: ServerResponse, status: number, asset: Asset, cache: string): void {
  res.writeHead(status, {
    'content-type': asset.type,
    'content-length': asset.body.length,
    'cache-control': cache,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}

function notFound(req: IncomingMessage, res: ServerResponse, message: string): void {
  send(req, res, 404, { body: Buffer.from(JSON.stringify({ error: message })), type: 'application/json; charset=utf-8' }, 'no-store');
}

export interface ReportUiOptions {
  /** Directory of the compiled page scripts (default {@link CLIENT_DIR}). */
  readonly clientDir?: string;
}

/**
 * The drift report UI: `GET /` is the page (model list with health, and per model version the report: distributions,
 * drift scores against thresholds and verdicts, data quality, performance and KPIs over time), filled in the browser
 * from `/api/v1/models`, `/api/v1/models/{model}/drift` and `/api/v1/models/{model}/timeline`. It serves its
 * scripts, stylesheet and chart.js (the installed package's bundle; no CDN) under `/ui/`. Files are read once,
 * on first use; a missing build answers 503 naming the command that makes it.
 */
export function createReportUi(options: ReportUiOptions = {}): RequestHandler {
  const clientDir = options.clientDir ?? CLIENT_DIR;
  const cache = new Map<string, Asset>();
  const fixed: ReadonlyMap<string, Asset> = new Map([
    ['/', { body: Buffer.from(INDEX_HTML), type: 'text/html; charset=utf-8' }],
    ['/index.html', { body: Buffer.from(INDEX_HTML), type: 'text/html; charset=utf-8' }],
    ['/ui/report.css', { body: Buffer.from(REPORT_CSS), type: 'text/css; charset=utf-8' }],
    ['/ui/favicon.svg', { body: Buffer.from(FAVICON_SVG), type: 'image/svg+xml' }],
    ['/favicon.ico', { body: Buffer.from(FAVICON_SVG), type: 'image/svg+xml' }],
  ]);
  const fileAsset = (key: string, path: string): Asset | undefined => {
    const hit = cache.get(key);
    if (hit) return hit;
    let body: Buffer;
    try {
      body = readFileSync(path);
    } catch {
      return undefined;
    }
    const asset = { body, type: 'text/javascript; charset=utf-8' };
    cache.set(key, asset);
    return asset;
  };
  return (req, res) => {
    let pathname: string;
    try {
      pathname = requestUrl(req).pathname;
    } catch {
      notFound(req, res, 'malformed request URL');
      return;
    }
    const page = fixed.get(pathname);
    if (page) {
      send(req, res, 200, page, 'no-cache');
      return;
    }
    if (pathname === CHART_JS_PATH) {
      const asset = fileAsset(pathname, chartJsFile());
      if (asset) send(req, res, 200, asset, 'public, max-age=3600');
      else send(req, res, 503, { body: Buffer.from('chart.js is not installed (npm ci)'), type: 'text/plain; charset=utf-8' }, 'no-store');
      return;
    }
    const script = CLIENT_SCRIPT.exec(pathname);
    if (script) {
      const asset = fileAsset(pathname, join(clientDir, script[1] as string));
      if (asset) send(req, res, 200, asset, 'no-cache');
      else if (pathname === '/ui/app.js') send(req, res, 503, { body: Buffer.from('the report page is not built: run `npx tsc --build`'), type: 'text/plain; charset=utf-8' }, 'no-store');
      else notFound(req, res, `no UI file ${pathname}`);
      return;
    }
    notFound(req, res, `no route for ${req.method ?? 'GET'} ${pathname}`);
  };
}
