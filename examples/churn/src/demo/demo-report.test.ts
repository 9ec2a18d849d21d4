import { describe, expect, it } from 'vitest';
import { buildDemoReport } from './demo-report.js';
import { DriftObserver } from './drift-observer.js';
import { apiFeature, observation } from './test-observations.test-support.js';

describe('drift-report.json', () => {
  it('gives per feature the verdict, PSI, mean shift and the time to detect from the change', () => {
    const observer = new DriftObserver('http://unused', 'churn', '1', '1h');
    const psi = { method: 'psi', statistic: 0.31, pValue: null, threshold: 0.1, drifted: true };
    const before = observation(9_000, [apiFeature('monthly_charges'), apiFeature('contract', { kind: 'categorical' })]);
    const shifted = apiFeature('monthly_charges', {
      important: true,
      drift: { method: 'wasserstein', statistic: 0.19, pValue: null, threshold: 0.1, drifted: true },
      scores: [{ method: 'wasserstein', statistic: 0.19, pValue: null, threshold: 0.1, drifted: true }, psi],
      summary: { reference: { mean: 64 }, current: { mean: 72 } },
    });
    const contract = apiFeature('contract', { kind: 'categorical', drift: { method: 'jensenshannon', statistic: 0.01, pValue: null, threshold: 0.1, drifted: false }, scores: [{ method: 'psi', statistic: 0.001, pValue: null, threshold: 0.1, drifted: false }] });
    const after = observation(14_500, [shifted, contract, apiFeature('tenure', { drift: null, samples: 20 }), apiFeature('new', { hasReference: false, drift: null })]);
    observer.history.push(before, observation(12_000, [shifted]), after);
    const report = buildDemoReport({
      scenario: 'shift',
      title: 'shift',
      model: 'churn',
      version: '1',
      final: after,
      observer,
      changeStartedAtMs: 10_000,
      reportUrl: 'http://127.0.0.1:9464/#model=churn',
      alerts: [{ key: 'k', name: 'DriftwatchImportantFeatureDrift', severity: 'high', labels: { feature: 'monthly_charges' }, summary: 's', firedAtMs: 13_000 }],
      deliveries: [],
      checks: [{ name: 'monthly_charges drifted', passed: true, detail: 'wasserstein 0.19 ≥ 0.1' }],
      notes: [],
      durationSeconds: 20,
      nowMs: 15_000,
    });
    expect(report.passed).toBe(true);
    expect(report.features.map((f) => [f.feature, f.verdict])).toEqual([
      ['monthly_charges', 'drift'],
      ['contract', 'no drift'],
      ['tenure', 'insufficient data'],
      ['new', 'no reference'],
    ]);
    expect(report.features[0]).toMatchObject({
      method: 'wasserstein',
      value: 0.19,
      threshold: 0.1,
      psi: 0.31,
      meanShift: { reference: 64, current: 72, absolute: 8, relative: 0.125 },
      detectedAt: new Date(12_000).toISOString(),
      timeToDetectSeconds: 2,
    });
    expect(report.features[1]).toMatchObject({ psi: 0.001, meanShift: null, detectedAt: null, timeToDetectSeconds: null });
    expect(report.alerts[0]).toMatchObject({ secondsAfterChange: 3, webhook: null });
    expect(report.changeStartedAt).toBe(new Date(10_000).toISOString());
  });

  it('fails the report when a check or a webhook delivery failed', () => {
    const observer = new DriftObserver('http://unused', 'churn', '1', '1h');
    const final = observation(1_000, [apiFeature('a')]);
    const base = { scenario: 'x', title: 'x', model: 'churn', version: '1', final, observer, changeStartedAtMs: undefined, reportUrl: 'u', alerts: [], notes: [], durationSeconds: 1, nowMs: 1 };
    expect(buildDemoReport({ ...base, checks: [{ name: 'c', passed: false, detail: '' }], deliveries: [] }).passed).toBe(false);
    const alert = { key: 'k', name: 'DriftwatchFeatureDrift' as const, severity: 'low' as const, labels: {}, summary: 's', value: 1, threshold: 1, activeSinceMs: 0, firedAtMs: 0 };
    const failed = buildDemoReport({ ...base, alerts: [alert], checks: [], deliveries: [{ alert, delivery: { ok: false, error: 'HTTP 500', status: 500 } }] });
    expect(failed.passed).toBe(false);
    expect(failed.alerts[0]?.webhook).toEqual({ ok: false, status: 500, error: 'HTTP 500' });
  });

  it('keeps a scenario timeline in time order, in seconds after the change', () => {
    const observer = new DriftObserver('http://unused', 'churn', '1', '1h');
    const final = observation(1_000, [apiFeature('a')]);
    const base = { scenario: 'x', title: 'x', model: 'churn', version: '1', final, observer, reportUrl: 'u', alerts: [], notes: [], checks: [], deliveries: [], durationSeconds: 1, nowMs: 1 };
    const timeline = [
      { atMs: 12_500, stage: 'receiver', text: 'accepted' },
      { atMs: 12_000, stage: 'dispatch', text: 'sent' },
    ];
    expect(buildDemoReport({ ...base, changeStartedAtMs: 10_000, timeline }).timeline).toEqual([
      { at: new Date(12_000).toISOString(), secondsAfterChange: 2, stage: 'dispatch', text: 'sent' },
      { at: new Date(12_500).toISOString(), secondsAfterChange: 2.5, stage: 'receiver', text: 'accepted' },
    ]);
    expect(buildDemoReport({ ...base, changeStartedAtMs: undefined }).timeline).toEqual([]);
  });
});
