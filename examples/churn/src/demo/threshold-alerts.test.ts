import { describe, expect, it } from 'vitest';
import { ALERT_RULES, AlertTracker, alertCandidates } from './threshold-alerts.js';
import { apiFeature, observation } from './test-observations.test-support.js';

const drifted = { method: 'wasserstein', statistic: 0.2, pValue: null, threshold: 0.1, drifted: true } as const;

describe('threshold alert rules', () => {
  it('names feature drift by importance, and new categories, low performance and silence', () => {
    const o = observation(
      100_000,
      [apiFeature('price', { drift: drifted, important: true }), apiFeature('age', { drift: { ...drifted, method: 'ks', statistic: 0.3, pValue: 0.001, threshold: 0.05 } }), apiFeature('plan', { kind: 'categorical', newCategoryRatio: 0.2 })],
      { lastSeenMs: 100_000 - ALERT_RULES.outageSeconds * 1000, metrics: { accuracy: 0.6, roc_auc: 0.9 }, sla: { min_accuracy: 0.75, min_roc_auc: 0.75 } },
    );
    const c = alertCandidates(o, 'churn', '1');
    expect(c.map((a) => [a.name, a.severity, a.labels['feature'] ?? a.labels['metric'] ?? ''])).toEqual([
      ['DriftwatchImportantFeatureDrift', 'high', 'price'],
      ['DriftwatchFeatureDrift', 'low', 'age'],
      ['DriftwatchNewCategories', 'low', 'plan'],
      ['DriftwatchPerformanceBelowSLA', 'high', 'accuracy'],
      ['DriftwatchModelDataOutage', 'critical', ''],
    ]);
    expect(c[0]?.summary).toBe('churn v1: feature price drifted (wasserstein 0.200 ≥ 0.1, window 1h)');
    expect(c[1]?.summary).toBe('churn v1: feature age drifted (ks p = 0.001 ≤ 0.05, window 1h)');
    expect(c[4]).toMatchObject({ value: ALERT_RULES.outageSeconds, threshold: ALERT_RULES.outageSeconds });
  });

  it('stays quiet on a healthy evaluation and before any traffic', () => {
    expect(alertCandidates(observation(5_000, [apiFeature('price')], { metrics: { accuracy: 0.8 }, sla: { min_accuracy: 0.75 } }), 'churn', '1')).toEqual([]);
    expect(alertCandidates(observation(60_000, [apiFeature('price', { drift: null })], { lastSeenMs: undefined }), 'churn', '1')).toEqual([]);
  });
});

describe('AlertTracker', () => {
  const drift = (at: number) => alertCandidates(observation(at, [apiFeature('price', { drift: drifted })]), 'm', '1');

  it('fires once a condition held in consecutive evaluations, and only once', () => {
    const t = new AlertTracker(2);
    expect(t.observe(drift(1_000), 1_000)).toEqual([]);
    const fired = t.observe(drift(2_000), 2_000);
    expect(fired.map((a) => [a.name, a.activeSinceMs, a.firedAtMs])).toEqual([['DriftwatchFeatureDrift', 1_000, 2_000]]);
    expect(t.observe(drift(3_000), 3_000)).toEqual([]);
    expect(t.fired).toHaveLength(1);
    expect(t.firedWith(undefined, { feature: 'price' })).toHaveLength(1);
    expect(t.firedWith('DriftwatchNewCategories')).toHaveLength(0);
  });

  it('resets a pending condition that does not hold in the next evaluation', () => {
    const t = new AlertTracker(2);
    t.observe(drift(1_000), 1_000);
    t.observe([], 2_000);
    expect(t.observe(drift(3_000), 3_000)).toEqual([]);
    expect(t.observe(drift(4_000), 4_000)[0]?.activeSinceMs).toBe(3_000);
  });
});
