import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCli, type DemoCliIo } from './demo-cli.js';
import type { DemoReport } from './demo-report.js';
import type { DemoScenario } from './demo-scenario.js';
import { DEMO_SCENARIOS, findScenario } from './demo-scenarios.js';

const dir = mkdtempSync(join(tmpdir(), 'dw-demo-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(env: Record<string, string> = {}): DemoCliIo & { out: string; err: string } {
  const self = {
    out: '',
    err: '',
    stdout: { write: (t: string) => (self.out += t) },
    stderr: { write: (t: string) => (self.err += t) },
    env,
    stopSignal: Promise.resolve(),
  };
  return self;
}

/** A scenario added from outside the runner: it extends the aggregator config and plays until its alert fires. */
const strictSla: DemoScenario = {
  name: 'strict-sla',
  summary: 'an SLA no model meets: the performance alert must fire',
  configure: (config) => ({ ...config, models: { churn: { sla: { min_accuracy: 0.99 } } } }),
  async run(ctx) {
    const phase = await ctx.playPhase({ label: 'strict', traffic: 'no-drift', maxSeconds: 20, until: () => ctx.alerts.firedWith('DriftwatchPerformanceBelowSLA').length > 0 });
    return {
      title: 'strict SLA',
      changeStartedAtMs: phase.startedAtMs,
      checks: [{ name: 'the performance alert fired', passed: ctx.alerts.fired.some((a) => a.name === 'DriftwatchPerformanceBelowSLA'), detail: `${ctx.alerts.fired.length} alerts` }],
    };
  },
};

const failing: DemoScenario = {
  name: 'broken',
  summary: 'a story that does not hold',
  async run() {
    return { title: 'broken', checks: [{ name: 'always fails', passed: false, detail: 'by design' }] };
  },
};

async function webhook(status: number): Promise<{ url: string; bodies: Array<{ alerts: Array<{ labels: Record<string, string> }> }>; close(): Promise<void> }> {
  const bodies: Array<{ alerts: Array<{ labels: Record<string, string> }> }> = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(text) as (typeof bodies)[number]);
      res.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const ephemeral = ['--http-port', '0', '--otlp-port', '0', '--no-color'];

describe('npm run demo', () => {
  it('lists the scenarios of the issue, shift first, the rollout loops last', () => {
    expect(DEMO_SCENARIOS.map((s) => s.name)).toEqual(['shift', 'no-drift', 'concept', 'outage', 'new-category', 'retrain', 'bad-candidate']);
    expect(findScenario('concept')?.summary).toContain('performance drops below the SLA');
    expect(findScenario('retrain')?.summary).toContain('promoted to 100%');
    expect(findScenario('bad-candidate')?.summary).toContain('rolls it back');
    expect(findScenario('shadow')).toBeUndefined();
  });

  it('answers usage errors with exit code 2 and the usage', async () => {
    const cases: Array<[string[], string]> = [
      [['--scenario', 'shadow'], 'demo: unknown scenario "shadow" (known: shift, no-drift, concept, outage, new-category, retrain, bad-candidate)'],
      [['--http-port', 'x'], '--http-port must be a port number (0-65535), got "x"'],
      [['--webhook', 'ftp://x'], '--webhook must be an http(s) URL'],
      [['--rate', '0'], '--rate must be a positive number, got "0"'],
      [['--frobnicate'], "Unknown option '--frobnicate'"],
    ];
    for (const [args, message] of cases) {
      const a = io();
      expect(await demoCli(args, a), args.join(' ')).toBe(2);
      expect(a.err).toContain(message);
      expect(a.err).toContain('Usage: npm run demo -- [options]');
    }
    const h = io();
    expect(await demoCli(['--help'], h)).toBe(0);
    expect(h.out).toContain('--keep-running');
    expect(h.out).toContain('new-category');
    expect(h.out).toContain('bad-candidate');
  });

  it('runs a scenario module it was given, posts its alerts to the webhook, and exits 0 when its checks hold', async () => {
    const hook = await webhook(202);
    const report = join(dir, 'strict.json');
    try {
      const a = io({ DRIFTWATCH_DEMO_WEBHOOK_URL: hook.url });
      expect(await demoCli(['--scenario', 'strict-sla', '--report', report, ...ephemeral], a, [strictSla, failing]), a.out + a.err).toBe(0);
      const written = JSON.parse(readFileSync(report, 'utf8')) as DemoReport;
      expect(written).toMatchObject({ scenario: 'strict-sla', passed: true, model: 'churn', version: '1', window: '1h' });
      expect(written.alerts[0]).toMatchObject({ name: 'DriftwatchPerformanceBelowSLA', webhook: { ok: true, status: 202 } });
      expect(hook.bodies[0]?.alerts[0]?.labels).toMatchObject({ alertname: 'DriftwatchPerformanceBelowSLA', model: 'churn', metric: 'accuracy' });
      expect(a.out).toContain('ALERT DriftwatchPerformanceBelowSLA [high]');
      expect(a.out).toContain('PASS — every check held');
      expect(a.out).toMatch(/Report page: http:\/\/127\.0\.0\.1:\d+\/#model=churn&version=1&window=1h/);
    } finally {
      await hook.close();
    }
  }, 60_000);

  it('exits 1 when the story fails or an alert cannot be delivered', async () => {
    const a = io();
    expect(await demoCli(['--scenario', 'broken', '--report', join(dir, 'broken.json'), ...ephemeral], a, [strictSla, failing])).toBe(1);
    expect(a.out).toContain('✘ always fails — by design');
    expect(a.out).toContain('FAIL — 1 check failed');
    const hook = await webhook(500);
    try {
      const b = io();
      expect(await demoCli(['--scenario', 'strict-sla', '--webhook', hook.url, '--report', join(dir, 'hook.json'), ...ephemeral], b, [strictSla, failing])).toBe(1);
      expect(b.out).toContain('webhook FAILED: HTTP 500');
      expect(b.out).toContain('1 webhook delivery failed');
    } finally {
      await hook.close();
    }
  }, 60_000);
});
