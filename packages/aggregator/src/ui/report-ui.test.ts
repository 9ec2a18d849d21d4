import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { CONTENT_SECURITY_POLICY, createReportUi } from './report-ui.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('the report UI served by the aggregator', () => {
  let aggregator: Aggregator;
  let base: string;

  beforeAll(async () => {
    aggregator = createAggregator({ host: '127.0.0.1', otlpPort: 0, httpPort: 0, dataDir: ':memory:' }, { timers: false, logger: quiet });
    await aggregator.start();
    base = `http://127.0.0.1:${aggregator.httpPort}`;
  });

  afterAll(async () => {
    await aggregator.stop();
  });

  it('serves the page at / with a strict content security policy and no inline script', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    expect(html).toContain('<script src="/ui/vendor/chart.umd.min.js" defer></script>');
    expect(html).toContain('<script type="module" src="/ui/app.js"></script>');
    expect(html.match(/<script>/g)).toBeNull();
    const head = await fetch(`${base}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves the built page scripts, the stylesheet and chart.js from the installed package', async () => {
    const app = await fetch(`${base}/ui/app.js`);
    expect(app.status).toBe(200);
    expect(app.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await app.text()).toContain("from './api.js'");
    const chart = await fetch(`${base}/ui/vendor/chart.umd.min.js`);
    expect(chart.status).toBe(200);
    expect(await chart.text()).toMatch(/Chart\.js v4\./);
    expect((await fetch(`${base}/ui/report.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for anything else under /ui/, including path tricks, and leaves the API alone', async () => {
    for (const path of ['/ui/../package.json', '/ui/%2e%2e/package.json', '/ui/App.js', '/ui/app.js.map', '/ui/nope.js', '/ui/vendor/chart.js', '/secret']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: string }).error).toMatch(/^no (UI file|route)/);
    }
    const api = await fetch(`${base}/api/v1/models`);
    expect(api.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await api.json()).toEqual({ evaluatedAt: expect.any(String) as unknown, models: [] });
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });

  it('says how to build the page when its scripts are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'dw-ui-'));
    const other = createAggregator({ host: '127.0.0.1', otlpPort: 0, httpPort: 0, dataDir: ':memory:' }, { timers: false, logger: quiet, ui: createReportUi({ clientDir: empty }) });
    await other.start();
    try {
      const res = await fetch(`http://127.0.0.1:${other.httpPort}/ui/app.js`);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('the report page is not built: run `npx tsc --build`');
    } finally {
      await other.stop();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
