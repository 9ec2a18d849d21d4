// The `bad-candidate` scenario end to end (aggregator and model server in this process, on loopback), with fewer
// measurements per step than the printed demo; and the exit status when the candidate is not rolled back.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCli } from '../demo-cli.js';
import type { DemoReport } from '../demo-report.js';
import { DEFAULT_ROLLOUT_TIMINGS } from '../rollout-settings.js';
import { DEFAULT_DEMO_SETTINGS, runDemo } from '../run-demo.js';
import { createTerminal } from '../terminal.js';
import { createBadCandidateScenario } from './bad-candidate.js';

const dir = mkdtempSync(join(tmpdir(), 'dw-demo-bad-candidate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fast = { timings: { ...DEFAULT_ROLLOUT_TIMINGS, measurementsPerStep: 1 }, holdSeconds: 1.5 };

function capture(): { text: () => string; stream: { write(t: string): void } } {
  let out = '';
  return { text: () => out, stream: { write: (t: string) => void (out += t) } };
}

describe('npm run demo -- --scenario bad-candidate', () => {
  it('ends in an automatic rollback: weight 0, champion kept, the decision and its reason in the timeline', async () => {
    const out = capture();
    const result = await runDemo(
      {
        scenario: 'bad-candidate',
        settings: { ...DEFAULT_DEMO_SETTINGS, stableSeconds: 4 },
        reportPath: join(dir, 'bad.json'),
        httpPort: 0,
        otlpPort: 0,
        keepRunning: false,
        terminal: createTerminal(out.stream, false),
      },
      [createBadCandidateScenario(fast)],
    );
    const text = out.text();
    expect(result.exitCode, text).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'bad.json'), 'utf8')) as DemoReport;
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([
      ['canary at 10%: the SDK routed about 10% of requests to v2 by key hash', true],
      ['the automatic analysis rolled v2 back', true],
      ['weight 0 and the aliases restored (champion v1, no challenger)', true],
      ['the SDK stopped routing to v2', true],
    ]);
    expect(report.timeline.map((e) => e.stage)).toEqual(['register', 'deploy', 'canary', 'sdk', 'rollback', 'sdk']);
    const rollback = report.timeline.find((e) => e.stage === 'rollback')?.text ?? '';
    // why: the candidate's predictions are far from the champion's (prediction drift) or worse on the labels (performance)
    expect(rollback).toMatch(/^analysis rolled back v2: .*(prediction drift canary vs primary|canary [\d.]+ vs primary).* → weight 0, aliases restored$/);
    expect(report.checks[1]?.detail).toMatch(/^analysis at /);
    expect(text).toContain('Timeline (seconds after the change began):');
    expect(text).toMatch(/measurement at 10% \(\d+ canary \/ \d+ primary calls\): fail — error_rate ✔ · latency ✔/);
    expect(text).toContain('PASS — every check held');
  }, 120_000);

  it('exits 1 when the loop does not end in a rollback (a healthy candidate is promoted instead)', async () => {
    const out = capture();
    const err = capture();
    const code = await demoCli(
      ['--scenario', 'bad-candidate', '--report', join(dir, 'healthy.json'), '--http-port', '0', '--otlp-port', '0', '--no-color'],
      { stdout: out.stream, stderr: err.stream, env: {}, stopSignal: Promise.resolve() },
      // a healthy candidate is rolled back by chance in ~4% of runs at the default performance significance 0.05
      // (3 measurements of 5 metrics from a few dozen labels; docs/rollout.md); 1e-4 makes that ~1 in 20,000
      [createBadCandidateScenario({ ...fast, timings: { ...fast.timings, performanceAlpha: 1e-4 }, candidate: 'healthy' })],
    );
    const text = out.text();
    expect(code, text + err.text()).toBe(1);
    expect(text).toContain('Note: The loop did not complete: the rollout ended promoted, not rolled back.');
    expect(text).toMatch(/✘ the automatic analysis rolled v2 back — no rollback: start 10% → step 25% → step 50% → promote 100% \(phase promoted\)/);
    expect(text).toMatch(/✘ weight 0 and the aliases restored \(champion v1, no challenger\) — rollout promoted at 100%; champion v2/);
    expect(text).toMatch(/FAIL — 3 checks failed/);
  }, 120_000);
});
