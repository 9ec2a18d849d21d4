import { Gauge, Histogram, Registry } from 'prom-client';
import type { AggregatorConfig } from '../config/aggregator-config.js';
import type { EvaluationResult } from '../engine/evaluation-types.js';
import type { AggregatorState } from '../state/aggregator-state.js';
import { SnapshotCounter, SnapshotGauge, SnapshotHistogram, type Sample } from './snapshot-metrics.js';
import { registerRecordsMetrics, type RecordsMetricsFeed } from '../records/records-metrics.js';
import { registerRetrainingMetrics, type RetrainingMetricsFeed } from '../retraining/retraining-metrics.js';
import { registerRolloutMetrics, type RolloutMetricsFeed } from '../rollout/rollout-metrics.js';

/** Buckets (seconds) of driftwatch_evaluation_duration_seconds. */
const EVALUATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Emit<L extends string> = (labels: Record<L, string>, value: number) => void;

function collect<L extends string>(fill: (emit: Emit<L>) => void): () => Sample<L>[] {
  return () => {
    const out: Sample<L>[] = [];
    fill((labels, value) => {
      if (Number.isFinite(value)) out.push({ labels, value });
    });
    return out;
  };
}

const b = (x: boolean): number => (x ? 1 : 0);

/** The Prometheus side of the aggregator: a registry with exactly the metrics of docs/metrics.md. */
export interface PrometheusMetrics {
  readonly registry: Registry;
  /** Makes the next scrapes expose this evaluation's numbers. */
  publish(result: EvaluationResult): void;
  /** The latest published evaluation. */
  latest(): EvaluationResult | undefined;
  /** The retraining metrics (driftwatch_retraining_*), fed by the retraining loop once started. */
  readonly retraining: RetrainingMetricsFeed;
  /** The prediction-record metrics (driftwatch_records_*), fed by the records store once started. */
  readonly records: RecordsMetricsFeed;
  /** The rollout metrics (driftwatch_rollout_*), fed by the rollout controller once started. */
  readonly rollouts: RolloutMetricsFeed;
}

/**
 * Creates the registry. Evaluation gauges read the latest published evaluation, counters and the latency
 * histogram read the state's running totals, config gauges read the config — all at scrape time, so a series
 * that disappears from its source disappears from /metrics.
 */
export function createPrometheusMetrics(config: AggregatorConfig, state: AggregatorState): PrometheusMetrics {
  const registry = new Registry();
  let latest: EvaluationResult | undefined;
  const add = <M extends object>(metric: M): M => {
    registry.registerMetric(metric as never);
    return metric;
  };
  const windows = function* () {
    if (!latest) return;
    for (const m of latest.models) for (const v of m.versions) for (const w of v.windows) yield { model: m.model, version: v.version, w };
  };
  const features = function* () {
    for (const { model, version, w } of windows()) for (const f of w.features) yield { model, version, window: w.window, f };
  };
  const MVFW = ['model', 'version', 'feature', 'window'] as const;

  add(
    new SnapshotGauge(
      { name: 'driftwatch_feature_drift_score', help: 'Drift statistic of `method` between the reference and the window.', labelNames: ['model', 'version', 'feature', 'method', 'window'] },
      collect((emit) => {
        for (const { model, version, window, f } of features()) for (const r of f.results) emit({ model, version, feature: f.feature, method: r.method, window }, r.statistic);
      }),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_feature_drift_pvalue', help: 'p-value of the drift test, for tests that have one (ks, chisquare, z, mmd).', labelNames: ['model', 'version', 'feature', 'method', 'window'] },
      collect((emit) => {
        for (const { model, version, window, f } of features()) {
          for (const r of f.results) if (r.pValue !== undefined) emit({ model, version, feature: f.feature, method: r.method, window }, r.pValue);
        }
      }),
    ),
  );
  const featureGauge = (name: string, help: string, value: (f: EvaluationResult['models'][number]['versions'][number]['windows'][number]['features'][number]) => number | undefined): void => {
    add(
      new SnapshotGauge(
        { name, help, labelNames: MVFW },
        collect((emit) => {
          for (const { model, version, window, f } of features()) {
            const x = value(f);
            if (x !== undefined) emit({ model, version, feature: f.feature, window }, x);
          }
        }),
      ),
    );
  };
  featureGauge('driftwatch_feature_drift_detected', 'Verdict (0/1) of the feature\'s primary drift method.', (f) => (f.primary ? b(f.primary.drifted) : undefined));
  featureGauge('driftwatch_feature_samples', 'Values of the feature in the window (missing ones excluded).', (f) => f.samples);
  featureGauge('driftwatch_feature_missing_ratio', 'missing / (missing + present) in the window.', (f) => f.missingRatio);
  featureGauge('driftwatch_feature_out_of_range_ratio', "Share of numeric values outside the reference's [min, max].", (f) => f.outOfRangeRatio);
  featureGauge('driftwatch_feature_new_category_ratio', 'Share of categorical values whose category is not in the reference.', (f) => f.newCategoryRatio);
  featureGauge('driftwatch_feature_frozen', '1 when the window holds a single distinct value while the reference had more than one.', (f) => (f.frozen === undefined ? undefined : b(f.frozen)));

  add(
    new SnapshotGauge(
      { name: 'driftwatch_feature_important', help: "Features marked important in the model's config.", labelNames: ['model', 'feature'] },
      collect((emit) => {
        for (const [model, mc] of config.models) for (const feature of mc.importantFeatures) emit({ model, feature }, 1);
      }),
    ),
  );
  const windowGauge = (name: string, help: string, value: (w: EvaluationResult['models'][number]['versions'][number]['windows'][number]) => number | undefined): void => {
    add(
      new SnapshotGauge(
        { name, help, labelNames: ['model', 'version', 'window'] },
        collect((emit) => {
          for (const { model, version, w } of windows()) {
            const x = value(w);
            if (x !== undefined) emit({ model, version, window: w.window }, x);
          }
        }),
      ),
    );
  };
  windowGauge('driftwatch_model_drift_share', 'Drifted features / evaluated features.', (w) => w.driftShare);
  windowGauge('driftwatch_model_dataset_drift', 'Drift share >= the configured share (0/1).', (w) => (w.datasetDrift === undefined ? undefined : b(w.datasetDrift)));
  add(
    new SnapshotGauge(
      { name: 'driftwatch_prediction_drift_score', help: 'Drift of a model output against the reference outputs.', labelNames: ['model', 'version', 'output', 'method', 'window'] },
      collect((emit) => {
        for (const { model, version, w } of windows()) for (const o of w.outputs) if (o.primary) emit({ model, version, output: o.output, method: o.primary.method, window: w.window }, o.primary.statistic);
      }),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_prediction_drift_detected', help: 'Drift verdict (0/1) for a model output.', labelNames: ['model', 'version', 'output', 'window'] },
      collect((emit) => {
        for (const { model, version, w } of windows()) for (const o of w.outputs) if (o.primary) emit({ model, version, output: o.output, window: w.window }, b(o.primary.drifted));
      }),
    ),
  );

  // traffic, latency and errors — running totals of the state
  const roles = function* () {
    for (const m of state.models.values()) for (const v of m.versions.values()) for (const [role, t] of v.roles) yield { model: m.name, version: v.version, role, t };
  };
  add(
    new SnapshotCounter(
      { name: 'driftwatch_predictions_total', help: 'Predictions received (sum over all instances).', labelNames: ['model', 'version', 'role'] },
      collect((emit) => {
        for (const { model, version, role, t } of roles()) emit({ model, version, role }, t.predictions);
      }),
    ),
  );
  add(
    new SnapshotCounter(
      { name: 'driftwatch_prediction_errors_total', help: 'Failed calls by error type.', labelNames: ['model', 'version', 'role', 'error_type'] },
      collect((emit) => {
        for (const { model, version, role, t } of roles()) for (const [errorType, n] of t.errors) emit({ model, version, role, error_type: errorType }, n);
      }),
    ),
  );
  add(
    new SnapshotHistogram({ name: 'driftwatch_prediction_duration_seconds', help: "Call latency, re-exposed from the SDK's explicit buckets.", labelNames: ['model', 'version', 'role'] }, function* () {
      for (const { model, version, role, t } of roles()) if (t.duration) yield { labels: { model, version, role }, ...t.duration };
    }),
  );
  add(
    new SnapshotCounter(
      { name: 'driftwatch_prediction_slow_total', help: "Calls slower than the model's max_latency_seconds objective.", labelNames: ['model', 'version', 'role'] },
      collect((emit) => {
        for (const { model, version, role, t } of roles()) if (state.models.get(model)?.config.sla.has('max_latency_seconds')) emit({ model, version, role }, t.slowCalls);
      }),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_model_last_seen_timestamp_seconds', help: 'Unix time of the last prediction received.', labelNames: ['model', 'version'] },
      collect((emit) => {
        for (const m of state.models.values()) for (const v of m.versions.values()) if (v.lastSeenMs > 0) emit({ model: m.name, version: v.version }, v.lastSeenMs / 1000);
      }),
    ),
  );

  // performance, KPIs, references and SLAs
  add(
    new SnapshotGauge(
      { name: 'driftwatch_model_performance', help: 'Performance from joined feedback: accuracy, precision, recall, f1, roc_auc, mae, rmse.', labelNames: ['model', 'version', 'metric', 'window'] },
      collect((emit) => {
        for (const { model, version, w } of windows()) for (const [metric, x] of w.performance.metrics) emit({ model, version, metric, window: w.window }, x);
      }),
    ),
  );
  windowGauge('driftwatch_model_feedback_samples', 'Joined labels in the window.', (w) => w.performance.feedbackSamples);
  const kpis = function* () {
    if (!latest) return;
    for (const m of latest.models) for (const k of m.kpis) yield { model: m.model, k };
  };
  add(
    new SnapshotGauge(
      { name: 'driftwatch_kpi', help: "Mean value of the KPI's events in the window.", labelNames: ['model', 'kpi', 'window'] },
      collect((emit) => {
        for (const { model, k } of kpis()) if (k.mean !== undefined) emit({ model, kpi: k.kpi, window: k.window }, k.mean);
      }),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_kpi_events', help: 'KPI events in the window.', labelNames: ['model', 'kpi', 'window'] },
      collect((emit) => {
        for (const { model, k } of kpis()) emit({ model, kpi: k.kpi, window: k.window }, k.events);
      }),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_reference_info', help: 'A reference is set for the version (source: file, sdk, http, capture).', labelNames: ['model', 'version', 'source'] },
      collect((emit) => {
        for (const m of state.models.values()) for (const v of m.versions.values()) if (v.reference) emit({ model: m.name, version: v.version, source: v.reference.profile.source }, 1);
      }),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_model_sla_threshold', help: 'Business-aligned objectives from the aggregator config.', labelNames: ['model', 'objective'] },
      collect((emit) => {
        for (const [model, mc] of config.models) for (const [objective, x] of mc.sla) emit({ model, objective }, x);
      }),
    ),
  );

  // self-metrics
  add(
    new SnapshotCounter(
      { name: 'driftwatch_ingest_requests_total', help: 'OTLP export requests by signal and HTTP status.', labelNames: ['signal', 'status'] },
      collect((emit) => {
        for (const [key, n] of state.counters.requests) {
          const [signal = '', status = ''] = key.split('|');
          emit({ signal, status }, n);
        }
      }),
    ),
  );
  add(
    new SnapshotCounter(
      { name: 'driftwatch_ingest_points_total', help: 'Data points received, by result and reason.', labelNames: ['result', 'reason'] },
      collect((emit) => {
        for (const [key, n] of state.counters.points) {
          const [result = '', reason = ''] = key.split('|');
          emit({ result, reason }, n);
        }
      }),
    ),
  );
  add(new SnapshotCounter({ name: 'driftwatch_ingest_ignored_total', help: 'Points of metrics not in the semantic conventions.', labelNames: [] }, () => [{ labels: {}, value: state.counters.ignored }]));
  add(new SnapshotCounter({ name: 'driftwatch_ingest_resets_total', help: 'Cumulative stream resets seen.', labelNames: [] }, () => [{ labels: {}, value: state.streams.resets }]));
  add(new SnapshotGauge({ name: 'driftwatch_ingest_queue_depth', help: 'OTLP requests being read or decoded.', labelNames: [] }, () => [{ labels: {}, value: state.counters.queueDepth }]));
  add(
    new SnapshotCounter(
      { name: 'driftwatch_cardinality_rejected_total', help: 'Label values rejected by the cardinality limits, by kind.', labelNames: ['kind'] },
      collect((emit) => {
        for (const [kind, n] of state.counters.cardinalityRejected) emit({ kind }, n);
      }),
    ),
  );
  const evaluationDuration = add(new Histogram({ name: 'driftwatch_evaluation_duration_seconds', help: 'Wall time of one full drift evaluation.', buckets: EVALUATION_BUCKETS, registers: [] }));
  const evaluationTimestamp = add(new Gauge({ name: 'driftwatch_evaluation_timestamp_seconds', help: 'Unix time of the last completed evaluation.', registers: [] }));
  const retraining = registerRetrainingMetrics(registry, config.retraining);
  const records = registerRecordsMetrics(registry);
  const rollouts = registerRolloutMetrics(registry);

  return {
    registry,
    publish(result) {
      latest = result;
      evaluationDuration.observe(result.durationSeconds);
      evaluationTimestamp.set(result.timestampMs / 1000);
    },
    latest: () => latest,
    retraining,
    records,
    rollouts,
  };
}
