/**
 * A stand-in for the aggregator's /metrics built from the contract (docs/metrics.md): every metric,
 * every label, two models. Counters grow with time so rate() has data. Model `churn` has every SLA
 * objective configured and model `fraud` none, so rule fallbacks are exercised too.
 * Used to run every rule and dashboard query against a live Prometheus without the aggregator.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContractMetric } from './contract-metrics.js';

/** Label values used when the contract does not enumerate them. */
export const SYNTHETIC_LABEL_VALUES: Readonly<Record<string, readonly string[]>> = {
  model: ['churn', 'fraud'],
  version: ['1', '2'],
  feature: ['tenure', 'contract'],
  method: ['psi', 'ks'],
  window: ['1h', '24h'],
  output: ['score'],
  role: ['primary', 'canary'],
  error_type: ['TimeoutError'],
  metric: ['accuracy', 'roc_auc', 'mae'],
  kpi: ['conversion'],
  source: ['file'],
  objective: ['min_accuracy', 'min_roc_auc', 'max_mae', 'max_latency_seconds', 'latency_slo_ratio', 'max_error_ratio', 'max_drift_share'],
  status: ['200'],
  target: ['retrain-gha'],
};

/** Per-metric restrictions of the label values (the SLA is configured for churn only). */
const LABEL_OVERRIDES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  driftwatch_model_sla_threshold: { model: ['churn'] },
};

const SLA_VALUES: Readonly<Record<string, number>> = {
  min_accuracy: 0.8,
  min_roc_auc: 0.75,
  max_mae: 10,
  max_latency_seconds: 0.25,
  latency_slo_ratio: 0.99,
  max_error_ratio: 0.05,
  max_drift_share: 0.5,
};

/** Per-second growth of counters. */
const COUNTER_RATES: Readonly<Record<string, number>> = {
  driftwatch_predictions_total: 20,
  driftwatch_prediction_errors_total: 0.5,
  driftwatch_prediction_slow_total: 1,
  driftwatch_ingest_requests_total: 2,
  driftwatch_ingest_points_total: 100,
};

const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

type Labels = ReadonlyArray<readonly [string, string]>;

function labelCombinations(metric: ContractMetric): Labels[] {
  let combos: Labels[] = [[]];
  for (const label of metric.labels) {
    const values = LABEL_OVERRIDES[metric.name]?.[label.name] ?? (label.values.length > 0 ? label.values : SYNTHETIC_LABEL_VALUES[label.name]);
    if (values === undefined || values.length === 0) throw new Error(`synthetic metrics: no values for label ${label.name} of ${metric.name}`);
    combos = combos.flatMap((combo) => values.map((value): Labels => [...combo, [label.name, value]]));
  }
  return combos;
}

function formatLabels(labels: Labels): string {
  if (labels.length === 0) return '';
  const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${labels.map(([name, value]) => `${name}="${escape(value)}"`).join(',')}}`;
}

function gaugeValue(metric: ContractMetric, labels: Labels, nowSeconds: number): number {
  const label = (name: string): string | undefined => labels.find(([n]) => n === name)?.[1];
  if (metric.name === 'driftwatch_model_sla_threshold') return SLA_VALUES[label('objective') ?? ''] ?? 1;
  if (metric.name.endsWith('_timestamp_seconds')) return Math.floor(nowSeconds);
  if (metric.name.endsWith('_samples') || metric.name.endsWith('_events')) return 500;
  if (metric.typeText.includes('0/1') || metric.typeText === 'gauge 1') return 1;
  if (metric.name === 'driftwatch_model_performance') return label('metric') === 'mae' ? 12 : 0.78;
  if (metric.name === 'driftwatch_ingest_queue_depth') return 3;
  // ratios, scores, shares, p-values, KPI means: something in (0, 1) that differs per series
  const seed = [...formatLabels(labels)].reduce((hash, ch) => (hash * 31 + ch.charCodeAt(0)) % 1_000_003, 7);
  return 0.05 + (seed % 900) / 1000;
}

/** The Prometheus text exposition of every contract metric at `nowSeconds`, `elapsedSeconds` after start. */
export function syntheticExposition(metrics: readonly ContractMetric[], nowSeconds: number, elapsedSeconds: number): string {
  const lines: string[] = [];
  for (const metric of metrics) {
    lines.push(`# TYPE ${metric.name} ${metric.type}`);
    for (const labels of labelCombinations(metric)) {
      if (metric.type === 'gauge') {
        lines.push(`${metric.name}${formatLabels(labels)} ${gaugeValue(metric, labels, nowSeconds)}`);
      } else if (metric.type === 'counter') {
        const rate = COUNTER_RATES[metric.name] ?? 1;
        lines.push(`${metric.name}${formatLabels(labels)} ${Math.round(rate * elapsedSeconds * 1000) / 1000}`);
      } else {
        const count = 10 * elapsedSeconds;
        LATENCY_BUCKETS_SECONDS.forEach((le, i) => {
          const share = (i + 1) / (LATENCY_BUCKETS_SECONDS.length + 1);
          lines.push(`${metric.name}_bucket${formatLabels([...labels, ['le', String(le)]])} ${Math.round(count * share)}`);
        });
        lines.push(`${metric.name}_bucket${formatLabels([...labels, ['le', '+Inf']])} ${Math.round(count)}`);
        lines.push(`${metric.name}_sum${formatLabels(labels)} ${Math.round(count * 0.08 * 1000) / 1000}`);
        lines.push(`${metric.name}_count${formatLabels(labels)} ${Math.round(count)}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface SyntheticExporter {
  /** host:port to scrape */
  readonly target: string;
  close(): Promise<void>;
}

/** Serves {@link syntheticExposition} on http://127.0.0.1:<port>/metrics. */
export async function startSyntheticExporter(metrics: readonly ContractMetric[]): Promise<SyntheticExporter> {
  const startedMs = Date.now();
  const server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    const nowMs = Date.now();
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(syntheticExposition(metrics, nowMs / 1000, (nowMs - startedMs) / 1000));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
