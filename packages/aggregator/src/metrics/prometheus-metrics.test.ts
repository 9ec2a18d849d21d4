import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import type { EvaluationResult, FeatureEvaluation } from '../engine/evaluation-types.js';
import { AggregatorState } from '../state/aggregator-state.js';
import { promtoolCheck } from '../testing/promtool.test-support.js';
import { createPrometheusMetrics } from './prometheus-metrics.js';

const WEIRD = 'we"ird\\name\nwith newline';

function feature(name: string): FeatureEvaluation {
  return {
    feature: name,
    kind: 'numeric',
    samples: 500,
    missing: 5,
    missingRatio: 5 / 505,
    hasReference: true,
    results: [
      { method: 'wasserstein', statistic: 0.12, threshold: 0.1, drifted: true },
      { method: 'ks', statistic: 0.2, pValue: 0.001, threshold: 0.05, drifted: true },
    ],
    primary: { method: 'wasserstein', statistic: 0.12, threshold: 0.1, drifted: true },
    outOfRangeRatio: 0.01,
    newCategoryRatio: undefined,
    frozen: false,
    important: true,
  };
}

const evaluation: EvaluationResult = {
  timestampMs: 1_700_000_000_000,
  durationSeconds: 0.004,
  models: [
    {
      model: 'churn',
      versions: [
        {
          version: '3',
          lastSeenMs: 1_700_000_000_000,
          reference: { source: 'file', createdAt: '2024-01-01T00:00:00.000Z', rowCount: 1000 },
          windows: [
            {
              window: '1h',
              predictions: 500,
              features: [feature('tenure'), feature(WEIRD)],
              evaluatedFeatures: 2,
              driftedFeatures: 2,
              driftShare: 1,
              datasetDrift: true,
              outputs: [{ output: 'score', kind: 'numeric', samples: 500, hasReference: true, primary: { method: 'wasserstein', statistic: 0.3, threshold: 0.1, drifted: true } }],
              performance: { feedbackSamples: 200, positiveClass: '1', metrics: new Map([['accuracy', 0.9], ['roc_auc', 0.81]]) },
            },
          ],
        },
      ],
      kpis: [{ kpi: 'conversion', window: '1h', events: 40, mean: 0.25 }],
    },
  ],
};

function metricsDoc(): string {
  return readFileSync(new URL('../../../../docs/metrics.md', import.meta.url), 'utf8');
}

describe('Prometheus exposition', () => {
  const config = resolveConfig({ models: { churn: { sla: { min_accuracy: 0.8, max_latency_seconds: 0.5 }, importantFeatures: ['tenure'] } } });
  const state = new AggregatorState(config);
  const metrics = createPrometheusMetrics(config, state);
  metrics.publish(evaluation);

  it('registers exactly the metric names of docs/metrics.md', async () => {
    const documented = new Set([...metricsDoc().matchAll(/^\| `(driftwatch_[a-z_]+)`/gm)].map((m) => m[1]));
    const registered = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    expect(registered).toEqual(documented);
  });

  it('exposes evaluation numbers with the documented labels', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain('driftwatch_feature_drift_score{model="churn",version="3",feature="tenure",method="wasserstein",window="1h"} 0.12');
    expect(text).toContain('driftwatch_feature_drift_pvalue{model="churn",version="3",feature="tenure",method="ks",window="1h"} 0.001');
    expect(text).not.toContain('driftwatch_feature_drift_pvalue{model="churn",version="3",feature="tenure",method="wasserstein"');
    expect(text).toContain('driftwatch_feature_drift_detected{model="churn",version="3",feature="tenure",window="1h"} 1');
    expect(text).toContain('driftwatch_model_dataset_drift{model="churn",version="3",window="1h"} 1');
    expect(text).toContain('driftwatch_model_performance{model="churn",version="3",metric="roc_auc",window="1h"} 0.81');
    expect(text).toContain('driftwatch_kpi{model="churn",kpi="conversion",window="1h"} 0.25');
    expect(text).toContain('driftwatch_model_sla_threshold{model="churn",objective="max_latency_seconds"} 0.5');
    expect(text).toContain('driftwatch_feature_important{model="churn",feature="tenure"} 1');
    expect(text).toContain('driftwatch_prediction_drift_score{model="churn",version="3",output="score",method="wasserstein",window="1h"} 0.3');
    expect(text).toContain('driftwatch_evaluation_timestamp_seconds 1700000000');
  });

  it('escapes quotes, backslashes and newlines in label values', async () => {
    const text = await metrics.registry.metrics();
    expect(text).toContain('feature="we\\"ird\\\\name\\nwith newline"');
    expect(text.split('\n').every((line) => !line.startsWith('with newline'))).toBe(true);
  });

  it('drops series that disappear from the latest evaluation', async () => {
    const local = createPrometheusMetrics(config, state);
    local.publish(evaluation);
    expect(await local.registry.metrics()).toContain('feature="tenure"');
    local.publish({ ...evaluation, models: [] });
    const text = await local.registry.metrics();
    expect(text).not.toContain('driftwatch_feature_drift_score{');
    expect(text).toContain('# TYPE driftwatch_feature_drift_score gauge');
  });

  it('passes promtool check metrics', async () => {
    const r = promtoolCheck(await metrics.registry.metrics());
    if (r === undefined) return; // promtool not installed here (required when DRIFTWATCH_E2E_REQUIRED=1)
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });
});
