/**
 * The drift report page in a real browser: headless Chromium (playwright-core, the Debian /usr/bin/chromium) loads
 * the page the aggregator serves after the demo's `shift` scenario, and a page full of hostile names.
 * Locally a missing chromium skips; in CI (DRIFTWATCH_E2E_REQUIRED=1) it fails.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAggregator } from '@driftwatch/aggregator';
import { monitor } from '@driftwatch/instrument';
import { buildReferenceProfile } from '@driftwatch/stats';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoReport } from '../examples/churn/src/demo/demo-report.js';
import { DEFAULT_DEMO_SETTINGS, runDemo, type DemoResult } from '../examples/churn/src/demo/run-demo.js';
import { createTerminal } from '../examples/churn/src/demo/terminal.js';
import { binaryForTest } from './support/find-binary.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');
/** The brief's Chromium: /usr/bin/chromium first, else whatever PATH has (missing: skip locally, fail in CI). */
const CHROMIUM = binaryForTest(['chromium'], { ...process.env, PATH: `/usr/bin${delimiter}${process.env['PATH'] ?? ''}` });
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let userDataDir: string;
let browser: BrowserContext;

async function openPage(): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1300, height: 900 });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => requests.push(r.url()));
  return { page, errors, requests };
}

describe.skipIf(CHROMIUM === undefined)('the drift report page in Chromium', () => {
  beforeAll(async () => {
    userDataDir = mkdtempSync(join(tmpdir(), 'dw-chromium-'));
    browser = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM as string, headless: true, args: CHROMIUM_FLAGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(userDataDir, { recursive: true, force: true });
  });

  it('after the shift scenario flags monthly_charges and not contract, with local chart.js only', async () => {
    const work = mkdtempSync(join(tmpdir(), 'dw-demo-e2e-'));
    let output = '';
    let stop: () => void = () => {};
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const verdict = new Promise<{ result: DemoResult; reportUrl: string; apiUrl: string }>((resolve, reject) => {
      runDemo({
        scenario: 'shift',
        settings: DEFAULT_DEMO_SETTINGS,
        reportPath: join(work, 'drift-report.json'),
        httpPort: 0,
        otlpPort: 0,
        keepRunning: true,
        stopSignal,
        onVerdict: (result, urls) => resolve({ result, ...urls }),
        terminal: createTerminal({ write: (t: string) => (output += t) }, false),
      }).catch(reject);
    });
    try {
      const { result, reportUrl, apiUrl } = await verdict;
      expect(result.exitCode, output).toBe(0);
      const written = JSON.parse(readFileSync(join(work, 'drift-report.json'), 'utf8')) as DemoReport;
      expect(written.features.find((f) => f.feature === 'monthly_charges')).toMatchObject({ verdict: 'drift' });
      expect(written.features.find((f) => f.feature === 'contract')).toMatchObject({ verdict: 'no drift' });

      const { page, errors, requests } = await openPage();
      await page.goto(reportUrl);
      await page.waitForSelector('body[data-ready="true"] [data-testid="report"][data-model="churn"]');
      const monthly = page.locator('[data-testid="drift-row"][data-name="monthly_charges"]');
      const contract = page.locator('[data-testid="drift-row"][data-name="contract"]');
      expect(await monthly.getAttribute('data-drifted')).toBe('true');
      expect(await monthly.innerText()).toContain('drift detected');
      expect(await contract.getAttribute('data-drifted')).toBe('false');
      expect(await contract.innerText()).toContain('no drift');
      expect(await page.locator('[data-testid="model-row"][data-model="churn"]').innerText()).toMatch(/feature.* drifted/);
      // every distribution and timeline chart was drawn by chart.js on a sized canvas
      const canvases = await page.$$eval('canvas', (list) => list.map((c) => ({ w: c.width, h: c.height })));
      expect(canvases.length).toBeGreaterThanOrEqual(9);
      expect(canvases.every((c) => c.w > 0 && c.h > 0)).toBe(true);
      expect(await page.evaluate(() => typeof (globalThis as unknown as { Chart?: unknown }).Chart)).toBe('function');
      // nothing came from anywhere but the aggregator (no CDN)
      expect(requests.filter((u) => !u.startsWith(apiUrl))).toEqual([]);
      expect(requests).toContain(`${apiUrl}/ui/vendor/chart.umd.min.js`);
      expect(errors).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'report-page-shift.png'), fullPage: true });
      await page.close();
    } finally {
      stop();
      await verdict.catch(() => undefined);
      rmSync(work, { recursive: true, force: true });
    }
  }, 120_000);

  it('renders hostile model, version, feature and category names as text', async () => {
    const model = '<img src=x onerror="window.__xss=1">churn';
    const version = '"><svg onload="window.__xss=2">';
    const feature = '<script>window.__xss=3</script>';
    const category = '<b id="injected">bold</b>';
    const aggregator = createAggregator(
      { host: '127.0.0.1', otlpPort: 0, httpPort: 0, dataDir: ':memory:' },
      { timers: false, logger: { info: () => {}, warn: () => {}, error: () => {} } },
    );
    await aggregator.start();
    try {
      const schema = { [feature]: 'numeric', plan: 'categorical' } as const;
      const rowsOf = (n: number, offset: number) => Array.from({ length: n }, (_, i) => ({ [feature]: ((i * 37) % 100) + offset, plan: i % 3 === 0 ? category : 'basic' }));
      aggregator.setReference(buildReferenceProfile(rowsOf(500, 0), schema, { model, version, source: 'file' }));
      const predict = monitor((row: Record<string, unknown>) => Number(row[feature]) / 200, {
        model,
        version,
        features: schema,
        output: 'probability',
        endpoint: `http://127.0.0.1:${aggregator.otlpPort}`,
        exportIntervalMillis: 60_000,
      });
      for (const row of rowsOf(300, 40)) predict(row);
      await predict.shutdown();
      aggregator.evaluateNow();

      const { page, errors } = await openPage();
      await page.goto(`http://127.0.0.1:${aggregator.httpPort}/`);
      await page.waitForSelector('body[data-ready="true"] [data-testid="report"]');
      // the names are text...
      expect(await page.locator('[data-testid="report"] .model-name').innerText()).toBe(model);
      expect(await page.locator('[data-testid="report"] .version-name').innerText()).toBe(version);
      const row = page.locator('[data-testid="drift-row"]').filter({ has: page.locator('.feature-name', { hasText: feature }) });
      expect(await row.count()).toBe(1);
      expect(await row.locator('.feature-name').innerText()).toBe(feature);
      expect(await row.getAttribute('data-drifted')).toBe('true');
      expect(await page.locator('[data-testid="model-row"] td.name').innerText()).toBe(model);
      // ...and never markup: no element or script came out of them, and nothing ran
      expect(await page.locator('img, svg, #injected').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(2);
      expect(await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(await page.title()).toBe(`${model} v${version} · driftwatch`);
      expect(errors).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'report-page-hostile-names.png'), fullPage: true });
      await page.close();
    } finally {
      await aggregator.stop();
    }
  }, 60_000);
});
