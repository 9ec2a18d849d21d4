// The `retrain` scenario end to end (aggregator, model server, receiver and retrain.ts in this process, on
// loopback), with fewer measurements per step than the printed demo; and the exit status when the loop breaks.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCli } from '../demo-cli.js';
import type { DemoReport } from '../demo-report.js';
import { DEFAULT_ROLLOUT_TIMINGS } from '../rollout-settings.js';
import { DEFAULT_DEMO_SETTINGS, runDemo } from '../run-demo.js';
import { createTerminal } from '../terminal.js';
import { createRetrainScenario } from './retrain.js';

const dir = mkdtempSync(join(tmpdir(), 'dw-demo-retrain-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fast = { timings: { ...DEFAULT_ROLLOUT_TIMINGS, measurementsPerStep: 1 }, holdSeconds: 1 };

function capture(): { text: () => string; stream: { write(t: string): void } } {
  let out = '';
  return { text: () => out, stream: { write: (t: string) => void (out += t) } };
}

describe('npm run demo -- --scenario retrain', () => {
  it('plays drift → one signed dispatch → retrain.ts registers v2 → canary 10% → promoted, and says so in the timeline', async () => {
    const out = capture();
    const scenario = createRetrainScenario(fast);
    const result = await runDemo({
      scenario: 'retrain',
      settings: { ...DEFAULT_DEMO_SETTINGS, stableSeconds: 4 },
      reportPath: join(dir, 'retrain.json'),
      httpPort: 0,
      otlpPort: 0,
      keepRunning: false,
      terminal: createTerminal(out.stream, false),
    }, [scenario]);
    const text = out.text();
    expect(result.exitCode, text).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'retrain.json'), 'utf8')) as DemoReport;
    expect(report.passed).toBe(true);
    expect(report.checks.map((c) => [c.name, c.passed])).toEqual([
      ['concept drift broke the SLA and fired the retraining trigger', true],
      ['exactly one retraining dispatched while the drift went on (cooldown respected)', true],
      ['the receiver verified the webhook signature (HMAC-SHA256)', true],
      ['retrain.ts trained on the records export and registered v2, better than the champion', true],
      ['canary at 10%: the SDK routed about 10% of requests to v2 by key hash', true],
      ['the analysis promoted it 10 → 25 → 50 → 100 (driftwatch-demo only started it)', true],
      ['champion moved to v2 and the model server serves it', true],
    ]);

    // the story in order: one dispatch, one job, the canary's steps decided by the analysis, the new champion served
    const stages = report.timeline.map((e) => e.stage);
    const order = ['dispatch', 'retrain', 'deploy', 'canary', 'step', 'promote', 'serving'].map((s) => stages.indexOf(s));
    expect(order.every((i) => i >= 0), stages.join(' ')).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(stages.filter((s) => s === 'dispatch')).toHaveLength(1);
    expect(stages.filter((s) => s === 'step')).toHaveLength(2);
    expect(stages).toContain('cooldown');
    const sdk = report.timeline.filter((e) => e.stage === 'sdk').map((e) => /routes ([\d.]+)%/.exec(e.text)?.[1]);
    expect(sdk).toEqual(['10', '25', '50', '100']);
    expect(report.timeline.find((e) => e.stage === 'dispatch')?.text).toMatch(/^performance trigger .* → webhook demo-receiver: succeeded, HTTP 202, 1 attempt\(s\), idempotency key dw-churn-[0-9a-f]{24}$/);
    expect(report.timeline.find((e) => e.stage === 'retrain')?.text).toMatch(/retrain\.ts registered .*registered v2 as challenger/);
    expect(report.timeline.find((e) => e.stage === 'alerts')?.text).toMatch(/POST \/api\/v1\/alerts: HTTP 200, 0 retraining\(s\) started/);

    // printed: what was shortened, the timeline and the verdict
    expect(text).toContain('shortened for the demo:');
    expect(text).toContain('1 passing measurements per step (default 3)');
    expect(text).toContain('Timeline (seconds after the change began):');
    expect(text).toMatch(/● promote: analysis: passed every step up to 50% → promoted: weight 100%, champion → v2/);
    expect(text).toContain('PASS — every check held');
  }, 120_000);

  it('exits 1 naming where the loop broke when the receiver rejects the signature (no job, no new version)', async () => {
    const err = capture();
    const out = capture();
    const scenario = createRetrainScenario({ ...fast, receiverSecret: 'not-the-shared-secret' });
    const code = await demoCli(
      ['--scenario', 'retrain', '--report', join(dir, 'broken.json'), '--http-port', '0', '--otlp-port', '0', '--no-color'],
      { stdout: out.stream, stderr: err.stream, env: {}, stopSignal: Promise.resolve() },
      [scenario],
    );
    const text = out.text();
    expect(code, text + err.text()).toBe(1);
    expect(text).toMatch(/receiver: POST \/retrain → HTTP 401 \(bad_signature\)/);
    expect(text).toMatch(/Note: The loop did not complete: the dispatch to demo-receiver failed: .*401/);
    expect(text).toMatch(/✘ the receiver verified the webhook signature \(HMAC-SHA256\) — 0 delivery accepted, \d+ rejected for a bad signature/);
    expect(text).toMatch(/✘ retrain\.ts trained on the records export .* — not reached: the dispatch to demo-receiver failed/);
    expect(text).toMatch(/FAIL — \d checks failed/);
    const report = JSON.parse(readFileSync(join(dir, 'broken.json'), 'utf8')) as DemoReport;
    expect(report.passed).toBe(false);
    // the trigger itself fired once: the break is downstream
    expect(report.checks[0]?.passed).toBe(true);
  }, 120_000);
});
