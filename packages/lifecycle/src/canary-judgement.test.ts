import { describe, expect, it } from 'vitest';
import { DEFAULT_CANARY_ANALYSIS, parseCanaryAnalysisConfig } from './canary-analysis-config.js';
import { judgeCanary } from './canary-judgement.js';
import type { CanaryObservation } from './canary-judgement.js';

const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** 1000 calls mostly between 10 and 50 ms. */
const fast = { bounds, counts: [0, 100, 400, 400, 80, 20, 0, 0, 0] };
/** 1000 calls mostly between 50 and 250 ms. */
const slow = { bounds, counts: [0, 0, 50, 150, 400, 350, 50, 0, 0] };

const healthy: CanaryObservation = {
  primary: { calls: 10_000, errors: 50, latency: fast },
  canary: { calls: 1_000, errors: 5, latency: fast },
  predictionDrift: { score: 0.03, primarySamples: 10_000, canarySamples: 1_000 },
  agreement: { agreed: 990, compared: 1_000 },
  performance: [
    { metric: 'accuracy', primary: { value: 0.9, samples: 500 }, canary: { value: 0.91, samples: 300 } },
    { metric: 'mae', primary: { value: 2.0, samples: 500 }, canary: { value: 2.01, samples: 300 } },
  ],
};

const status = (obs: CanaryObservation, metric: string) => judgeCanary(DEFAULT_CANARY_ANALYSIS, obs).metrics.find((m) => m.metric === metric)?.status;

describe('judgeCanary', () => {
  it('passes a healthy canary on every metric', () => {
    const j = judgeCanary(DEFAULT_CANARY_ANALYSIS, healthy);
    expect(j.verdict).toBe('pass');
    expect(j.metrics.map((m) => [m.metric, m.status])).toEqual([
      ['error_rate', 'pass'],
      ['latency', 'pass'],
      ['prediction_drift', 'pass'],
      ['agreement', 'pass'],
      ['performance:accuracy', 'pass'],
      ['performance:mae', 'pass'],
    ]);
  });

  it('fails a canary whose error ratio is significantly and materially higher', () => {
    const obs = { ...healthy, canary: { ...healthy.canary, errors: 40 } }; // 4 % vs 0.5 %
    const j = judgeCanary(DEFAULT_CANARY_ANALYSIS, obs);
    expect(j.verdict).toBe('fail');
    expect(j.reasons[0]).toMatch(/^error rate canary 4\.00% vs primary 0\.50% \(p=.*, tolerance \+1\.00%\)$/);
    const m = j.metrics[0];
    expect(m?.pValue).toBeLessThan(1e-6);
  });

  it('does not fail a small rise within the tolerance, nor a large one that is not significant', () => {
    expect(status({ ...healthy, canary: { ...healthy.canary, errors: 12 } }, 'error_rate')).toBe('pass'); // +0.7 points
    const few = { ...healthy, primary: { ...healthy.primary, calls: 200, errors: 1 }, canary: { ...healthy.canary, calls: 200, errors: 4 } }; // 2 % vs 0.5 %, p ≈ 0.09
    expect(status(few, 'error_rate')).toBe('pass');
  });

  it('is inconclusive below the minimum sample, which holds the measurement', () => {
    const j = judgeCanary(DEFAULT_CANARY_ANALYSIS, { ...healthy, canary: { calls: 150, errors: 0, latency: { bounds, counts: [0, 15, 60, 60, 12, 3, 0, 0, 0] } } });
    expect(j.verdict).toBe('inconclusive');
    expect(j.reasons).toEqual(['error rate: 150 calls < 200 needed', 'latency: 150 calls < 200 needed']);
  });

  it('fails a slower canary (Mann-Whitney and the quantile ratio)', () => {
    const j = judgeCanary(DEFAULT_CANARY_ANALYSIS, { ...healthy, canary: { ...healthy.canary, latency: slow } });
    const latency = j.metrics.find((m) => m.metric === 'latency');
    expect(latency?.status).toBe('fail');
    expect(latency?.canary).toBeGreaterThan(0.2);
    expect(latency?.primary).toBeLessThan(0.1);
    expect(j.verdict).toBe('fail');
  });

  it('does not fail a faster canary, nor a slower one under the delta floor', () => {
    expect(status({ ...healthy, primary: { ...healthy.primary, latency: slow } }, 'latency')).toBe('pass');
    const tinyBounds = [0.0001, 0.0002, 0.0005, 0.001];
    const tinyFast = { bounds: tinyBounds, counts: [500, 500, 0, 0, 0] };
    const tinySlow = { bounds: tinyBounds, counts: [0, 0, 500, 500, 0] };
    expect(status({ ...healthy, primary: { ...healthy.primary, latency: tinyFast }, canary: { ...healthy.canary, latency: tinySlow } }, 'latency')).toBe('pass');
  });

  it('judges prediction drift between the two, agreement and performance', () => {
    expect(status({ ...healthy, predictionDrift: { score: 0.35, primarySamples: 5000, canarySamples: 500 } }, 'prediction_drift')).toBe('fail');
    expect(status({ ...healthy, predictionDrift: { score: 0.35, primarySamples: 5000, canarySamples: 50 } }, 'prediction_drift')).toBe('inconclusive');
    expect(status({ ...healthy, agreement: { agreed: 800, compared: 1000 } }, 'agreement')).toBe('fail');
    // 94 % observed with 300 comparisons: below 95 % but not confidently → inconclusive.
    expect(status({ ...healthy, agreement: { agreed: 282, compared: 300 } }, 'agreement')).toBe('inconclusive');
    const worse = { ...healthy, performance: [{ metric: 'roc_auc', primary: { value: 0.9, samples: 500 }, canary: { value: 0.85, samples: 500 } }] };
    expect(status(worse, 'performance:roc_auc')).toBe('fail');
    const worseMae = { ...healthy, performance: [{ metric: 'mae', primary: { value: 2, samples: 500 }, canary: { value: 2.5, samples: 500 } }] };
    expect(status(worseMae, 'performance:mae')).toBe('fail');
    const betterMae = { ...healthy, performance: [{ metric: 'mae', primary: { value: 2.5, samples: 500 }, canary: { value: 2, samples: 500 } }] };
    expect(status(betterMae, 'performance:mae')).toBe('pass');
  });

  it('lets non-blocking metrics be inconclusive without holding the measurement', () => {
    const canaryOnly: CanaryObservation = { primary: healthy.primary, canary: healthy.canary };
    const j = judgeCanary(DEFAULT_CANARY_ANALYSIS, canaryOnly);
    expect(j.verdict).toBe('pass');
    expect(j.metrics.filter((m) => m.status === 'inconclusive').map((m) => m.reason)).toEqual([
      'prediction drift: no data',
      'agreement: no shadow comparisons',
      'performance: no labels yet',
    ]);
    const strict = parseCanaryAnalysisConfig({ performance: { blocking: true } });
    expect(judgeCanary(strict, canaryOnly)).toMatchObject({ verdict: 'inconclusive', reasons: ['performance: no labels yet'] });
  });

  it('rejects impossible input', () => {
    expect(() => judgeCanary(DEFAULT_CANARY_ANALYSIS, { ...healthy, canary: { calls: 10, errors: 11 } })).toThrow('canary traffic needs 0 ≤ errors ≤ calls');
  });
});

describe('parseCanaryAnalysisConfig', () => {
  it('applies defaults and overrides', () => {
    expect(parseCanaryAnalysisConfig(undefined)).toEqual(DEFAULT_CANARY_ANALYSIS);
    const c = parseCanaryAnalysisConfig({ error_rate: { max_increase: 0.02 }, latency: { quantile: 0.99 } });
    expect(c.errorRate).toEqual({ ...DEFAULT_CANARY_ANALYSIS.errorRate, maxIncrease: 0.02 });
    expect(c.latency.quantile).toBe(0.99);
  });
  it('names the bad field', () => {
    expect(() => parseCanaryAnalysisConfig({ latency: { quantile: 1.5 } })).toThrow('rollout.analysis.latency.quantile: must be ≤ 0.999, got 1.5');
    expect(() => parseCanaryAnalysisConfig({ error_rate: { maxIncrease: 1 } })).toThrow('rollout.analysis.error_rate.maxIncrease: unknown field');
    expect(() => parseCanaryAnalysisConfig({ errors: {} })).toThrow('rollout.analysis.errors: unknown field');
  });
});
