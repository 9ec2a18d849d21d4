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

  it('does not fail an equally good candidate on the sampling noise of a few labels (significance, as for the error rate)', () => {
    // 0.77 on 100 labels vs 0.80 on 5000: a 3-point loss, but the canary's accuracy has a standard error of ~4 points
    const noisy = { ...healthy, performance: [{ metric: 'accuracy', primary: { value: 0.8, samples: 5000 }, canary: { value: 0.77, samples: 100 } }] };
    const m = judgeCanary(DEFAULT_CANARY_ANALYSIS, noisy).metrics.find((x) => x.metric === 'performance:accuracy');
    expect(m?.status).toBe('pass');
    expect(m?.pValue).toBeGreaterThan(0.2);
    expect(m?.reason).toMatch(/^accuracy canary 0\.7700 vs primary 0\.8000 \(p=0\.2\d+, tolerance 0\.02000\)$/);
    // a real loss on as few labels still fails
    const worse = { ...healthy, performance: [{ metric: 'accuracy', primary: { value: 0.8, samples: 5000 }, canary: { value: 0.6, samples: 100 } }] };
    expect(status(worse, 'performance:accuracy')).toBe('fail');
    // several metrics at once: the significance level is shared (Bonferroni), so five noisy metrics do not fail more often than one
    const five = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'].map((metric) => ({ metric, primary: { value: 0.8, samples: 5000 }, canary: { value: 0.72, samples: 100 } }));
    const j = judgeCanary(DEFAULT_CANARY_ANALYSIS, { ...healthy, performance: five });
    // one-sided Fisher p ≈ 0.036 each: below 0.05, above 0.05 / 5
    expect(j.metrics.filter((x) => x.metric.startsWith('performance:')).map((x) => x.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(status({ ...healthy, performance: five.slice(0, 1) }, 'performance:accuracy')).toBe('fail');
  });

  it('judges a metric on the rows it is a proportion of (effectiveSamples), not on every label', () => {
    // recall 0.50 vs 0.60: on 400 labels it would be significant, but the canary had only 40 actual positives
    const recall = (canaryPositives: number) => ({
      ...healthy,
      performance: [{ metric: 'recall', primary: { value: 0.6, samples: 4000, effectiveSamples: 1000 }, canary: { value: 0.5, samples: 400, effectiveSamples: canaryPositives } }],
    });
    expect(status(recall(40), 'performance:recall')).toBe('pass');
    expect(status(recall(400), 'performance:recall')).toBe('fail');
    // no rows behind a metric on one side: no evidence
    expect(status(recall(0), 'performance:recall')).toBe('pass');
  });

  it('keeps false rollbacks of an equal candidate near alpha (seeded simulation of 100-label canaries)', () => {
    // a candidate exactly as good as the primary (accuracy 0.8), measured on 100 labels against 5000, 2000 times
    // mulberry32, seeded: uniform draws (fast-check's doubles lean to the edges)
    let state = 7;
    const uniform = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const runs = 2000;
    let failed = 0;
    for (let run = 0; run < runs; run++) {
      let correct = 0;
      for (let i = 0; i < 100; i++) if (uniform() < 0.8) correct++;
      const obs = { ...healthy, performance: [{ metric: 'accuracy', primary: { value: 0.8, samples: 5000 }, canary: { value: correct / 100, samples: 100 } }] };
      if (status(obs, 'performance:accuracy') === 'fail') failed++;
    }
    // the point rule alone (loss > 0.02) fails about a third of them
    expect(failed / runs).toBeLessThan(0.06);
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
    expect(parseCanaryAnalysisConfig({ performance: { alpha: 0.01 } }).performance).toEqual({ ...DEFAULT_CANARY_ANALYSIS.performance, alpha: 0.01 });
  });
  it('names the bad field', () => {
    expect(() => parseCanaryAnalysisConfig({ latency: { quantile: 1.5 } })).toThrow('rollout.analysis.latency.quantile: must be ≤ 0.999, got 1.5');
    expect(() => parseCanaryAnalysisConfig({ error_rate: { maxIncrease: 1 } })).toThrow('rollout.analysis.error_rate.maxIncrease: unknown field');
    expect(() => parseCanaryAnalysisConfig({ errors: {} })).toThrow('rollout.analysis.errors: unknown field');
  });
});
